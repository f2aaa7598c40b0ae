"""Wide tables, with periods as columns, read the other way round (`wide.py`): a value per district
and year as a long view, a climate table's measures by month as a turned view."""

from __future__ import annotations

import duckdb
import pytest

from ai_toolbox.analysis import tables, wide
from ai_toolbox.analysis.ask import generate_sql
from ai_toolbox.analysis.profile import profile_table
from ai_toolbox.analysis.schema import describe
from ai_toolbox.analysis.sqlsafe import lock_down

DISTRICTS = (
    ["District", "2019", "2020", "2021", "2022"],
    [
        ("Sha Tin", "120", "135", "150", "160"),
        ("Kwun Tong", "200", "180", "170", "190"),
        ("Yau Tsim Mong", "90", "95", "130", "100"),
        ("Central and Western", "60", "70", "65", "80"),
    ],
)
# As climate tables are published: the first header names the columns' periods, not the rows.
CLIMATE = (
    ["Month", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Year"],
    [
        ("Record high °C", "26.9", "27.8", "30.1", "33.4", "35.5", "35.6", "35.6"),
        ("Average high °C", "18.7", "18.9", "21.4", "25.0", "28.4", "30.2", "23.8"),
        ("Record low °C", "0.0", "2.4", "4.8", "9.9", "15.4", "19.2", "0.0"),
        ("Rainfall mm (inches)", "33.2 (1.31)", "43.8 (1.72)", "72.1 (2.84)", "136.2 (5.36)",
         "303.4 (11.94)", "456.1 (17.96)", "1044.8 (41.13)"),
    ],
)
# Two labels: a district and what is measured there
MEASURES = (
    ["District", "Measure", "2019", "2020", "2021"],
    [
        ("Sha Tin", "Population", "690", "692", "695"),
        ("Sha Tin", "Enquiries", "120", "135", "150"),
        ("Kwun Tong", "Population", "700", "705", "710"),
        ("Kwun Tong", "Enquiries", "200", "180", "170"),
    ],
)
ZH_DISTRICTS = (["地區", "2019", "2020", "2021"], [("沙田", "120", "135", "150"), ("觀塘", "200", "180", "170")])


def _connect(table: tuple[list[str], list[tuple[str, ...]]]):  # type: ignore[no-untyped-def]
    header, rows = table
    con = duckdb.connect()
    tables.create_table(con, "t", tables.rows_to_arrow(header, [list(r) for r in rows]))
    lock_down(con)
    return con, [describe(con, "t")]


def _rows(table: tuple[list[str], list[tuple[str, ...]]], question: str) -> tuple[list[tuple], str]:
    con, infos = _connect(table)
    gen = generate_sql(con, infos, question)
    return [tuple(r) for r in gen.rows], gen.sql


@pytest.mark.parametrize(
    ("name", "kind"),
    [("2019", "year"), ("2019/20", "year"), ("FY2021", "year"), ("2021年", "year"), ("Jan", "month"),
     ("September", "month"), ("Sept", "month"), ("3月", "month"), ("十二月", "month"), ("Q1", "quarter"),
     ("2023 Q2", "quarter"), ("第一季", "quarter"), ("District", None), ("Janitor", None), ("1.5", None)],
)
def test_period_columns_are_recognised(name: str, kind: str | None) -> None:
    assert wide.period_kind(name) == kind


def test_a_table_of_things_by_year_offers_a_long_view() -> None:
    con, (info,) = _connect(DISTRICTS)
    (view,) = info.views
    assert (view.name, view.turned) == ("t by year", False)
    assert [c.name for c in view.columns] == ["District", "Year", "Value"]
    assert view.rows == 16 and view.periods == ("2019", "2020", "2021", "2022")
    # the view's SQL runs on the table as stored, in the table's order
    first = con.execute(f"SELECT * FROM ({view.body}) ORDER BY rowid LIMIT 2").fetchall()
    assert [r[:3] for r in first] == [("Sha Tin", 2019, 120.0), ("Sha Tin", 2020, 135.0)]


def test_a_table_of_measures_by_month_is_turned() -> None:
    _, (info,) = _connect(CLIMATE)
    (view,) = info.views
    assert view.turned
    # the annual column is not a month; months are written in full, as questions say them
    assert [c.name for c in view.columns] == ["Month", "Record high °C", "Average high °C", "Record low °C",
                                              "Rainfall mm (inches)"]
    assert view.column("Month").values == ["January", "February", "March", "April", "May", "June"]


def test_the_profile_says_how_a_wide_table_is_read() -> None:
    con, _ = _connect(DISTRICTS)
    assert profile_table(con, "t").read_by == ["District", "Year"]
    con, _ = _connect(CLIMATE)
    assert profile_table(con, "t").read_by == ["Month"]


def test_a_narrow_table_has_no_views() -> None:
    _, (info,) = _connect((["Year", "District", "Cases"], [("2019", "Sha Tin", "5"), ("2020", "Sha Tin", "7")]))
    assert info.views == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what was the total for sha tin", [(565.0,)]),
        ("how many cases in sha tin", [(565.0,)]),
        ("what was the average for kwun tong", [(185.0,)]),
        ("which year had the highest total", [(2022,)]),
        ("in which year did yau tsim mong have the most", [(2021,)]),
        ("which district had the most cases", [("Kwun Tong",)]),
        ("which district had the fewest cases", [("Central and Western",)]),
        # the view is a log of figures by district and year: groups are totalled or averaged
        ("which districts had a total above 600", [("Kwun Tong",)]),
        ("in which year was the total lowest", [(2019,)]),
        ("which year had the highest average", [(2022,)]),
        ("which district had the highest average", [("Kwun Tong",)]),
        ("show sha tin by year", [(2019, 120), (2020, 135), (2021, 150), (2022, 160)]),
        ("how did sha tin change over the years", [(2019, 120), (2020, 135), (2021, 150), (2022, 160)]),
        # a bound that is no year compares the figures, not the years
        ("how many years did sha tin have more than 130", [(3,)]),
        ("in how many years was kwun tong below 190", [(2,)]),
        # two years named: the change between them, from the long view
        ("how did sha tin change from 2019 to 2022", [(120, 160, 40)]),
        ("which district grew the most from 2019 to 2022", [("Sha Tin", 120, 160, 40)]),
        # a year the table has as a column is read from that column, as before
        ("which district had the most cases in 2021", [("Kwun Tong",)]),
        ("how many districts had more than 100 in 2019", [(2,)]),
        ("what was the total in 2020", [(480,)]),
    ],
)
def test_questions_over_a_table_of_things_by_year(question: str, expected: list[tuple]) -> None:
    rows, sql = _rows(DISTRICTS, question)
    assert rows == expected, sql


QUARTERS = (
    ["Channel", "2023 Q1", "2023 Q2", "2023 Q3", "2023 Q4"],
    [("Phone", "120", "130", "125", "140"), ("Online", "300", "320", "350", "380"),
     ("Counter", "80", "75", "70", "60")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which quarter had the highest total", [("2023 Q4",)]),
        ("which quarter had the lowest total for phone", [("2023 Q1",)]),
        ("what was the total for online", [(1350,)]),
    ],
)
def test_questions_over_things_by_quarter(question: str, expected: list[tuple]) -> None:
    rows, sql = _rows(QUARTERS, question)
    assert rows == expected, sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what were the total enquiries for kwun tong", [(550,)]),
        ("which district had the most enquiries", [("Kwun Tong",)]),
        ("which district had the fewest enquiries", [("Sha Tin",)]),
        ("what was the population of sha tin in 2021", [(695,)]),
    ],
)
def test_questions_over_things_and_measures_by_year(question: str, expected: list[tuple]) -> None:
    rows, sql = _rows(MEASURES, question)
    assert rows == expected, sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which month had the most rainfall", [("June",)]),
        ("which month had the highest record high", [("June",)]),
        ("between january, march and may which month had the most rainfall", [("May",)]),
        ("how many months had a record low below 5", [(3,)]),
        ("what was the average high in april", [(25.0,)]),
    ],
)
def test_questions_over_measures_by_month(question: str, expected: list[tuple]) -> None:
    rows, sql = _rows(CLIMATE, question)
    assert rows == expected, sql
    assert sql.startswith('WITH "t by month" AS (')


@pytest.mark.parametrize(
    ("question", "expected"),
    [("沙田的總數是多少", [(405.0,)]), ("哪一年的總數最高", [(2019,)]), ("觀塘的平均值是多少", [(183.33,)])],
)
def test_chinese_questions_over_a_wide_table(question: str, expected: list[tuple]) -> None:
    rows, sql = _rows(ZH_DISTRICTS, question)
    assert rows == expected, sql
    assert '"數值"' in sql


# As Wikipedia's climate tables write them: °F first, °C in brackets, the minus sign U+2212
FAHRENHEIT = (
    ["Month", "Jan", "Feb", "Mar", "Apr", "Year"],
    [("Record high °F (°C)", "60\n(16)", "65\n(18)", "80\n(27)", "88\n(31)", "88\n(31)"),
     ("Record low °F (°C)", "−2\n(−19)", "20\n(−7)", "33\n(1)", "38\n(3)", "−2\n(−19)")],
)


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # freezing is 32 where the table gives °F first, 0 in °C
        (FAHRENHEIT, "how many months saw record lows below freezing?", [(2,)]),
        (CLIMATE, "how many months had record lows below freezing", [(0,)]),
        (CLIMATE, "how many months had a record low above freezing", [(5,)]),
        # "−2" is minus two, not two
        (FAHRENHEIT, "which month had the lowest record low", [("January",)]),
        (FAHRENHEIT, "how many months had a record low below 0", [(1,)]),
    ],
)
def test_temperatures_below_freezing_and_minus_signs(table, question: str, expected: list[tuple]) -> None:
    rows, sql = _rows(table, question)
    assert rows == expected, sql


def test_a_month_column_of_measures_keeps_its_own_name() -> None:
    """A table whose label column is not headed by a period word gets "Month" for the view's periods."""
    table = (["Indicator", "Jan", "Feb", "Mar"], [("Rainfall mm", "1", "2", "3"), ("Average high °C", "4", "5", "6")])
    _, (info,) = _connect(table)
    (view,) = info.views
    assert view.turned and view.columns[0].name == "Month"
    rows, sql = _rows(table, "which month had the most rainfall")
    assert rows == [("March",)], sql
