"""From a question to checked SQL and its rows: the embedded parser, or a language model with repair."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ai_toolbox.analysis import nl2sql
from ai_toolbox.analysis.nl2sql import CannotAnswer, Plan
from ai_toolbox.analysis.schema import TableInfo
from ai_toolbox.analysis.sqlsafe import QueryResult, check_sql, run_query
from ai_toolbox.errors import ToolboxError


@dataclass
class Generated:
    """SQL that ran, its rows, and how it was made."""

    plan: Plan | None
    result: QueryResult
    method: str  # rules | llm
    model: str | None = None

    @property
    def rows(self) -> list[tuple]:
        return self.result.rows

    @property
    def sql(self) -> str:
        return self.result.sql


def embedded_plan(infos: list[TableInfo], question: str) -> Plan:
    """The parser's best plan over any of the tables (highest confidence wins)."""
    best: Plan | None = None
    error: ToolboxError | None = None
    for info in infos:
        try:
            plan = nl2sql.parse(question, info)
        except CannotAnswer as exc:
            error = error or exc
            continue
        if best is None or plan.confidence > best.confidence:
            best = plan
    if best is None:
        raise error or CannotAnswer("Cannot answer this from the table.")
    return best


def generate_sql(
    con: duckdb.DuckDBPyConnection, infos: list[TableInfo], question: str, *, backend: str = "none", principal=None
) -> Generated:
    """Answer `question` over `infos` on `con` (an already locked-down connection)."""
    names = [i.name for i in infos]
    if backend != "none":
        from ai_toolbox.analysis import llmsql

        generated = llmsql.generate(con, infos, question, backend=backend, principal=principal)
        if generated is not None:
            return generated
    plan = embedded_plan(infos, question)
    checked = check_sql(plan.sql, names)
    return Generated(plan=plan, result=run_query(con, checked), method="rules")
