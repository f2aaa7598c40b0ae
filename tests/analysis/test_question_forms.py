"""Question forms over a small season-by-season table: absence, year ranges, plurals, ordering."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from ai_toolbox.analysis import answers, tables
from ai_toolbox.analysis.ask import generate_sql
from ai_toolbox.analysis.evaluate import answers_match
from ai_toolbox.analysis.schema import describe
from ai_toolbox.analysis.sqlsafe import lock_down
from ai_toolbox.analysis.textutil import detect_language

# Newest season first, so that row order and year order disagree.
HEADER = ["Season", "Club", "Position", "No.", "Games", "Goals", "Assists", "Sponsor"]
ROWS = [
    ("2008", "Rovers", "MF", "8", "30", "4", "0", "Acme"),
    ("2007", "Rovers", "FW", "9", "28", "11", "2", ""),
    ("2006", "United", "MF", "9", "25", "2", "0", "—"),
    ("2005", "United", "DF", "10", "20", "0", "1", "Bolt"),
    ("2004", "City", "MF", "10", "18", "1", "0", ""),
    ("2003", "City", "FW", "7", "12", "6", "3", "Acme"),
]


def _connect(header: list[str], rows: list[tuple[str, ...]]):
    con = duckdb.connect()
    tables.create_table(con, "t", tables.rows_to_arrow(header, [list(r) for r in rows]))
    lock_down(con)
    return con, [describe(con, "t")]


def _ask(table: tuple[list[str], list[tuple[str, ...]]], question: str):  # type: ignore[no-untyped-def]
    """What the parser makes of `question` over a (header, rows) table."""
    con, infos = _connect(*table)
    return generate_sql(con, infos, question)


def _expect_rows(table: tuple[list[str], list[tuple[str, ...]]], question: str, expected: list[tuple]) -> None:
    """The parser's rows for `question` over `table` are `expected`; the SQL is shown when not."""
    gen = _ask(table, question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


@pytest.fixture(scope="module")
def career():
    con, infos = _connect(HEADER, ROWS)
    yield con, infos
    con.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "no X" / "without X": the column is empty or zero, and "no" does not name the "No." column
        ("how many seasons had no assists?", ["3"]),
        ("how many seasons had no goals?", ["1"]),
        ("how many seasons did he play without a sponsor?", ["3"]),
        # a year that is also a cell is a range when the question counts or totals
        ("how many goals did he score before 2006?", ["7"]),
        ("how many seasons did he play after 2005?", ["3"]),
        # the years bounding "between" are not single rows
        ("which positions did he play between 2004-2006?", ["MF", "DF"]),
        # first and last year by the years, not by the (newest first) row order
        ("what was the last year he played for rovers?", ["2008"]),
        ("what was the first year he played as a mf?", ["2004"]),
        # "the least amount of X": the smallest value of X itself
        ("what was the least amount of goals scored in a season?", ["0"]),
    ],
)
def test_question_form(career, question, expected):
    con, infos = career
    gen = generate_sql(con, infos, question)
    got = [r[0] for r in gen.rows]
    assert answers_match(got, expected), (gen.sql, got)


def test_plural_in_ies_names_a_column():
    con, infos = _connect(["Movie", "Studio"], [("Alpha", "X"), ("Beta", "Y"), ("Alpha", "Y")])
    gen = generate_sql(con, infos, "how many different movies are there?")
    assert answers_match([r[0] for r in gen.rows], ["2"]), gen.sql


def test_years_between_two_named_rows():
    con, infos = _connect(
        ["Name", "Year built"], [("Old Mill", "1850"), ("Town Hall", "1902"), ("Bridge House", "1875")]
    )
    gen = generate_sql(con, infos, "how many years after the old mill was built was the town hall built?")
    assert answers_match([r[0] for r in gen.rows], ["52"]), gen.sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [("were more episodes aired in 1967 or 1968?", "1967"), ("were fewer episodes aired in 1967 or 1968?", "1968")],
)
def test_which_of_two_years_has_more_rows(question, expected):
    dates = ["March 3, 1967", "May 5, 1967", "June 9, 1967", "April 1, 1968", "May 2, 1968", "May 9, 1969"]
    con, infos = _connect(["Title", "Air Date"], [(f"Episode {i}", d) for i, d in enumerate(dates, 1)])
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], [expected]), gen.sql


def test_count_of_an_ordinal_in_a_named_position_column():
    rows = [("2001", "Open A", "1st"), ("2002", "Open B", "3rd"), ("2003", "Open C", "1st"), ("2004", "Open D", "2nd")]
    con, infos = _connect(["Year", "Competition", "Position"], rows)
    gen = generate_sql(con, infos, "how many times was first listed as the position?")
    assert answers_match([r[0] for r in gen.rows], ["2"]), gen.sql


@pytest.mark.parametrize(
    ("last_row", "question", "expected"),
    [
        # a career total whose first cell is empty and whose label is in no known language
        (("", "", "Totaal", "140", "9"), "how many seasons were played?", "4"),
        # a last row whose numbers are the sums of the rows above
        (("All", "-", "-", "60", "8"), "what was the highest number of games in a season?", "20"),
    ],
)
def test_totals_row_is_not_data(last_row, question, expected):
    rows = [
        ("2001", "Mons", "League", "10", "1"),
        ("2002", "Mons", "League", "15", "2"),
        ("2003", "Ghent", "Cup", "20", "3"),
        ("2004", "Ghent", "League", "15", "2"),
        last_row,
    ]
    con, infos = _connect(["Season", "Club", "Competition", "Games", "Goals"], rows)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], [expected]), gen.sql


def test_numbers_with_spaces_between_thousands():
    rows = [("1950-1955", "66 000"), ("1955-1960", "89 000"), ("1960-1965", "104 000"), ("1965-1970", "121 000")]
    con, infos = _connect(["Period", "Deaths"], rows)
    gen = generate_sql(con, infos, "what was the first period with more than 100,000 deaths?")
    assert answers_match([r[0] for r in gen.rows], ["1960-1965"]), gen.sql


def test_total_number_of_reads_a_total_column():
    rows = [("Australia", "2", "1", "3"), ("Italy", "1", "1", "2"), ("Spain", "0", "2", "2")]
    con, infos = _connect(["Nation", "Gold", "Silver", "Total"], rows)
    gen = generate_sql(con, infos, "what was the total number of medals won by australia?")
    assert answers_match([r[0] for r in gen.rows], ["3"]), gen.sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a count naming a yes/no column counts its yes rows
        ("how many sites support the mobile app?", "3"),
        # "free of X", "no X": the no rows of a yes/no column ("?" is not a no)
        ("how many sites are free of advertising?", "2"),
        ("how many sites have no advertising?", "2"),
    ],
)
def test_yes_no_columns(question, expected):
    rows = [
        ("Alpha", "Free", "Yes - limited", "Yes"),
        ("Beta", "Free", "None", "Yes (beta)"),
        ("Gamma", "Paid", "No", "No"),
        ("Delta", "Free", "?", "Yes"),
        ("Epsilon", "Paid", "Yes", "No"),
    ]
    con, infos = _connect(["Name", "Cost", "Advertising", "Mobile app"], rows)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], [expected]), gen.sql


RACES = [
    ("1", "Ann Lee", "Honda", "7", "25", "12,000", "Finished"),
    ("2", "Bo Kim", "Yamaha", "7", "20", "9,500", "Finished"),
    ("3", "Cy Ray", "Yamaha", "12", "16", "15,250", "Finished"),
    ("DNF", "Di Orr", "Yamaha", "30", "0", "8,000", "Accident"),
    ("Ret", "Ed Fox", "Suzuki", "41", "0", "10,100", "Engine"),
]


@pytest.fixture(scope="module")
def race():
    con, infos = _connect(["Pos", "Rider", "Manufacturer", "No.", "Points", "Attendance", "Note"], RACES)
    yield con, infos
    con.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "did not finish": the codes results tables write for it
        ("how many riders did not finish the race?", ["2"]),
        # "attendees" is the attendance
        ("which rider raced before the least number of attendees?", ["Di Orr"]),
        # "the same number as": a "No." column
        ("who has the same number as ann lee?", ["Bo Kim"]),
        # "the top rider" of a ranked table is its first row, not the most frequent manufacturer
        ("which manufacturer did the top rider use?", ["Honda"]),
        # a position in the table itself, with no column named
        ("what is listed at the top of the table?", ["1"]),
    ],
)
def test_race_questions(race, question, expected):
    con, infos = race
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), (gen.sql, gen.rows)


def test_number_and_its_unit_name_no_column():
    rows = [
        ("PG7", "11.3 (0.44)", "0.05 (1.27)"),
        ("PG9", "55.1 (2.17)", "0.06 (1.41)"),
        ("PG11", "60.2 (2.37)", "0.05 (1.27)"),
    ]
    con, infos = _connect(["Size", "Inner diameter [mm (in)]", "Pitch [in (mm)]"], rows)
    gen = generate_sql(con, infos, "what is the number of sizes with an inner diameter above 50 mm?")
    assert answers_match([r[0] for r in gen.rows], ["2"]), gen.sql


def test_number_of_counts_rows_unless_a_measure_follows():
    rows = [("2001", "Rovers", "4"), ("2002", "Rovers", "11"), ("2003", "City", "2")]
    con, infos = _connect(["Season", "Club", "Goals scored"], rows)
    gen = generate_sql(con, infos, "what is the number of seasons at rovers with goals?")
    assert answers_match([r[0] for r in gen.rows], ["2"]), gen.sql
    gen = generate_sql(con, infos, "what is the number of goals scored at rovers?")
    assert answers_match([r[0] for r in gen.rows], ["15"]), gen.sql


def test_number_inside_a_column_name_is_not_a_filter():
    rows = [
        ("9 December 2003", "£1.00", "£2.00"),
        ("16 August 2004", "£2.00", "£3.00"),
        ("14 June 2005", "£2.50", "£3.50"),
    ]
    con, infos = _connect(["Date introduced", "Class 1 (e.g. Motorbike)", "Class 2 (e.g. Car)"], rows)
    gen = generate_sql(con, infos, "on what date did the toll for class 1 first go above 2.00?")
    assert answers_match([r[0] for r in gen.rows], ["14 June 2005"]), gen.sql


def test_value_as_the_first_of_several_in_a_cell():
    rows = [
        ("1997", "Professional writer\nWinner of the Nobel Peace Prize"),
        ("1998", "Professional writer and Pulitzer Prize winner"),
        ("1999", "Historian and writer"),
        ("2000", "Professional writer"),
        ("2001", "Editor"),
    ]
    con, infos = _connect(["Year", "Profession"], rows)
    gen = generate_sql(con, infos, "how many times is professional writer listed as the profession?")
    assert answers_match([r[0] for r in gen.rows], ["3"]), gen.sql


def test_topped_a_chart_column():
    rows = [
        ("1982", '"Take You Home"', "Becket", "―", "―"),
        ("1982", '"Thanks to You"', "Becket", "#44", "#1"),
        ("1983", '"I Need You Now"', "Jive", "#1", "#12"),
    ]
    con, infos = _connect(["Year", "Name", "Label", "Hot Black Singles", "Club Play Singles"], rows)
    gen = generate_sql(con, infos, "which song topped the club play singles list?")
    assert answers_match([r[0] for r in gen.rows], ['"Thanks to You"']), gen.sql


def test_next_steps_from_the_value_named_after_the_step_word():
    rows = [("Ann Lee", "Red Racing"), ("Bo Kim", "Blue Racing"), ("Cy Ray", "Red Racing")]
    con, infos = _connect(["Driver", "Team"], rows)
    gen = generate_sql(con, infos, "which red racing driver came after bo kim?")
    assert answers_match([r[0] for r in gen.rows], ["Cy Ray"]), gen.sql


def test_ordinal_word_matches_a_numeral_inside_cells():
    rows = [
        ("Kris Kelmi", "Pelicans", "2nd Voted Out, Day 6"),
        ("Yelena Kondulaynen", "Pelicans", "1st Voted Out, Day 3"),
        ("Ivan Lyubimov", "Barracudas", "Sole Survivor"),
    ]
    con, infos = _connect(["Contestant", "Tribe", "Finish"], rows)
    gen = generate_sql(con, infos, "who was the first voted out?")
    assert answers_match([r[0] for r in gen.rows], ["Yelena Kondulaynen"]), gen.sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [("when did alpha bistro close?", "October 2011"), ("when did alpha bistro open?", "May 2004")],
)
def test_verb_names_its_past_participle_column(question, expected):
    rows = [("Alpha Bistro", "May 2004", "October 2011"), ("Beta Grill", "June 2010", "March 2012")]
    con, infos = _connect(["Restaurant", "Date Opened", "Date Closed"], rows)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], [expected]), gen.sql


ENQUIRIES = (
    ["district", "channel", "enquiries"],
    [
        ("中西區", "phone", "30"),
        ("東區", "phone", "12"),
        ("中西區", "email", "5"),
        ("油尖旺", "counter", "20"),
        ("東區", "email", "8"),
    ],
)


@pytest.mark.parametrize(
    "question",
    ["enquiries by district", "各區的查詢數目", "每区的查询数量", "number of enquiries per district"],
)
def test_a_breakdown_totals_the_number_column_per_group(question):
    con, infos = _connect(*ENQUIRIES)
    result = generate_sql(con, infos, question)
    assert "GROUP BY" in result.result.sql and "LIKE" not in result.result.sql
    assert dict(result.rows) == {"中西區": 35, "油尖旺": 20, "東區": 20}


def test_a_breakdown_without_a_number_column_counts_rows():
    con, infos = _connect(*ENQUIRIES)
    assert dict(generate_sql(con, infos, "channel by district").rows) == {"中西區": 2, "東區": 2, "油尖旺": 1}


def test_a_question_with_by_is_no_breakdown():
    con, infos = _connect(*ENQUIRIES)
    result = generate_sql(con, infos, "which channel had 30 enquiries by phone?")
    assert "GROUP BY" not in result.result.sql


LOG = (
    ["date", "district", "enquiries"],
    [
        ("2025-01-01", "東區", "50"),
        ("2025-01-01", "中西區", "10"),
        ("2025-01-02", "東區", "1"),
        ("2025-01-02", "中西區", "20"),
        ("2025-01-03", "東區", "2"),
        ("2025-01-03", "中西區", "30"),
    ],
)


RATED = (
    ["date", "district", "satisfaction", "avg_wait_minutes"],
    [("2025-01-0" + str(i + 1), "東區", "4", "9") for i in range(4)]
    + [("2025-01-0" + str(i + 5), "中西區", "5", "12") for i in range(3)],
)


@pytest.mark.parametrize(("table", "question", "answer", "kind"), [
    # counts add up: the largest total
    (LOG, "which district has the most enquiries?", "中西區", "total"),
    (LOG, "哪一區的查詢最多？", "中西區", "total"),
    (LOG, "which district has the fewest enquiries?", "東區", "total"),
    # ratings and averages do not: 東區 has the larger totals (16 and 36), 中西區 the higher averages
    (RATED, "which district had the highest satisfaction?", "中西區", "mean"),
    (RATED, "which district has the longest avg wait minutes?", "中西區", "mean"),
    (RATED, "which district had the lowest satisfaction?", "東區", "mean"),
])
def test_superlatives_over_a_dated_log_compare_groups(table, question, answer, kind):
    con, infos = _connect(*table)
    result = generate_sql(con, infos, question)
    assert result.rows == [(answer,)] and result.plan.intent.endswith("_" + kind), result.sql
    text = answers.explain(result.plan, [list(r) for r in result.rows], "en")
    assert ("average" in text) == (kind == "mean") and answer in text

def test_most_over_a_table_of_entities_is_the_largest_row():
    # Each row is a city with its own name: "the state with the most population" is the largest city's.
    # State a: four rows of 100 (400 in all); state b: one row of 150 and four of 1 (154 in all).
    rows = [(f"c{i}", "a", "100") for i in range(4)] + [("c4", "b", "150")] + [(f"c{i}", "b", "1") for i in range(5, 9)]
    con, infos = _connect(["city", "state", "population"], rows)
    assert generate_sql(con, infos, "which state has the most population?").rows == [("b",)]
    con, infos = _connect(["date", "state", "population"], [("2025-01-0" + str(i + 1), s, p) for i, (_, s, p) in
                                                            enumerate(rows)])
    assert generate_sql(con, infos, "which state has the most population?").rows == [("a",)]


def test_a_breakdown_of_a_rating_averages_it():
    con, infos = _connect(*RATED)
    result = generate_sql(con, infos, "satisfaction by district")
    assert dict(result.rows) == {"東區": 4, "中西區": 5} and result.plan.intent == "avg_by", result.sql


# A log of dated records: the months, quarters and years of the date column are groups of their own.
LOG_HEADER = ["date", "district", "enquiries"]
LOG_ROWS = [
    ("2025-01-06", "Sha Tin", "10"), ("2025-01-20", "Tuen Mun", "12"), ("2025-02-03", "Sha Tin", "30"),
    ("2025-02-17", "Tuen Mun", "25"), ("2025-04-07", "Sha Tin", "5"), ("2025-05-05", "Tuen Mun", "6"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which month had the most enquiries?", ["2025-02"]),
        ("哪個月查詢最少", ["2025-04"]),
        ("which quarter had the fewest enquiries?", ["2025-Q2"]),
        ("哪一季查詢最多", ["2025-Q1"]),
        ("which district had the most enquiries?", ["Sha Tin"]),  # a real column still answers
    ],
)
def test_which_month_or_quarter_groups_the_date_column(question, expected):
    con, infos = _connect(LOG_HEADER, LOG_ROWS)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), gen.sql


@pytest.mark.parametrize("question", ["enquiries by month", "每月查詢數目"])
def test_a_breakdown_by_month_is_in_time_order(question):
    con, infos = _connect(LOG_HEADER, LOG_ROWS)
    gen = generate_sql(con, infos, question)
    assert [tuple(r) for r in gen.rows] == [("2025-01", 22), ("2025-02", 55), ("2025-04", 5), ("2025-05", 6)], gen.sql
    assert gen.result.columns[0] in ("month", "月份")


def test_a_table_with_a_year_column_gets_no_computed_years():
    con, infos = _connect(["Year", "Date", "Goals"], [("2008", "2008-05-01", "4"), ("2007", "2007-05-01", "11")])
    gen = generate_sql(con, infos, "which year had the most goals?")
    assert "CAST(YEAR(" not in gen.sql, gen.sql  # the question names the table's own column


CHANNEL_HEADER = ["date", "channel", "district", "enquiries", "satisfaction"]
CHANNEL_ROWS = [
    ("2025-01-06", "phone", "沙田", "10", "2"), ("2025-01-06", "online", "沙田", "40", "4"),
    ("2025-01-06", "counter", "屯門", "30", "3"), ("2025-02-03", "phone", "屯門", "12", "2"),
    ("2025-02-03", "online", "大埔", "2", "5"), ("2025-02-03", "counter", "大埔", "35", "3"),
    ("2025-03-03", "phone", "沙田", "8", "1"), ("2025-03-03", "online", "屯門", "6", "4"),
    ("2025-03-03", "counter", "沙田", "20", "4"), ("2025-04-07", "phone", "大埔", "9", "2"),
    ("2025-04-07", "online", "屯門", "4", "5"), ("2025-04-07", "counter", "大埔", "25", "2"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the thing whose average is the extreme, not the average itself
        ("which channel had the highest average satisfaction?", ["online"]),
        ("平均滿意度最低的渠道", ["phone"]),
        ("what is the average satisfaction?", ["3.08"]),
        # an explicit "average" averages even a column that would be totalled
        ("which channel had the highest average enquiries?", ["counter"]),
        # Chinese top-k
        ("查詢最多的兩個地區", ["沙田", "大埔"]),
        ("前三個查詢最多的渠道", ["counter", "online", "phone"]),
    ],
)
def test_which_thing_has_the_extreme_average_and_chinese_top_k(question, expected):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), gen.sql
    if "average" in question or "平均" in question:
        assert "AVG(" in gen.sql, gen.sql


def test_the_explanation_of_a_top_n_lists_all_n():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "前三個查詢最多的渠道")
    text = answers.explain(gen.plan, [list(r) for r in gen.rows], "zh-Hant")
    assert "取總數最高的3個：counter、online、phone" in text, text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("total enquiries in the first quarter", ["77"]),  # a quarter of the year, not the first row
        ("how many enquiries in the second quarter?", ["11"]),
        ("第一季的查詢總數", ["77"]),
    ],
)
def test_first_quarter_is_a_date_filter(question, expected):
    con, infos = _connect(LOG_HEADER, LOG_ROWS)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), gen.sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "top N … by total X" ranks the groups, even with "total" in the question
        ("top 2 districts by total enquiries", ["沙田", "大埔"]),
        ("bottom 2 channels by total enquiries", ["phone", "online"]),
        # "busiest" over a log that counts one thing: the largest total of that count (rows tie at 4)
        ("which is the busiest channel?", ["counter"]),
        ("哪個渠道最繁忙？", ["counter"]),
        ("which channel is the quietest?", ["phone"]),
    ],
)
def test_top_n_by_a_total_and_the_busiest_group(question, expected):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert [r[0] for r in gen.rows] == expected, gen.sql
    assert gen.plan.limit == len(expected), gen.plan
    if len(expected) > 1:  # the explanation says how many it took
        text = answers.explain(gen.plan, [list(r) for r in gen.rows], "en")
        assert f"took the 2 {'largest' if question.startswith('top') else 'smallest'} totals" in text, text


def test_a_breakdown_keeps_its_group_beside_a_filter_and_explains_in_the_question_language():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "total enquiries by channel in district 沙田")
    assert [tuple(r) for r in gen.rows] == [("online", 40), ("counter", 20), ("phone", 18)], gen.sql
    question = "total enquiries by channel in district 沙田"
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question)).startswith("Added up")
    # a Chinese question naming an English column is still answered in Chinese
    assert detect_language("按channel分組的查詢總數") != "en"


@pytest.mark.parametrize("question", ["monthly enquiries", "enquiry trend", "月度查詢數目", "查詢數目的走勢"])
def test_monthly_and_trend_group_by_month(question):
    con, infos = _connect(LOG_HEADER, LOG_ROWS)
    gen = generate_sql(con, infos, question)
    assert [tuple(r) for r in gen.rows] == [("2025-01", 22), ("2025-02", 55), ("2025-04", 5), ("2025-05", 6)], gen.sql


@pytest.mark.parametrize(("question", "n"), [("top 0 districts by total enquiries", 1),
                                              ("top 99999999999999999999999 districts by total enquiries", 3)])
def test_a_top_n_out_of_range_still_runs(question, n):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert len(gen.rows) == n and gen.rows[0] == ("沙田",), gen.sql


TOPIC_HEADER = ["date", "channel", "topic", "enquiries"]
TOPIC_ROWS = [
    ("2025-01-06", "phone", "complaint", "10"), ("2025-01-06", "online", "complaint", "4"),
    ("2025-01-06", "phone", "payment", "7"), ("2025-02-03", "phone", "complaint", "5"),
    ("2025-02-03", "online", "payment", "9"), ("2025-02-03", "email", "complaint", "3"),
    ("2025-03-03", "email", "payment", "1"), ("2025-03-03", "email", "complaint", "2"),
    ("2025-03-03", "online", "complaint", "1"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a plural names the cell it counts: "complaints" is the topic 'complaint'
        ("total enquiries for complaints", [(25,)]),
        ("how many payments enquiries by phone?", [(7,)]),
        # "compare A and B": the two values side by side, totalled
        ("compare phone and online enquiries", [("phone", 22), ("online", 14)]),
        ("比較phone和online的查詢", [("phone", 22), ("online", 14)]),
    ],
)
def test_plural_values_and_comparing_two_values(question, expected):
    gen = _ask((TOPIC_HEADER, TOPIC_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


def test_several_values_of_one_column_are_explained_as_any_of_them():
    con, infos = _connect(TOPIC_HEADER, TOPIC_ROWS)
    gen = generate_sql(con, infos, "compare phone and online enquiries")
    text = answers.explain(gen.plan, [list(r) for r in gen.rows], "en")
    assert "where channel is phone or online" in text, text  # the SQL has OR, not AND
    assert "phone或online" in answers.explain(gen.plan, [list(r) for r in gen.rows], "zh-Hant")


def test_a_cell_repeating_the_column_name_is_no_plural_value():
    rows = [("Distribution", "x86"), ("Arch", "Yes"), ("Debian", "Yes"), ("Gentoo", "No")]
    con, infos = _connect(["Distribution", "x86"], rows)
    gen = generate_sql(con, infos, "how many distributions support x86?")
    assert "'Distribution'" not in gen.sql, gen.sql


def test_an_english_question_with_chinese_values_names_its_month_group_in_english():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "enquiries in 沙田 by month")
    assert gen.result.columns[0] == "month", gen.sql
    assert detect_language("compare 油尖旺 and 屯門 enquiries") == "en"
    assert detect_language("對比油尖旺和屯門的查詢數目") == "zh-Hant"


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # Chinese words for English cells: 電話 is the channel 'phone', 付款 the topic 'payment'
        ((TOPIC_HEADER, TOPIC_ROWS), "電話查詢總數", [(22,)]),
        # "the most payments" of a log totals its count column (online 9 against phone 7, a row each)
        ((TOPIC_HEADER, TOPIC_ROWS), "付款最多的渠道", [("online",)]),
        ((TOPIC_HEADER, TOPIC_ROWS), "which channel had the most payments?", [("online",)]),
        # "appears most often" still counts rows (all four channels tie at four; the first wins)
        ((CHANNEL_HEADER, CHANNEL_ROWS), "which channel appears most often?", [("phone",)]),
        # the column right after 平均 is the one averaged, not 查詢 before it
        ((CHANNEL_HEADER, CHANNEL_ROWS), "網上查詢的平均滿意度", [(4.5,)]),
    ],
)
def test_chinese_words_for_english_cells_and_what_a_log_counts(table, question, expected):
    _expect_rows(table, question, expected)


@pytest.mark.parametrize(
    ("question", "expected", "word"),
    [
        # over a log, "districts with more than 60 enquiries" compares each district's total (no
        # single record reaches 60; 沙田 has 78 in all, 大埔 71, 屯門 52)
        ("which districts had more than 60 enquiries?", ["沙田", "大埔"], "kept those"),
        ("查詢超過60的地區", ["沙田", "大埔"], "列出符合者"),
        # a rating compares averages: online 4.5, counter 3, phone 1.75
        ("which channels had average satisfaction above 2.8?", ["online", "counter"], "Averaged"),
    ],
)
def test_groups_of_a_log_pass_a_threshold_by_their_total(question, expected, word):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert [r[0] for r in gen.rows] == expected and "HAVING" in gen.sql, gen.sql
    language = detect_language(question)
    assert word in answers.explain(gen.plan, [list(r) for r in gen.rows], language)


def test_an_average_over_records_that_pass_stays_an_average():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "what is the average satisfaction of enquiries above 30?")
    assert gen.rows == [(3.5,)] and "HAVING" not in gen.sql, gen.sql  # online 40 (4) and counter 35 (3)


@pytest.mark.parametrize("question", ["enquiries by district and channel", "按地區和渠道的查詢總數"])
def test_a_breakdown_by_two_columns_is_a_cross_tabulation(question):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    cells = {(r[0], r[1]): r[2] for r in gen.rows}
    assert cells[("沙田", "online")] == 40 and cells[("大埔", "counter")] == 60 and len(cells) == 9, gen.sql
    text = answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question))
    assert ("for each district and channel" in text) or ("按district及channel分組" in text), text


def test_a_month_and_a_column_cross_tabulate_in_time_order():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "enquiries by month and channel")
    assert [tuple(r) for r in gen.rows][:3] == [("2025-01", "counter", 30), ("2025-01", "online", 40),
                                                ("2025-01", "phone", 10)], gen.sql
    # "by district and 沙田": a value after "and" is a filter, not a second group
    gen = generate_sql(con, infos, "enquiries by channel in 沙田 and 大埔")
    assert gen.plan.group2 is None, gen.sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # months named as a span, as "2025-02", or two of them (a row is in one month, so either)
        ("total enquiries between january and february", [(77,)]),
        ("一月至二月的查詢總數", [(77,)]),
        ("total enquiries in 2025-02", [(55,)]),
        ("total enquiries in january and april", [(67,)]),
        # the busiest day of a log: the day with the largest total (2025-02-03: 30 + 25), though
        # the largest single record (40) is on 2025-04-07
        ("what was the busiest day?", [("2025-02-03",)]),
        ("哪一天查詢最多", [("2025-02-03",)]),
        ("what is the latest date?", [("2025-05-05",)]),
    ],
)
def test_month_spans_iso_months_and_days(question, expected):
    rows = [*LOG_ROWS, ("2025-02-03", "Tuen Mun", "25"), ("2025-04-07", "Tuen Mun", "40")]
    rows = [r for r in rows if r != ("2025-02-17", "Tuen Mun", "25")]
    con, infos = _connect(LOG_HEADER, rows)
    gen = generate_sql(con, infos, question)
    assert [tuple(str(v) if hasattr(v, "isoformat") else v for v in r) for r in gen.rows] == expected, gen.sql


@pytest.mark.parametrize(
    ("question", "first_rows"),
    [
        # how a number moved: the months side by side, within the months named
        ("how did enquiries change from january to february?", [("2025-01", 80), ("2025-02", 49)]),
        ("查詢數目在一月至二月的變化", [("2025-01", 80), ("2025-02", 49)]),
        # with a group: months × group, in time order
        ("how did enquiries change by channel?", [("2025-01", "counter", 30), ("2025-01", "online", 40)]),
        ("各渠道查詢數目的變化", [("2025-01", "counter", 30), ("2025-01", "online", 40)]),
        ("enquiry trend by channel", [("2025-01", "counter", 30), ("2025-01", "online", 40)]),
    ],
)
def test_change_and_trend_questions_show_the_months(question, first_rows):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert [tuple(r) for r in gen.rows][: len(first_rows)] == first_rows, gen.sql


BUDGET_HEADER = ["年度", "部門", "項目", "預算", "實際支出"]
BUDGET_ROWS = [
    ("2023", "運輸署", "人手", "50", "55.1"), ("2023", "運輸署", "設備", "20", "10.2"),
    ("2023", "房屋署", "人手", "30", "31.3"), ("2023", "房屋署", "設備", "40", "20.1"),
    ("2024", "運輸署", "人手", "60", "50.0"), ("2024", "運輸署", "設備", "25", "30.3"),
    ("2024", "房屋署", "人手", "35", "20.0"), ("2024", "房屋署", "設備", "45", "58.0"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # one number column against another, row by row
        ("實際支出超過預算的項目有多少個？", [(4,)]),
        ("how many items had spending above budget?", [(4,)]),
        ("which items had spending over budget in 2024?", [("設備",)]),
        # records per year: a department's total (運輸署 145.6 against 房屋署 129.4), though the single
        # largest line (58.0) is 房屋署's
        ("which department spent the most?", [("運輸署",)]),
        ("哪個部門的預算最少？", [("房屋署",)]),
        # the year groups (in year order), the other number is added up; a filter keeps "by department"
        ("各年度的預算總額", [(2023, 140), (2024, 165)]),
        ("total budget by department in 2024", [("運輸署", 85), ("房屋署", 80)]),
    ],
)
def test_budget_questions(question, expected):
    gen = _ask((BUDGET_HEADER, BUDGET_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


def test_years_and_a_total_chart_as_a_line_and_sums_show_without_float_noise():
    from ai_toolbox.analysis import charts

    assert charts.choose(["年度", "sum"], ["BIGINT", "DOUBLE"], [[2023, 1.0], [2024, 2.0]]) == "line"
    assert charts.choose(["area", "population"], ["DOUBLE", "BIGINT"], [[1.0, 2], [3.0, 4]]) == "scatter"
    assert answers._jsonable(1592.8000000000002) == 1592.8 and answers._jsonable(0.125) == 0.125


def test_a_pie_only_for_slices_of_one_whole():
    from ai_toolbox.analysis import charts

    types = ["VARCHAR", "DOUBLE"]
    shares = [["phone", 60.0], ["online", 40.0]]
    assert charts.choose(["channel", "percent"], types, shares, "what share of enquiries by channel") == "pie"
    # each department's spending as a percentage of its own budget: no whole to slice
    own = [["運輸署", 96.2], ["房屋署", 91.4]]
    assert charts.choose(["部門", "percent"], types, own, "spending as a percentage of budget by department") == "bar"
    assert charts.choose(["部門", "ratio"], types, [["a", 0.9], ["b", 0.1]], "the ratio of spending to budget") == "bar"
    # whole records ("the 5 most recent records") read better as a table
    record = ["date", "district", "channel", "topic", "enquiries"]
    rows = [["2025-10-29", "大埔", "email", "payment", 37], ["2025-10-28", "葵青", "phone", "general", 40]]
    assert charts.choose(record, ["DATE", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT"], rows) is None


CASES_HEADER = ["Case No", "Received", "Type", "Status", "Days to close", "Officer"]
CASES_ROWS = [
    ("C-001", "2025-01-06", "Noise", "Closed", "30", "Chan"), ("C-002", "2025-01-20", "Noise", "Closed", "20", "Lee"),
    ("C-003", "2025-01-28", "Hygiene", "Closed", "12", "Chan"), ("C-004", "2025-02-03", "Hygiene", "Open", "", "Lee"),
    ("C-005", "2025-02-17", "Noise", "Closed", "10", "Chan"), ("C-006", "2025-03-10", "Hygiene", "Closed", "14", "Lee"),
    ("C-007", "2025-04-15", "Noise", "Open", "", "Chan"), ("C-008", "2025-04-20", "Hygiene", "Closed", "13", "Lee"),
    ("C-009", "2025-04-21", "Parking", "Closed", "40", "Chan"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a case log (its case numbers name records, not things): rows per month, in time order
        ("cases by month", [("2025-01", 3), ("2025-02", 2), ("2025-03", 1), ("2025-04", 3)]),
        # dates written day first, as Hong Kong writes them
        ("how many cases were received after 15/04/2025?", [(2,)]),
        ("how many cases were received before 2025/02/01?", [(3,)]),
        # a duration is averaged per group (Parking 40 once; Noise 20 on average; Hygiene 13)
        ("which type takes longest to close?", [("Parking",)]),
        # with no count column, "the most cases" counts rows
        ("which officer closed the most cases?", [("Chan",)]),
    ],
)
def test_a_case_log(question, expected):
    gen = _ask((CASES_HEADER, CASES_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


def test_a_date_that_does_not_exist_is_a_clear_error():
    from ai_toolbox.analysis.plan import CannotAnswer

    con, infos = _connect(CASES_HEADER, CASES_ROWS)
    with pytest.raises(CannotAnswer, match="31/02/2025 is not a real date"):
        generate_sql(con, infos, "how many cases were received on 31/02/2025?")
    gen = generate_sql(con, infos, "how many cases were received after 15/04/2025?")
    assert "Received after 2025-04-15" in answers.explain(gen.plan, [list(r) for r in gen.rows], "en")


def test_a_piece_of_a_column_name_is_no_value_of_another_column():
    rows = [("已完成", "10"), ("處理中", ""), ("已完成", "20"), ("處理中", "")]
    con, infos = _connect(["狀態", "處理日數"], rows)
    gen = generate_sql(con, infos, "已完成個案的平均處理日數")
    assert gen.rows == [(15.0,)] and "LIKE" not in gen.sql, gen.sql  # 處理 of 處理日數 is not the status 處理中


def test_a_second_by_after_the_group_cross_tabulates():
    con, infos = _connect(CASES_HEADER, CASES_ROWS)
    gen = generate_sql(con, infos, "cases for each type by status")
    assert ("Noise", "Closed", 3) in [tuple(r) for r in gen.rows] and gen.plan.group2 == "Status", gen.sql
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "各地區的查詢數目按渠道")
    assert len(gen.rows[0]) == 3 and gen.plan.group2 == "channel", gen.sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a log of counts: the share of the enquiries (online 52 of 201), not of the rows (4 of 12)
        ("what percentage of enquiries came online?", 25.87),
        ("網上查詢佔百分之幾？", 25.87),
        ("what share of records are online?", 33.33),
    ],
)
def test_a_share_of_a_log_is_a_share_of_its_count(question, expected):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert gen.rows == [(expected,)], gen.sql


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # a log of enquiry counts: how many phone enquiries is their total (10 + 12 + 8 + 9), not 4 rows
        ((CHANNEL_HEADER, CHANNEL_ROWS), "how many phone enquiries were there in 沙田?", [(18,)]),
        ((TOPIC_HEADER, TOPIC_ROWS), "how many complaints came by phone?", [(15,)]),
        ((CHANNEL_HEADER, CHANNEL_ROWS), "how many records are about phone?", [(4,)]),
        # a case log has no count column: cases are rows
        ((CASES_HEADER, CASES_ROWS), "how many noise cases are closed?", [(3,)]),
    ],
)
def test_how_many_over_a_log_of_counts_adds_the_count(table, question, expected):
    _expect_rows(table, question, expected)


# A season's awards: a player named in the MVP column is the "player with the most mvp's".
AWARDS_HEADER = ["Year", "MVP", "Defensive Player of the Year", "Title"]
AWARDS_ROWS = [
    ("2001", "Ann Lee", "–", "Cup"),
    ("2002", "Bo Chan", "Cy Wu", "Cup"),
    ("2003", "Ann Lee", "–", "League"),
    ("2003", "Di Ho", "–", "Shield"),
    ("2004", "Ann Lee", "Cy Wu", "Cup"),
]
ROSTER_HEADER = ["Name", "Weight (lbs.)", "Position", "Original Tribe", "First Switch", "Season", "Team"]
ROSTER_ROWS = [
    ("Abe", "220", "Left Wing", "Manobo", "Manobo", "1915–16", "Kings"),
    ("Ben", "190", "Centre", "Manobo", "Naviti", "1915–16", "Red Wings"),
    ("Cal", "215", "Left Wing", "Naviti", "Manobo", "1916–17", "Kings"),
    ("Dan", "180", "Left Back", "Naviti", "Naviti", "1917–18", "Red Wings"),
]


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # "most" + a column named as things counted: its most frequent value ("mvp's" names MVP)
        ((AWARDS_HEADER, AWARDS_ROWS), "who is the player with the most mvp's?", ["Ann Lee"]),
        # ... per the year asked for, not the largest year
        ((["Year", "Title", "Role"], [r[:1] + r[3:] + ("Lead",) for r in AWARDS_ROWS]),
         "which year had the most titles?", ["2003"]),
        # a verb names the column of what it measures
        ((ROSTER_HEADER, ROSTER_ROWS), "how many players weigh at least 215 pounds?", ["2"]),
        # a plural of a cell of several words
        ((ROSTER_HEADER, ROSTER_ROWS), "how many left wings are there?", ["2"]),
        # a value in two columns: the one whose name's words stand around it
        ((ROSTER_HEADER, ROSTER_ROWS), "who was on the original manobo tribe?", ["Abe", "Ben"]),
        # a hyphen typed for the stored en dash
        ((ROSTER_HEADER, ROSTER_ROWS), "who played in 1917-18?", ["Dan"]),
    ],
)
def test_counted_things_verbs_and_spellings(table, question, expected):
    con, infos = _connect(*table)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), gen.sql


PERIODS = (["Period", "Live births per year", "Deaths per year"],
           [("1950-1955", "139 000", "66 000"), ("1955-1960", "164 000", "76 000"),
            ("1960-1965", "195 000", "89 000")])
EVENTS = (["Year", "Event", "Venue", "Overall", "Attendance"],
          [("1997", "60 m hurdles", "Paris", "12", "1000"), ("1997", "100 m hurdles", "Indianapolis", "31", "2000"),
           ("1998", "100 m hurdles", "Moscow", "5", "3000"), ("1999", "60 m hurdles", "Maebashi", "40", "4000")])
SINGLES = (["Single", "Album", "Released"],
           [("Paradise City", "Appetite", "1988"), ("Nightrain", "Appetite", "1989"), ("Patience", "Lies", "1989"),
            ("Don't Cry", "Illusion", "1991"), ("Used to Love Her", "Lies", "1989")])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # a rate "per year" is an amount to add up; a span of years holds the periods inside it
        (PERIODS, "number of deaths from 1950-1960", ["142000"]),
        (PERIODS, "what were the live births from 1955 to 1965?", ["164 000", "195 000"]),
        # the rows at one end of the table, totalled
        (EVENTS, "what is the total attendance of the first 2 events?", ["3000"]),
        # "in the top 30": a rank of 30 or better, not the largest value
        (EVENTS, "how many times did she place in the top 30 in the overall standings?", ["2"]),
        # a singular said of plural cells, with the number before it
        (EVENTS, "where did the 100 m hurdle take place in 1997?", ["Indianapolis"]),
        # "what was released after X": the next single, not its release year
        (SINGLES, "what was released after paradise city?", ["Nightrain"]),
        # a verb after the thing asked for ("team played") does not make it a modifier; a span of
        # years that ends after the year named was active after it
        ((["Team", "Years active", "Seasons played"],
          [("Packers", "1949–1950", "1"), ("Bullets", "1947–1954", "8"), ("Stags", "1946–1950", "4")]),
         "which team played after 1953?", ["Bullets"]),
        # "how many other albums besides X": the other albums, each once
        (SINGLES, "how many other albums are there besides appetite?", ["2"]),
    ],
)
def test_spans_ranks_and_neighbours(table, question, expected):
    con, infos = _connect(*table)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), gen.sql


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # today is fixed at 2025-04-21 below: last month is March, the past 30 days reach 2025-03-23
        ((LOG_HEADER, LOG_ROWS), "how many enquiries last month?", [(None,)]),
        ((CHANNEL_HEADER, CHANNEL_ROWS), "how many enquiries last month?", [(34,)]),
        ((CHANNEL_HEADER, CHANNEL_ROWS), "上個月的查詢總數是多少？", [(34,)]),
        ((CHANNEL_HEADER, CHANNEL_ROWS), "how many enquiries came in the past 30 days?", [(38,)]),
        ((CHANNEL_HEADER, CHANNEL_ROWS), "last month's enquiries in total", [(34,)]),
        ((CHANNEL_HEADER, CHANNEL_ROWS), "最近三個月每月的查詢數目",
         [("2025-02", 49), ("2025-03", 34), ("2025-04", 38)]),
        ((CASES_HEADER, CASES_ROWS), "how many cases were received this month?", [(3,)]),
        ((CASES_HEADER, CASES_ROWS), "how many cases this year?", [(9,)]),
        # a year column: 去年 is 2024; "the last year" is still the latest year, an ordinal
        ((BUDGET_HEADER, BUDGET_ROWS), "去年的預算總額", [(165,)]),
        ((BUDGET_HEADER, BUDGET_ROWS), "what was the last year 運輸署 had a budget?", [(2024,)]),
    ],
)
def test_dates_relative_to_today(monkeypatch, table, question, expected):

    from ai_toolbox.analysis import conditions

    monkeypatch.setattr(conditions, "today", lambda: dt.date(2025, 4, 21))
    _expect_rows(table, question, expected)


def test_a_total_over_no_rows_says_nothing_matched(monkeypatch):

    from ai_toolbox.analysis import conditions

    monkeypatch.setattr(conditions, "today", lambda: dt.date(2026, 12, 7))
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "how many enquiries last month?")
    assert "2026-11-01" in gen.sql and gen.rows == [(None,)]
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], "en") == answers.explain(None, [], "en")


# The department that spent the most (運輸署) is not the one that overspent the most (房屋署).
SPENDING = (BUDGET_HEADER, [
    ("2024", "運輸署", "人手", "100", "90"), ("2024", "房屋署", "人手", "10", "30"),
    ("2024", "運輸署", "設備", "50", "20"), ("2024", "房屋署", "設備", "60", "65"),
    ("2023", "運輸署", "人手", "80", "85"), ("2023", "房屋署", "設備", "40", "40"),
])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # overspending is spending − budget: 運輸署 -35 in all, 房屋署 +25
        ("which department overspent the most?", [("房屋署",)]),
        ("哪個部門超支最多？", [("房屋署",)]),
        ("how much did 房屋署 overspend in 2024?", [(25,)]),
        # underspending (節餘) is budget − spending
        ("which item underspent the most in 2024?", [("設備",)]),
        ("各年度的節餘", [(2023, -5), (2024, 15)]),
    ],
)
def test_a_measure_made_of_two_columns(question, expected):
    gen = _ask(SPENDING, question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


@pytest.mark.parametrize(
    ("question", "expected", "intent"),
    [
        # one column minus another, said in words: per group, in all, in Chinese
        ("budget minus actual spending by department in 2024", [("運輸署", 40), ("房屋署", -25)], "sum_by"),
        ("what is the difference between budget and spending in 2023?", [(-5,)], "sum"),
        ("預算減實際支出", [(10,)], "sum"),
        ("2024年實際支出與預算的差額", [(-15,)], "sum"),
        # one column's total over another's, not the rows' ratios added up
        ("spending as a percentage of budget by department", [("房屋署", 122.73), ("運輸署", 84.78)], "ratio_by"),
        ("各部門實際支出佔預算的百分比", [("房屋署", 122.73), ("運輸署", 84.78)], "ratio_by"),
        ("which department spent the largest share of its budget?", [("房屋署", 122.73)], "argmax_ratio"),
        ("實際支出佔預算比例最低的部門", [("運輸署", 84.78)], "argmin_ratio"),
        ("what is the ratio of actual spending to budget in 2024?", [(0.9318,)], "ratio"),
        ("2024年實際支出佔預算的百分比", [(93.18,)], "percent_ratio"),
    ],
)
def test_two_columns_combined_by_the_words_between_them(question, expected, intent):
    con, infos = _connect(*SPENDING)
    gen = generate_sql(con, infos, question)
    assert [tuple(r) for r in gen.rows] == expected and gen.plan.intent == intent, gen.sql
    explained = answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question))
    assert "預算" in explained and "實際支出" in explained, explained


MEDALS = (["Rank", "Nation", "Gold", "Silver", "Bronze"], [
    ("1", "Brazil", "5", "3", "2"), ("2", "Chile", "2", "4", "1"), ("3", "Peru", "1", "1", "4"),
    ("", "Total", "8", "8", "7"),
])
MEDALS_ZH = (["地區", "金牌", "銀牌"], [("香港", "3", "5"), ("澳門", "1", "0")])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # two medal columns added up for the row asked about, never the 'Total' row
        (MEDALS, "how many gold and silver medals did brazil win?", [(8,)]),
        (MEDALS, "what is the total of gold and silver medals won by chile?", [(6,)]),
        (MEDALS, "gold plus silver for peru", [(2,)]),
        (MEDALS_ZH, "香港的金牌和銀牌總數", [(8,)]),
        # "how many more … than …" is one less the other, not the nations with more
        (MEDALS, "how many more gold than silver medals did brazil win?", [(2,)]),
        (MEDALS, "how many fewer gold than silver medals did chile win?", [(2,)]),
        # the most of the two together
        (MEDALS, "which nation won the most gold and silver medals?", [("Brazil",)]),
        (MEDALS, "which nation won the fewest gold and silver medals?", [("Peru",)]),
    ],
)
def test_two_number_columns_added_or_compared(table, question, expected):
    _expect_rows(table, question, expected)


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # one column against another on each row, as a condition
        (MEDALS, "which nation won more silver than gold?", [("Chile",)]),
        (MEDALS, "how many nations won more silver than gold?", [(1,)]),
        (MEDALS, "which nations had fewer gold than bronze?", [("Peru",)]),
        (MEDALS, "nations whose gold is equal to their silver", [("Peru",)]),
        (MEDALS_ZH, "銀牌多於金牌的地區", [("香港",)]),
        # "above the budget" is a condition, not the row above
        (SPENDING, "which items had spending above the budget in 2024?", [("人手",), ("設備",)]),
    ],
)
def test_one_number_column_compared_with_another(table, question, expected):
    _expect_rows(table, question, expected)


WINNERS = (["Year", "Winning team", "Driver"], [
    ("1985", "Penske", "Al"), ("1986", "Galles", "Bo"), ("1987", "Penske", "Cy"), ("1988", "Shierson", "Di"),
    ("1989", "Galles", "Ed"), ("1990", "Penske", "Al"),
])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # how often a thing appears: a condition on its rows, counted per thing
        ("which teams won more than once?", ["Penske", "Galles"]),
        ("which team(s) did not win more than once?", ["Shierson"]),
        ("which team won at least 3 times?", ["Penske"]),
        ("how many teams won more than once?", ["2"]),
        # "how many times" still counts rows
        ("how many times did penske win?", ["3"]),
    ],
)
def test_how_often_a_thing_appears(question, expected):
    con, infos = _connect(*WINNERS)
    gen = generate_sql(con, infos, question)
    assert answers_match([r[0] for r in gen.rows], expected), gen.sql
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], "zh-Hant")


def test_an_accented_or_soft_hyphenated_name_is_matched_as_words_not_as_chinese():
    from ai_toolbox.analysis import nl2sql
    from ai_toolbox.analysis.linking import Question, column_mentions, tokens

    con, infos = _connect(["Title", "Sub\u00addivisions", "Première date"], [("Aida", "4 acts", "1871")])
    text = nl2sql.normalise("how many titles were there in the video archive?")
    named = {m.column.name for m in column_mentions(Question(text, tokens(text)), infos[0])}
    assert named == {"Title"}
    text = nl2sql.normalise("which title has the most subdivisions?")
    assert "Sub\u00addivisions" in {m.column.name for m in column_mentions(Question(text, tokens(text)), infos[0])}


def test_a_count_column_named_like_an_identifier_is_added_up():
    # "Championship Game" holds how many teams of a conference got there; "Game" numbers would not repeat
    con, infos = _connect(["Conference", "Bids", "Championship Game"],
                          [("Big East", "7", "1"), ("ACC", "5", "1"), ("Big Ten", "6", "0"), ("SEC", "4", "0"),
                           ("Pac-10", "3", "0"), ("Big 12", "4", "0")])
    gen = generate_sql(con, infos, "how many teams played in a championship game?")
    assert answers_match([r[0] for r in gen.rows], ["2"]), gen.sql
    con, infos = _connect(["Game", "Opponent", "Points"], [("1", "Hull", "10"), ("2", "Leeds", "20")])
    gen = generate_sql(con, infos, "how many games did they play against leeds?")
    assert answers_match([r[0] for r in gen.rows], ["1"]), gen.sql


@pytest.mark.parametrize(
    ("question", "expected", "explained"),
    [
        # budget 140 in 2023, 165 in 2024: the two years and the change, later minus earlier
        ("how much did the budget increase from 2023 to 2024?", [(140, 165, 25)], "changed by 25"),
        ("預算由2023年至2024年增加了多少？", [(140, 165, 25)], "變化為 25"),
        ("what is the percentage change in budget from 2023 to 2024?", [(140, 165, 25, 17.86)], "17.86%"),
        # "than" / 比: the first named minus the second
        ("2023年的預算比2024年少多少？", [(165, 140, -25)], "變化為 -25"),
        # other filters stay; rows are counted when nothing is measured
        ("how much did 運輸署's budget grow from 2023 to 2024?", [(70, 85, 15)], "運輸署"),
    ],
)
def test_the_change_between_two_years(question, expected, explained):
    gen = _ask((BUDGET_HEADER, BUDGET_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql
    language = detect_language(question)
    assert explained in answers.explain(gen.plan, [list(r) for r in gen.rows], language)


@pytest.mark.parametrize(
    ("question", "expected", "intent"),
    [
        # each channel's per cent of the enquiries (phone 39 of 201), not of the rows (4 of 12)
        ("what share of enquiries came from each channel?",
         [("counter", 54.73), ("phone", 19.4), ("online", 25.87)], "percent_by"),
        ("各渠道的查詢數目佔百分比", [("counter", 54.73), ("phone", 19.4), ("online", 25.87)], "percent_by"),
        # the middle value, not the mean
        ("what is the median satisfaction?", [(3.0,)], "median"),
        ("median enquiries by channel", [("counter", 27.5), ("phone", 9.5), ("online", 5.0)], "median_by"),
    ],
)
def test_shares_per_group_and_medians(question, expected, intent):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert sorted(tuple(r) for r in gen.rows) == sorted(expected) and gen.plan.intent == intent, gen.sql
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "cases" is the plural of "case" (not "cas"): the case numbers answer
        ("which cases took longer than 30 days to close?", [("C-009",)]),
        ("處理日數超過30日的個案", [("C-009",)]),
        # Chinese words for a case log's English headers
        ("各類別的平均處理日數", [("Parking", 40.0), ("Noise", 20.0), ("Hygiene", 13.0)]),
    ],
)
def test_a_case_log_asked_in_english_and_chinese(question, expected):
    gen = _ask((CASES_HEADER, CASES_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # each group's two years and the change, the largest first (one row for "which")
        ("which department had the largest budget increase from 2023 to 2024?", [("運輸署", 70, 85, 15)]),
        ("budget change by department from 2023 to 2024", [("運輸署", 70, 85, 15), ("房屋署", 70, 80, 10)]),
        ("哪個部門的預算由2023年至2024年增加最多？", [("運輸署", 70, 85, 15)]),
        ("which item had the biggest drop in spending from 2023 to 2024?", [("人手", 86.4, 70.0, -16.4)]),
        # spending above (or within) budget as a condition, not a measure
        ("which items were over budget in 2024?", [("設備",)]),
        ("how many items overspent in 2023?", [(2,)]),
        ("超出預算的項目有哪些？", [("人手",), ("人手",), ("設備",), ("設備",)]),
        ("how many items were within budget?", [(4,)]),
    ],
)
def test_changes_per_group_and_spending_over_budget(question, expected):
    con, infos = _connect(BUDGET_HEADER, BUDGET_ROWS)
    gen = generate_sql(con, infos, question)
    got = [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in gen.rows]
    assert got == expected, gen.sql
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question))


def test_sums_show_without_noise_from_subtraction():
    assert answers._jsonable(1.30000000000002) == 1.3 and answers._jsonable(-0.200000000000003) == -0.2


def test_a_chart_of_a_change_per_group_draws_the_change():
    from ai_toolbox.analysis import charts

    con, infos = _connect(BUDGET_HEADER, BUDGET_ROWS)
    gen = generate_sql(con, infos, "budget change by department from 2023 to 2024")
    columns = [d[0] for d in con.execute(gen.sql).description]
    assert columns[charts.plotted_column("bar", columns)] == "change"
    assert charts.plotted_column("bar", ["district", "sum"]) == 1 and charts.plotted_column("scatter", ["a", "b"]) == 1
    png = charts.render("bar", columns, [list(r) for r in gen.rows])
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("question", ["各主題的查詢數目按月", "enquiries for each topic by month"])
def test_a_second_by_naming_months_cross_tabulates_with_them(question):
    con, infos = _connect(TOPIC_HEADER, TOPIC_ROWS)
    gen = generate_sql(con, infos, question)
    assert ("complaint", "2025-01", 14) in [tuple(r) for r in gen.rows] and gen.plan.group == "topic", gen.sql


@pytest.mark.parametrize(
    ("question", "expected", "intent"),
    [
        # a share of a part: complaints by phone (10 + 5) of all complaints (25)
        ("what percentage of complaints came by phone?", [(60.0,)], "percent_within"),
        # 電話查詢中投訴: complaints (15) among phone enquiries (22); 中 is no part of a cell
        ("電話查詢中投訴佔多少百分比？", [(68.18,)], "percent_within"),
        # "compared with" puts the two side by side
        ("how many enquiries came by phone compared with email?", [("phone", 22), ("email", 7)], "sum_by"),
    ],
)
def test_shares_within_a_part_and_comparisons(question, expected, intent):
    con, infos = _connect(TOPIC_HEADER, TOPIC_ROWS + [("2025-03-03", "email", "中文", "1")])
    gen = generate_sql(con, infos, question)
    assert [tuple(r) for r in gen.rows] == expected and gen.plan.intent == intent, gen.sql
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question))


def test_list_the_groups_whose_average_passes():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "list the channels with average satisfaction over 2.5")
    assert sorted(r[0] for r in gen.rows) == ["counter", "online"] and gen.plan.intent == "mean_passes", gen.sql


@pytest.mark.parametrize(
    ("question", "expected", "intent"),
    [
        # the months' totals (50+80+40 in Jan, 14+2+35 … ) averaged, not one average per month
        ("what was the average number of enquiries per month?", [(50.25,)], "avg_per"),
        ("平均每月的查詢數目是多少？", [(50.25,)], "avg_per"),
        # 沙田 had no row in February or April: those months count as 0 (78 over 4 months, not 2)
        ("average number of enquiries per month in 沙田", [(19.5,)], "avg_per"),
        # weeks too: 大埔's 37 + 34 over the four weeks the table covers
        ("大埔平均每星期的查詢數目", [(17.75,)], "avg_per"),
        ("average enquiries per week", [(50.25,)], "avg_per"),
        # a rating stays an average per month
        ("average satisfaction per month", [("2025-01", 3.0), ("2025-02", 3.33), ("2025-03", 3.0),
                                            ("2025-04", 3.0)], "avg_by"),
    ],
)
def test_an_average_per_period_averages_the_periods_totals(question, expected, intent):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    assert [tuple(r) for r in gen.rows] == expected and gen.plan.intent == intent, gen.sql
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a log of counts: "complaints" are the enquiries about complaints, not the rows reporting them
        ("monthly complaints", [("2025-01", 14), ("2025-02", 8), ("2025-03", 3)]),
        ("how did complaints change from january to march?", [("2025-01", 14), ("2025-02", 8), ("2025-03", 3)]),
        # "monthly … by channel": months × channel
        ("monthly complaints by channel", [("2025-01", "online", 4), ("2025-01", "phone", 10),
                                           ("2025-02", "email", 3), ("2025-02", "phone", 5),
                                           ("2025-03", "email", 2), ("2025-03", "online", 1)]),
        # rows asked for are rows counted
        ("number of records of complaints by month", [("2025-01", 2), ("2025-02", 2), ("2025-03", 2)]),
    ],
)
def test_a_log_of_counts_totals_what_the_filters_keep_per_group(question, expected):
    gen = _ask((TOPIC_HEADER, TOPIC_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


def test_groups_whose_average_passes_named_last_in_chinese():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "平均滿意度低於3的地區")
    assert [tuple(r) for r in gen.rows] == [("沙田",)] and gen.plan.intent == "mean_passes", gen.sql


def test_waiting_said_as_hong_kong_chinese_names_the_wait_column():
    con, infos = _connect(["district", "avg_wait_minutes"], [("沙田", "10"), ("沙田", "20"), ("屯門", "5")])
    gen = generate_sql(con, infos, "各區的平均輪候時間")
    assert [tuple(r) for r in gen.rows] == [("沙田", 15.0), ("屯門", 5.0)], gen.sql


def test_a_log_s_count_column_named_with_conditions_is_totalled():
    con, infos = _connect(TOPIC_HEADER, TOPIC_ROWS)
    gen = generate_sql(con, infos, "complaints by phone in january and february")
    assert gen.rows == [(15,)] and gen.plan.intent == "sum", gen.sql


def test_a_value_and_a_period_of_one_column_are_both_said_with_and():
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, "how many enquiries in 沙田 in q1 2025?")
    assert gen.rows == [(78,)], gen.sql
    explained = answers.explain(gen.plan, [list(r) for r in gen.rows], "en")
    assert " or " not in explained and "quarter 1 and date is 2025" in explained, explained


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # columns named in one list are all shown
        ("show budget and spending for 房屋署 in 2024", [(10, 30), (60, 65)]),
        ("房屋署2024年的項目、預算和實際支出", [("人手", 10, 30), ("設備", 60, 65)]),
        # a share of a number column the question names, not of the rows: 70 of 2024's 220
        ("what share of the 2024 budget went to 房屋署?", [(31.82,)]),
        # a log lists each department on many rows: the departments, each once
        ("how many departments are there?", [(2,)]),
    ],
)
def test_lists_of_columns_shares_of_an_amount_and_things_counted_once(question, expected):
    gen = _ask(SPENDING, question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


def test_an_english_question_naming_chinese_values_is_answered_in_english():
    assert detect_language("who is responsible for 資訊科技 in 衞生署?") == "en"
    assert detect_language("avg_wait_minutes最長的渠道") == "zh-Hant"
    assert detect_language("channel的平均滿意度") == "zh-Hant"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the date compared is a condition; the cases answer — unless the question asks when
        ("cases received after 2025-04-01", [("C-007",), ("C-008",), ("C-009",)]),
        ("when was the last case received before 2025-03-01?", [(dt.date(2025, 2, 17),)]),
        # 類 alone names the type column
        ("各類個案的平均處理日數", [("Parking", 40.0), ("Noise", 20.0), ("Hygiene", 13.0)]),
    ],
)
def test_case_log_answers_name_the_cases_and_their_types(question, expected):
    gen = _ask((CASES_HEADER, CASES_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


RESULTS = (["Year", "Competition", "Venue", "Position"], [
    ("2000", "World Juniors", "Santiago", "1st"), ("2001", "World Championships", "Edmonton", "18th"),
    ("2001", "Universiade", "Beijing", "8th"), ("2002", "European Indoors", "Vienna", "1st"),
    ("2002", "European Championships", "Munich", "4th"),
])
GAMES = (["Date", "Opponent", "H/A", "Attendance"], [
    ("15 August", "Dundee", "A", "10,000"), ("22 August", "Rangers", "H", "15,000"),
    ("29 August", "Morton", "A", "4,500"), ("5 September", "Clyde", "H", "6,000"),
])
AWARDS = (["Year", "Award", "Work", "Result"], [
    ("2005", "Best Actress", "Hana", "Won"), ("2007", "Best Actress", "Kiss", "Nominated"),
    ("2007", "Newcomer", "Hana", "Won"), ("2010", "Supporting", "Dolittle", "Nominated"),
])
FEW_MEDALS = (MEDALS[0], [*MEDALS[1][:3], ("4", "Fiji", "0", "0", "1")])
PICKS = (["Pick", "Player", "Nationality", "Team"], [
    ("148", "Paul Krake", "Canada", "Quebec"), ("149", "Phil Huber", "Canada", "New York"),
    ("152", "Sergei Starikov", "Soviet Union", "New Jersey"), ("153", "Milan Tichy", "Czechoslovakia", "Chicago"),
    ("154", "Jon Pratt", "United States", "Minnesota"), ("155", "Rob Sangster", "Canada", "Vancouver"),
    ("156", "Kevin Plager", "United States", "St. Louis"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # the row stepped from is named by both values said together; the column asked is named
        (RESULTS, "what competition came after the 2001 universiade?", [("European Indoors",)]),
        # "who" names the player column, the column of the row stepped from
        (PICKS, "who was picked before jon pratt?", [("Milan Tichy",)]),
        # "how many years": each year once
        (RESULTS, "how many years did he compete?", [(3,)]),
        # "times" after "how many" names no year column
        (AWARDS, "how many times was she nominated?", [(2,)]),
        # "total" before a medal column adds it up; it names no Total column
        (MEDALS, "how many total bronze medals were awarded?", [(7,)]),
        # "at least one", "did not win a": above zero, zero
        (MEDALS, "how many nations won at least one gold medal?", [(3,)]),
        (FEW_MEDALS, "which nations did not win a gold medal?", [("Fiji",)]),
        # codes results tables store: H/A, Won
        (GAMES, "how many games were played at home?", [(2,)]),
        (GAMES, "what was the total attendance of the away games?", [(14500,)]),
        (AWARDS, "how many awards did she win?", [(2,)]),
        # every value tied for the fewest, unless all tie
        (PICKS, "which nationality had the fewest players?", [("Soviet Union",), ("Czechoslovakia",)]),
    ],
)
def test_forms_of_questions_about_results_tables(table, question, expected):
    _expect_rows(table, question, expected)


HOSPITALS = (["Name", "City", "Hospital beds", "Operating rooms", "Affiliation"], [
    ("Alamance Regional Hospital", "Burlington", "238", "15", "Cone"),
    ("Asheville Specialty Hospital", "Asheville", "34", "0", "-"),
    ("Mission Hospital", "Asheville", "730", "40", "Mission"),
    ("CarePartners Rehabilitation Hospital", "Asheville", "80", "0", "-"),
    ("Annie Penn Hospital", "Reidsville", "110", "6", "Cone"),
    ("Moses Cone Medical Center", "Greensboro", "536", "30", "-"),
])
SHIPS = (["Ship", "Hull No.", "Status"], [
    ("Pecos", "T-AO-197", "Active"), ("Big Horn", "T-AO-198", "Active"), ("Yukon", "T-AO-202", "Active"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # "which hospital" asks for a hospital; "hospital" only modifies the beds column's name
        (HOSPITALS, "which hospital has the most hospital beds?", [("Mission Hospital",)]),
        # "hospitals" inside most names is the kind of thing counted, not a condition
        (HOSPITALS, "how many hospitals are in asheville?", [(3,)]),
        (HOSPITALS, "name a hospital with no operating rooms",
         [("Asheville Specialty Hospital",), ("CarePartners Rehabilitation Hospital",)]),
        # '-' is no affiliation, so it cannot have the most hospitals
        (HOSPITALS, "which affiliation has the most hospitals?", [("Cone",)]),
        # "hull number" names the "Hull No." column; "number of" here is no count
        (SHIPS, "what is the hull number of yukon?", [("T-AO-202",)]),
    ],
)
def test_the_kind_of_thing_asked_about_is_no_column_or_condition(table, question, expected):
    _expect_rows(table, question, expected)


MEDAL_TOTALS = (["Rank", "Nation", "Gold", "Silver", "Bronze", "Total"], [
    ("1", "Brazil", "7", "5", "3", "15"), ("2", "Chile", "2", "0", "2", "4"), ("3", "Peru", "0", "0", "1", "1"),
    ("", "Total", "9", "5", "6", "30"),
])
FINALS = (["Outcome", "Date", "Surface", "Partner"], [
    ("Runner-up", "16 May 2010", "Clay", "Karolína Plíšková"),
    ("Winner", "13 February 2011", "Hard", "Karolína Plíšková"),
    ("Winner", "7 August 2011", "Hard", "Naomi Broady"), ("Runner-up", "6 November 2011", "Hard", "Naomi Broady"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # "medals" alone is a medal table's Total; "gold medals" is the gold column
        (MEDAL_TOTALS, "how many medals did chile win?", [(4,)]),
        (MEDAL_TOTALS, "how many nations won at least 4 medals?", [(2,)]),
        (MEDAL_TOTALS, "what nation won more gold medals than chile?", [("Brazil",)]),
        # "won a bronze medal": the bronze column above zero
        (MEDAL_TOTALS, "how many nations received a bronze medal?", [(3,)]),
        # "the gold medal count" is the gold column's value
        (MEDAL_TOTALS, "what is the gold medal count for brazil and chile combined?", [(9,)]),
        # "win" names the Winner outcome; names match without their accents
        (FINALS, "how many titles did she win?", [(2,)]),
        (FINALS, "what was the last date she played with karolina pliskova?", [("13 February 2011",)]),
    ],
)
def test_medal_tables_and_finals(table, question, expected):
    _expect_rows(table, question, expected)


def test_results_written_with_a_leading_code_are_read_as_wins_and_losses():
    con, infos = _connect(["Date", "Opponent", "Result"], [
        ("September 3", "Chattanooga", "W 42–13"), ("September 10", "Vanderbilt", "W 17–7"),
        ("December 3", "Florida", "L 23–24"), ("January 2", "Ohio State", "W 24–17"),
    ])
    assert generate_sql(con, infos, "how many games did they win?").rows == [(3,)]
    assert generate_sql(con, infos, "what was the only game they lost?").rows == [("December 3",)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # which of two number columns the row asked about holds more (fewer) of, by name
        ("did chile win more silver or gold medals?", [("Silver",)]),
        ("did brazil win fewer silver or bronze medals?", [("Bronze",)]),
    ],
)
def test_a_choice_between_two_number_columns(question, expected):
    con, infos = _connect(*MEDALS)
    gen = generate_sql(con, infos, question)
    assert [tuple(r) for r in gen.rows] == expected and gen.plan.intent == "choice", gen.sql


@pytest.mark.parametrize(
    "question", ["平均等候時間超過10分鐘的記錄有多少", "how many records have an average wait over 10 minutes?"]
)
def test_average_in_an_averaged_column_s_name_does_not_stop_a_count(question):
    con, infos = _connect(["district", "avg_wait_minutes"], [("沙田", "12"), ("沙田", "4"), ("屯門", "15")])
    gen = generate_sql(con, infos, question)
    assert gen.rows == [(2,)] and gen.plan.intent == "count", gen.sql


@pytest.mark.parametrize(
    "question",
    ["enquiries other than complaints", "不包括投訴的查詢總數", "投訴以外的查詢總數", "enquiries excluding complaints"],
)
def test_a_value_left_out_in_words_or_in_chinese(question):
    con, infos = _connect(TOPIC_HEADER, TOPIC_ROWS)
    gen = generate_sql(con, infos, question)
    assert gen.rows == [(17,)], gen.sql  # the payment enquiries: 7 + 9 + 1


@pytest.mark.parametrize(
    ("question", "expected", "intent"),
    [
        # a range of dates, both days included, also written beside Chinese
        ("enquiries between 2025-02-01 and 2025-03-31 by channel", [("online", 10), ("email", 6), ("phone", 5)],
         "sum_by"),
        ("由2025-02-01至2025-02-28的投訴數目", [(8,)], "sum"),
        # a dated log's count column with only dates as conditions is totalled
        ("enquiries after 2025-02-01", [(21,)], "sum"),
        # whole rows, latest first
        ("show the 2 most recent records", [("2025-03-03", "email", "payment", 1),
                                           ("2025-03-03", "email", "complaint", 2)], "recent_rows"),
        ("列出最近的1條記錄", [("2025-03-03", "email", "payment", 1)], "recent_rows"),
        ("list the records after 2025-03-01", [("2025-03-03", "email", "payment", 1),
                                               ("2025-03-03", "email", "complaint", 2),
                                               ("2025-03-03", "online", "complaint", 1)], "rows"),
    ],
)
def test_dates_ranges_and_whole_records(question, expected, intent):
    con, infos = _connect(TOPIC_HEADER, TOPIC_ROWS)
    gen = generate_sql(con, infos, question)
    rows = [tuple(str(v) if isinstance(v, dt.date) else v for v in r) for r in gen.rows]
    assert rows == expected and gen.plan.intent == intent, gen.sql
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], detect_language(question))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # groups sorted by a measure, largest first unless asked otherwise
        ("sort districts by total enquiries", [("沙田", 78), ("大埔", 71), ("屯門", 52)]),
        ("按查詢數目排序的地區", [("沙田", 78), ("大埔", 71), ("屯門", 52)]),
        ("sort the districts by enquiries ascending", [("屯門", 52), ("大埔", 71), ("沙田", 78)]),
        # "records" asks for the records themselves, not the groups whose total passes
        ("which records have satisfaction above 4?", [("2025-02-03", "online", "大埔", 2, 5),
                                                      ("2025-04-07", "online", "屯門", 4, 5)]),
    ],
)
def test_sorted_groups_and_records_that_pass(question, expected):
    con, infos = _connect(CHANNEL_HEADER, CHANNEL_ROWS)
    gen = generate_sql(con, infos, question)
    rows = [tuple(str(v) if isinstance(v, dt.date) else v for v in r) for r in gen.rows]
    assert rows == expected, gen.sql


def test_a_count_of_records_said_in_words():
    gen = _ask((TOPIC_HEADER, TOPIC_ROWS), "show the eight most recent records")
    assert len(gen.rows) == 8 and gen.plan.limit == 8, gen.sql  # "eight" read as 10 before


CAREER_CLUBS = (["Season", "Team", "Apps", "Goals"], [
    ("2005", "CSKA Moscow", "0", "0"), ("2006", "Spartak", "36", "1"), ("2006/07", "Dnipro", "12", "0"),
    ("2007/08", "Dnipro", "24", "2"), ("2008/09", "Dnipro", "22", "1"), ("2012/13", "Lokomotiv", "8", "0"),
])
DIVING = (["Rank", "Diver", "Preliminary Points", "Preliminary Rank", "Final Points"], [
    ("1", "Sylvie Bernier (CAN)", "489.51", "3", "530.70"), ("2", "Kelly McCormick (USA)", "516.75", "2", "527.46"),
    ("3", "Li Yihua (CHN)", "517.92", "1", "506.52"), ("4", "Rim Hassan (EGY)", "258.63", "4", "401.00"),
])
SCORERS = (["Rank", "Player", "County", "Tally", "Total"], [
    ("1", "Francis Forde", "Galway", "2–8", "14"), ("2", "Niall English", "Carlow", "1–9", "12"),
    ("3", "Kevin Broderick", "Galway", "3–1", "10"), ("3", "Gary Kirby", "Limerick", "1–7", "10"),
    ("3", "Gary Kirby", "Limerick", "0–10", "10"),
])
FINALS_MONEY = (["Result", "Date", "Category", "Surface"], [
    ("Winner", "23 January 1984", "$50,000", "Hard"), ("Runner-up", "16 April 1984", "$200,000", "Clay"),
    ("Runner-up", "23 April 1984", "$200,000", "Clay"),
])
NOVELS = (["Year", "Title", "Genre"], [
    ("1903", "Betty Zane", "Historical"), ("1908", "The Last of the Plainsmen", "Western"),
    ("1912", "Riders of the Purple Sage", "Western"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # "which season" asks for the season, as "which year" does
        (CAREER_CLUBS, "in which season did he score the most goals?", [("2007/08",)]),
        # seasons named after "most" are counted per team, not the latest season
        (CAREER_CLUBS, "which team did he play the most seasons for?", [("Dnipro",)]),
        # the next and previous team are the next and previous other team
        (CAREER_CLUBS, "what team did he play for after dnipro?", [("Lokomotiv",)]),
        (CAREER_CLUBS, "what team did he play for before dnipro?", [("Spartak",)]),
        # the best rank is the smallest number
        (DIVING, "who had the top preliminary rank?", [("Li Yihua (CHN)",)]),
        (DIVING, "who had the lowest preliminary rank?", [("Rim Hassan (EGY)",)]),
        (DIVING, "what was the highest final points?", [(530.7,)]),
        # a thing the table lists, named by no column ("book"): the row's name
        (NOVELS, "what was the last book published?", [("Riders of the Purple Sage",)]),
        # points are a scoring table's Total; a question asked yes or no is answered so
        (SCORERS, "who scored the most points?", [("Francis Forde",)]),
        (SCORERS, "did niall english score more points than kevin broderick?", [("yes",)]),
        (SCORERS, "did kevin broderick score more points than niall english?", [("no",)]),
        # money words name a column of dollar amounts, whatever it is called
        (FINALS_MONEY, "is the prize money for 23 january 1984 more than that of 23 april 1984?", [("no",)]),
        # and in Chinese: 是否比…多, 比…少嗎
        ((["Player", "Total"], [("Niall English", "12"), ("Kevin Broderick", "10")]),
         "niall english的得分是否比kevin broderick多?", [("yes",)]),
        ((["Player", "Total"], [("Niall English", "12"), ("Kevin Broderick", "10")]),
         "niall english的得分比kevin broderick少嗎?", [("no",)]),
    ],
)
def test_seasons_ranks_and_neighbours_of_another_value(table, question, expected):
    _expect_rows(table, question, expected)


CHURCHES = (["Parish", "Church name", "Year built"], [
    ("Alstadhaug", "Alstadhaug Church", "1180"), ("Ekne", "Ekne Church", "1893"),
    ("Levanger", "Levanger Church", "1902"), ("Levanger", "Bamberg Church", "1998"),
])
SPRINTS = (["Year", "Competition", "Position", "Event"], [
    ("2007", "Pan Arab Games", "4th", "200 m"), ("2008", "Olympic Games", "40th (h)", "200 m"),
    ("2009", "Asian Championships", "1st", "200 m"), ("2010", "Asian Games", "2nd", "100 m"),
])
LEAGUE = (["Year", "Division", "Reg. Season", "Playoffs"], [
    ("2005", "1", "6th, Western", "Conference Semifinals"), ("2006", "1", "3rd, Western", ""),
    ("2007", "1", "5th, Western", "Did not qualify"), ("2008", "2", "4th, Western", "Conference Finals"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # a year no row holds still bounds a range
        (CHURCHES, "how many churches were built before 1900?", [(2,)]),
        # the oldest and newest by the year that dates the rows
        (CHURCHES, "which church is the oldest?", [("Alstadhaug Church",)]),
        (CHURCHES, "what is the newest church?", [("Bamberg Church",)]),
        # the best place as the table writes it, the smallest number
        (SPRINTS, "what was his best position?", [("1st",)]),
        (SPRINTS, "what was his worst position?", [("40th (h)",)]),
        # "Reg." abbreviates "regular"; ordinals are places
        (LEAGUE, "what was their best regular season finish?", [("3rd, Western",)]),
        # a stage reached: the column holds a round, not nothing or "did not qualify"
        (LEAGUE, "how many years did they make the playoffs?", [(2,)]),
        (LEAGUE, "what is the total number of times the team did not qualify for the playoffs?", [(1,)]),
    ],
)
def test_ages_places_and_stages_reached(table, question, expected):
    _expect_rows(table, question, expected)


EPISODES = (["Series #", "Season #", "Title", "Original air date"], [
    ("1", "1", "The Charity", "October 15, 1994"), ("2", "1", "The Practical Joke War", "October 22, 1994"),
    ("3", "2", "Robin Hood Play", "January 9, 1995"),
])
ROSTER = (["Player", "No.", "Position"], [
    ("Jim Farmer", "30", "Guard"), ("Kyrylo Fesenko", "44", "Center"), ("Greg Foster", "44", "Center/Forward"),
])
SCORING = (["Name", "League", "FA Cup", "League Cup", "Total"], [
    ("Scot Bennett", "5", "0", "0", "5"), ("John O'Flynn", "11", "2", "1", "14"), ("Alan Gow", "4", "1", "0", "5"),
])
RECORDS = (["Season", "Head Coach", "Total Wins", "Total Losses"], [
    ("1905", "Sidney Smith", "2", "3"), ("1906", "Ralph Foster", "3", "0"), ("1907", "Ralph Foster", "1", "5"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # a show's season numbers are no years; the air dates hold them
        (EPISODES, "how many episodes aired in 1994?", [(2,)]),
        # "number 30" is the No. column's value
        (ROSTER, "which player wore number 30?", [("Jim Farmer",)]),
        (ROSTER, "how many players wore number 44?", [(2,)]),
        # players who scored in a competition are counted; goals in it are added up
        (SCORING, "how many players scored in the fa cup?", [(2,)]),
        (SCORING, "how many players scored in the league cup?", [(1,)]),
        (SCORING, "how many goals were scored in the fa cup?", [(3,)]),
        # "total" begins the name of the column the superlative ranks by
        (RECORDS, "in what season did they have the most total losses?", [(1907,)]),
    ],
)
def test_numbers_worn_competitions_scored_in_and_totals_named(table, question, expected):
    _expect_rows(table, question, expected)


CASE_LOG = (["date", "district", "topic", "enquiries"], [
    ("2025-01-06", "東區", "complaint", "5"), ("2025-01-07", "中西區", "general", "40"),
    ("2025-01-14", "東區", "general", "3"), ("2025-01-20", "中西區", "complaint", "2"),
    ("2025-01-21", "東區", "general", "1"),
])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the day asked for at its earliest or latest is the date itself
        ("最早的記錄是哪一天?", [(dt.date(2025, 1, 6),)]),
        ("最近的記錄是哪一天?", [(dt.date(2025, 1, 21),)]),
        ("when was the most recent complaint?", [(dt.date(2025, 1, 20),)]),
        ("最近一筆投訴是哪一天?", [(dt.date(2025, 1, 20),)]),
        ("when was the earliest record?", [(dt.date(2025, 1, 6),)]),
    ],
)
def test_days_asked_for_at_their_extremes(question, expected):
    gen = _ask(CASE_LOG, question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


# Sixty days of one district's counts: week 2025-W06 has the most, February the most of the months.
DAILY = (["date", "district", "enquiries"], [
    ((dt.date(2025, 1, 6) + dt.timedelta(days=i)).isoformat(), "東區", "30" if 28 <= i <= 34 else "3")
    for i in range(60)
])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a period asked for with no other column named: the busiest is the largest total
        ("which week was the busiest?", [("2025-W06",)]),
        ("哪一周最繁忙?", [("2025-W06",)]),
        ("which month was the busiest?", [("2025-02",)]),
    ],
)
def test_the_busiest_period_asked_for_alone(question, expected):
    gen = _ask(DAILY, question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


RACE = (["Pos", "Rider", "Manufacturer", "Points"], [
    ("1", "Loris Capirossi", "Honda", "25"), ("2", "Valentino Rossi", "Aprilia", "20"),
    ("3", "Tohru Ukawa", "Honda", "16"), ("Ret", "Marcellino Lucchi", "Aprilia", ""),
])
PAGEANT = (["Represent", "Candidate", "Age"], [
    ("Altai Krai", "Anastasija Nindova", "22"), ("Amur Oblast", "Myriam Asfry", "18"),
    ("Astrakhan Oblast", "Anna Ilina", "18"), ("Tula Oblast", "Irina Mondroe", "25"),
])
TRACKS = (["#", "Title", "Producer(s)", "Time"], [
    ("1", "Hog", "Battlecat", "4:24"), ("2", "Where Y'all From", "Battlecat", "1:11"),
    ("3", "House Party", "Battlecat", "4:49"), ("4", "Bank Lick", "Ant Banks", "0:49"),
])
FINALS_PLAYED = (["Outcome", "Date", "Surface", "Opponent"], [
    ("Runner-up", "15 April 2001", "Clay", "Guillermo Cañas"), ("Winner", "29 July 2001", "Clay", "Albert Portas"),
    ("Winner", "2 May 2004", "Hard", "Gastón Gaudio"),
])
FERTILITY = (["Period", "Live births per year", "TFR*"], [
    ("1950-1955", "139 000", "6.86"), ("1955-1960", "164 000", "7.13"), ("1960-1965", "195 000", "7.32"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # riders who scored points are counted; the points of one rider are added up
        (RACE, "how many riders scored points?", [(3,)]),
        (RACE, "how many points did valentino rossi get?", [(20,)]),
        # ages: "18 years old", "the oldest"
        (PAGEANT, "how many candidates were 18 years old?", [(2,)]),
        (PAGEANT, "who is the oldest candidate?", [("Irina Mondroe",)]),
        # durations measure the longest and shortest
        (TRACKS, "what is the longest song?", [("House Party",)]),
        (TRACKS, "what is the shortest song?", [("Bank Lick",)]),
        # the one played is the opponent
        (FINALS_PLAYED, "who did he play in his first final?", [("Guillermo Cañas",)]),
        # periods of years are counted, not added up
        (FERTILITY, "how many periods had a tfr above 7?", [(2,)]),
    ],
)
def test_points_scored_ages_durations_and_opponents(table, question, expected):
    _expect_rows(table, question, expected)


@pytest.mark.parametrize(
    ("header", "question", "expected"),
    [
        # the departments a budget log is kept by are counted once each; items are its rows
        (BUDGET_HEADER, "how many departments overspent in 2024?", [(2,)]),
        (BUDGET_HEADER, "2024年有多少個部門超支?", [(2,)]),
        (BUDGET_HEADER, "有多少個項目超支?", [(4,)]),
        # a unit after a number ("30百萬元") is the number's, not the other column's whose name ends in it
        (["年度", "部門", "項目", "預算(百萬元)", "實際支出(百萬元)"], "預算超過30百萬元的項目有多少個?", [(5,)]),
    ],
)
def test_departments_and_items_counted_in_a_budget_log(header, question, expected):
    gen = _ask((header, BUDGET_ROWS), question)
    assert [tuple(r) for r in gen.rows] == expected, gen.sql


VICTORIES = (["Date", "Location", "Number", "Type", "Status"], [
    ("8 March 1944", "Near Steinhuder Meer", "1", "Me-109", "Destroyed"),
    ("16 March 1944", "South of Stuttgart", "1", "Me-110", "Destroyed"),
    ("11 April 1944", "Northeast of Munich", "0.5", "Me-109", "Damaged"),
])
THROWS = (["Year", "Competition", "Position", "Event"], [
    ("2003", "All-Africa Games", "5th", "Shot put"), ("2004", "African Championships", "1st", "Discus throw"),
    ("2006", "Commonwealth Games", "1st", "Discus throw"),
])
INDY = (["Year", "Start", "Qual", "Finish", "Laps", "Retired"], [
    ("1926", "12", "102.789", "11", "142", "Flagged"), ("1927", "27", "107.765", "3", "200", "Running"),
    ("1928", "4", "117.031", "10", "200", "Running"),
])
ORDERS = (["Nation", "Date", "Quantity", "Notes"], [
    ("Netherlands", "2001", "2", "In 2001 the Netherlands ordered two vessels for its coast guard."),
    ("Jamaica", "2005", "3", "The three vessels were ordered for the Jamaica Defence Force."),
    ("Venezuela", "2008", "4", "Venezuela ordered four ocean patrol vessels from the shipyard."),
    ("Jamaica", "2009", "2", "Two more vessels were ordered for the coast guard after trials."),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # a code said in the plural ("me-109s")
        (VICTORIES, "how many me-109s were destroyed?", [(1,)]),
        # a win is a first place
        (THROWS, "how many competitions did he win?", [(2,)]),
        (THROWS, "in which year did he win his first competition?", [(2004,)]),
        # "qualifying" names the Qual column; "finish" after "did he" is a verb, not the amount
        (INDY, "what was his highest qualifying speed?", [(117.031,)]),
        (INDY, "how many races did he finish running?", [(2,)]),
        # a Quantity column says how many things a row stands for; a verb is no word of the notes
        (ORDERS, "how many vessels did jamaica order?", [(5,)]),
        (ORDERS, "which nation ordered the most vessels?", [("Jamaica",)]),
    ],
)
def test_codes_wins_verbs_and_quantities(table, question, expected):
    _expect_rows(table, question, expected)


MODELS = (["Model", "Volume", "Fuel", "Produced"], [
    ("728i", "2.8L", "Petrol", "38947"), ("728iL", "2.8L", "Petrol", "6816"), ("730i", "3.0L", "Petrol", "20876"),
    ("740i", "4.0L", "Petrol", "41000"), ("740i", "4.4L", "Petrol", "9000"), ("725tds", "2.5L", "Diesel", "12000"),
])
BOX_OFFICE = (["Rank", "Country", "Box Office", "Year"], [
    ("1", "Canada/United States", "$10.8 billion", "2012"), ("2", "China", "$3.6 billion", "2013"),
    ("3", "Japan", "$1.88 billion", "2013"), ("-", "World", "$34.7 billion", "2012"),
])
SKIER = (["Season", "Age", "Overall", "Downhill"], [
    ("2004", "17", "112", "–"), ("2005", "18", "37", "49"), ("2006", "19", "22", "15"), ("2007", "20", "33", "23"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # model codes ("728i") name things: counted as rows, asked for by "which model"
        (MODELS, "how many models use petrol?", [(5,)]),
        (MODELS, "which model was produced the most?", [("740i",)]),
        # amounts in billions are numbers; a World row is a summary, not a country
        (BOX_OFFICE, "which country had the highest box office?", [("Canada/United States",)]),
        (BOX_OFFICE, "how many countries had a box office over $2 billion?", [(2,)]),
        # a best finish or result is the smallest place
        (SKIER, "what was her best overall finish?", [(22,)]),
        (SKIER, "in which season did she have her best downhill result?", [(2006,)]),
    ],
)
def test_codes_amounts_in_words_and_best_results(table, question, expected):
    _expect_rows(table, question, expected)


MARATHONS = (["Year", "Competition", "Position", "Event", "Notes"], [
    ("1986", "Venice Marathon", "1st", "Marathon", "2:18:44"),
    ("1987", "World Championships", "13th", "Marathon", "DNF"),
    ("1987", "Venice Marathon", "1st", "Marathon", "2:10:01"),
    ("1990", "European Championships", "4th", "Marathon", "2:17:45"),
])
SPONSORS = (["Year", "Kit Manufacturer", "Shirt Sponsor"], [
    ("1977–1978", "", "National Express"), ("1982–1985", "Umbro", ""), ("1985–1986", "Umbro", "Whitbread"),
])
AWARDS_BY_POSITION = (["Season", "Footballer", "Position"], [
    ("2012-13", "Itumeleng Khune", "GK"), ("2011-12", "Siyabonga Nomvethe", "FW"), ("2009-10", "Moeneeb Josephs", "GK"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # the fastest time is the shortest duration, shown as written; "DNF" is no time
        (MARATHONS, "what was his fastest marathon time?", [("2:10:01",)]),
        (MARATHONS, "in which year did he run his fastest marathon?", [(1987,)]),
        # the first that names one, past an empty cell
        (SPONSORS, "what was the first kit manufacturer?", [("Umbro",)]),
        # rosters' position codes
        (AWARDS_BY_POSITION, "how many goalkeepers won the award?", [(2,)]),
    ],
)
def test_times_first_named_and_position_codes(table, question, expected):
    _expect_rows(table, question, expected)


SEASON_1920 = (["Date", "Opponents", "Venue", "Result", "Attendance"], [
    ("28 Aug 1920", "Reading", "H", "0–1", "14,500"), ("1 Sep 1920", "Bristol Rovers", "A", "2–3", "10,000"),
    ("4 Sep 1920", "Reading", "A", "0–4", "10,000"), ("9 Sep 1920", "Bristol Rovers", "H", "2–0", "8,000"),
    ("11 Sep 1920", "Plymouth Argyle", "H", "1–1", "12,000"),
])
TOY_SAFETY = (["Year", "Injuries (US $000)", "Deaths (age <15)"], [
    ("1998", "153", "14"), ("1999", "152", "16"), ("2000", "191", "17"), ("2001", "255", "25"),
])
SPEED_RECORDS = (["Speed", "Date", "Country", "Comments"], [
    ("202.6 km/h (126 mph)", "1938-07-03", "UK", "Downhill grade."),
    ("200.4 km/h (125 mph)", "1936-05-11", "Germany", "Level grade; the fastest in service at the time."),
    ("185.07 km/h (115 mph)", "1905-06-11", "USA", "Claimed."),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # results written as scores, the team's own first
        (SEASON_1920, "how many games did they lose?", [(3,)]),
        (SEASON_1920, "how many games did they win at home?", [(1,)]),
        (SEASON_1920, "how many games did they not win?", [(4,)]),
        # a unit in brackets is no head noun of the name
        (TOY_SAFETY, "in which year were there the most injuries?", [(2001,)]),
        (TOY_SAFETY, "how many deaths were there in 1998?", [(14,)]),
        # "fastest" measures the speed, not a word of the comments
        (SPEED_RECORDS, "which country had the fastest train?", [("UK",)]),
    ],
)
def test_scores_bracketed_units_and_speeds(table, question, expected):
    _expect_rows(table, question, expected)


def test_who_scored_names_the_scorers_column():
    table = (["Date", "Opponent", "Venue", "Result", "Attendance", "Scorers"], [
        ("13 August 2005", "Charlton Athletic", "Stadium of Light", "1–3", "34,446", "Gray"),
        ("23 August 2005", "Manchester City", "Stadium of Light", "1–2", "33,357", "Le Tallec"),
        ("3 March 2006", "Manchester City", "City of Manchester Stadium", "0–1", "42,200", ""),
    ])
    gen = _ask(table, "who scored against manchester city?")
    assert [r[0] for r in gen.rows if r[0]] == ["Le Tallec"], gen.sql


INTERNATIONAL_GOALS = (["Goal", "Date", "Opponent", "Score", "Result", "Competition"], [
    ("1", "2008-5-28", "Moldova", "0-1", "2–2", "Friendly match"),
    ("2", "2010-10-12", "Andorra", "4–0", "4–0", "Euro 2012 Q"),
    ("3", "2011-6-4", "Russia", "0-1", "3–1", "Euro 2012 Q"),
    ("4", "2011-9-2", "Andorra", "0-1", "0-3", "Euro 2012 Q"),
])
GROUNDS = (["Team", "Stadium", "Capacity"], [
    ("Bradford Bulls", "Provident Stadium", "27,000"), ("Castleford Tigers", "The Jungle", "11,750"),
    ("Hull KR", "Craven Park", "9,471"),
])


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # a Goal column numbering the rows 1, 2, 3 is no amount: goals are rows; "score" there is the verb
        (INTERNATIONAL_GOALS, "how many goals did he score against andorra?", [(2,)]),
        (INTERNATIONAL_GOALS, "in which competition did he score the most goals?", [("Euro 2012 Q",)]),
        # "match" is a word of the question, not of the cell "Friendly match"
        (INTERNATIONAL_GOALS, "what was the result of the match against russia?", [("3–1",)]),
        # the smallest stadium is the one of the smallest capacity
        (GROUNDS, "which team plays at the smallest stadium?", [("Hull KR",)]),
    ],
)
def test_numbered_rows_verbs_and_capacities(table, question, expected):
    _expect_rows(table, question, expected)


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # "only one medal": a count said in a word is a number
        (MEDAL_TOTALS, "which nations won only one medal?", [("Peru",)]),
        # "gases" is the plural of a three-letter cell
        ((["Name", "State at STP"], [("Hydrogen", "Gas"), ("Lithium", "Solid"), ("Helium", "Gas")]),
         "how many elements are gases at stp?", [(2,)]),
        # "prize money of 200,000": the number is the named column's
        ((["Tour", "City", "Prize money USD"], [("1", "Kuala Lumpur", "200,000"), ("2", "Seoul", "300,000"),
                                                ("3", "Birmingham", "200,000")]),
         "how many tournaments had prize money of 200,000?", [(2,)]),
    ],
)
def test_counts_in_words_short_plurals_and_amounts_after_of(table, question, expected):
    _expect_rows(table, question, expected)


CLUBS = (
    ["Team", "Ground", "Founded"],
    [("Cairns Cyclones", "Barlow Park", "1990"), ("Townsville Crocs", "Murray", "1993"),
     ("Mackay Sea Eagles", "Mackay Park", "1988"), ("Bundaberg Bulls", "Salter Oval", "1995"),
     ("Gladstone Port", "Marley Park", "1999")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many teams were listed before the mackay sea eagles?", [(2,)]),
        ("how many teams are listed previous to townsville crocs?", [(1,)]),
        ("how many teams come after mackay sea eagles?", [(2,)]),
        # a year is a bound on the rows, not a row to count from, in a column of years named for
        # what happened ("Founded")
        ("how many teams were founded after 1990?", [(3,)]),
        ("how many teams were founded before 1990?", [(1,)]),
        ("which teams were founded after 1990?", [("Townsville Crocs",), ("Bundaberg Bulls",), ("Gladstone Port",)]),
        ("which team was founded in 1993?", [("Townsville Crocs",)]),
    ],
)
def test_rows_counted_before_or_after_the_row_named(question, expected):
    _expect_rows(CLUBS, question, expected)


def test_rows_counted_before_a_row_are_explained():
    gen = _ask(CLUBS, "how many teams were listed before the mackay sea eagles?")
    text = answers.explain(gen.plan, [list(r) for r in gen.rows], "en")
    assert text.startswith("Counted the rows listed before the row") and "Mackay Sea Eagles" in text, text
    assert "之前列出的行數" in answers.explain(gen.plan, [list(r) for r in gen.rows], "zh-Hant")


SPEEDS = (
    ["Year", "Driver", "Average Speed (mph)", "Percentage Of Laps Led"],
    [("2001", "Ann", "140.2", "12"), ("2002", "Bob", "131.0", "40"), ("2003", "Cy", "136.5", "22"),
     ("2004", "Dee", "129.9", "5")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "average" and "percentage" begin the columns' names: a count of rows, no average or share
        ("how many drivers had an average speed faster than 135 mph?", [(2,)]),
        ("how many drivers had an average speed slower than 135 mph?", [(2,)]),
        ("what is the number of drivers with percentage of laps led above 20%", [(2,)]),
        # said on their own they still ask for one
        ("what was the average of the average speed?", [(134.4,)]),
    ],
)
def test_intent_words_that_begin_a_column_name(question, expected):
    _expect_rows(SPEEDS, question, expected)


DRAFT = (
    ["Round", "Player", "Position", "Weight"],
    [("1", "Brandon Pettigrew", "Tight end", "263 lb"), ("2", "Louis Delmas", "Safety", "202 lb"),
     ("3", "DeAndre Levy", "Linebacker", "234 lb")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a yes/no question whose comparison is a filter: yes when the named row passes it
        ("is brandon pettigrew above 250 pounds", [("yes",)]),
        ("is louis delmas above 250 pounds?", [("no",)]),
        ("was deandre levy heavier than 230 lb?", [("yes",)]),
        # "are there at least N": the rows counted against N
        ("are there at least 3 players on this list?", [("yes",)]),
        ("are there more than 3 players?", [("no",)]),
        # "above" before a number is no row above
        ("which players weigh above 230 lb?", [("Brandon Pettigrew",), ("DeAndre Levy",)]),
    ],
)
def test_yes_no_checks_of_a_number(question, expected):
    _expect_rows(DRAFT, question, expected)


def test_yes_no_checks_are_explained():
    gen = _ask(DRAFT, "are there at least 3 players on this list?")
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], "en") == (
        "Counted the rows and checked the count against 3: yes.")


BUILDINGS = (
    ["Name", "Place", "Date"],
    [("Cathedral Church of St. Mary", "The Close", "1220"), ("Harnham Bridge", "Harnham", "c. 1244"),
     ("Crane Bridge", "Crane Street", "15th century"), ("Poultry Cross", "Market", "1335")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the two named rows' years compared, medieval ones too
        ("was the cathedral church of st. mary built before or after harnham bridge?", [("before",)]),
        ("was poultry cross built before or after harnham bridge?", [("after",)]),
    ],
)
def test_before_or_after_compares_the_years_of_two_rows(question, expected):
    _expect_rows(BUILDINGS, question, expected)


def test_before_or_after_follows_the_table_order_without_dates():
    table = (["Stop", "Line"], [("Central", "Island"), ("Admiralty", "Island"), ("Wan Chai", "Island")])
    _expect_rows(table, "does wan chai come before or after admiralty?", [("after",)])
    gen = _ask(table, "does wan chai come before or after admiralty?")
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], "en").startswith(
        "Compared where the two rows named are listed in the table")


def test_a_column_of_years_is_never_added_up_for_a_count():
    table = (
        ["Outcome", "Date", "Championship", "Partner"],
        [("Winner", "1968", "Wimbledon", "John Newcombe"), ("Winner", "1969", "US Open", "John Newcombe"),
         ("Runner-up", "1970", "Wimbledon", "John Newcombe"), ("Winner", "1971", "Paris", "Fred Stolle")],
    )
    _expect_rows(table, "how many championships did roche win with newcombe?", [(2,)])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many teams were founded in the 1990s?", [(4,)]),
        ("how many teams were founded in the 1990's?", [(4,)]),
        ("how many teams were founded in the 80's?", [(1,)]),
        ("1990年代成立了多少支球隊?", [(4,)]),
    ],
)
def test_a_decade_is_ten_years_of_the_dating_column(question, expected):
    _expect_rows(CLUBS, question, expected)


def test_a_number_in_the_30s_is_no_decade_when_another_number_column_is_named():
    table = (["Air date", "Rank (overall)"], [("2007", "28"), ("2007", "35"), ("2008", "31"), ("2008", "44")])
    _expect_rows(table, "how many times was the overall rank in the 30s?", [(2,)])


def test_how_often_counts_rows_before_the_row_named():
    table = (["Air date", "Rank (overall)"],
             [("October 4, 2007", "28"), ("October 11, 2007", "35"), ("November 8, 2007", "31"),
              ("November 15, 2007", "33"), ("November 22, 2007", "44")])
    _expect_rows(table, "previous to november 15, 2007 how often was the overall rank in the 30s?", [(2,)])


SCHOOLS = (
    ["Institution", "State", "Graduate enrollment"],
    [("Brown University", "Rhode Island", "2,000"), ("Columbia University", "New York", "15,760"),
     ("Harvard University", "Massachusetts", "14,044"), ("Yale University", "Connecticut", "6,859"),
     ("Cornell University", "New York", "6,859"), ("Fordham University", "New York", "5,000")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which institution has the second highest graduate enrollment?", [("Harvard University",)]),
        ("what is the third highest graduate enrollment?", [(6859,)]),
        # ties share a place: both 6,859s are third, so 5,000 is fourth... from the bottom, second
        ("which institution has the 2nd lowest graduate enrollment?", [("Fordham University",)]),
        ("which institution has the next highest graduate enrollment?", [("Harvard University",)]),
        ("which state has the second most institutions?", [("Rhode Island",), ("Massachusetts",),
                                                          ("Connecticut",)]),
        ("哪個Institution的Graduate enrollment第二高?", [("Harvard University",)]),
    ],
)
def test_the_second_or_next_highest(question, expected):
    _expect_rows(SCHOOLS, question, expected)


def test_a_value_takes_the_column_it_is_listed_as():
    table = (["Team", "Chassis", "Engine"],
             [("SpA Ferrari SEFAC", "Ferrari 330 P4", "Ferrari 4.0L V12"),
              ("Ford France", "Ford GT40", "Ford 4.7L V8"),
              ("Maranello Concessionaires", "Ferrari 412P", "Ferrari 4.0L V12"),
              ("Ecurie Francorchamps", "Ferrari 412P", "Ferrari 4.0L V12")])
    _expect_rows(table, "how many times was ferrari listed as an engine?", [(3,)])
    _expect_rows(table, "how many teams had ferrari as the chassis?", [(3,)])


def test_places_written_as_ordinals_compare_as_numbers():
    table = (["Year", "Team", "Pos."], [("2001", "Goh", "DNF"), ("2003", "RN", "22nd"), ("2004", "Lister", "24th"),
                                         ("2006", "Zytek", "NC"), ("2007", "Larbre", "7th")])
    _expect_rows(table, "how many times was the final position above 20?", [(2,)])
    _expect_rows(table, "which team finished in a position below 10?", [("Larbre",)])


def test_a_no_of_column_is_a_count_not_an_identifier():
    table = (["City/Municipality", "No. of Barangays", "Area (km²)"],
             [("Angono", "10", "26.22"), ("Antipolo", "16", "306.10"), ("Baras", "10", "84.93")])
    _expect_rows(table, "how many barangays does the city of angono have?", [(10,)])
    _expect_rows(table, "how many barangays are there in all?", [(36,)])


def test_the_column_of_the_role_named_is_the_one_counted():
    table = (["Year", "Winners", "Runners up"],
             [("1950", "Rugeley", "Walsall Wood"), ("1951", "Walsall Wood", "Hednesford"),
              ("1952", "Hednesford", "Walsall Wood"), ("1953", "Walsall Wood", "Rugeley")])
    _expect_rows(table, "which team came in as runners up the most often?", [("Walsall Wood",)])
    _expect_rows(table, "which team won the most often?", [("Walsall Wood",)])


POLLS = (
    ["Poll source", "Andrew Cuomo (D)", "Rob Astorino (R)"],
    [("Siena", "61%", "26%"), ("Marist", "65%", "25%"), ("Quinnipiac", "58%", "24%"), ("Siena II", "63%", "19%")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a number the table holds as a cell is still a bound when compared
        ("in how many poll sources did rob astorino receive more than 25%?", [(1,)]),
        ("in how many poll sources did rob astorino receive 25% or more?", [(2,)]),
        ("in how many poll sources did rob astorino receive 25%?", [(1,)]),
        # "not" turns the comparison round
        ("in how many poll sources did rob astorino not receive 25% or more?", [(2,)]),
        ("in how many poll sources did rob astorino get not more than 25%?", [(3,)]),
    ],
)
def test_numbers_compared_even_where_a_cell_holds_them(question, expected):
    _expect_rows(POLLS, question, expected)


def test_accented_names_said_without_accents_and_the_measure_of_the_stage_named():
    table = (["Rank", "Diver", "Preliminary Points", "Final Points"],
             [("1", "Ingrid Krämer (EUA)", "56.30", "34.98"), ("2", "Paula Jean Myers (USA)", "53.60", "33.60")])
    _expect_rows(table, "how many total points did ingrid kramer score in the final?", [(34.98,)])
    _expect_rows(table, "how many points did ingrid krämer score in the preliminary?", [(56.3,)])


STATIONS = (
    ["Station", "Type", "Opened", "Closed"],
    [("Mount Wilson, California", "Solar", "1908", "1920"), ("Mount Harquahala, Arizona", "Solar", "1920", "1925"),
     ("Table Mountain, California", "Solar", "1925", "1962 (moved)")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how long did the mount harquahala station operate?", [("5 years",)]),
        ("how many years did table mountain operate?", [(37,)]),
    ],
)
def test_how_long_a_row_lasted_between_its_opening_and_closing_years(question, expected):
    _expect_rows(STATIONS, question, expected)


def test_how_long_is_explained():
    gen = _ask(STATIONS, "how long did the mount harquahala station operate?")
    text = answers.explain(gen.plan, [list(r) for r in gen.rows], "en")
    assert text.startswith("Counted the years from Opened to Closed") and text.endswith("5 years."), text


def test_the_row_whose_period_lasted_longest():
    table = (["No.", "Name", "Took Office", "Left Office"],
             [("1", "Harvey Wiley", "January 1, 1907", "March 15, 1912"),
              ("2", "Carl Alsberg", "December 16, 1912", "July 15, 1921"),
              ("3", "Walter Campbell", "July 16, 1921", "June 30, 1924")])
    _expect_rows(table, "who was in office for the most amount of time?", [("Carl Alsberg",)])
    _expect_rows(table, "who served the shortest time?", [("Walter Campbell",)])


def test_a_two_letter_unit_names_its_column():
    table = (["Rank", "Name", "Height ft (m)", "Floors"],
             [("1", "Ordway Building", "404 (123)", "28"), ("2", "Kaiser Center", "390 (119)", "27"),
              ("3", "Clorox Building", "150 (46)", "24")])
    _expect_rows(table, "how many buildings are at least 200 ft tall?", [(2,)])


def test_a_golfers_rounds_are_no_match_score():
    table = (["Year", "Player", "Score"],
             [("2009", "Tiger Woods", "68-70-69-67=274"), ("2008", "Camilo Villegas", "66-69-65-71=271"),
              ("2007", "Tiger Woods", "67-65-72-68=272"), ("2006", "Jim Furyk", "70-69-68-70=277")])
    _expect_rows(table, "besides tiger woods what other player won between 2007 and 2009?", [("Camilo Villegas",)])


GOLF_WINNERS = (
    ["Year", "Player", "Country"],
    [("2013", "Zach Johnson", "United States"), ("2012", "Rory McIlroy", "Northern Ireland"),
     ("2011", "Justin Rose", "England"), ("2010", "Dustin Johnson", "United States")],
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # newest first: the next in time is the row above, the previous the row below
        ("after justin rose won in 2011 who won next?", [("Rory McIlroy",)]),
        ("who won before justin rose?", [("Dustin Johnson",)]),
        # the list's own order when the question names it
        ("who is listed after justin rose?", [("Dustin Johnson",)]),
    ],
)
def test_next_in_time_over_seasons_listed_newest_first(question, expected):
    _expect_rows(GOLF_WINNERS, question, expected)


def test_a_repeated_header_row_and_common_verbs_are_no_values():
    table = (["Year", "Title", "Album"],
             [("2008", "Come Alive", "Album"), ("2009", "Hallelujah", "Hallelujah - Live Volume 2"),
              ("2010", "Held Out", "Non-album single")])
    _expect_rows(table, "when did the album hallelujah - live volume 2 come out?", [(2009,)])


def test_the_explanation_says_which_place_in_the_ranking_was_asked():
    gen = _ask(SCHOOLS, "which institution has the second highest graduate enrollment?")
    assert answers.explain(gen.plan, [list(r) for r in gen.rows], "en").endswith(
        "As asked, this is number 2 in that ranking, not the first.")
    first = _ask(SCHOOLS, "which institution has the highest graduate enrollment?")
    assert "ranking" not in answers.explain(first.plan, [list(r) for r in first.rows], "en")


def test_who_asks_for_the_representative_not_the_title():
    table = (["Representative", "Title", "Appointed by"],
             [("Solon Borland", "Envoy Extraordinary", "Franklin Pierce"),
              ("Hugo Llorens", "Ambassador Extraordinary", "George W. Bush"),
              ("Lisa Kubiske", "Ambassador Extraordinary", "Barack Obama")])
    _expect_rows(table, "who is the only ambassador to honduras appointed by barack obama?", [("Lisa Kubiske",)])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Chinese puts the row or the year before the step word
        ("在Mackay Sea Eagles之前列出了多少支球隊？", [(2,)]),
        ("Mackay Sea Eagles之後有多少支球隊？", [(2,)]),
        ("1990年後成立了多少支球隊？", [(3,)]),
        ("1990年以前成立了多少支球隊？", [(1,)]),
        ("哪些球隊在1990年之後成立？", [("Townsville Crocs",), ("Bundaberg Bulls",), ("Gladstone Port",)]),
    ],
)
def test_chinese_before_and_after_follow_the_row_or_year(question, expected):
    _expect_rows(CLUBS, question, expected)


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        (DRAFT, "Brandon Pettigrew的Weight是否超過250？", [("yes",)]),
        (DRAFT, "Louis Delmas的Weight是否超過250？", [("no",)]),
        (BUILDINGS, "Poultry Cross是在Harnham Bridge之前還是之後建成的？", [("after",)]),
        (STATIONS, "Mount Harquahala運作了多少年？", [(5,)]),
        (STATIONS, "Mount Harquahala運作了多久？", [("5年",)]),
    ],
)
def test_chinese_checks_order_and_spans(table, question, expected):
    _expect_rows(table, question, expected)


def test_things_listed_one_a_line_in_a_cell_are_counted():
    table = (["Year", "World Performance Car", "Contestant"],
             [("2006", "Porsche Cayman S (winner)\nBMW M5\nBMW M6", "Ann Lee\n(captain)"),
              ("2007", "Audi RS4 (winner)\nBMW 335i\nPorsche 911 Turbo\n\n\nAudi S6\nJaguar XKR", "Bo Kim\n(rookie)")])
    _expect_rows(table, "how many total world performance cars are there for 2007?", [(5,)])
    # a name with a note on its second line is one contestant
    _expect_rows(table, "how many contestants were there in 2007?", [(1,)])


SINGLES = (
    ["Year", "Single title", "French Charts", "US Charts"],
    [("1975", "Who's That Lady", "17", "12"), ("1976", "Help Me", "9", "40"), ("1977", "Fly Away", "3", "22")],
)
# "Total" is a type of eclipse here, on half the rows: data, not a summary row
ECLIPSES = (
    ["Saros", "Date", "Time (Greatest) UTC", "Type"],
    [("144", "May 13, 2181", "20:45:01", "Annular"), ("145", "May 24, 2199", "4:22:21", "Total"),
     ("146", "June 5, 2217", "11:14:50", "Total"), ("147", "June 15, 2235", "18:03:31", "Total"),
     ("148", "June 27, 2253", "0:52:47", "Hybrid"), ("149", "July 7, 2271", "7:41:11", "Annular")],
)
RESULTS = (
    ["Year", "Competition", "Venue", "Position"],
    [("2006", "World Junior Championships", "Beijing, China", "10th"), ("2008", "Olympic Games", "Beijing, China",
                                                                          "17th")],
)


@pytest.mark.parametrize(
    ("table", "question", "expected"),
    [
        # the column named right after "what" is the one stepped along, though another is named too
        (SINGLES, "what single title is listed on the french charts after who's that lady?", [("Help Me",)]),
        (RESULTS, "after the 2006 world junior championships what was the other competition held in beijing?",
         [("Olympic Games",)]),
        # "when" from a row named by its date: the next date
        (ECLIPSES, "when will the next solar saros be after the may 24, 2199 solar saros occurs?",
         [("June 5, 2217",)]),
        # a column named further on still answers as before
        (SINGLES, "what was the us charts position of the single after help me?", [(22,)]),
    ],
)
def test_next_row_in_the_column_asked_for(table, question, expected):
    _expect_rows(table, question, expected)
