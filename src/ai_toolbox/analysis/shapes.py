"""The shape of the query a question asks for, built from its links: a lookup, a count, a total or
average, a superlative, first/last and next/previous rows, a difference, a choice between two
things, a comparison with another row, a percentage."""

from __future__ import annotations

import re

from ai_toolbox.analysis.conditions import value_filter, year_column, year_expr
from ai_toolbox.analysis.linking import WH_BEFORE, Mention, Question, Value, is_averaged, names_column, tokens
from ai_toolbox.analysis.plan import CannotAnswer, Filter, Plan
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, literal
from ai_toolbox.analysis.vocabulary import ASCII, ID_WORDS, PLACE_WORDS, STOPWORDS, YEAR, lexicon, stem

# A question, not a request for a breakdown ("enquiries by district").
_QUESTION_WORD = re.compile(
    r"\b(what|which|who|whom|whose|when|where|why|how|did|does|do|is|was|are|were|has|have|had)\b|哪|什么|谁|何|吗|是否|多少|几"
)


class Builder:
    """A question's links (values, column mentions, filters, intent words) turned into the one plan
    its words ask for: `build()` tries the shapes in order of how specific their cue is."""

    def __init__(self, q: Question, table: TableInfo, values, mentions, filters, has, head_kind, head_pos) -> None:
        self.q, self.t, self.values, self.mentions = q, table, values, mentions
        self.filters, self.has = filters, has
        self.head_kind, self.head_pos = head_kind, head_pos
        self.measured_by: list[tuple[int, int]] = []
        # Columns filtered on are not the answer; a month on a date column leaves it free to be
        # ("what was the airdate of the next episode after january 19").
        self.filter_cols = {f.column for f in filters if f.op not in ("month", "before", "after")}
        # The things answered, once known: a denied relation excludes every row of such a thing.
        self.subject: ColumnInfo | None = None

    # -- pieces -------------------------------------------------------------------------------
    def where(self, filters: list[Filter] | None = None, *, data_only: bool = True) -> str:
        """WHERE clause of the filters; summary rows ('Total') are left out unless asked for."""
        fs = self.filters if filters is None else filters
        conds: list[str] = []
        by_col: dict[str, list[Filter]] = {}
        for f in fs:
            by_col.setdefault(f.column, []).append(f)
        for col_filters in by_col.values():
            col_filters = [self._excluding(f) for f in col_filters]
            positive = [f for f in col_filters if f.op in ("=", "like")]
            if len(positive) > 1:
                # "barrington, farmington and rochester": any of the values, not all at once.
                conds.append("(" + " OR ".join(f.sql for f in positive) + ")")
                conds += [f.sql for f in col_filters if f not in positive]
            else:
                conds += [f.sql for f in col_filters]
        if data_only and not any(f.value in {v for _, v in self.t.summary} for f in fs):
            conds += self.t.without_summary()
        return (" WHERE " + " AND ".join(conds)) if conds else ""

    def _excluding(self, f: Filter) -> Filter:
        """'rivers that do not run through texas': rivers none of whose rows is in texas, not the
        rows of other states (a river crossing texas has those too)."""
        subject = self.subject
        if f.op != "exclude" or subject is None or subject.name == f.column:
            return f
        col = self.t.column(f.column)
        sql = (
            f"{subject.ident} NOT IN (SELECT {subject.ident} FROM {self.t.ident} "
            f"WHERE {col.ident} = {literal(f.value)} AND {subject.ident} IS NOT NULL)"
        )
        return Filter(f.column, f.op, f.value, sql, f.span)

    def target(self, exclude_numeric: bool = False) -> ColumnInfo:
        """The column whose values answer the question."""
        cols = self.t.columns
        like_only = {f.column for f in self.filters if f.op == "like"} - {
            f.column for f in self.filters if f.op != "like"
        }
        equal = {f.column for f in self.filters if f.op == "="}
        # A column holding one value in every row ("usa") tells nothing, unless named in full.
        cols = [c for c in cols if c.distinct != 1 or self.t.rows <= 1] or cols
        other = self._other_of_negated()
        if other is not None:
            return other
        cands = [
            m
            for m in self.mentions
            if (
                m.column.name not in self.filter_cols
                or (m.score >= 3.0 and m.column.name not in equal)
                or m.column.name in like_only
            )
            and (m.column in cols or m.score >= 3.0)
        ]
        # "the population density": in two names side by side the second is the head, the first its
        # modifier; "what states border" asks for states.
        heads = [m for m in cands if not self._modifies_next(m, cands) or WH_BEFORE.search(self.q.text[: m.start])]
        cands = heads or cands
        if exclude_numeric:
            textual = [m for m in cands if m.column.kind not in ("number", "numtext")]
            if not textual and not self.head_kind:
                named = [c for c in cols if c.kind == "text" and c.name not in self.filter_cols]
                if named:
                    return named[0]
            cands = textual
        if self.head_kind:
            syn = lexicon()["synonyms"].get(self.head_kind, [])
            pref = [m for m in cands if any(w in syn for w in m.column.words) or m.column.folded in syn]
            if exclude_numeric:
                pref = [m for m in pref if m.column.kind not in ("number", "numtext")]
            named = [m for m in pref if m.score >= 1.0]
            if self.head_kind == "when" and named:
                # "when did it close": the date column the question names ("Date Closed"), not the first.
                return max(named, key=lambda m: m.score).column
            if self.head_kind == "when":
                ycol = year_column(self.t)
                if ycol is not None and ycol.name not in self.filter_cols:
                    return ycol
            # "who was the first cyclist": the column the question names in full, not the one
            # that "who" alone stands for (Team).
            named_in_full = [
                m
                for m in cands
                if m.score >= 3.0
                and m.start >= self.head_pos
                and m.column.kind == "text"
                and self._word_after(m.end) in STOPWORDS | {""}
            ]
            if named_in_full and pref and all(m.start < self.head_pos for m in pref):
                return max(named_in_full, key=lambda m: m.score).column
            if pref:
                return max(pref, key=lambda m: m.score).column
            by_name = [
                c
                for c in cols
                if (any(w in syn for w in c.words) or c.folded in syn)
                and c.name not in self.filter_cols
                and not (exclude_numeric and c.kind in ("number", "numtext"))
            ]
            if by_name:
                return by_name[0]
        if cands:
            after_head = [m for m in cands if m.start >= self.head_pos - 1]
            pool = after_head or cands
            # Of two columns named alike, the one akin to the column the question's value is in:
            # "the elevation of death valley" (a lowest_point) is its lowest_elevation.
            equal_cols = [c for c in self.t.columns if c.name in equal]
            pinned = {w for c in equal_cols for w in c.words}
            return min(
                pool,
                key=lambda m: (
                    (m.start - self.head_pos if m.start >= self.head_pos else 99) - m.score,
                    -len(pinned & set(m.column.words)),
                ),
            ).column
        for c in cols:
            if c.name not in self.filter_cols and c.kind in ("text",):
                return c
        return next((c for c in cols if c.name not in self.filter_cols), cols[0])

    def _word_after(self, end: int) -> str:
        """The question's next word after position `end` ("" at the end)."""
        return next((w for w, s, _ in self.q.words if s >= end), "")

    def _other_of_negated(self) -> ColumnInfo | None:
        """ "besides X, what other team ...": the column left out of X (team) is the answer."""
        negated = {f.column for f in self.filters if f.op in ("<>", "not like")}
        if not negated:
            return None
        for m in re.finditer(r"\bother ([a-z]+)(?: ([a-z]+))?", self.q.text):
            said = {stem(w) for w in m.groups() if w}
            for c in self.t.columns:
                if c.name in negated and said & {stem(w) for w in c.words}:
                    return c
        return None

    def metric(self, target: ColumnInfo | None) -> ColumnInfo | None:
        """A numeric column the question names (for totals, averages, most/least)."""
        nums = [
            m
            for m in self.mentions
            if m.column.kind in ("number", "numtext") and (target is None or m.column is not target)
        ]
        if not nums:
            return None
        # "the largest population density": of two names side by side, the second is measured.
        heads = [m for m in nums if not self._modifies_next(m, nums)]
        return max(heads or nums, key=lambda m: (m.score, -m.start)).column

    def _modifies_next(self, m: Mention, others: list[Mention]) -> bool:
        """`m` is the first of two column names side by side ("population" in "population
        density"), which only qualifies the second."""
        return any(o.column is not m.column and self.q.text[m.end : o.start] == " " for o in others)

    # -- shapes -------------------------------------------------------------------------------
    def build(self) -> Plan:
        h = self.has
        count_q = bool(h["count"])
        gap = self.year_gap()
        if gap is not None:
            return gap
        years = self._two_years()
        if years and self._comparative():
            return self.year_choice(*years)
        two_same_col = self._two_values_same_column()
        if h["difference"] and two_same_col:
            return self.difference(*two_same_col)
        if two_same_col and self._comparative() and not count_q:
            return self.choice(*two_same_col)
        than = self.than()
        if than is not None:
            return than
        same = self.same_as()
        if same is not None:
            return same
        if h["percent"]:
            plan = self.percent()
            if plan:
                return plan
        if h["avg"]:
            m = self.metric(None)
            if m:
                return self.aggregate("avg", m)
        if (h["next"] or h["previous"]) and self.values and not count_q:
            plan = self.neighbour()
            if plan:
                return plan
        superl = self._superlative()
        if count_q and superl and not re.search(r"(^|[,;] ?)(how many|how much)\b|^(多少|几)", self.q.text):
            count_q = False
        if count_q:
            return self.count()
        if h["sum"] and not (superl and re.match(r"^(which|what|who|哪)", self.q.text)):
            m = self.metric(None)
            if m:
                return self.aggregate("sum", m)
        if superl:
            return self.superlative(superl)
        if h["first"] or h["last"]:
            return self.ordinal("asc" if h["first"] and (not h["last"] or h["first"][0] < h["last"][0]) else "desc")
        return self._breakdown() or self.lookup()

    def _breakdown(self) -> Plan | None:
        """'enquiries by district', 'satisfaction per channel': a request, not a question, for a number
        column totalled per group (rows counted per group when no number column is named)."""
        if _QUESTION_WORD.search(self.q.text):
            return None
        group = self._group_column(bare_by=True)
        if group is None:
            return None
        nums = [
            m
            for m in self.mentions
            if m.column.kind == "number"
            and m.column is not group
            and m.column.name not in self.filter_cols
            and not set(m.column.words) & ID_WORDS
        ]
        if nums:
            measure = max(nums, key=lambda m: m.score).column
            return self.aggregate("avg" if is_averaged(measure) else "sum", measure, group=group)
        return self._count_by(group)

    def _comparative(self) -> bool:
        return bool(
            re.search(
                r"\b(more|most|less|fewer|higher|lower|better|worse|longer|shorter|faster|slower|"
                r"larger|bigger|smaller|greater|earlier|later|older|younger|taller|heavier|best|"
                r"highest|lowest|largest|biggest|smallest|greatest|longest|fastest|slowest|"
                r"first|last|least|top)\b|更|较|比较|最",
                self.q.text,
            )
        )

    def _two_values_same_column(self):
        exact = [v for v in self.values if not v.negated]
        for i, a in enumerate(exact):
            for b in exact[i + 1 :]:
                if a.column is b.column and a.value != b.value:
                    between = self.q.text[a.end : b.start]
                    if re.search(r"\b(or|and|vs|versus|than)\b|或|还是|和|与|比|跟", between):
                        return a, b
        return None

    def _superlative(self) -> str | None:
        # "over", "at the top of the table": comparisons and positions, not superlatives.
        cmp_spans = [(p, p + len(ph)) for p, ph in self.has["gt"] + self.has["lt"] + self.has["first"]]
        mx = [h for h in self.has["max"] if not any(a <= h[0] < b for a, b in cmp_spans)]
        mn = [h for h in self.has["min"] if not any(a <= h[0] < b for a, b in cmp_spans)]
        if not mx and not mn:
            return None
        if mx and mn:
            return "desc" if mx[0][0] < mn[0][0] else "asc"
        return "desc" if mx else "asc"

    def _select_target_values(self, col: ColumnInfo) -> str:
        return col.ident

    def lookup(self) -> Plan:
        col = self.subject = self.target()
        distinct = "DISTINCT " if any(f.op == "exclude" for f in self.filters) else ""
        sql = f"SELECT {distinct}{col.ident} FROM {self.t.ident}{self.where()}"
        if not self.filters:
            sql += " LIMIT 100"
        return Plan(sql, "lookup", target=col.name, filters=self.filters, confidence=0.6 if self.filters else 0.3)

    def count(self) -> Plan:
        """'How many ...': a number column the question names, or a row count."""
        distinct = bool(self.has["count_distinct"])
        pos, phrase = self.has["count"][0]
        m = self._numeric_after(pos, phrase)
        # "the total number of medals" where the table has a "Total" column: that column, summed.
        before = [
            x
            for x in self.mentions
            if x.column.kind in ("number", "numtext") and x.score >= 3.0 and 0 <= pos - x.end <= 1
        ]
        if m is None and before and before[0].column.name not in self.filter_cols:
            m = before[0].column
        if (
            m is None
            and (not ASCII.match(phrase) or phrase == "how much")
            and not re.search(r"行|记录|条|rows?|records?", self.q.text)
        ):
            nums = [x for x in self.mentions if x.column.kind == "number" and x.column.name not in self.filter_cols]
            m = max(nums, key=lambda x: x.score).column if nums else None
        if m is not None and not distinct:
            return self.aggregate("sum", m)
        group = self._group_column()
        if group is not None:
            return self._count_by(group)
        if distinct:
            return self._count_distinct(self.target(), confidence=0.6)
        if (
            not self.filters
            and not self.mentions
            and not re.search(
                r"\b(rows?|records?|entries|listed|total|table|are there|in all)\b|条|行|记录|总共|一共", self.q.text
            )
        ):
            raise CannotAnswer(
                "Cannot answer this from the table: nothing in the question matches it.",
                hint="Name a column or a value that appears in the table.",
            )
        after = pos + len(phrase)
        if any(f.op == "exclude" for f in self.filters):
            # "how many rivers do not run through texas": the rivers named after "how many", each once.
            named = [m for m in self.mentions if m.start >= after and m.column.kind == "text"]
            if named:
                self.subject = min(named, key=lambda m: m.start).column
                return self._count_distinct(self.subject, confidence=0.6)
        # "how many states does the mississippi run through": a key column named by the table it
        # points at (`traverse`, states) counts the different things it names.
        keyed = [
            m
            for m in self.mentions
            if m.column.refers and m.start - after in (0, 1) and m.column.name not in self.filter_cols
        ]
        if keyed:
            return self._count_distinct(keyed[0].column, confidence=0.7)
        sql = f"SELECT COUNT(*) AS count FROM {self.t.ident}{self.where()}"
        return Plan(sql, "count", filters=self.filters, confidence=0.7 if self.filters else 0.5)

    def _count_distinct(self, col: ColumnInfo, *, confidence: float) -> Plan:
        sql = f"SELECT COUNT(DISTINCT {col.ident}) FROM {self.t.ident}{self.where()}"
        return Plan(sql, "count_distinct", target=col.name, filters=self.filters, confidence=confidence)

    def _count_by(self, group: ColumnInfo) -> Plan:
        sql = (
            f"SELECT {group.ident}, COUNT(*) AS n FROM {self.t.ident}{self.where()} "
            f"GROUP BY {group.ident} ORDER BY n DESC"
        )
        return Plan(sql, "count_by", group=group.name, filters=self.filters, confidence=0.6)

    def _numeric_after(self, pos: int, phrase: str = "") -> ColumnInfo | None:
        reach = 40
        if phrase in ("how many", "number of"):
            # "how many points did X score" sums points; "how many individuals had ... points" counts rows,
            # as does "the number of sizes that have an inner diameter above 50".
            rest = self.q.words
            after = [w for w in rest if w[1] >= pos + len(phrase)][:3]
            reach = (after[-1][2] - pos) if after else 0
        nums = [
            m
            for m in self.mentions
            if m.column.kind in ("number", "numtext")
            and m.start >= pos
            and m.column.name not in self.filter_cols
            and (m.start - pos <= reach or m.score >= 3.0 and m.start - pos <= 40)
            and not set(m.column.words) & ID_WORDS
        ]
        if not nums:
            return None
        return min(nums, key=lambda m: m.start).column

    def _group_column(self, *, bare_by: bool = False) -> ColumnInfo | None:
        """The column after 'by' / 'per' / 各 / 每. A bare 'by' (no count, total or average asked for)
        names a group only when `bare_by`: in "the album by X" it does not."""
        for pos, phrase in self.has["group"]:
            after = [m for m in self.mentions if m.start >= pos + len(phrase) and m.start - pos <= 12 + len(phrase)]
            before = [m for m in self.mentions if phrase in ("每个", "每", "各个", "各") and m.start >= pos]
            pool = after or before
            if phrase == "by" and not bare_by and (self.filters or not self._agg_word()):
                continue
            if pool:
                col = min(pool, key=lambda m: (m.start, -m.score)).column
                if col.kind in ("text", "date") or col.distinct <= 50:
                    return col
        return None

    def _agg_word(self) -> bool:
        return bool(self.has["count"] or self.has["sum"] or self.has["avg"])

    def aggregate(self, fn: str, m: ColumnInfo, *, group: ColumnInfo | None = None) -> Plan:
        group = group or self._group_column()
        agg = f"{fn.upper()}({m.numeric})"
        if fn == "avg":
            agg = f"ROUND(AVG({m.numeric}), 2)"
        if group is not None and group is not m:
            sql = (
                f"SELECT {group.ident}, {agg} AS {fn} FROM {self.t.ident}{self.where()} "
                f"GROUP BY {group.ident} ORDER BY {fn} DESC"
            )
            return Plan(sql, f"{fn}_by", metric=m.name, group=group.name, filters=self.filters, confidence=0.6)
        sql = f"SELECT {agg} FROM {self.t.ident}{self.where()}"
        return Plan(sql, fn, metric=m.name, filters=self.filters, confidence=0.6)

    def superlative(self, order: str) -> Plan:
        direction = "DESC" if order == "desc" else "ASC"
        # "the biggest city": "biggest" names the measure (population), "city" the answer.
        sup = [(p, p + len(ph)) for p, ph in self.has["max"] + self.has["min"]]

        def says_superlative(m: Mention) -> bool:
            """A column whose whole name holds the superlative: "the lowest elevation"."""
            return m.score >= 3.0 and any(m.start <= a and b <= m.end for a, b in sup)

        first = min(
            (
                m
                for m in self.mentions
                if m.start >= self.head_pos
                and m.column.name not in self.filter_cols
                and (not any(a <= m.start < b for a, b in sup) or says_superlative(m))
            ),
            key=lambda m: m.start,
            default=None,
        )
        if (
            not self.head_kind
            and first is not None
            and first.column.kind in ("number", "numtext")
            and not set(first.column.words) & ID_WORDS
            and (
                self.metric(first.column) is None
                or self._measured_right_after(first)
                or says_superlative(first)
                or self._measure_of_superlative(first)
            )
            and not self._names_thing_after(first)
        ):
            fn = "MAX" if order == "desc" else "MIN"
            sql = f"SELECT {fn}({first.column.numeric}) FROM {self.t.ident}{self.where()}"
            return Plan(
                sql, "max" if order == "desc" else "min", metric=first.column.name, filters=self.filters, confidence=0.6
            )
        target = self.subject = self.target(exclude_numeric=True)
        metric = self.metric(target) or self._measure_beside(sup)
        if metric is None and target.kind in ("number", "numtext", "date"):
            # "what was the least amount of points" -> the smallest value itself
            fn = "MAX" if order == "desc" else "MIN"
            expr = target.numeric if target.kind != "date" else target.ident
            sql = f"SELECT {fn}({expr}) FROM {self.t.ident}{self.where()}"
            return Plan(
                sql, "max" if order == "desc" else "min", metric=target.name, filters=self.filters, confidence=0.6
            )
        if metric is None and self._top_of_list(target):
            return self.ordinal("asc")
        if metric is None:
            # "which country had the most cyclists": the most frequent value.
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{self.where()} GROUP BY {target.ident} "
                f"ORDER BY COUNT(*) {direction}, MIN({self.t.rowid}) LIMIT 1"
            )
            return Plan(
                sql,
                "most_frequent" if order == "desc" else "least_frequent",
                target=target.name,
                filters=self.filters,
                order=order,
                limit=1,
                confidence=0.4,
            )
        where = self.where()
        cond = f"{metric.numeric} IS NOT NULL"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        k = re.search(r"\b(?:top|first|bottom)\s+(\d+)\b|前(\d+)", self.q.text)
        n = int(k.group(1) or k.group(2)) if k else 1
        if self._log_of_records(target) and metric.kind == "number":
            # A log of records ("district, date, enquiries"): "which district has the most enquiries"
            # means the most in total, not the single largest record; a rating or an average
            # ("satisfaction", "avg_wait_minutes") does not add up, so it compares averages.
            mean = is_averaged(metric)
            fn = "AVG" if mean else "SUM"
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{where} GROUP BY {target.ident} "
                f"ORDER BY {fn}({metric.numeric}) {direction}, MIN({self.t.rowid}) LIMIT {n}"
            )
            kind = "mean" if mean else "total"
            intent = f"argmax_{kind}" if order == "desc" else f"argmin_{kind}"
            return Plan(sql, intent, target=target.name, metric=metric.name, filters=self.filters, order=order,
                        limit=1, confidence=0.6)
        if n == 1:
            # Every row that reaches the extreme: a tie, or one thing spread over several rows (a
            # river listed once per state it runs through), is answered in full.
            fn = "MAX" if order == "desc" else "MIN"
            best = f"(SELECT {fn}({metric.numeric}) FROM {self.t.ident}{where})"
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{where} AND {metric.numeric} = {best} "
                f"ORDER BY {self.t.rowid}"
            )
        else:
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{where} "
                f"ORDER BY {metric.numeric} {direction}, {self.t.rowid} LIMIT {n}"
            )
        return Plan(
            sql,
            "argmax" if order == "desc" else "argmin",
            target=target.name,
            metric=metric.name,
            filters=self.filters,
            order=order,
            limit=1,
            confidence=0.6,
        )

    def _measure_beside(self, sup: list[tuple[int, int]]) -> ColumnInfo | None:
        """ "the lowest point": a superlative inside a text column's name (lowest_point) measures
        the number column that shares the word (lowest_elevation)."""
        for m in self.mentions:
            if m.score < 3.0 or m.column.kind != "text":
                continue
            for a, b in sup:
                if m.start <= a and b <= m.end:
                    word = self.q.text[a:b]
                    beside = [c for c in self.t.columns if c.kind in ("number", "numtext") and word in c.words]
                    if len(beside) == 1:
                        self.measured_by.append((m.start, m.end))
                        return beside[0]
        return None

    def _log_of_records(self, target: ColumnInfo) -> bool:
        """Rows are dated records about `target` (each value on three rows or more) rather than
        entities: there is a date column, and no text column names the rows one by one as a city
        table's city names do."""
        rows = self.t.rows
        return (
            target.kind == "text"
            and 0 < target.distinct * 3 <= rows
            and any(c.kind == "date" or c.iso_dates for c in self.t.columns)
            and not any(c.kind == "text" and c.distinct >= 0.9 * rows for c in self.t.columns)
        )

    def _top_of_list(self, target: ColumnInfo) -> bool:
        """'which manufacturer did the top racer use': with nothing to measure, 'top' is the first
        row of a ranked table (one whose position column starts at 1), not the most frequent value;
        'the top manufacturer' stays a count."""
        sup = self.has["max"] + self.has["min"]
        if not sup or any(ph != "top" for _, ph in sup):
            return False
        ranked = any(set(c.words) & PLACE_WORDS and c.values[:1] == ["1"] for c in self.t.columns)
        if not ranked:
            return False
        after = [w for w, s, _ in self.q.words if s > sup[0][0]][:1]
        return bool(after) and stem(after[0]) not in {stem(w) for w in target.words}

    def _measured_right_after(self, measure: Mention) -> bool:
        """'the least amount of points': the superlative word itself names what is measured."""
        for pos, phrase in self.has["max"] + self.has["min"]:
            gap = self.q.text[pos + len(phrase) : measure.start]
            if pos < measure.start and re.fullmatch(r"\s*(?:(?:amount|number|total|count) of\s+)?(?:the\s+)?", gap):
                return True
        return False

    def _measure_of_superlative(self, measure: Mention) -> bool:
        """'the area of the largest state': what is asked for is what 'largest' measures here."""
        syn = lexicon()["synonyms"]
        for pos, phrase in self.has["max"] + self.has["min"]:
            if pos < measure.end or not re.fullmatch(r" of (?:the )?", self.q.text[measure.end : pos]):
                continue
            for word in syn.get(phrase, []):
                found = [c for c in self.t.columns if names_column(word, c.folded.strip(), set(map(stem, c.words)))]
                if found:
                    return found[0] is measure.column
        return False

    def _names_thing_after(self, measure: Mention) -> bool:
        """'the most populous city': a text column named right after the measure is what is asked for."""
        return any(
            m.column.kind == "text" and m.column.name not in self.filter_cols and 0 < m.start - measure.end <= 1
            for m in self.mentions
        )

    def ordinal(self, order: str) -> Plan:
        target = self.target()
        direction = "ASC" if order == "asc" else "DESC"
        n = 1
        m = re.search(r"\b(first|last|top)\s+(\d+|two|three|four|five|ten)\b", self.q.text)
        words = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
        if m:
            n = int(m.group(2)) if m.group(2).isdigit() else words[m.group(2)]
        if n > 1 and (self.has["sum"] or self.has["avg"]):
            metric = self.metric(None) or target
            fn = "SUM" if self.has["sum"] else "AVG"
            sql = (
                f"SELECT {fn}(v) FROM (SELECT {metric.numeric} AS v FROM {self.t.ident}{self.where()} "
                f"ORDER BY {self.t.rowid} {direction} LIMIT {n})"
            )
            return Plan(sql, fn.lower(), metric=metric.name, filters=self.filters, order=order, limit=n)
        by = f"{self.t.rowid} {direction}"
        if self._in_time_order(target):
            by = f"{year_expr(target)} {direction}, {by}"
        sql = f"SELECT {target.ident} FROM {self.t.ident}{self.where()} ORDER BY {by} LIMIT {n}"
        return Plan(
            sql,
            "first" if order == "asc" else "last",
            target=target.name,
            filters=self.filters,
            order=order,
            limit=n,
            confidence=0.5,
        )

    def _in_time_order(self, target: ColumnInfo) -> bool:
        """'the last year a midfielder won': first and last by the years themselves, as tables are
        often listed newest first; 'the last season listed' keeps the table's own order."""
        if re.search(r"\b(listed|list|table|chart|row)\b", self.q.text):
            return False
        if target is not year_column(self.t) or target.kind == "date":
            return False
        years = [v for v in target.values if re.search(r"(1[5-9]\d\d|20\d\d)", v)]
        return len(years) >= 0.8 * len(target.values) > 0

    def neighbour(self) -> Plan | None:
        nh, ph = self.has["next"], self.has["previous"]
        nxt = bool(nh) and (not ph or nh[0][0] < ph[0][0])
        anchor = [f for f in self.filters if f.op in ("=", "like")]
        if not anchor:
            return None
        # "before john adams": the row stepped from is the value named right after the step word,
        # a whole cell before words found inside cells.
        step_at = (nh[0] if nxt else ph[0])[0]
        anchor.sort(key=lambda f: (not (0 < f.span[0] - step_at <= 25), f.op != "=", f.span[0]))
        # A month describes the row asked about ("aired on january 19 ... the next episode").
        dated = [f for f in self.filters if f.op in ("month", "before", "after")]
        rest = [f for f in self.filters if f not in anchor and f not in dated]
        others = [m for m in self.mentions if m.column.name != anchor[0].column]
        if any(m.column.name == anchor[0].column and m.score >= 3.0 for m in self.mentions):
            # "the next driver after X": the named column is the answer, unless another is named as firmly.
            others = [m for m in others if m.score >= 1.0]
        target = self.target() if others else self.t.column(anchor[0].column)
        step = "+ 1" if nxt else "- 1"
        sql = (
            f"SELECT {target.ident} FROM {self.t.ident} WHERE {self.t.rowid} = "
            f"(SELECT MIN({self.t.rowid}) FROM {self.t.ident}"
            f"{self.where(anchor[:1] + dated)}) {step}"
        )
        if rest:
            sql += " AND " + " AND ".join(f.sql for f in rest)
        return Plan(sql, "next" if nxt else "previous", target=target.name, filters=anchor[:1], confidence=0.6)

    def difference(self, a: Value, b: Value) -> Plan:
        metric = self.metric(a.column)
        others = [f for f in self.filters if f.span not in ((a.start, a.end), (b.start, b.end))]
        fa, fb = value_filter(a), value_filter(b)
        expr = "COUNT(*)" if metric is None else f"SUM({metric.numeric})"
        sub_a = f"(SELECT {expr} FROM {self.t.ident}{self.where(others + [fa])})"
        sub_b = f"(SELECT {expr} FROM {self.t.ident}{self.where(others + [fb])})"
        sql = f"SELECT ABS({sub_a} - {sub_b})"
        return Plan(sql, "difference", metric=metric.name if metric else None, filters=[fa, fb], confidence=0.5)

    def choice(self, a: Value, b: Value) -> Plan:
        low = re.search(
            r"\b(less|fewer|lower|worse|shorter|slower|smaller|earlier|younger|least)\b|少|低|小|短|早", self.q.text
        )
        # Rank positions: a "better" rank is a smaller number.
        metric = self.metric(a.column)
        better = re.search(r"\b(better|best|faster|first)\b", self.q.text)
        if (
            metric is not None
            and better
            and any(w in ("rank", "ranking", "position", "place", "pos", "time") for w in metric.words)
        ):
            low = True
        direction = "ASC" if low else "DESC"
        col = a.column
        others = [f for f in self.filters if f.span not in ((a.start, a.end), (b.start, b.end))]
        where = self.where(others)
        cond = (
            f"{col.ident} IN ({literal(a.value)}, {literal(b.value)})"
            if a.exact and b.exact
            else f"({value_filter(a).sql} OR {value_filter(b).sql})"
        )
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        # A tie goes to the row listed first, so the same question always gets the same answer.
        if metric is None:
            sql = (
                f"SELECT {col.ident} FROM {self.t.ident}{where} GROUP BY {col.ident} "
                f"ORDER BY COUNT(*) {direction}, MIN({self.t.rowid}) LIMIT 1"
            )
        else:
            sql = (
                f"SELECT {col.ident} FROM {self.t.ident}{where} GROUP BY {col.ident} "
                f"ORDER BY SUM({metric.numeric}) {direction}, MIN({self.t.rowid}) LIMIT 1"
            )
        return Plan(
            sql,
            "choice",
            target=col.name,
            metric=metric.name if metric else None,
            filters=[value_filter(a), value_filter(b)],
            order=direction.lower(),
            limit=1,
            confidence=0.5,
        )

    def year_gap(self) -> Plan | None:
        """'how many years after X was Y built': the distance between the years of two named rows."""
        asks = r"\bhow (?:many|much) (?:years|time)\b|\b(?:years|time) (?:between|apart|separate)"
        if not re.search(asks, self.q.text):
            return None
        named = [v for v in self.values if v.exact and not v.negated]
        pair = next(((a, b) for i, a in enumerate(named) for b in named[i + 1 :] if a.value != b.value), None)
        ycol = year_column(self.t)
        if pair is None or ycol is None or any(v.column is ycol for v in pair):
            return None
        expr = year_expr(ycol)
        subs = [f"(SELECT MIN({expr}) FROM {self.t.ident} WHERE {value_filter(v).sql})" for v in pair]
        sql = f"SELECT ABS({subs[0]} - {subs[1]})"
        filters = [value_filter(v) for v in pair]
        return Plan(sql, "difference", metric=ycol.name, filters=filters, confidence=0.5)

    def _two_years(self) -> tuple[Filter, Filter] | None:
        """'in 1967 or 1968': two single years of the same column, joined by 'or'."""
        years = [f for f in self.filters if f.op == "=" and isinstance(f.value, int) and YEAR.match(str(f.value))]
        for i, a in enumerate(years):
            for b in years[i + 1 :]:
                if a.column == b.column and a.value != b.value:
                    lo, hi = sorted((a, b), key=lambda f: f.span)
                    if re.search(r"\b(or|vs|versus)\b|或|还是", self.q.text[lo.span[1] : hi.span[0]]):
                        return lo, hi
        return None

    def year_choice(self, a: Filter, b: Filter) -> Plan:
        """'were more episodes aired in 1967 or 1968': the year with more rows (or more of a measure)."""
        low = re.search(r"\b(less|fewer|lower|smaller|least|fewest)\b|少|低|小", self.q.text)
        direction = "ASC" if low else "DESC"
        col = self.t.column(a.column)
        expr = col.ident if col.kind == "number" else year_expr(col)
        others = [f for f in self.filters if f is not a and f is not b]
        where = self.where(others)
        cond = f"({a.sql} OR {b.sql})"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        metric = self.metric(col)
        measure = "COUNT(*)" if metric is None else f"SUM({metric.numeric})"
        sql = f"SELECT {expr} AS year FROM {self.t.ident}{where} GROUP BY year ORDER BY {measure} {direction} LIMIT 1"
        return Plan(
            sql,
            "choice",
            target=col.name,
            metric=metric.name if metric else None,
            filters=[a, b],
            order=direction.lower(),
            limit=1,
            confidence=0.5,
        )

    def than(self) -> Plan | None:
        """'which nation won more medals than austria': rows whose measure beats the named row's."""
        m = re.search(
            r"\b(more|greater|higher|larger|bigger|longer|less|fewer|lower|smaller|shorter)\b[^?]*?\bthan\b",
            self.q.text,
        )
        if not m:
            return None
        anchor = next((v for v in self.values if v.start >= m.end() - 1 and v.exact), None)
        if anchor is None:
            return None
        sup = [(p, p + len(ph)) for p, ph in self.has["max"] + self.has["min"]]
        metric = (
            self.metric(anchor.column)
            or self._measure_beside(sup)
            or next(
                (
                    c
                    for c in self.t.columns
                    if c.kind == "number" and any(w in ("total", "points", "score") for w in c.words)
                ),
                None,
            )
        )
        if metric is None:
            return None
        op = ">" if m.group(1) in ("more", "greater", "higher", "larger", "bigger", "longer") else "<"
        col = anchor.column
        where = self.where([f for f in self.filters if f.span != (anchor.start, anchor.end)])
        named = f"FROM {self.t.ident} WHERE {col.ident} = {literal(anchor.value)}"
        # "higher than the highest point in colorado": the extreme of the named rows, not one of them.
        extreme = [kind for kind in ("max", "min") for p, _ in self.has[kind] if m.end() <= p < anchor.start]
        if extreme:
            sub = f"(SELECT {extreme[0].upper()}({metric.numeric}) {named})"
        else:
            sub = f"(SELECT {metric.numeric} {named} LIMIT 1)"
        cond = f"{metric.numeric} {op} {sub}"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        if self.has["count"]:
            sql = f"SELECT COUNT(*) AS count FROM {self.t.ident}{where}"
            return Plan(sql, "count", metric=metric.name, filters=[value_filter(anchor)], confidence=0.55)
        sql = f"SELECT {col.ident} FROM {self.t.ident}{where}"
        return Plan(
            sql, "lookup", target=col.name, metric=metric.name, filters=[value_filter(anchor)], confidence=0.55
        )

    def same_as(self) -> Plan | None:
        """'who has the same number as greg foster': other rows whose value in a column equals the named row's."""
        m = re.search(r"\bsame\b(.{0,40}?)\bas\b|和(.{1,12}?)(?:一样|相同)", self.q.text)
        if not m:
            return None
        anchor = next((v for v in self.values if v.exact and not v.negated), None)
        if anchor is None:
            return None
        measured = [
            x
            for x in self.mentions
            if x.column is not anchor.column and x.column.name not in self.filter_cols and x.score >= 1.0
        ]
        inside = [x for x in measured if m.start() <= x.start < m.end()]
        pool = inside or measured
        col = max(pool, key=lambda x: (x.score, -x.start)).column if pool else self._abbreviated(m.group(0))
        if col is None or col is anchor.column:
            return None
        key = anchor.column
        others = [f for f in self.filters if f.span != (anchor.start, anchor.end)]
        where = self.where(others)
        sub = f"(SELECT {col.ident} FROM {self.t.ident} WHERE {key.ident} = {literal(anchor.value)} LIMIT 1)"
        cond = f"{col.ident} = {sub} AND {key.ident} <> {literal(anchor.value)}"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        sql = f"SELECT {key.ident} FROM {self.t.ident}{where}"
        return Plan(sql, "same", target=key.name, metric=col.name, filters=[value_filter(anchor)], confidence=0.55)

    def _abbreviated(self, phrase: str) -> ColumnInfo | None:
        """A column whose name abbreviates a word of `phrase` ('number': 'No.', '#')."""
        short = lexicon().get("abbreviations", {})
        for w, _, _ in tokens(phrase):
            forms = short.get(stem(w), [])
            for c in self.t.columns:
                if c.folded.strip(" .:") in forms:
                    return c
        return None

    def percent(self) -> Plan | None:
        if not self.filters:
            return None
        num = " AND ".join(f.sql for f in self.filters)
        sql = f"SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE {num}) / COUNT(*), 2) AS percent FROM {self.t.ident}"
        return Plan(sql, "percent", filters=self.filters, confidence=0.6)
