"""Questions built from other questions: a thing named by a question of its own ("the largest city
in the smallest state", "面積最大的地區有多少個案"), and the things of one table that no row of
another names ("states with no rivers"). Each part is a plan the parser already reads and explains;
they are put together in SQL (`IN (<inner query>)`, `NOT IN (…)`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import duckdb
import sqlglot
from sqlglot import exp

from ai_toolbox.analysis import joins, nl2sql, vocabulary
from ai_toolbox.analysis.nl2sql import CannotAnswer, Filter, Plan
from ai_toolbox.analysis.readings import embedded_plan, mark_references, ranked_plans
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, literal
from ai_toolbox.analysis.sqlsafe import check_sql, run_query
from ai_toolbox.errors import ToolboxError

T = TypeVar("T")

MAX_DEPTH = 2
_RELATIVE = ("that", "which", "who")
_COUNTING = re.compile(r"(?:the )?(?:most|fewest|least)\b")
_ENTITY_INTENTS = ("lookup", "argmax", "argmin", "most_frequent", "least_frequent")


def planned(con: duckdb.DuckDBPyConnection, infos: list[TableInfo], question: str) -> Plan:
    """The parser's plan, or a nested one when the question names a thing by another question
    ("the capital of the largest state") and the nested plan explains at least as much of it, or
    the things of one table that no row of another names ("states with no rivers")."""
    if len(infos) < 2:
        return embedded_plan(infos, question)
    text = nl2sql.normalise(question)
    return _absence_plan(infos, text) or _Nesting(con, infos).plan(text)


_NONE_EN = re.compile(r"\b(?:no|without|(?:do|does|did) not have|(?:don't|doesn't|didn't) have)\s+(?:any\s+)?([a-z]+)")
_NONE_ZH = "没有"


def _absence_plan(infos: list[TableInfo], text: str) -> Plan | None:
    """The things of one table that no row of another names: "states with no rivers", "how many
    states do not have rivers", "没有个案的地区" read the column of the things that the other
    table's key points at, `state_name NOT IN (SELECT traverse FROM river …)`."""
    mark_references(infos)
    if vocabulary.is_ascii(text):
        m = _NONE_EN.search(text)
        if m is None:
            return None
        absent = _table_named(infos, [m.group(1)])
        things = _table_named(infos, re.findall(r"[a-z]+", text[: m.start()]), skip=absent)
    else:
        at = text.find(_NONE_ZH)
        if at < 0:
            return None
        after = text[at + len(_NONE_ZH) :]
        absent = next((i for i in infos if after.startswith(_folded_name(i))), None)
        rest = text[:at] + " " + after[len(_folded_name(absent)) :] if absent else ""
        things = next((i for i in infos if i is not absent and _folded_name(i) in rest), None)
    if absent is None or things is None or _says_more(text, [absent, things]):
        return None
    pair = _key_between(infos, absent, things)
    if pair is None:
        return None
    key_col, thing_col = pair
    inner = f"SELECT {key_col.ident} FROM {absent.ident} WHERE {key_col.ident} IS NOT NULL"
    where = f" WHERE {thing_col.ident} NOT IN ({inner})"
    counted = re.search(r"\bhow many\b|多少|几", text)
    if counted:
        sql, intent = f"SELECT COUNT(*) AS count FROM {things.ident}{where}", "count"
    else:
        sql, intent = f"SELECT {thing_col.ident} FROM {things.ident}{where}", "lookup"
    missing = Filter(thing_col.name, "none in", absent.name, f"{thing_col.ident} NOT IN ({inner})")
    # Nothing else is said (`_says_more`), so the SQL uses all of the question.
    return Plan(
        sql,
        intent,
        target=thing_col.name,
        filters=[missing],
        confidence=0.8,
        share=1.0,
        target_named=True,
        table=things.name,
    )


# Words a question about things with none of another may use besides the two tables' names.
_ABSENCE_WORDS = re.compile(
    r"what|which|how|many|much|is|are|was|were|do|does|did|not|no|without|have|has|had|with|any|there|that|who"
    r"|don't|doesn't|didn't|list|name|show"
)
_ABSENCE_ZH = set("哪些个是什么几多少有没的吗呢")


def _says_more(text: str, tables: list[TableInfo]) -> bool:
    """The question asks more than which things have none ("no rivers in march"): read it otherwise."""
    if vocabulary.is_ascii(text):
        words = re.findall(r"[a-z']+", text)
        left = [w for w in words if not _ABSENCE_WORDS.fullmatch(w) and w not in vocabulary.STOPWORDS]
        return any(_table_named(tables, [w]) is None for w in left)
    for info in tables:
        text = text.replace(_folded_name(info), "")
    return bool(set(text) - _ABSENCE_ZH - {" "})


def _folded_name(info: TableInfo) -> str:
    return nl2sql.normalise(info.name)


def _table_named(infos: list[TableInfo], words: list[str], skip: TableInfo | None = None) -> TableInfo | None:
    """The table one of `words` names ("rivers" → `river`, "cities" → `city`), the last word first."""
    for word in reversed(words):
        for info in infos:
            names = re.findall(r"[a-z0-9]+", _folded_name(info))
            named = any(vocabulary.stem(word) == vocabulary.stem(n) or len(n) > 3 and word.startswith(n) for n in names)
            if info is not skip and named:
                return info
    return None


def _key_between(infos: list[TableInfo], absent: TableInfo, things: TableInfo) -> tuple[ColumnInfo, ColumnInfo] | None:
    """The column of `absent` that names rows of `things`, and the column of `things` it holds."""
    for (t, c), (rt, rc) in joins.key_ends(infos):
        if t == absent.name and rt == things.name and absent.column(c).refers == things.name:
            return absent.column(c), things.column(rc)
    return None


def _remembered(cache: dict, key, compute: Callable[[], T]) -> T:
    """`compute()` once per key, its CannotAnswer included: a phrase the parser cannot read is
    tried again and again while nesting, and fails the same way each time."""
    if key not in cache:
        try:
            cache[key] = compute()
        except CannotAnswer as exc:
            cache[key] = exc
    got = cache[key]
    if isinstance(got, CannotAnswer):
        raise got
    return got


class _Nesting:
    """Plans for a question and for the phrases inside it, each text parsed once."""

    def __init__(self, con: duckdb.DuckDBPyConnection, infos: list[TableInfo]) -> None:
        self.con, self.infos = con, infos
        self.names = [i.name for i in infos]
        self._parsed: dict[str, list[Plan] | CannotAnswer] = {}
        self._planned: dict[tuple[str, int], Plan | CannotAnswer] = {}

    def parse(self, text: str) -> Plan:
        return self.readings(text)[0]

    def readings(self, text: str) -> list[Plan]:
        return _remembered(self._parsed, text, lambda: ranked_plans(self.infos, text))

    def plan(self, text: str, depth: int = 0) -> Plan:
        """The best reading of `text`, planned once per depth: a phrase after "in" and the same
        phrase as a noun with its relative clause ("states that the mississippi runs through")
        are one plan."""
        return _remembered(self._planned, (text, depth), lambda: self._plan(text, depth))

    def _plan(self, text: str, depth: int) -> Plan:
        plan = self.parse(text)
        if depth >= MAX_DEPTH:
            return plan
        nested, inner = self.nested(text, depth)
        # A superlative over a relative clause wins where the parser's own reading, using as many
        # words, lost the thing asked for ("the most populous state that the mississippi runs
        # through" is no largest population of the state called mississippi).
        restricted = self.restricted(text, depth)
        if (
            restricted is not None
            and (nested is None or len(restricted.coverage) > len(nested.coverage))
            and (
                len(restricted.coverage) > len(plan.coverage)
                or len(restricted.coverage) == len(plan.coverage) and plan.intent not in ("argmax", "argmin")
            )
        ):
            return restricted
        # "the length of the longest river" is the longest length, once, as the parser reads it;
        # "the length of the river that flows through the most states" counts states, and its
        # superlative says nothing about length.
        measured = (
            plan.intent in ("max", "min")
            and nested is not None
            and plan.metric == nested.target
            and not inner.intent.endswith("_frequent")
        )
        if nested is not None and len(nested.coverage) >= len(plan.coverage) and not measured:
            return nested
        return plan

    def nested(self, text: str, depth: int) -> tuple[Plan | None, Plan]:
        """Read a phrase of the question (in English its end after a word such as "of" or
        "through"; in Chinese a phrase before 的 or 有) as a question of its own whose answer is a
        set of things (`SELECT state_name … WHERE area = (SELECT MAX …)`); read the rest with one
        of those things in its place ("the capital of alaska", "离岛有多少个案"); then put the
        inner query where that thing's filter was (`state_name IN (SELECT …)`), so that the answer
        follows the data."""
        best: Plan | None = None
        best_inner = Plan("", "")
        for start, end in _phrases(text):
            try:
                inner = self.plan(text[start:end], depth + 1)
                if inner.intent not in _ENTITY_INTENTS or inner.intent == "lookup" and not inner.filters:
                    continue  # a count or a measure, or a bare listing of every thing
                if not inner.target_named:
                    continue  # "the texas state" names no thing it asks for
                if inner.intent.endswith("_frequent") and _COUNTING.match(text, start):
                    continue  # "through the most states" counts states; it names none
                found = run_query(self.con, check_sql(inner.sql, self.names))
            except ToolboxError:
                continue
            # The phrase must say more than a name ("alaska" alone is no question of its own).
            named = {w for f in inner.filters for w in inner.coverage if f.span[0] <= w < f.span[1]}
            if not inner.coverage - named:
                continue
            things = list(dict.fromkeys(r[0] for r in found.rows if len(r) == 1 and isinstance(r[0], str) and r[0]))
            if not things:
                continue
            stand_in = nl2sql.normalise(things[0])
            try:
                outer, plan = self._outer(text[:start] + stand_in + text[end:], start, things, inner, text[start:end])
                if plan is None:
                    continue
                check_sql(plan.sql, self.names)
            except ToolboxError:
                continue
            shift = end - start - len(stand_in)
            plan.coverage = frozenset(
                {w for w in outer.coverage if w < start}
                | {w + shift for w in outer.coverage if w >= start + len(stand_in)}
                | {start + w for w in inner.coverage}
            )
            if best is None or len(plan.coverage) > len(best.coverage):
                best, best_inner = plan, inner
        return best, best_inner

    def restricted(self, text: str, depth: int) -> Plan | None:
        """A superlative over a noun with a relative clause ("the most populous state | that the
        mississippi runs through"): the question read with the noun alone ("the most populous
        state"), each `SELECT` of it restricted to the things the noun and its clause name
        (`state_name IN (SELECT traverse …)`), so that the extreme is taken among those only."""
        if not vocabulary.is_ascii(text):
            return None
        words = list(re.finditer(r"\S+", text))
        for noun, rel in itertools.pairwise(words[1:]):
            if rel.group() not in _RELATIVE or noun.group() in vocabulary.STOPWORDS:
                continue
            phrase = text[noun.start():]
            try:
                inner = self.plan(phrase, depth + 1)
                if inner.intent not in _ENTITY_INTENTS or not inner.filters or not inner.target_named:
                    continue
                if not self._names(noun.group(), inner):
                    continue  # "the smallest area that borders texas": an area borders nothing
                outer = self.parse(text[: noun.end()])
                if outer.intent not in ("argmax", "argmin"):
                    continue
                kin = self._kin(inner.target)
                column = next((c for c in self._table(outer.table).columns if c.name in kin), None)
                if column is None:
                    continue
                sql = _restrict(outer.sql, outer.table, column.ident, inner.sql)
                check_sql(sql, self.names)
            except ToolboxError:
                continue
            member = Filter(column.name, "in", f'"{phrase}"', f"{column.ident} IN ({inner.sql})",
                            (noun.start(), len(text)))
            coverage = frozenset(w for w in outer.coverage if w < noun.end()) | {
                noun.start() + w for w in inner.coverage
            }
            return replace(outer, sql=sql, filters=[*outer.filters, member], coverage=coverage)
        return None

    def _names(self, noun: str, inner: Plan) -> bool:
        """Whether `noun` names what `inner` returns: its column, its table, or the table its key
        column points at ("states" for `traverse`)."""
        # A joined view's plan may return a column of its other table: then the noun names nothing here.
        column = next((c for c in self._table(inner.table).columns if c.name == inner.target), None)
        if column is None:
            return False
        words = [*column.words, *re.findall(r"[a-z]+", inner.table), *re.findall(r"[a-z]+", column.refers or "")]
        return vocabulary.stem(noun) in {vocabulary.stem(w) for w in words}

    def _table(self, name: str) -> TableInfo:
        return next(i for i in self.infos if i.name == name)

    def _outer(self, text: str, start: int, things: list[str], inner: Plan, phrase: str) -> tuple[Plan, Plan | None]:
        """The best reading of the question with a stand-in thing, unless it puts the thing in
        another column of the table the inner query read (the capital found by "the capital of
        the smallest state" is "washington", but the state called washington is not meant): then
        the next reading that does not."""
        readings = self.readings(text)
        if readings[0].intent == "lookup" and not readings[0].target_named:
            return readings[0], None  # "through minnesota" asks for nothing
        kin = self._kin(inner.target)
        for outer in readings:
            plan = _substituted(outer, start, things, inner, phrase)
            if plan is None:
                continue
            if outer.table != inner.table or _bound(plan, start).column in kin:
                return outer, plan
        return readings[0], None

    def _kin(self, column: str | None) -> set[str]:
        """`column` and the columns keys join it to, by name."""
        kin = {column} if column else set()
        return kin | {other for (_, c), (_, other) in joins.key_ends(self.infos) if c == column}


def _restrict(sql: str, table: str, column: str, inner_sql: str) -> str:
    """`sql` with `column IN (inner_sql)` added to every `SELECT` that reads `table`."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    condition = sqlglot.parse_one(f"{column} IN ({inner_sql})", read="duckdb")
    for select in list(tree.find_all(exp.Select)):
        source = select.args.get("from_") or select.args.get("from")  # the key's name varies by version
        first = source.find(exp.Table) if source is not None else None
        if first is not None and first.name == table:
            select.where(condition.copy(), copy=False)
    return tree.sql(dialect="duckdb")


def _bound(plan: Plan, start: int) -> Filter:
    return next(f for f in plan.filters if f.span[0] == start)


def _phrases(text: str) -> list[tuple[int, int]]:
    """Where a phrase naming things may stand: in English the rest of the question after a word
    of `before_thing` ("the capital of | the largest state"); in Chinese, which puts modifiers
    first, a superlative and the noun it modifies, from the start or after such a word up to the
    next 的, 有 and the like ("面积最大的地区 | 有多少个案"). A plain filter ("沙田的个案")
    needs no nesting."""
    lex = vocabulary.lexicon()
    if vocabulary.is_ascii(text):
        words = list(re.finditer(r"\S+", text))
        return [
            (w.start(), len(text)) for before, w in itertools.pairwise(words) if before.group() in lex["before_thing"]
        ]
    starts = {0} | {
        m.end() for w in lex["before_thing"] if not vocabulary.is_ascii(w) for m in re.finditer(re.escape(w), text)
    }
    out = []
    for most in re.finditer("最", text):
        modifier_end = text.find("的", most.end())
        if modifier_end < 0:
            continue
        end = next((i for i in range(modifier_end + 2, len(text)) if text[i] in lex["after_thing"]), len(text))
        out += [(a, end) for a in sorted(starts) if a <= most.start() and (a, end) != (0, len(text))]
    return out


def _substituted(outer: Plan, start: int, things: list[str], inner: Plan, phrase: str) -> Plan | None:
    """`outer` with its filter on the stand-in thing (at `start`) replaced by membership in what
    `inner` returns."""
    for i, f in enumerate(outer.filters):
        if f.span[0] != start or f.op != "=" or str(f.value).lower() != things[0].lower():
            continue
        ident = f.sql.split(" IN (")[0] if " IN (" in f.sql else f.sql.removesuffix(f" = {literal(f.value)}")
        if ident == f.sql or f.sql not in outer.sql:
            return None
        shown = ", ".join(things[:3]) + (", …" if len(things) > 3 else "")
        member = Filter(
            f.column, "in", f'"{phrase}" ({shown})', f"{ident} IN ({inner.sql})", (start, start + len(phrase))
        )
        filters = [*outer.filters[:i], member, *outer.filters[i + 1 :]]
        return replace(outer, sql=outer.sql.replace(f.sql, member.sql), filters=filters)
    return None
