"""`eval sql`: answer accuracy on table questions (WikiTQ style) and execution accuracy on databases.

A directory holds `questions.jsonl`. A record naming a `table` (CSV/TSV relative to the
directory) is answered over that table and compared with its `answers` as a set of normalised
values (numbers by value, thousands separators ignored; dates by day). A record naming a SQLite
database (`database`, `db_id`, or the directory's single `*.sqlite`) is answered over the
database's tables and compared with the result of its gold `sql`, as a multiset of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ai_toolbox.analysis import tables as tbl
from ai_toolbox.analysis.ask import generate_sql
from ai_toolbox.analysis.schema import TableInfo, describe
from ai_toolbox.analysis.sqlsafe import lock_down
from ai_toolbox.errors import InvalidInput, ModelUnavailable, NotFound, ToolboxError


@dataclass
class EvalResult:
    n: int
    accuracy: float
    answered: float
    p50_ms: float
    # Table questions compared after the official WikiTQ evaluator's string clean-up as well.
    accuracy_official: float | None = None

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "answered": round(self.answered, 4),
            "p50_ms": round(self.p50_ms, 2),
        }
        if self.accuracy_official is not None:
            out["accuracy_official"] = round(self.accuracy_official, 4)
        return out


def read_wikitq_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """A WikiTQ table: CSV with backslash-escaped quotes, or TSV with \\n, \\p and \\\\ escapes."""
    text = path.read_text("utf-8")
    if path.suffix.lower() == ".tsv":

        def unescape(cell: str) -> str:
            return re.sub(r"\\(.)", lambda m: {"n": "\n", "p": "|", "\\": "\\"}.get(m.group(1), m.group(1)), cell)

        rows = [[unescape(c) for c in line.split("\t")] for line in text.splitlines() if line]
    else:
        # Read as a stream, not line by line: a quoted cell may hold line breaks.
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), escapechar="\\", doublequote=False) if r]
    if not rows:
        raise InvalidInput(f"Empty table: {path.name}")
    return rows[0], rows[1:]


def _load_table_db(path: Path) -> tuple[duckdb.DuckDBPyConnection, list[TableInfo]]:
    header, rows = read_wikitq_table(path)
    con = duckdb.connect()
    tbl.create_table(con, "t", tbl.rows_to_arrow(header, rows))
    lock_down(con)
    return con, [describe(con, "t")]


def _load_sqlite_db(path: Path) -> tuple[duckdb.DuckDBPyConnection, list[TableInfo]]:
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con = duckdb.connect()
    names = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    declared: dict[str, list[tuple[str, str, str]]] = {}
    for name in names:
        cur = src.execute(f'SELECT * FROM "{name}"')
        header = [d[0] for d in cur.description]
        tbl.create_table(con, name.lower(), tbl.rows_to_arrow(header, cur.fetchall()))
        # Declared foreign keys (id, seq, table, from, to, ...), single-column ones only.
        fks = src.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()
        single = [fk for fk in fks if sum(1 for f in fks if f[0] == fk[0]) == 1 and fk[4]]
        declared[name.lower()] = [(fk[3], fk[2].lower(), fk[4]) for fk in single]
    src.close()
    lock_down(con)
    infos = [describe(con, n.lower()) for n in names]
    for info in infos:
        info.foreign_keys = info.foreign_keys or declared.get(info.name, [])
    return con, infos


# -- answer comparison ----------------------------------------------------------------------------
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[-+]?\.\d+$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}


def normalise(value: object) -> object:
    """A comparable form: numbers as floats, dates as (y, m, d), strings lower-cased and trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return round(float(value), 4)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value.year, value.month, value.day)
    s = str(value).strip().lower()
    s = re.sub(r"\s+", " ", s).strip(" .\"'")
    if _NUMBER.match(s):
        return round(float(s.replace(",", "")), 4)
    m = re.match(r"^([a-z]+) (\d{1,2}), (\d{4})$", s)
    if m and m.group(1) in _MONTHS:
        return (int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", s)
    if m:
        return (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return s


def official_clean(value: object) -> object:
    """The string clean-up of the official WikiTQ evaluator: accents dropped, quotes and dashes
    unified, trailing citation marks and bracketed notes ('Wigan Warriors (2014 season)') removed,
    a final full stop dropped. Numbers and dates are left to `normalise`."""
    if not isinstance(value, str):
        return value
    x = "".join(c for c in unicodedata.normalize("NFKD", value) if unicodedata.category(c) != "Mn")
    x = re.sub(r"[‘’´`]", "'", x)
    x = re.sub(r"[“”]", '"', x)
    x = re.sub(r"[‐‑‒–—−]", "-", x)
    while True:
        old = x
        x = re.sub(r"((?<!^)\[[^\]]*\]|\[\d+\]|[•♦†‡*#+])*$", "", x.strip())
        x = re.sub(r"(?<!^)( \([^)]*\))*$", "", x.strip())
        x = re.sub(r'^"([^"]*)"$', r"\1", x.strip())
        if x == old:
            break
    return x[:-1] if x.endswith(".") else x


def answers_match(predicted: list[object], gold: list[str], *, official: bool = False) -> bool:
    """Equal as sets of normalised values; `official` applies the WikiTQ evaluator's clean-up first."""
    clean = official_clean if official else (lambda v: v)
    p = {normalise(clean(v)) for v in predicted}
    g = {normalise(clean(v)) for v in gold}
    return bool(p) and p == g


def _rows_match(pred: list[tuple], gold: list[tuple]) -> bool:
    def canon(rows: list[tuple]) -> Counter:
        return Counter(tuple(normalise(v) for v in r) for r in rows)

    return canon(pred) == canon(gold)


# -- the run --------------------------------------------------------------------------------------
def _database_for(record: dict, root: Path) -> Path | None:
    if record.get("database"):
        return root / record["database"]
    if record.get("db_id"):
        return root / "database" / record["db_id"] / f"{record['db_id']}.sqlite"
    found = sorted(root.glob("*.sqlite"))
    return found[0] if len(found) == 1 else None


def count_questions(root: Path, limit: int | None = None, offset: int = 0) -> int:
    qfile = root / "questions.jsonl"
    if not qfile.is_file():
        return 0
    n = max(0, sum(1 for line in qfile.read_text("utf-8").splitlines() if line.strip()) - offset)
    return min(n, limit) if limit else n


def run_eval(
    root: Path,
    *,
    backend: str = "none",
    limit: int | None = None,
    offset: int = 0,
    official: bool = False,
    progress: Callable[[int], None] | None = None,
    details: Callable[[dict], None] | None = None,
) -> EvalResult:
    """Score the questions [offset, offset + limit); `official` adds `accuracy_official` for table questions.
    `details` receives one record per question (id, question, correct, method, sql, error)."""
    qfile = root / "questions.jsonl"
    if not qfile.is_file():
        raise NotFound(f"No questions.jsonl in {root}", hint="Point --data at a directory holding questions.jsonl.")
    if backend != "none":
        # Scoring the embedded parser under a model's name would mislead: refuse instead.
        from ai_toolbox import llm

        model = llm.get_backend(backend)
        if not model.available:
            raise ModelUnavailable(
                f"The {backend} backend is not available, so it cannot be evaluated.",
                hint="`ai-toolbox llm backends` says what is missing.",
            )
    records = [json.loads(line) for line in qfile.read_text("utf-8").splitlines() if line.strip()]
    records = records[offset:]
    if limit:
        records = records[:limit]
    cache: dict[Path, tuple[duckdb.DuckDBPyConnection, list[TableInfo]]] = {}
    gold_dbs: dict[Path, sqlite3.Connection] = {}
    correct = answered = cleaned = 0
    times: list[float] = []
    for rec in records:
        if rec.get("table"):
            path = root / rec["table"]
            if path not in cache:
                cache.clear()
                cache[path] = _load_table_db(path)
        else:
            path = _database_for(rec, root)
            if path is None or not path.is_file():
                raise NotFound(f"Question {rec.get('id')} names no database that exists.")
            if path not in cache:
                cache[path] = _load_sqlite_db(path)
                gold_dbs[path] = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con, infos = cache[path]
        started = time.perf_counter()
        result, error = None, None
        try:
            result = generate_sql(con, infos, rec["question"], backend=backend)
        except ToolboxError as exc:
            error = str(exc)
        times.append((time.perf_counter() - started) * 1000)
        right = False
        if result is not None:
            rows = result.rows
            answered += 1
            if rec.get("table"):
                flat = [r[0] for r in rows] if rows and len(rows[0]) >= 1 else []
                right = answers_match(flat, rec.get("answers", []))
                cleaned += answers_match(flat, rec.get("answers", []), official=True)
            else:
                gold = gold_dbs[path].execute(rec["sql"]).fetchall()
                right = _rows_match(rows, gold)
                cleaned += right
            correct += right
        if details:
            details({"id": rec.get("id"), "question": rec["question"], "correct": bool(right),
                     "method": result.method if result else None, "sql": result.result.sql if result else None,
                     "error": error})
        if progress:
            progress(1)
    n = len(records)
    return EvalResult(
        n=n,
        accuracy=correct / n if n else 0.0,
        answered=answered / n if n else 0.0,
        p50_ms=statistics.median(times) if times else 0.0,
        accuracy_official=cleaned / n if official and n and any(r.get("table") for r in records) else None,
    )
