"""The demo's datasets load (once) and answer the README tour's data questions as printed there."""

from __future__ import annotations

from ai_toolbox import demo
from ai_toolbox.analysis import answers, datasets


def test_the_demo_datasets_load_once_and_answer_the_tour(officer):
    first = demo.dataset(officer)
    assert first.status == "loaded" and "budget: 75 rows" in first.detail
    assert demo.dataset(officer).status == "present"
    assert {d.name for d in datasets.list_datasets(officer)} >= set(demo.DATASETS)

    most = answers.ask(officer, "enquiries_2025", "which district has the most enquiries?")
    assert most.rows == [["油尖旺"]]
    change = answers.ask(officer, "budget", "which department had the largest budget increase from 2023 to 2024?")
    assert change.rows == [["環境保護署", 160, 281, 121]]
    assert change.explanation.endswith("took the largest change: 環境保護署.")
    # a wide table, a column per year, read as one row per district and year
    busiest = answers.ask(officer, "library_visits", "哪一年的总数最高")
    assert busiest.rows == [[2024]]
    assert busiest.explanation == (
        "按年份分组加总数值，取总数最高者：2024。表格以年份为栏，已改为每个地区及年份一行来读取。"
    )
    sha_tin = answers.ask(officer, "library_visits", "which district had the most visits?")
    assert sha_tin.rows == [["沙田"]]
    assert sha_tin.explanation.endswith("The table has its 年份 as columns; it was read as one row per 地区 and 年份.")


def test_dates_that_keep_every_row_out_are_answered_with_the_dates_the_table_covers(officer, monkeypatch):
    import datetime as dt

    from ai_toolbox.analysis import conditions

    monkeypatch.setattr(conditions, "today", lambda: dt.date(2026, 12, 7))
    demo.dataset(officer)
    empty = answers.ask(officer, "enquiries_2025", "how many enquiries last month?")
    assert empty.rows == [[None]]
    assert empty.explanation.endswith("The table's date runs from 2025-01-01 to 2025-10-29.")
    budget = answers.ask(officer, "budget", "今年的預算總額")
    assert budget.explanation.endswith("表格中的年度由 2022 至 2024。")
    found = answers.ask(officer, "enquiries_2025", "how many enquiries in march?")
    assert found.rows == [[950]] and "runs from" not in found.explanation
