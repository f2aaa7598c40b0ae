"""Questions over several tables join them along declared or inferred keys (English and Chinese names)."""

from __future__ import annotations

import duckdb
import pytest

from ai_toolbox.analysis import joins, tables
from ai_toolbox.analysis.ask import generate_sql
from ai_toolbox.analysis.evaluate import answers_match
from ai_toolbox.analysis.schema import describe
from ai_toolbox.analysis.sqlsafe import lock_down

CUSTOMERS = [(1, "Chan Tai Man", "Sha Tin"), (2, "Lee Siu Ming", "Wan Chai"), (3, "Wong Ka Yan", "Sha Tin")]
ORDERS = [(101, 1, 120.0), (102, 2, 300.5), (103, 3, 80.0), (104, 1, 410.0), (105, 2, 95.5)]


def _db(spec: dict[str, tuple[list[str], list[tuple]]]):
    con = duckdb.connect()
    for name, (header, rows) in spec.items():
        tables.create_table(con, name, tables.rows_to_arrow(header, [list(r) for r in rows]))
    return con


@pytest.fixture
def shop():
    """customers(id, name, district) and orders(order_no, customer_id, amount): a `<table>_id` key."""
    con = _db(
        {
            "customers": (["id", "name", "district"], CUSTOMERS),
            "orders": (["order_no", "customer_id", "amount"], ORDERS),
        }
    )
    lock_down(con)
    yield con, [describe(con, "customers"), describe(con, "orders")]
    con.close()


@pytest.fixture
def cases_zh():
    """個案(個案編號, 地區代碼, 金額) and 地區(地區代碼, 地區名稱): the same column name in both tables."""
    con = _db(
        {
            "個案": (["個案編號", "地區代碼", "金額"], [("C1", "ST", 1500), ("C2", "WC", 4200), ("C3", "ST", 800)]),
            "地區": (["地區代碼", "地區名稱"], [("ST", "沙田"), ("WC", "灣仔"), ("KT", "觀塘")]),
        }
    )
    lock_down(con)
    yield con, [describe(con, "個案"), describe(con, "地區")]
    con.close()


@pytest.fixture
def teams():
    """staff(officer, team) and cases(case_ref, handled_by, hours): `handled_by` holds officers' names."""
    staff = [
        ("Chan Tai Man", "Licensing"),
        ("Lee Siu Ming", "Inspections"),
        ("Wong Ka Yan", "Licensing"),
        ("Ho Wing Sze", "Appeals"),
        ("Lam Chi Keung", "Inspections"),
    ]
    cases = [
        ("R1", "Chan Tai Man", 3),
        ("R2", "Lee Siu Ming", 5),
        ("R3", "Wong Ka Yan", 2),
        ("R4", "Chan Tai Man", 4),
        ("R5", "Ho Wing Sze", 7),
        ("R6", "Lam Chi Keung", 1),
    ]
    con = _db({"staff": (["officer", "team"], staff), "cases": (["case_ref", "handled_by", "hours"], cases)})
    lock_down(con)
    yield con, [describe(con, "staff"), describe(con, "cases")]
    con.close()


def _keys(infos) -> set[tuple[str, str, str, str, str]]:
    return {(k.table, k.column, k.ref_table, k.ref_column, k.source) for k in joins.find_keys(infos)}


def test_infers_table_id_key(shop):
    assert ("orders", "customer_id", "customers", "id", "table_id") in _keys(shop[1])


def test_infers_same_name_key_in_chinese(cases_zh):
    assert ("個案", "地區代碼", "地區", "地區代碼", "name") in _keys(cases_zh[1])


def test_infers_key_from_values(teams):
    assert ("staff", "officer", "cases", "handled_by", "values") in _keys(teams[1])


def test_reads_declared_foreign_key():
    con = duckdb.connect()
    con.execute("CREATE TABLE region (code VARCHAR PRIMARY KEY, label VARCHAR)")
    con.execute("CREATE TABLE complaint (ref VARCHAR, area VARCHAR REFERENCES region(code), cost INTEGER)")
    con.execute("INSERT INTO region VALUES ('N', 'North'), ('S', 'South')")
    con.execute("INSERT INTO complaint VALUES ('a', 'N', 10), ('b', 'S', 20), ('c', 'N', 5)")
    infos = [describe(con, "region"), describe(con, "complaint")]
    assert infos[1].foreign_keys == [("area", "region", "code")]
    assert ("complaint", "area", "region", "code", "declared") in _keys(infos)
    lock_down(con)
    gen = generate_sql(con, infos, "total cost in the North region")
    assert " JOIN " in gen.sql
    assert answers_match([r[0] for r in gen.rows], ["15"]), (gen.sql, gen.rows)


def test_unrelated_tables_have_no_key():
    con = _db(
        {
            "staff": (["officer", "team"], [("Chan", "A"), ("Lee", "B"), ("Wong", "A")]),
            "budget": (["year", "amount"], [(2023, 100), (2024, 120)]),
        }
    )
    assert joins.find_keys([describe(con, "staff"), describe(con, "budget")]) == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what is the total amount of orders from customers in Sha Tin?", ["610"]),  # 120 + 80 + 410
        ("how many orders came from customers in Wan Chai?", ["2"]),
        ("which district has the order with the highest amount?", ["Sha Tin"]),
    ],
)
def test_english_question_joins_on_table_id(shop, question, expected):
    con, infos = shop
    gen = generate_sql(con, infos, question)
    assert 'JOIN "customers" ON "orders"."customer_id" = "customers"."id"' in gen.sql or (
        'JOIN "orders" ON "customers"."id" = "orders"."customer_id"' in gen.sql
    ), gen.sql
    assert answers_match([r[0] for r in gen.rows], expected), (gen.sql, gen.rows)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("沙田的金額總和是多少？", ["2300"]),  # Traditional
        ("沙田的金额总和是多少？", ["2300"]),  # Simplified, data stored in Traditional
        ("灣仔有多少個案？", ["1"]),
    ],
)
def test_chinese_question_joins_on_same_name(cases_zh, question, expected):
    con, infos = cases_zh
    gen = generate_sql(con, infos, question)
    assert " JOIN " in gen.sql and '"地區代碼"' in gen.sql, gen.sql
    assert answers_match([r[0] for r in gen.rows], expected), (gen.sql, gen.rows)


def test_question_joins_on_value_key(teams):
    con, infos = teams
    gen = generate_sql(con, infos, "total hours of cases handled by the Licensing team")
    assert " JOIN " in gen.sql, gen.sql
    assert answers_match([r[0] for r in gen.rows], ["9"]), (gen.sql, gen.rows)  # 3 + 2 + 4


def test_one_table_question_does_not_join(shop):
    con, infos = shop
    gen = generate_sql(con, infos, "which customers are in Sha Tin?")
    assert "JOIN" not in gen.sql
    assert answers_match([r[0] for r in gen.rows], ["Chan Tai Man", "Wong Ka Yan"]), (gen.sql, gen.rows)


def test_sqlite_declared_key_is_used_in_eval(tmp_path):
    import json
    import sqlite3

    from ai_toolbox.analysis.evaluate import run_eval

    db = tmp_path / "depts.sqlite"
    src = sqlite3.connect(db)
    src.executescript(
        """
        CREATE TABLE dept (code TEXT PRIMARY KEY, title TEXT);
        CREATE TABLE staff (person TEXT, unit TEXT REFERENCES dept(code), grade INTEGER);
        INSERT INTO dept VALUES ('HY', 'Highways'), ('WS', 'Water Supplies');
        INSERT INTO staff VALUES ('Chan', 'HY', 3), ('Lee', 'WS', 5), ('Wong', 'HY', 4);
        """
    )
    src.commit()
    src.close()
    questions = [
        {
            "id": "1",
            "question": "total grade of staff in Highways",
            "sql": "SELECT SUM(grade) FROM staff WHERE unit = 'HY'",
        },
        {
            "id": "2",
            "question": "how many staff in Water Supplies",
            "sql": "SELECT COUNT(*) FROM staff WHERE unit = 'WS'",
        },
    ]
    (tmp_path / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in questions) + "\n", "utf-8")
    from ai_toolbox.analysis.evaluate import _load_sqlite_db

    con, infos = _load_sqlite_db(db)
    con.close()
    assert ("staff", "unit", "dept", "code", "declared") in _keys(infos)
    result = run_eval(tmp_path)
    assert result.n == 2 and result.accuracy == 1.0, result


@pytest.fixture
def districts():
    """districts(district, area, population) and offices(office, district): which table a question is about."""
    con = _db(
        {
            "districts": (
                ["district", "population", "area"],
                [("Sha Tin", 692806, 69.3), ("Wan Chai", 166695, 9.8), ("Kwun Tong", 673166, 11.3)],
            ),
            "offices": (
                ["office", "district"],
                [("Sha Tin Central", "Sha Tin"), ("Ma On Shan", "Sha Tin"), ("Wan Chai North", "Wan Chai")],
            ),
        }
    )
    lock_down(con)
    yield con, [describe(con, "districts"), describe(con, "offices")]
    con.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how big is Sha Tin?", ["69.3"]),  # "big" reads as area before population
        ("how many offices are in Sha Tin?", ["2"]),  # the table the question names ("offices")
        ("how many people live in Kwun Tong?", ["673166"]),
    ],
)
def test_question_picks_the_table_it_is_about(districts, question, expected):
    con, infos = districts
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), (gen.sql, gen.rows)


def test_key_with_few_distinct_values_still_joins():
    """Many orders from two customers: the referencing column repeats, the referenced one is unique."""
    orders = [(200 + i, 1 + i % 2, 10.0 * (i + 1)) for i in range(12)]
    con = _db(
        {
            "customers": (["id", "name", "district"], CUSTOMERS),
            "orders": (["order_no", "customer_id", "amount"], orders),
        }
    )
    lock_down(con)
    infos = [describe(con, "customers"), describe(con, "orders")]
    assert ("orders", "customer_id", "customers", "id", "table_id") in _keys(infos)
    gen = generate_sql(con, infos, "what is the total amount of orders from customers in Wan Chai?")
    assert " JOIN " in gen.sql, gen.sql
    assert answers_match([r[0] for r in gen.rows], ["420"]), (gen.sql, gen.rows)  # 20 + 40 + ... + 120
