"""Datasets: files loaded into DuckDB under a department's workspace, and their registry.

Each dataset is its own DuckDB file in `<data_dir>/analysis/<department id>/`, holding one table
(CSV, Parquet, JSON) or one table per sheet (XLSX). A load writes a temporary file and renames it
into place only when every table loaded and the registry row is written, so a failed load leaves
nothing behind. Column names are kept as written (empty ones become `column_N`, duplicates are
numbered). Another department's dataset is NotFound, never NotPermitted: its name does not leak.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.analysis import tables as tbl
from ai_toolbox.analysis.models import Dataset
from ai_toolbox.analysis.schema import TableInfo, describe, quote
from ai_toolbox.analysis.sqlsafe import lock_down
from ai_toolbox.analysis.vocabulary import YEAR
from ai_toolbox.config import get_settings
from ai_toolbox.errors import AlreadyExists, InvalidInput, NotFound, TooLarge, UnsupportedFile
from ai_toolbox.storage.db import session_scope

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
}
_NAME = re.compile(r"^[^\x00-\x1f/\\]{1,100}$")
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class ColumnOut(BaseModel):
    name: str
    type: str


class TableOut(BaseModel):
    name: str
    rows: int
    columns: list[ColumnOut]
    pii: list[str] = Field(default_factory=list, description="Columns that look like personal data")


class DatasetOut(BaseModel):
    """A dataset as the CLI and API show it."""

    id: int
    name: str
    format: str
    source_name: str
    encoding: str | None = None
    tables: list[TableOut] = Field(default_factory=list)
    row_count: int
    size_bytes: int
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, d: Dataset) -> DatasetOut:
        return cls(
            id=d.id,
            name=d.name,
            format=d.format,
            source_name=d.source_name,
            encoding=d.encoding,
            tables=[TableOut(**t) for t in d.tables],
            row_count=d.row_count,
            size_bytes=d.size_bytes,
            created_by=d.created_by,
            created_at=d.created_at,
        )


def workspace(department_id: int) -> Path:
    path = get_settings().data_dir / "analysis" / str(department_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _file_for(d: Dataset) -> Path:
    return workspace(d.department_id) / f"{d.file_key}.duckdb"


def _lock(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(path), threading.Lock())


# -- registry ---------------------------------------------------------------------------------------
def list_datasets(p: Principal) -> list[DatasetOut]:
    p.require(Perm.USE_TOOLS)
    with session_scope() as s:
        q = select(Dataset).order_by(Dataset.name)
        dept = p.visible_departments()
        if dept is not None:
            q = q.where(Dataset.department_id == dept)
        return [DatasetOut.of(d) for d in s.scalars(q)]


def get_dataset(p: Principal, name: str) -> Dataset:
    """The caller's dataset called `name` (a sysadmin may also give `id:N`)."""
    p.require(Perm.USE_TOOLS)
    with session_scope() as s:
        q = select(Dataset)
        if name.startswith("id:") and name[3:].isascii() and name[3:].isdigit() and len(name) <= 18:
            q = q.where(Dataset.id == int(name[3:]))
        else:
            q = q.where(Dataset.name == name, Dataset.department_id == p.department_id)
        d = s.scalars(q).first()
        if d is None or not p.can(Perm.USE_TOOLS, d.department_id):
            raise NotFound(f"No dataset called {name!r}.", hint="`ai-toolbox data list` shows your datasets.")
        s.expunge(d)
        return d


def delete_dataset(p: Principal, name: str) -> None:
    d = get_dataset(p, name)
    p.require(Perm.MANAGE_DATA, d.department_id)
    path = _file_for(d)
    with _lock(path), session_scope() as s:
        s.delete(s.get(Dataset, d.id))
        s.flush()
        with suppress(FileNotFoundError):
            path.unlink()


# -- connections --------------------------------------------------------------------------------------
@contextmanager
def query_connection(d: Dataset) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that sees only this dataset's file, read-only, with the limits locked."""
    path = _file_for(d)
    if not path.is_file():
        raise NotFound(f"The data of dataset {d.name!r} is missing.", hint="Load the file again.")
    with _lock(path):
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"ATTACH {_sql_str(str(path))} AS ds (READ_ONLY)")
            con.execute("USE ds")
            lock_down(con)
            yield con
        finally:
            con.close()


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_INFOS: dict[tuple, list[TableInfo]] = {}
_INFOS_LOCK = threading.Lock()
_INFOS_KEPT = 16


def table_infos(con: duckdb.DuckDBPyConnection, d: Dataset) -> list[TableInfo]:
    """The schema, values and summary rows of the dataset's tables, described once per version of
    its file: describing scans every column, too slow to repeat for each question on a big table."""
    stat = _file_for(d).stat()
    key = (d.id, stat.st_ino, stat.st_mtime_ns, stat.st_size, tuple(t["name"] for t in d.tables))
    with _INFOS_LOCK:
        known = _INFOS.get(key)
    if known is not None:
        return known
    infos = [describe(con, t["name"]) for t in d.tables]
    with _INFOS_LOCK:
        if len(_INFOS) >= _INFOS_KEPT:
            _INFOS.pop(next(iter(_INFOS)))
        _INFOS[key] = infos
    return infos


# -- loading --------------------------------------------------------------------------------------------
def load_file(
    p: Principal, path: Path, name: str, *, source_name: str | None = None, replace: bool = False
) -> DatasetOut:
    """Load `path` as dataset `name` of the caller's department; all or nothing."""
    p.require(Perm.MANAGE_DATA, p.department_id)
    name = name.strip()
    if not _NAME.match(name):
        raise InvalidInput("A dataset name is 1 to 100 characters, without slashes or control characters.")
    if not path.is_file():
        raise NotFound(f"No such file: {path.name}")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFile(
            f"Cannot load {path.suffix or 'this'} files as data.", hint="Load CSV, TSV, XLSX, Parquet or JSON."
        )
    size = path.stat().st_size
    limit = get_settings().analysis.max_dataset_mb
    if size > limit * 1024 * 1024:
        raise TooLarge(
            f"The file is {size / 2**20:.0f} MB; the limit is {limit} MB.",
            hint="Split the file, or ask an administrator to raise AITB_ANALYSIS__MAX_DATASET_MB.",
        )
    if size == 0:
        raise InvalidInput("The file is empty.")
    with session_scope() as s:
        existing = s.scalars(
            select(Dataset).where(Dataset.department_id == p.department_id, Dataset.name == name)
        ).first()
        if existing is not None and not replace:
            raise AlreadyExists(
                f"There is already a dataset called {name!r}.", hint="Choose another name, or replace it (--replace)."
            )
    key = uuid.uuid4().hex
    ws = workspace(p.department_id)
    tmp = ws / f".{key}.loading.duckdb"
    final = ws / f"{key}.duckdb"
    encoding = None
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"SET memory_limit = '{get_settings().analysis.memory_limit}'")
            con.execute("SET preserve_insertion_order = true")
            base = _table_name(name)
            if fmt == "csv":
                encoding = _load_csv(con, path, base, ws)
            elif fmt == "xlsx":
                _load_xlsx(con, path)
            elif fmt == "parquet":
                con.execute(f"CREATE TABLE {quote(base)} AS SELECT * FROM read_parquet({_sql_str(str(path))})")
            else:
                con.execute(f"CREATE TABLE {quote(base)} AS SELECT * FROM read_json_auto({_sql_str(str(path))})")
            tables = _summaries(con)
            if not tables or all(t["rows"] == 0 and not t["columns"] for t in tables):
                raise InvalidInput("The file holds no table.", hint="Check that the file has a header and rows.")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, final)
        with session_scope() as s:
            old = s.scalars(
                select(Dataset).where(Dataset.department_id == p.department_id, Dataset.name == name)
            ).first()
            old_file = _file_for(old) if old is not None else None
            if old is not None:
                s.delete(old)
                s.flush()
            d = Dataset(
                department_id=p.department_id,
                name=name,
                file_key=key,
                source_name=source_name or path.name,
                format=fmt,
                encoding=encoding,
                tables=tables,
                row_count=sum(t["rows"] for t in tables),
                size_bytes=size,
                created_by=p.username,
            )
            s.add(d)
            s.flush()
            out = DatasetOut.of(d)
        if old_file is not None:
            with suppress(FileNotFoundError):
                old_file.unlink()
        return out
    except IntegrityError as exc:
        final.unlink(missing_ok=True)
        raise AlreadyExists(f"There is already a dataset called {name!r}.") from exc
    except duckdb.Error as exc:
        final.unlink(missing_ok=True)
        raise InvalidInput(
            f"Could not read the file as {fmt.upper()}: {str(exc).splitlines()[0][:300]}",
            hint="Check the file opens in a spreadsheet program and is not truncated.",
        ) from exc
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def _table_name(name: str) -> str:
    return re.sub(r"\.(csv|tsv|txt|xlsx|parquet|json)$", "", name, flags=re.I)[:60] or "data"


def _summaries(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    out = []
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY table_oid"
        ).fetchall()
    ]
    for t in names:
        cols = con.execute(f"DESCRIBE {quote(t)}").fetchall()
        rows = con.execute(f"SELECT COUNT(*) FROM {quote(t)}").fetchone()[0]
        out.append(
            {
                "name": t,
                "rows": int(rows),
                "columns": [{"name": c[0], "type": str(c[1])} for c in cols],
                "pii": _pii_columns(con, t, cols),
            }
        )
    return out


def _pii_columns(con: duckdb.DuckDBPyConnection, table: str, cols: list[tuple]) -> list[str]:
    """Text columns whose sampled values mostly look like personal data (masked on request)."""
    from ai_toolbox.analysis.profile import detect_pii_type

    found = []
    for c in cols:
        if str(c[1]).upper() != "VARCHAR":
            continue
        sample = [
            r[0]
            for r in con.execute(
                f"SELECT {quote(c[0])} FROM {quote(table)} WHERE {quote(c[0])} IS NOT NULL LIMIT 50"
            ).fetchall()
        ]
        if detect_pii_type(sample):
            found.append(c[0])
    return found


# -- CSV --------------------------------------------------------------------------------------------------
SAMPLE_BYTES = 256 * 1024
PYTHON_CSV_LIMIT = 200 * 1024 * 1024


def detect_encoding(sample: bytes) -> str:
    """utf-8 when it decodes; else the likeliest of Big5-HKSCS, GB18030, UTF-16 and cp1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut by the end of the sample
            return "utf-8"
    scores = {}
    for enc in ("big5hkscs", "gb18030"):
        text = sample.decode(enc, errors="replace")
        scores[enc] = _plausibility(text)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] > 0:
        return best
    return "cp1252"


def _plausibility(text: str) -> float:
    """How much a decoding reads like Chinese: common characters count, replacement characters cost."""
    from ai_toolbox.analysis.textutil import fold

    bad = text.count("\ufffd")
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return -bad
    common = set(
        "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
        "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日"
        "区市港元年月份数量金额收入支出合计总名称类别地址电话人口部门学校医院公司"
    )
    folded = fold("".join(han))
    hits = sum(1 for c in folded if c in common)
    return hits / len(han) * 10 - bad


def _sniff(text: str) -> tuple[str, bool, bool]:
    """(delimiter, has header, backslash escapes) from the start of a file."""
    lines = text.splitlines()[:200]
    sample = "\n".join(lines)
    try:
        delim = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sum(line.count(d) for line in lines) for d in ",;\t|"}
        delim = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    backslash = '\\"' in sample
    rows = list(
        csv.reader(
            io.StringIO(sample), delimiter=delim, escapechar="\\" if backslash else None, doublequote=not backslash
        )
    )
    header = True
    if rows:
        first = rows[0]
        numeric = sum(1 for c in first if re.fullmatch(r"\s*-?[\d,.]+\s*", c or ""))
        if first and numeric - _year_headings(rows) >= max(1, len([c for c in first if c.strip()]) // 2):
            header = False
    return delim, header, backslash


def _year_headings(rows: list[list[str]]) -> int:
    """How many cells of the first row are years heading columns ("District, 2019, 2020, 2021"):
    two or more different years over cells of the next row that are not years."""
    if len(rows) < 2:
        return 0
    at = [i for i, c in enumerate(rows[0]) if YEAR.match((c or "").strip())]
    years = {rows[0][i].strip() for i in at}
    below = [rows[1][i] for i in at if i < len(rows[1])]
    if len(years) < 2 or len(years) != len(at) or any(YEAR.match(c.strip()) for c in below):
        return 0
    return len(at)


def _load_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, ws: Path) -> str:
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    source = path
    if encoding not in ("utf-8", "utf-8-sig"):
        source = ws / f".{uuid.uuid4().hex}.utf8.csv"
        with (
            path.open("r", encoding=encoding, errors="replace", newline="") as src,
            source.open("w", encoding="utf-8", newline="") as dst,
        ):
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    try:
        text = (
            sample.decode(encoding, errors="ignore")
            if source is path
            else source.open(encoding="utf-8").read(SAMPLE_BYTES)
        )
        text = text.lstrip("\ufeff")
        delim, has_header, backslash = _sniff(text)
        rows = list(
            csv.reader(
                io.StringIO("\n".join(text.splitlines()[:2000])),
                delimiter=delim,
                escapechar="\\" if backslash else None,
                doublequote=not backslash,
            )
        )
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            raise InvalidInput("The CSV file holds no rows.")
        width = max(len(r) for r in rows)
        header: list[str] = rows[0] if has_header else []
        depth = 1 if has_header else 0
        if has_header and len(rows) > 1 and tbl.is_second_header(header, rows[1]):
            header, depth = tbl.merge_header_rows(header, rows[1]), 2
        names = tbl.clean_names(header, width)
        opts = (
            f"delim={_sql_str(delim)}, header=false, skip={depth}, null_padding=true, "
            f"names=[{', '.join(_sql_str(n) for n in names)}], quote='\"', "
            f"escape={_sql_str(chr(92) if backslash else chr(34))}, strict_mode=false"
        )
        src = _sql_str(str(source))
        try:
            con.execute(f"CREATE TABLE {quote(table)} AS SELECT * FROM read_csv({src}, {opts})")
        except duckdb.ConversionException:
            # Mixed types beyond the sniffer's sample: keep every column as text.
            con.execute(f"DROP TABLE IF EXISTS {quote(table)}")
            con.execute(f"CREATE TABLE {quote(table)} AS SELECT * FROM read_csv({src}, {opts}, all_varchar=true)")
        except duckdb.Error:
            # Rows wider than the header, odd quoting: DuckDB's reader gives up; Python's does not.
            if source.stat().st_size > PYTHON_CSV_LIMIT:
                raise
            con.execute(f"DROP TABLE IF EXISTS {quote(table)}")
            with source.open(encoding="utf-8", newline="") as f:
                all_rows = [
                    r
                    for r in csv.reader(
                        f, delimiter=delim, escapechar="\\" if backslash else None, doublequote=not backslash
                    )
                    if any(c.strip() for c in r)
                ]
            header_row = all_rows[0] if has_header else []
            tbl.create_table(con, table, tbl.rows_to_arrow(header_row, all_rows[1 if has_header else 0 :]))
    finally:
        if source is not path:
            source.unlink(missing_ok=True)
    return encoding.replace("-sig", "")


# -- XLSX -------------------------------------------------------------------------------------------------
def _load_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnsupportedFile(f"Could not open the workbook: {exc}", hint="Save it again as .xlsx.") from exc
    used: set[str] = set()
    for ws in wb.worksheets:
        header, rows = sheet_rows(ws)
        if not header and not rows:
            continue
        name = ws.title.strip() or "sheet"
        base, n = name, 1
        while name.lower() in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name.lower())
        tbl.create_table(con, name, tbl.rows_to_arrow(header, rows))


def sheet_rows(ws) -> tuple[list[object], list[list[object]]]:  # type: ignore[no-untyped-def]
    """Header and data rows of a sheet; header rows with merged cells are combined ("2024 Q1")."""
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    while grid and not any(v not in (None, "") for v in grid[0]):
        grid.pop(0)
    if not grid:
        return [], []
    offset = (
        ws.min_row
        - 1
        + next(i for i, r in enumerate(ws.iter_rows(values_only=True)) if any(v not in (None, "") for v in r))
    )
    merged = list(ws.merged_cells.ranges)
    depth = 1
    while any(m.min_row == offset + depth and m.max_col > m.min_col for m in merged) and depth < len(grid) - 1:
        depth += 1
    head = [list(r) for r in grid[:depth]]
    for m in merged:  # spread a merged header cell's value over every column it spans
        if offset < m.min_row <= offset + depth:
            value = ws.cell(m.min_row, m.min_col).value
            for r in range(m.min_row, min(m.max_row, offset + depth) + 1):
                for c in range(m.min_col, m.max_col + 1):
                    row = head[r - offset - 1]
                    while len(row) < c:
                        row.append(None)
                    row[c - 1] = value
    header: list[object] = list(tbl.merge_header_rows(*head))
    rows = [r for r in grid[depth:] if any(v not in (None, "") for v in r)]
    return header, rows
