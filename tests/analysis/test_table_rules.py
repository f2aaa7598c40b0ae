"""Rules for cells as people write them: ordinals, bracketed notes, months in text dates, 'same as'."""

from __future__ import annotations

import duckdb
import pytest

from ai_toolbox.analysis import answers, tables
from ai_toolbox.analysis.ask import generate_sql
from ai_toolbox.analysis.evaluate import answers_match
from ai_toolbox.analysis.schema import describe
from ai_toolbox.analysis.sqlsafe import lock_down

HEADER = ["Date", "Competition", "Venue", "Surface", "Position", "FinalPoints", "Wins"]
ROWS = [
    ("July 7, 2001", "Open A", "Doha", "Hard", "1st", "412.5", "3"),
    ("August 19, 2001", "Open B", "Rome", "Clay", "3rd", "388.0", "—"),
    ("September 2, 2001", "Open C", "Tokyo", "Hard (i)", "1st", "430.25", "5"),
    ("October 14, 2001", "Open D", "Paris", "Hard", "2nd", "401.0", "No team"),
    ("October 28, 2001", "Open E", "Lima", "Clay", "3rd", "377.75", "2"),
    ("December 1, 2001", "Open F", "Oslo", "Grass", "5th", "365.5", "4"),
    ("March 3, 2002", "Open G", "Cairo", "Grass", "4th", "380.0", "1"),
    ("April 21, 2002", "Open H", "Quito", "Clay", "6th", "370.0", "0"),
    ("May 5, 2002", "Open I", "Seoul", "Grass", "4th", "399.0", "2"),
    ("June 9, 2002", "Open J", "Delhi", "Clay", "6th", "366.0", "1"),
]


@pytest.fixture(scope="module")
def results():
    con = duckdb.connect()
    tables.create_table(con, "results", tables.rows_to_arrow(HEADER, [list(r) for r in ROWS]))
    lock_down(con)
    yield con, [describe(con, "results")]
    con.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # ordinals as finishing positions: "first" is the cell "1st"
        ("how many times did she finish first?", ["2"]),
        ("in which competitions did she place third?", ["Open B", "Open E"]),
        # a cell with a bracketed note counts as the value: "Hard (i)" is hard
        ("how many competitions were on a hard surface?", ["3"]),
        # months in dates written as text
        ("how many competitions were in october?", ["2"]),
        ("how many competitions took place after august?", ["4"]),
        ("how many competitions were held before september 2, 2001?", ["2"]),
        ("十月有多少場比賽？", ["2"]),
        ("十月有多少场比赛？", ["2"]),
        # "same ... as": the other rows sharing the named row's value
        ("which venues had the same position as doha?", ["Tokyo"]),
        # names written together ("FinalPoints") are read as words
        ("which venue had the least final points?", ["Oslo"]),
        # a column of counts with notes ("—", "No team") is numeric
        ("which venue had the most wins?", ["Tokyo"]),
    ],
)
def test_question_over_cells_as_written(results, question, expected):
    con, infos = results
    gen = generate_sql(con, infos, question)
    got = [r[0] for r in gen.rows]
    assert answers_match(got, expected), (gen.sql, got)
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], "en")


def test_month_on_a_date_column(sales_db):
    con, infos = sales_db
    gen = generate_sql(con, infos, "what is the total amount in october?")
    assert "MONTH(" in gen.sql, gen.sql
    assert answers_match([r[0] for r in gen.rows], ["220"]), (gen.sql, gen.rows)


def test_may_as_a_verb_is_not_a_month(results):
    con, infos = results
    gen = generate_sql(con, infos, "which venue may have the most wins?")
    assert "STRPOS" not in gen.sql, gen.sql


def test_column_with_one_value_is_not_the_answer():
    con = duckdb.connect()
    rows = [["Sha Tin", "New Territories", "Hong Kong"], ["Wan Chai", "Hong Kong Island", "Hong Kong"]]
    rows += [["Kwun Tong", "Kowloon", "Hong Kong"]]
    tables.create_table(con, "places", tables.rows_to_arrow(["place", "region", "country"], rows))
    lock_down(con)
    gen = generate_sql(con, [describe(con, "places")], "where is Kwun Tong?")
    assert [r[0] for r in gen.rows] == ["Kowloon"], gen.sql
