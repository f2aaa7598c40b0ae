"""Data analysis speed: question -> SQL (embedded parser), query overhead vs raw DuckDB, CSV upload throughput.

    .venv/bin/python -m benchmarks.bench_analysis [--rows 10000000] [--csv-mb 1024]

1. Parser: p50/p95 of question -> SQL (parse only, no execution) over the WikiTQ fixture slice.
2. Query: a 10-million-row Parquet table loaded as a dataset; the same SQL through our path (read-only
   attach, allow-list check, locked-down connection, timeout thread, row limit) and through a plain
   DuckDB connection on the same file, alternating, best of 5 each, in the same run.
3. Upload: a generated CSV of about --csv-mb megabytes loaded with `datasets.load_file`; MB/s and the
   process's peak resident memory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from ai_toolbox.config import reset_settings
from benchmarks.common import write_result

FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures" / "analysis" / "wikitq"


def bench_parser() -> dict:
    from ai_toolbox.analysis.evaluate import _load_table_db
    from ai_toolbox.analysis.nl2sql import CannotAnswer, parse

    records = [json.loads(line) for line in (FIXTURES / "questions.jsonl").read_text("utf-8").splitlines()]
    times = []
    for rec in records:
        con, infos = _load_table_db(FIXTURES / rec["table"])
        for _ in range(3):
            t0 = time.perf_counter()
            with contextlib.suppress(CannotAnswer):
                parse(rec["question"], infos[0])
            times.append((time.perf_counter() - t0) * 1000)
        con.close()
    times.sort()
    return {"questions": len(records), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * len(times)) - 1], 2)}


def _principal():
    from ai_toolbox import accounts
    from ai_toolbox.storage import ensure_storage, session_scope

    ensure_storage()
    with session_scope() as s:
        return accounts.local_principal(s, None)


def bench_query(tmp: Path, rows: int) -> dict:
    from ai_toolbox.analysis import datasets
    from ai_toolbox.analysis.sqlsafe import check_sql, run_query

    pq = tmp / "big.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT range AS id, 'district_' || (range % 18) AS district, (range % 1000) * 1.5 AS amount, "
        f"DATE '2020-01-01' + CAST(range % 1500 AS INTEGER) AS day FROM range({rows})) TO '{pq}' (FORMAT parquet)"
    )
    p = _principal()
    t0 = time.perf_counter()
    d_out = datasets.load_file(p, pq, "big")
    load_s = time.perf_counter() - t0
    d = datasets.get_dataset(p, "big")
    path = datasets.workspace(d.department_id) / f"{d.file_key}.duckdb"
    sql = ('SELECT "district", SUM("amount") AS total, COUNT(*) AS n FROM "big" '
           "WHERE \"day\" >= DATE '2021-01-01' GROUP BY \"district\" ORDER BY total DESC")

    def ours() -> None:
        with datasets.query_connection(d) as con:
            run_query(con, check_sql(sql, ["big"]))

    def raw() -> None:
        con = duckdb.connect(str(path), read_only=True)
        con.execute(sql).fetchall()
        con.close()

    ours_t, raw_t = [], []
    for _ in range(5):
        for fn, acc in ((raw, raw_t), (ours, ours_t)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    return {"rows": d_out.row_count, "parquet_mb": round(pq.stat().st_size / 2**20, 1),
            "load_parquet_s": round(load_s, 2), "sql": sql, "ours_best_ms": round(min(ours_t) * 1000, 1),
            "raw_duckdb_best_ms": round(min(raw_t) * 1000, 1), "ratio": round(min(ours_t) / min(raw_t), 3)}


def bench_upload(tmp: Path, csv_mb: int) -> dict:
    from ai_toolbox.analysis import datasets

    path = tmp / "upload.csv"
    # ~58 bytes a row
    n = int(csv_mb * 2**20 / 58)
    duckdb.connect().execute(
        f"COPY (SELECT range AS id, 'Officer ' || (range % 5000) AS name, 'district_' || (range % 18) AS district, "
        f"round((range % 100000) / 7.0, 2) AS amount, DATE '2020-01-01' + CAST(range % 1500 AS INTEGER) AS day "
        f"FROM range({n})) TO '{path}' (HEADER, DELIMITER ',')"
    )
    size = path.stat().st_size
    p = _principal()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    out = datasets.load_file(p, path, "upload")
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path.unlink()
    return {"csv_mb": round(size / 2**20, 1), "rows": out.row_count, "seconds": round(elapsed, 2),
            "mb_per_s": round(size / 2**20 / elapsed, 1), "peak_rss_mb": round(peak / 1024, 1),
            "peak_rss_before_mb": round(before / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--csv-mb", type=int, default=1024)
    args, _ = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["AITB_DATA_DIR"] = str(tmp / "data")  # a scratch toolbox
        reset_settings()
        results = {"parser": bench_parser(), "query": bench_query(tmp, args.rows),
                   "upload": bench_upload(tmp, args.csv_mb)}
    write_result("analysis", results)


if __name__ == "__main__":
    main()
