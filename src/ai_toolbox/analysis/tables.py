"""Rows of text to a typed DuckDB table: header clean-up and type inference shared by every loader."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import duckdb
import pyarrow as pa

from ai_toolbox.analysis.schema import quote

_INT = re.compile(r"^[-+]?\d{1,3}(,\d{3})+$|^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?\.\d+$|^[-+]?\d+(\.\d+)?[eE][-+]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def clean_names(header: Sequence[object], width: int) -> list[str]:
    """Column names as written, with empty ones named `column_N` and duplicates numbered."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i in range(width):
        raw = header[i] if i < len(header) else None
        name = _cell(raw)
        if not name:
            name = f"column_{i + 1}"
        base, n = name, seen.get(name.lower(), 0)
        while name.lower() in seen:
            n += 1
            name = f"{base}_{n + 1}" if n else base
        seen[base.lower()] = max(seen.get(base.lower(), 0), n)
        seen[name.lower()] = seen.get(name.lower(), 0)
        names.append(name)
    return names


def _cell(value: object) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def is_second_header(header: Sequence[object], row: Sequence[object]) -> bool:
    """Whether `row`, the first one under the header, is a second header row: it repeats at least two of the
    header's names in place, and a quarter of them, as grouped headings exported to CSV do
    ("Appearances, Appearances" over "Start, Sub", with "Team" written in both rows)."""
    named = sum(1 for h in header if _cell(h))
    same = sum(1 for h, v in zip(header, row, strict=False) if _cell(h) and _cell(h) == _cell(v))
    return same >= 2 and same * 4 >= named


def merge_header_rows(*rows: Sequence[object]) -> list[str]:
    """One name per column from stacked header rows: "Appearances Start", "2024 Q1" (a merged cell spread
    over its columns), or "Team" where the rows repeat it."""
    names = []
    for i in range(max((len(r) for r in rows), default=0)):
        parts = [_cell(r[i]) for r in rows if i < len(r) and _cell(r[i])]
        names.append(" ".join(dict.fromkeys(parts)))
    return names


def infer_column(values: list[object]) -> pa.Array:
    """An Arrow array for one column: integers, decimals or dates when every value is one, else text."""
    texts = [None if v is None or (isinstance(v, str) and not v.strip()) else v for v in values]
    present = [v for v in texts if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.array(texts, type=pa.bool_())
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        if all(isinstance(v, int) or float(v).is_integer() for v in present) and all(abs(v) < 2**62 for v in present):
            return pa.array([None if v is None else int(v) for v in texts], type=pa.int64())
        return pa.array([None if v is None else float(v) for v in texts], type=pa.float64())
    if present and all(isinstance(v, dt.datetime) for v in present):
        return pa.array(texts, type=pa.timestamp("us"))
    if present and all(isinstance(v, dt.date) for v in present):
        return pa.array(texts, type=pa.date32())
    strs = [None if v is None else str(v).strip() for v in texts]
    ps = [v for v in strs if v is not None]
    if ps and all(_INT.match(v) for v in ps):
        ints = [None if v is None else int(v.replace(",", "")) for v in strs]
        if all(v is None or abs(v) < 2**62 for v in ints):
            return pa.array(ints, type=pa.int64())
    if ps and all(_INT.match(v) or _FLOAT.match(v) for v in ps):
        return pa.array([None if v is None else float(v.replace(",", "")) for v in strs], type=pa.float64())
    if ps and all(_DATE.match(v) for v in ps):
        try:
            return pa.array([None if v is None else dt.date.fromisoformat(v) for v in strs], type=pa.date32())
        except ValueError:
            pass
    return pa.array(strs, type=pa.string())


def rows_to_arrow(header: Sequence[object], rows: Sequence[Sequence[object]]) -> pa.Table:
    """Ragged rows are padded with nulls (or widened with `column_N`); names cleaned; types inferred.
    A second header row under the first is folded into the names."""
    if rows and is_second_header(header, rows[0]):
        header, rows = merge_header_rows(header, rows[0]), rows[1:]
    width = max([len(header)] + [len(r) for r in rows]) if rows or header else 0
    names = clean_names(header, width)
    columns = []
    for i in range(width):
        columns.append(infer_column([r[i] if i < len(r) else None for r in rows]))
    return pa.table(columns, names=names)


def create_table(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> None:
    """CREATE TABLE `name` from an Arrow table (rowid keeps the file's row order)."""
    view = f"_arrow_{abs(hash(name)) % 10**9}"
    con.register(view, data)
    try:
        con.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM {quote(view)}")
    finally:
        con.unregister(view)
