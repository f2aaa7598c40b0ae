"""Files for the analysis tests, built here: CSVs in three encodings, workbooks, Parquet, JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "analysis"

SALES_ROWS = [
    ("2024-01-15", "Sha Tin", "沙田", "Chan Tai Man", 120.0, 3),
    ("2024-02-03", "Wan Chai", "灣仔", "Lee Siu Ming", 300.5, 5),
    ("2024-04-20", "Sha Tin", "沙田", "Wong Ka Yan", 80.0, 1),
    ("2024-05-11", "Kwun Tong", "觀塘", "Ho Wing Sze", 410.0, 7),
    ("2024-07-30", "Wan Chai", "灣仔", "Cheung Man Kit", 95.5, 2),
    ("2024-10-02", "Kwun Tong", "觀塘", "Lam Chi Keung", 220.0, 4),
]


@pytest.fixture
def sales_csv(tmp_path) -> Path:
    lines = ["date,district,地區,officer,amount,cases"]
    lines += [",".join(str(v) for v in r) for r in SALES_ROWS]
    path = tmp_path / "sales.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def chinese_csv(tmp_path):
    """The same small table of Hong Kong districts written in UTF-8, Big5 or GBK."""

    def make(encoding: str, script: str = "zh-Hant") -> Path:
        if script == "zh-Hant":
            header = "地區,個案數目,金額"
            rows = ["沙田,12,1500", "灣仔,30,4200", "觀塘,7,800", "東區,15,2100"]
        else:
            header = "地区,个案数目,金额"
            rows = ["沙田,12,1500", "湾仔,30,4200", "观塘,7,800", "东区,15,2100"]
        path = tmp_path / f"districts-{encoding}.csv"
        path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
        return path

    return make


@pytest.fixture
def loaded(officer, sales_csv):
    from ai_toolbox.analysis import datasets

    datasets.load_file(officer, sales_csv, "sales")
    return officer


@pytest.fixture(scope="module")
def sales_db():
    """The sales table in a locked-down in-memory DuckDB (no storage needed: the parser alone)."""
    import duckdb

    from ai_toolbox.analysis import tables
    from ai_toolbox.analysis.schema import describe
    from ai_toolbox.analysis.sqlsafe import lock_down

    con = duckdb.connect()
    header = ["date", "district", "地區", "officer", "amount", "cases"]
    tables.create_table(con, "sales", tables.rows_to_arrow(header, [list(r) for r in SALES_ROWS]))
    lock_down(con)
    yield con, [describe(con, "sales")]
    con.close()
