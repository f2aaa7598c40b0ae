"""Months and days in questions ("in october", "after august", "before december 1st, 1965", "十月"),
compared with a DATE column or with dates written as text ("July 7", "15 April 2001", "Oct 5–10").

Text dates are read in SQL with regular expressions, so a table keeps its cells exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai_toolbox.analysis.schema import ColumnInfo, TableInfo

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_ABBREV = {name[:3]: n for name, n in MONTHS.items()} | {"sept": 9}
_ZH_NUM = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A cell holding a month with a day next to it: "July 7", "15 April 2001", "Oct 5–10".
_CELL = re.compile(rf"(?i)\b{_MONTH_WORD}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH_WORD}(?![a-z])")
# In a question: a month name, then maybe a day and a year. "may" and "march" are also common
# words, so they count only beside a day, a year, or "in"/"of"/"before"/"after"/"since".
_ASKED = re.compile(
    r"\b(?P<month>january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])\.?"
    r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<year>1[5-9]\d\d|20\d\d)\b)?"
)
_ASKED_ZH = re.compile(r"(?P<month>十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])月(?:(?P<day>[1-3]?\d)[日号])?")
_BEFORE = re.compile(r"\b(before|prior to|earlier than|until)\s+(the\s+)?(month\s+of\s+)?$|(之前|以前|前)$")
_AFTER = re.compile(r"\b(after|since|later than)\s+(the\s+)?(month\s+of\s+)?$|(之后|以后|后)$")
_PLAIN_WORD = re.compile(r"\b(in|of|during|between|from)\s+(the\s+)?(month\s+of\s+)?$")
# A span of months: "between march and may", "from january to june", 三月至五月, 1月到3月.
_NAME = r"january|february|march|april|may|june|july|august|september|october|november|december"
_RANGE = re.compile(rf"\b(?:between|from)\s+(?P<a>{_NAME})\s+(?:and|to|through|till|until)\s+(?P<b>{_NAME})\b")
_ZH_MONTH = r"十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9]"
_RANGE_ZH = re.compile(rf"(?P<a>{_ZH_MONTH})月?(?:至|到|－|-|~)(?P<b>{_ZH_MONTH})月")


@dataclass
class MonthFilter:
    column: str
    op: str  # month | before | after
    value: str
    sql: str
    span: tuple[int, int]


def month_column(table: TableInfo) -> ColumnInfo | None:
    """A DATE column, or a text column whose cells mostly hold a month with a day."""
    for col in table.columns:
        if col.kind == "date":
            return col
    best, share = None, 0.0
    for col in table.columns:
        if col.kind not in ("text", "numtext") or not col.values:
            continue
        hits = sum(1 for v in col.values if _CELL.search(v))
        if hits / len(col.values) > share:
            best, share = col, hits / len(col.values)
    return best if share >= 0.6 else None


def _exprs(col: ColumnInfo) -> tuple[str, str, str]:
    """SQL for the month, day and year of a column (DATE, or dates written as text)."""
    if col.kind == "date":
        return f"MONTH({col.ident})", f"DAY({col.ident})", f"YEAR({col.ident})"
    ident = col.ident
    # The first month named in the cell, as its place in "janfeb...dec" (no CASE: not on the allow-list).
    names = "".join(name[:3] for name in MONTHS)
    found = f"NULLIF(LOWER(REGEXP_EXTRACT({ident}, '(?i)\\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)', 1)), '')"
    month = f"FLOOR((STRPOS('{names}', {found}) + 2) / 3)"
    day = (
        f"COALESCE(TRY_CAST(REGEXP_EXTRACT({ident}, '(?i)\\b{_MONTH_WORD}\\s+(\\d{{1,2}})\\b', 1) AS INTEGER), "
        f"TRY_CAST(REGEXP_EXTRACT({ident}, '(?i)\\b(\\d{{1,2}})\\s+{_MONTH_WORD}', 1) AS INTEGER))"
    )
    year = f"TRY_CAST(REGEXP_EXTRACT({ident}, '(1[5-9][0-9][0-9]|20[0-9][0-9])', 0) AS INTEGER)"
    return month, day, year


def month_filters(text: str, table: TableInfo) -> list[MonthFilter]:
    """Filters for the months (with day and year when given) the folded question `text` names."""
    col = month_column(table)
    if col is None:
        return []
    found = []
    for m in _ASKED.finditer(text):
        word = m.group("month")
        number = MONTHS.get(word) or _ABBREV.get(word)
        before = text[max(0, m.start() - 24) : m.start()]
        plain = _PLAIN_WORD.search(before) or _BEFORE.search(before) or _AFTER.search(before)
        if word in ("may", "march") and not (m.group("day") or m.group("year") or plain):
            continue
        found.append((m, number))
    for m in _ASKED_ZH.finditer(text):
        raw = m.group("month")
        found.append((m, int(raw) if raw.isdigit() else _ZH_NUM[raw]))
    out: list[MonthFilter] = []
    month, day, year = _exprs(col)
    spans = []
    for m in [*_RANGE.finditer(text), *_RANGE_ZH.finditer(text)]:
        a, b = (MONTHS.get(x) or (int(x) if x.isdigit() else _ZH_NUM[x]) for x in (m.group("a"), m.group("b")))
        spans.append(m.span())
        shown = f"{m.group('a')}–{m.group('b')}" if m.re is _RANGE else m.group(0)
        out.append(MonthFilter(col.name, "month", shown, f"({month} BETWEEN {min(a, b)} AND {max(a, b)})", m.span()))
    found = [(m, n) for m, n in found if not any(a <= m.start() < b for a, b in spans)]
    for m, number in found:
        d = int(m.group("day")) if m.group("day") else None
        y = int(m.group("year")) if "year" in m.groupdict() and m.group("year") else None
        before_text = text[max(0, m.start() - 24) : m.start()]
        after_text = text[m.end() : m.end() + 6]
        op = "<" if _BEFORE.search(before_text) or after_text.startswith(("之前", "以前")) else "="
        if _AFTER.search(before_text) or after_text.startswith(("之后", "以后")):
            op = ">"
        kind = {"=": "month", "<": "before", ">": "after"}[op]
        shown = m.group(0)
        if op == "=":
            conds = [f"{month} = {number}"]
            if d is not None:
                conds.append(f"{day} = {d}")
            if y is not None:
                conds.append(f"{year} = {y}")
            sql = " AND ".join(conds)
        elif y is not None:
            sql = f"{year} * 10000 + {month} * 100 + COALESCE({day}, 1) {op} {y * 10000 + number * 100 + (d or 1)}"
        elif d is not None:
            sql = f"{month} * 100 + COALESCE({day}, 1) {op} {number * 100 + d}"
        else:
            sql = f"{month} {op} {number}"
        out.append(MonthFilter(col.name, kind, shown, f"({sql})", m.span()))
    return out
