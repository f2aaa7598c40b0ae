"""Only one read-only SELECT over the dataset's own tables ever runs."""

from __future__ import annotations

import duckdb
import pytest

from ai_toolbox.analysis.sqlsafe import check_sql, lock_down, run_query
from ai_toolbox.errors import InvalidInput, ToolboxError, UnsafeSQL

MALICIOUS = [
    "DROP TABLE sales",
    "SELECT * FROM sales; DROP TABLE sales",
    "SELECT * FROM sales；DROP TABLE sales",  # full-width semicolon
    "DELETE FROM sales",
    "UPDATE sales SET amount = 0",
    "INSERT INTO sales VALUES (1)",
    "CREATE TABLE x AS SELECT 1",
    "ATTACH 'other.duckdb' AS o",
    "COPY sales TO 'out.csv'",
    "PRAGMA database_list",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_parquet('x.parquet')",
    "SELECT * FROM glob('*')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM 'https://example.com/x.csv'",
    "SELECT getenv('HOME')",
    "SELECT current_setting('memory_limit')",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM main.sales",
    "SELECT * FROM other_table",
    "SELECT read_text('/etc/passwd')",
    "WITH x AS (SELECT 1) DELETE FROM sales",
    "ＤＲＯＰ ＴＡＢＬＥ sales",  # full-width letters
    "SELECT ＇x＇; DROP TABLE sales",  # full-width quotes around a string
    'SELECT ＂id＂ FROM sales；DROP TABLE sales',  # full-width quotes around a name
]


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("CREATE TABLE sales AS SELECT range AS id, range * 1.5 AS amount FROM range(100)")
    lock_down(c)
    yield c
    c.close()


@pytest.mark.parametrize("sql", MALICIOUS)
def test_malicious_sql_never_runs(con, sql):
    with pytest.raises((UnsafeSQL, InvalidInput)):
        check_sql(sql, ["sales"])
    assert con.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 100


def test_comments_are_stripped_from_the_sql_that_runs(con):
    checked = check_sql("SELECT COUNT(*) FROM sales -- ; DROP TABLE sales", ["sales"])
    assert "DROP" not in checked.sql and "--" not in checked.sql
    assert run_query(con, checked).rows == [(100,)]


def test_injection_inside_a_string_literal_stays_a_string(con):
    checked = check_sql("SELECT id FROM sales WHERE CAST(id AS VARCHAR) = '1''; DROP TABLE sales; --'", ["sales"])
    assert run_query(con, checked).rows == []
    assert con.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 100


def test_full_width_characters_in_quoted_names_and_strings_are_kept():
    c = duckdb.connect()
    c.execute('CREATE TABLE t ("地區" VARCHAR, "金額（港元）" INT, "Area in km²" DOUBLE)')
    c.execute("INSERT INTO t VALUES ('沙田（新界）', 10, 1.5), ('灣仔', 20, 2.5)")
    lock_down(c)
    sql = 'SELECT "金額（港元）", "Area in km²" FROM t WHERE "地區" = \'沙田（新界）\''
    assert run_query(c, check_sql(sql, ["t"])).rows == [(10, 1.5)]


def test_ordinary_analysis_sql_passes(con):
    sql = (
        "WITH t AS (SELECT id % 3 AS g, amount FROM sales) SELECT g, SUM(amount), RANK() OVER (ORDER BY g) "
        "FROM t GROUP BY g ORDER BY g"
    )
    res = run_query(con, check_sql(sql, ["sales"]))
    assert [r[0] for r in res.rows] == [0, 1, 2]
    # CASE is plain arithmetic on values: a limit that depends on the data (ties of a "most")
    sql = "SELECT id FROM sales ORDER BY id LIMIT CASE WHEN (SELECT COUNT(*) FROM sales) > 1 THEN 2 ELSE 1 END"
    assert [r[0] for r in run_query(con, check_sql(sql, ["sales"])).rows] == [0, 1]


def test_connection_refuses_file_access_even_if_a_check_were_bypassed(con):
    with pytest.raises(duckdb.Error):
        con.execute("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")


def test_row_limit_cuts_and_says_so(con):
    res = run_query(con, check_sql("SELECT * FROM sales", ["sales"]), row_limit=10)
    assert len(res.rows) == 10 and res.truncated


def test_timeout_interrupts_a_runaway_query(con):
    sql = "SELECT COUNT(*) FROM sales a, sales b, sales c, sales d, sales e"
    with pytest.raises(ToolboxError, match="longer than"):
        run_query(con, check_sql(sql, ["sales"]), timeout_s=0.2)
