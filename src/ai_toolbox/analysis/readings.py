"""The parser's readings of a question over the tables of one dataset: each table's plan, and a
joined view of two tables along a key when it explains more of the question than either."""

from __future__ import annotations

from ai_toolbox.analysis import joins, linking, nl2sql, wide
from ai_toolbox.analysis.nl2sql import CannotAnswer, Plan
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo
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
        # a wide table may be read better through its view by period (wide.py)
        viewed = wide.view_plan(info, question, plans.get(info.name))
        if viewed is not None:
            plans[info.name] = viewed
    if not plans:
        raise error or CannotAnswer("Cannot answer this from the table.")
    # Stable: of equal plans the first table's stays first.
    ranked = sorted(plans.values(), key=lambda p: (len(p.coverage), p.confidence), reverse=True)
    joined = _joined_plan(infos, question, plans)
    return [joined, *ranked] if joined else ranked


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
