"""Profiling: per column type, nulls, distinct count, min/max, top values, and a personal-data flag."""

from __future__ import annotations

import re
from typing import Any

import duckdb
from pydantic import BaseModel, Field

from ai_toolbox.accounts import Principal
from ai_toolbox.analysis import datasets, wide
from ai_toolbox.analysis.schema import describe, quote

TOP = 5
EXAMPLES = 5
PII_SAMPLE = 50

# Until the text core's detector is present: the identifiers most common in departmental sheets.
_FALLBACK_PII = {
    "EMAIL": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "HKID": re.compile(r"\b[A-Z]{1,2}\d{6}\(?[\dA]\)?"),
    "PHONE": re.compile(r"(?:\+?852[ -]?)?\b[2-9]\d{3}[ -]?\d{4}\b|\b1[3-9]\d{9}\b"),
    "CN_ID": re.compile(r"\b\d{17}[\dXx]\b"),
}
_NAME_HINTS = re.compile(
    r"name|姓名|email|e-mail|电邮|電郵|phone|tel|电话|電話|手机|手機|hkid|身份证|身份證|address|地址", re.I
)


class ColumnProfile(BaseModel):
    name: str
    type: str
    nulls: int
    distinct: int
    min: Any = None
    max: Any = None
    top: list[tuple[Any, int]] = Field(default_factory=list)
    pii: str | None = Field(None, description="Personal-data type this column seems to hold")


class TableProfile(BaseModel):
    name: str
    rows: int
    columns: list[ColumnProfile]
    examples: list[dict[str, Any]]
    read_by: list[str] = Field(
        default_factory=list,
        description="A wide table (years, months or quarters as columns) is also read as one row per these columns",
    )


class DatasetProfile(BaseModel):
    dataset: str
    tables: list[TableProfile]

    @property
    def pii_columns(self) -> dict[str, list[str]]:
        return {t.name: [c.name for c in t.columns if c.pii] for t in self.tables}


def detect_pii_type(values: list[str]) -> str | None:
    """The personal-data type most of these cell values hold, if any (the text core's detector when present)."""
    texts = [v for v in values if v and v.strip()]
    if not texts:
        return None
    try:
        from ai_toolbox.text.pii import detect_pii
    except ImportError:
        detect_pii = None
    counts: dict[str, int] = {}
    for v in texts:
        if detect_pii is not None:
            spans = detect_pii(v)
            types = {s.type for s in spans if (s.end - s.start) >= 0.6 * len(v.strip())}
        else:
            types = {t for t, rx in _FALLBACK_PII.items() if rx.search(v)}
        for t in types:
            counts[t] = counts.get(t, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 0.5 * len(texts) else None


def profile_table(con: duckdb.DuckDBPyConnection, table: str, *, mask: bool = False) -> TableProfile:
    t = quote(table)
    rows = con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
    cols = con.execute(f"DESCRIBE {t}").fetchall()
    out: list[ColumnProfile] = []
    for name, ctype, *_ in cols:
        c = quote(name)
        nulls, distinct = con.execute(f"SELECT COUNT(*) - COUNT({c}), approx_count_distinct({c}) FROM {t}").fetchone()
        lo = hi = None
        if not str(ctype).upper().startswith(("STRUCT", "MAP", "LIST")) and "[]" not in str(ctype):
            lo, hi = con.execute(f"SELECT MIN({c}), MAX({c}) FROM {t}").fetchone()
        top = con.execute(
            f"SELECT {c}, COUNT(*) AS n FROM {t} WHERE {c} IS NOT NULL GROUP BY {c} ORDER BY n DESC, {c} LIMIT {TOP}"
        ).fetchall()
        pii = None
        if str(ctype).upper() == "VARCHAR":
            sample = [
                r[0] for r in con.execute(f"SELECT {c} FROM {t} WHERE {c} IS NOT NULL LIMIT {PII_SAMPLE}").fetchall()
            ]
            pii = detect_pii_type(sample)
            if pii is None and _NAME_HINTS.search(name) and re.search(r"name|姓名", name, re.I):
                pii = "PERSON"
        prof = ColumnProfile(
            name=name,
            type=str(ctype),
            nulls=int(nulls),
            distinct=int(distinct),
            min=lo,
            max=hi,
            top=[(v, int(n)) for v, n in top],
            pii=pii,
        )
        if pii and mask:
            prof.min = prof.max = mask_value(prof.min)
            prof.top = [(mask_value(v), n) for v, n in prof.top]
        out.append(prof)
    examples = con.execute(f"SELECT * FROM {t} LIMIT {EXAMPLES}").fetchall()
    names = [c[0] for c in cols]
    masked = {p.name for p in out if p.pii} if mask else set()
    ex = [{n: (mask_value(v) if n in masked else v) for n, v in zip(names, r, strict=True)} for r in examples]
    read_by: list[str] = []
    views = describe(con, table).views
    if views:
        period, *labels = wide.read_by(views[0])
        read_by = [*labels, period]  # "地区, 年份": the labels, then the period
    return TableProfile(name=table, rows=int(rows), columns=out, examples=ex, read_by=read_by)


def mask_value(value: Any) -> Any:
    """Keep the first and last character, hide the rest ("陳大文" -> "陳*文", "a@b.com" -> "a*****m")."""
    if value is None:
        return None
    s = str(value)
    if len(s) <= 2:
        return "*" * len(s)
    return s[0] + "*" * (len(s) - 2) + s[-1]


def profile_dataset(p: Principal, name: str, *, mask: bool = False) -> DatasetProfile:
    d = datasets.get_dataset(p, name)
    with datasets.query_connection(d) as con:
        return DatasetProfile(dataset=d.name, tables=[profile_table(con, t["name"], mask=mask) for t in d.tables])
