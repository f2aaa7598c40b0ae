"""The parser's readings of a question over the tables of one dataset: each table's plan, and a
joined view of two tables along a key when it explains more of the question than either."""

from __future__ import annotations

import re
from dataclasses import replace

from ai_toolbox.analysis import joins, linking, nl2sql, wide
from ai_toolbox.analysis.nl2sql import CannotAnswer, Plan
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, quote
from ai_toolbox.analysis.textutil import fold
from ai_toolbox.errors import ToolboxError


def embedded_plan(infos: list[TableInfo], question: str) -> Plan:
    """The parser's best plan over any of the tables: the one whose SQL uses most of what the
    question names (values, columns, the table's name), then the most confident.

    With several tables, a join along a key is tried when the question links to two tables and
    a joined view of them explains more of the question than any one table does.
    """
    return ranked_plans(infos, question)[0]


def ranked_plans(infos: list[TableInfo], question: str) -> list[Plan]:
    """Every table's plan, best first (see `embedded_plan`), after a joined one if it wins."""
    error: ToolboxError | None = None
    plans: dict[str, Plan] = {}
    mark_references(infos)
    for info in infos:
        try:
            plans[info.name] = nl2sql.parse(question, info)
        except CannotAnswer as exc:
            error = error or exc
        turned = _view_plan(info, question, plans.get(info.name))
        if turned is not None:
            plans[info.name] = turned
    if not plans:
        raise error or CannotAnswer("Cannot answer this from the table.")
    # Stable: of equal plans the first table's stays first.
    ranked = sorted(plans.values(), key=lambda p: (len(p.coverage), p.confidence), reverse=True)
    joined = _joined_plan(infos, question, plans)
    return [joined, *ranked] if joined else ranked


def _view_plan(info: TableInfo, question: str, plan: Plan | None) -> Plan | None:
    """A wide table's view read instead of the table when that reading uses more of the question:
    "which year had the highest total" over "District | 2019 | 2020" (see `wide.py`). A table of
    measures by month is read turned even when both readings use as much: "which month had the most
    rainfall" asks for a month, which only the turned view has as a value."""
    best: Plan | None = None
    for view in info.views:
        if not view.turned and _periods_named(question, view) == 1:
            continue  # "how many cars were sold in 2005": the 2005 column, as the table has it
        try:
            seen = nl2sql.parse(question, view)
        except CannotAnswer:
            continue
        more = len(seen.coverage) - (len(plan.coverage) if plan is not None else -1)
        # As much of the question either way: the view, when the table's reading took a period
        # column the question never named ("the average for kwun tong" read as its 2019 figure), or
        # counted rows by a label each row has its own of (`_counts_one_row`).
        tie = more == 0 and (view.turned or any(quote(p) in plan.sql for p in view.periods)
                             or _counts_one_row(plan, info))
        if (more > 0 or tie) and (best is None or len(seen.coverage) > len(best.coverage)):
            best = seen
    if best is None:
        return None
    view = next(v for v in info.views if v.name == best.table)
    return replace(best, sql=wide.with_view(view, best.sql), read_by=wide.read_by(view))


def _counts_one_row(plan: Plan, info: TableInfo) -> bool:
    """Rows counted by a label that differs on every row, always one: "how many in sha tin" as a
    count of the Sha Tin row, "the district with the most cases" as the most frequent district."""
    unique = {c.name for c in info.columns if c.kind == "text" and c.distinct == info.rows}
    if plan.intent == "count":
        return any(f.op == "=" and f.column in unique for f in plan.filters)
    return plan.intent in ("most_frequent", "least_frequent") and plan.target in unique


def _periods_named(question: str, view: TableInfo) -> int:
    """How many of the table's period columns the question names ("from 2021 to 2024": two)."""
    text = nl2sql.normalise(question)
    return sum(1 for p in view.periods if re.search(rf"(?<![0-9a-z/]){re.escape(fold(p).strip())}(?![0-9a-z/])", text))


def mark_references(infos: list[TableInfo]) -> None:
    """Note on each key column that links many rows to one thing (`river.traverse`, a state for
    each stretch of river) the table whose rows it names (`state`, not another table's copy of
    `state_name`): the parser reads that table's name as naming the column. A column naming a
    different thing on every row (`state.capital`, a city) is an attribute, and stays unnamed."""
    by_name = {i.name: i for i in infos}

    def column(table: str, name: str) -> ColumnInfo | None:
        return next((c for c in by_name[table].columns if c.name == name), None)

    for src, dst in joins.key_ends(infos):
        col, ref = column(*src), column(*dst)
        many = col is not None and col.distinct < by_name[src[0]].rows
        if many and ref is not None and not col.refers and linking.entity_column(ref, by_name[dst[0]]):
            col.refers = dst[0]
            # Any of those things may be asked about, also one no row holds ("the rivers in
            # alaska": none, which is an answer, not a reason to read another table).
            held = set(col.values)
            col.unheld = frozenset(v for v in ref.values if v not in held)
            col.values += [v for v in ref.values if v in col.unheld]


MAX_VIEWS = 8


def _joined_plan(infos: list[TableInfo], question: str, plans: dict[str, Plan]) -> Plan | None:
    """A plan over two tables joined on a key, when it covers more of the question than one table."""
    if len(plans) < 2:
        return None
    single = max(len(p.coverage) for p in plans.values())
    by_name = {i.name: i for i in infos}
    tries = []
    for key in joins.keys_for(infos):
        a, b = plans.get(key.table), plans.get(key.ref_table)
        if a is None or b is None or len(a.coverage | b.coverage) <= single:
            continue
        for main, other in ((key.table, key.ref_table), (key.ref_table, key.table)):
            pair = (len(a.coverage | b.coverage), a.confidence + b.confidence)
            tries.append((pair, main, other, key))
    tries.sort(key=lambda t: t[0], reverse=True)
    best: Plan | None = None
    for _, main, other, key in tries[:MAX_VIEWS]:
        view = joins.joined_view(by_name[main], by_name[other], key)
        try:
            plan = nl2sql.parse(question, view)
        except CannotAnswer:
            continue
        if len(plan.coverage) <= single or not joins.uses_join(plan.sql, view, key):
            continue
        if best is None or (len(plan.coverage), plan.confidence) > (len(best.coverage), best.confidence):
            best = plan
    return best
