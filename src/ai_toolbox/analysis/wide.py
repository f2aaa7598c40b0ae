"""Wide tables read the other way round: periods as columns ("District | 2019 | 2020 | 2021", a
climate table's "Jan … Dec") become rows, so that questions about the periods are questions about
a column.

Two views, by what the rows are:

- **things by period** (districts, schools): the long view, one row per thing and period, with a
  period column and a value column: `District | Year | Value`. "What was the total for Sha Tin",
  "which year had the highest total" read it as any table.
- **measures by period** (rows "Record high °C", "Rainfall mm", or "Population", "Unemployment
  rate (%)"): the turned view, one row per period and a column per measure: `Month | Record high °C
  | Rainfall mm`. "Which month had the most rainfall", "how many months had a record low below 5".

A view is a SELECT over the table, said before the query as `WITH "t by year" AS (…)`, so the SQL
shown runs on the table as stored. The parser reads a question over the table and its views and
keeps the view's reading only when it uses more of the question (`view_plan`).
"""

from __future__ import annotations

import re
from dataclasses import replace

import duckdb

from ai_toolbox.analysis import nl2sql
from ai_toolbox.analysis.plan import CannotAnswer, Plan
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, describe, literal, quote
from ai_toolbox.analysis.textutil import detect_language, fold

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_ZH_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
_YEAR = re.compile(r"^(?:fy\s*)?(1[5-9]\d\d|20\d\d)(?:\s*[/–-]\s*\d{2,4})?\s*(?:年度?)?$")
_QUARTER = re.compile(r"^(?:(?:1[5-9]\d\d|20\d\d)\s*年?\s*)?(?:q[1-4]|第?[1-4一二三四]季度?)$")
# Period words in the header of a column of measures ("Month" over "Rainfall mm", "Record high")
_PERIOD_WORDS = {
    "year": {"year", "years", "period", "年", "年份", "年度"},
    "month": {"month", "months", "period", "月", "月份"},
    "quarter": {"quarter", "quarters", "period", "季", "季度"},
}
# Row labels that name what is measured, not a thing: units, averages, rates.
_MEASURE = re.compile(
    r"°|%|\b(?:mm|cm|km|kg|in|inches|hours|days|average|mean|median|record|total|rate|percentage|number of"
    r"|index|ratio)\b|平均|总|率|数目|人数|指数|比例"
)
# At most this many periods and measures: enough for every month or a few decades of years.
MAX_PERIODS = 60
MAX_MEASURES = 40
# Wide tables are summaries; a view of a larger one is not built (reading it costs a scan per period).
MAX_ROWS = 20_000
_NAMES = {
    "en": {"year": "Year", "month": "Month", "quarter": "Quarter", "value": "Value"},
    "zh-Hant": {"year": "年份", "month": "月份", "quarter": "季度", "value": "數值"},
    "zh-Hans": {"year": "年份", "month": "月份", "quarter": "季度", "value": "数值"},
}


def period_kind(name: str) -> str | None:
    """ "2019", "2019/20", "FY2021", 2019年 → year; "Jan", "September", 1月, 十二月 → month; "Q1",
    "2023 Q2", 第一季 → quarter; anything else → None."""
    text = fold(name).strip().rstrip(".")
    if _YEAR.match(text):
        return "year"
    if _QUARTER.match(text):
        return "quarter"
    if text in _MONTHS or text in _FULL_MONTHS or text == "sept":
        return "month"
    if re.fullmatch(r"(?:[1-9]|1[0-2])\s*月(?:份)?", text) or re.fullmatch(rf"(?:{'|'.join(_ZH_MONTHS)})月", text):
        return "month"
    return None


def period_label(name: str) -> str:
    """A period as the view writes it: a month in full ("Oct" → "October", as questions say it),
    anything else as the column is named."""
    text = fold(name).strip().rstrip(".")
    if text in _MONTHS or text == "sept":
        return _FULL_MONTHS[_MONTHS.index(text[:3])].capitalize()
    return name


def wide_views(con: duckdb.DuckDBPyConnection, table: TableInfo) -> list[TableInfo]:
    """The long or turned view of a table with three or more period columns of numbers, else none."""
    periods = _period_columns(table)
    if periods is None or table.rows > MAX_ROWS:
        return []
    labels = [c for c in table.columns if c.kind == "text" and all(c is not p for p in periods)]
    if not labels:
        return []
    kind = period_kind(periods[0].name) or "year"
    # the view's own column names in the script of the table's
    words = _NAMES[detect_language(" ".join(c.name for c in table.columns))]
    label = labels[0]
    if _measures(label, table, kind):
        period = label.name if fold(label.name) in _PERIOD_WORDS[kind] else words[kind]
        body = _turned(table, periods, label, period, _numeric_rows(con, table, periods, label))
        if body is None:
            return []
        view = describe(con, f"{table.name} by {kind}", body=body)
        view.turned = True
    else:
        period_name, value_name = words[kind], words["value"]
        if any(fold(c.name) in (fold(period_name), fold(value_name)) for c in labels):
            return []
        view = describe(con, f"{table.name} by {kind}", body=_long(table, periods, labels, period_name, value_name))
        view.column(value_name).tally = True
    view.periods = tuple(p.name for p in periods)
    said = view.column(read_by(view)[0])
    if said.kind == "numtext":
        said.kind = "text"  # "2023 Q1" names a quarter; it is no amount
    return [view]


def _period_columns(table: TableInfo) -> list[ColumnInfo] | None:
    """Three or more columns of numbers named as periods of one kind, in the table's order."""
    by_kind: dict[str, list[ColumnInfo]] = {}
    for c in table.columns:
        kind = period_kind(c.name)
        if kind is not None and c.kind in ("number", "numtext"):
            by_kind.setdefault(kind, []).append(c)
    best = max(by_kind.values(), key=len, default=[])
    return best if 3 <= len(best) <= MAX_PERIODS else None


def _measures(label: ColumnInfo, table: TableInfo, kind: str) -> bool:
    """The rows are measures, not things: the label column is headed by the period word ("Month"
    over "Record high °C"), or most of its labels name a unit, an average or a rate."""
    if fold(label.name) in _PERIOD_WORDS[kind]:
        return True
    cells = [fold(v) for v in label.values]
    return bool(cells) and sum(1 for v in cells if _MEASURE.search(v)) >= 0.6 * len(cells)


def _cell_type(periods: list[ColumnInfo]) -> str:
    """One type for the period columns' cells side by side: theirs when they share one, DOUBLE for
    numbers of several types, VARCHAR when some hold text."""
    if any(c.kind != "number" for c in periods):
        return "VARCHAR"
    return periods[0].type if len({c.type for c in periods}) == 1 else "DOUBLE"


def _cell(col: ColumnInfo, cell_type: str) -> str:
    return col.ident if col.type == cell_type else f"CAST({col.ident} AS {cell_type})"


def _long(table: TableInfo, periods: list[ColumnInfo], labels: list[ColumnInfo], period: str, value: str) -> str:
    """One row per row and period, in the table's order: `labels…, period, value`."""
    cell_type = _cell_type(periods)
    kept = ", ".join(c.ident for c in labels)
    n = len(periods)
    # plain years as numbers, so that the view's year column dates its rows as a Year column does
    years = all(re.fullmatch(r"\d{4}", p.name.strip()) for p in periods)
    return " UNION ALL ".join(
        f"SELECT {kept}, {p.name.strip() if years else literal(period_label(p.name))} AS {quote(period)}, "
        f"{_cell(p, cell_type)} AS {quote(value)}, "
        f"rowid * {n} + {k} AS rowid FROM {table.ident}"
        for k, p in enumerate(periods)
    )


def _numeric_rows(con: duckdb.DuckDBPyConnection, table: TableInfo, periods: list[ColumnInfo],
                  label: ColumnInfo) -> set[str]:
    """The labels of the rows whose every period cell is a number (or empty)."""
    numeric = " AND ".join(
        f"(TRY_CAST(CAST({p.ident} AS VARCHAR) AS DOUBLE) IS NOT NULL OR {p.ident} IS NULL)" for p in periods
    )
    found = con.execute(f"SELECT CAST({label.ident} AS VARCHAR), {numeric} FROM {table.ident}").fetchall()
    return {name for name, ok in found if ok}


def _turned(table: TableInfo, periods: list[ColumnInfo], label: ColumnInfo, period: str,
            numeric: set[str]) -> str | None:
    """One row per period, a column per measure (each label a column name): `period, measure…`; a
    measure whose cells are all numbers is a number column even where other rows hold text."""
    names = [v for v in label.values if v.strip()]
    if not 2 <= len(names) <= MAX_MEASURES or len(names) != table.rows:
        return None
    if len({fold(n) for n in names} | {fold(period)}) != len(names) + 1:
        return None
    cell_type = _cell_type(periods)
    as_text = cell_type == "VARCHAR"
    rows = " UNION ALL ".join(
        f"SELECT {literal(period_label(p.name))} AS p, {k} AS k, CAST({label.ident} AS VARCHAR) AS m, "
        f"{_cell(p, cell_type)} AS v FROM {table.ident}"
        for k, p in enumerate(periods)
    )

    def measure(name: str) -> str:
        cell = f"MAX(v) FILTER (WHERE m = {literal(name)})"
        return f"{f'TRY_CAST({cell} AS DOUBLE)' if as_text and name in numeric else cell} AS {quote(name)}"

    measures = ", ".join(measure(n) for n in names)
    return f"SELECT p AS {quote(period)}, {measures}, k AS rowid FROM ({rows}) GROUP BY p, k ORDER BY k"


def with_view(view: TableInfo, sql: str) -> str:
    """The query over a view, with the view said first: `WITH "t by year" AS (…) SELECT …`."""
    said = f"{view.ident} AS ({view.body})"
    if re.match(r"WITH\s", sql):
        return f"WITH {said}, {sql[4:].lstrip()}"
    return f"WITH {said} {sql}"


def read_by(view: TableInfo) -> tuple[str, ...]:
    """What each row of the view is per: its period column, then (a long view, whose columns are
    the table's labels, the period and the value) the labels."""
    if view.turned:
        return (view.columns[0].name,)
    return (view.columns[-2].name, *(c.name for c in view.columns[:-2]))


def view_plan(info: TableInfo, question: str, plan: Plan | None) -> Plan | None:
    """A wide table's view read instead of the table when that reading uses more of the question:
    "which year had the highest total" over "District | 2019 | 2020". A table of
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
        # counted rows where the figures were meant (`_counts_one_row`).
        tie = more == 0 and (view.turned or any(quote(p) in plan.sql for p in view.periods)
                             or _counts_one_row(plan, info))
        if (more > 0 or tie) and (best is None or len(seen.coverage) > len(best.coverage)):
            best = seen
    if best is None:
        return None
    view = next(v for v in info.views if v.name == best.table)
    return replace(best, sql=with_view(view, best.sql), read_by=read_by(view))


def _counts_one_row(plan: Plan, info: TableInfo) -> bool:
    """Rows counted where the figures were meant: "how many in sha tin" as a count of the one Sha
    Tin row (its label differs on every row), "the district with the most cases" as the district
    on most rows, which in a table of figures by period says nothing."""
    unique = {c.name for c in info.columns if c.kind == "text" and c.distinct == info.rows}
    if plan.intent == "count":
        return any(f.op == "=" and f.column in unique for f in plan.filters)
    return plan.intent in ("most_frequent", "least_frequent")


def _periods_named(question: str, view: TableInfo) -> int:
    """How many of the table's period columns the question names ("from 2021 to 2024": two)."""
    text = nl2sql.normalise(question)
    return sum(1 for p in view.periods if re.search(rf"(?<![0-9a-z/]){re.escape(fold(p).strip())}(?![0-9a-z/])", text))
