"""From a question to checked SQL and its rows: the embedded parser, or a language model with repair."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import sqlglot
from sqlglot import exp

from ai_toolbox.analysis import nl2sql
from ai_toolbox.analysis.compose import planned
from ai_toolbox.analysis.nl2sql import Plan
from ai_toolbox.analysis.readings import embedded_plan
from ai_toolbox.analysis.schema import TableInfo
from ai_toolbox.analysis.sqlsafe import QueryResult, check_sql, run_query
from ai_toolbox.config import get_settings
from ai_toolbox.errors import ToolboxError


@dataclass
class Generated:
    """SQL that ran, its rows, and how it was made."""

    plan: Plan | None
    result: QueryResult
    method: str  # rules | llm
    model: str | None = None
    note: str | None = None  # why a requested model's SQL was not used

    @property
    def rows(self) -> list[tuple]:
        return self.result.rows

    @property
    def sql(self) -> str:
        return self.result.sql


def generate_sql(
    con: duckdb.DuckDBPyConnection, infos: list[TableInfo], question: str, *, backend: str = "none", principal=None
) -> Generated:
    """Answer `question` over `infos` on `con` (an already locked-down connection)."""
    names = [i.name for i in infos]
    if backend != "none":
        return _with_model(con, infos, question, backend=backend, principal=principal)
    plan = planned(con, infos, question)
    return Generated(plan=plan, result=_run(con, plan, names), method="rules")


def _run(con: duckdb.DuckDBPyConnection, plan: Plan, names: list[str]) -> QueryResult:
    """The parser's SQL checked and run, a repeated value said once (`_once`)."""
    return _once(con, plan, run_query(con, check_sql(plan.sql, names)), names)


def _once(con: duckdb.DuckDBPyConnection, plan: Plan, result: QueryResult, names: list[str]) -> QueryResult:
    """One row for a value of one thing that the table repeats on each of its rows: "the length of
    the mississippi" is 3778 once, not once for each state the river runs through."""
    rows = result.rows
    if plan.intent != "lookup" or not plan.filters or len(rows) < 2 or any(r != rows[0] for r in rows):
        return result
    once = sqlglot.parse_one(result.sql, read="duckdb")
    if not isinstance(once, exp.Select) or once.args.get("order"):
        return result
    return run_query(con, check_sql(once.distinct().sql(dialect="duckdb"), names))


_EVERY = re.compile(r"\b(?:each|every|all)\b|每个|所有|全部|各")
# What kind of answer a question asks for, by its opening words.
_ASKS_NUMBER = re.compile(
    r"^(?:how (?:many|much|tall|long|far|old|high|heavy|big|large|wide|deep)\b"
    r"|(?:what|which) (?:is|was|were|are) the (?:total|number|sum|difference|average|combined|amount)\b)"
    r"|多少|幾多|几多|多久|多長|多长|多高|多重|總數|总数|總和|总和|相差"
)
_ASKS_NAME = re.compile(
    r"^(?:who|(?:what|which) (?:person|player|athlete|driver|team|country|nation|city|school|club|song|film|album"
    r"|title|name))\b|^(?:誰|谁)|(?:是誰|是谁|哪個國家|哪个国家|哪位)"
)


def answer_misfits(question: str, rows: Sequence[tuple]) -> bool:
    """The answer is not of the kind asked for: a name for "how long" ("Egypt"), a number for
    "who" or "which country" (10). Such an answer came from the wrong column or the wrong reading."""
    q = nl2sql.normalise(question).strip()
    cells = [r[0] for r in rows if r and r[0] is not None]
    if not cells:
        return False
    if _ASKS_NUMBER.search(q):
        return any(not re.search(r"\d", str(c)) for c in cells)
    if _ASKS_NAME.search(q):
        return any(isinstance(c, int | float) or not re.search(r"[^\W\d_]", str(c)) for c in cells)
    return False


def weak_answer(
    plan: Plan | None, result: QueryResult | None, infos: Sequence[TableInfo] = (), question: str = ""
) -> bool:
    """The parser's answer is a guess: nothing parsed or ran, no rows where some were to be
    expected, an answer not of the kind asked for (`answer_misfits`), or no filter where one was
    needed (a bare listing of a column, a count of every row) unless the question asks for every
    one ("the population densities of each state")."""
    if plan is None or result is None:
        return True
    if not result.rows:
        return not _empty_is_an_answer(plan, infos)
    if answer_misfits(question, result.rows):
        return True
    every = plan.intent == "lookup" and _EVERY.search(nl2sql.normalise(question))
    return plan.intent in ("lookup", "count") and not plan.filters and not every


def _empty_is_an_answer(plan: Plan, infos: Sequence[TableInfo]) -> bool:
    """No rows answers the question when a nested phrase found its things and the rest found none
    of them ("the rivers of the largest state"), or when the question names a thing no row here
    holds but its own table lists ("the rivers in alaska")."""
    if any(f.op == "in" for f in plan.filters):
        return True
    unheld = {(c.name, v) for info in infos for c in info.columns for v in c.unheld}
    return any(f.op == "=" and (f.column, str(f.value)) in unheld for f in plan.filters)


def _with_model(
    con: duckdb.DuckDBPyConnection, infos: list[TableInfo], question: str, *, backend: str, principal=None
) -> Generated:
    """The parser answers unless its answer is weak (or uses less of the question than
    `analysis.rules_first`); then the model writes SQL, and the parser's answer stays when the
    model's SQL yields nothing. On GeoQuery and WikiTQ samples the parser is more often right than
    the packaged 1.5B model where both answer, and the model is better where the parser guesses."""
    from ai_toolbox.analysis import llmsql

    names = [i.name for i in infos]
    plan: Plan | None = None
    result: QueryResult | None = None
    try:
        plan = planned(con, infos, question)
        result = _run(con, plan, names)
    except ToolboxError:
        pass
    parsed = Generated(plan=plan, result=result, method="rules") if plan and result else None
    threshold = get_settings().analysis.rules_first
    trusted = parsed is not None and not weak_answer(plan, result, infos, question)
    if trusted and threshold <= 1 and plan.share >= threshold:
        return parsed
    generated = llmsql.generate(con, infos, question, backend=backend, principal=principal)
    if generated is not None and (generated.rows or parsed is None):
        return generated
    note = (
        f"The {backend} language model's SQL found no rows; the embedded parser answered."
        if generated is not None
        else f"The {backend} language model was not available or gave no runnable SQL; the embedded parser answered."
    )
    if parsed is not None:
        parsed.note = note
        return parsed
    plan = embedded_plan(infos, question)  # raises the parser's CannotAnswer
    return Generated(plan=plan, result=run_query(con, check_sql(plan.sql, names)), method="rules", note=note)
