"""Loading files into a department's workspace: encodings, sniffing, bad input, all-or-nothing."""

from __future__ import annotations

import json

import duckdb
import openpyxl
import pytest

from ai_toolbox.analysis import datasets
from ai_toolbox.analysis.profile import profile_dataset
from ai_toolbox.errors import AlreadyExists, InvalidInput, NotFound, TooLarge, UnsupportedFile


def _rows(p, name, table=None):
    d = datasets.get_dataset(p, name)
    with datasets.query_connection(d) as con:
        t = table or d.tables[0]["name"]
        return con.execute(f'SELECT * FROM "{t}"').fetchall(), [c["name"] for c in d.tables[0]["columns"]]


@pytest.mark.parametrize(
    ("encoding", "script"), [("utf-8", "zh-Hant"), ("big5", "zh-Hant"), ("gbk", "zh-Hans"), ("utf-8-sig", "zh-Hans")]
)
def test_chinese_csv_in_any_encoding_keeps_its_column_names(officer, chinese_csv, encoding, script):
    out = datasets.load_file(officer, chinese_csv(encoding, script), "districts")
    rows, names = _rows(officer, "districts")
    assert names[0] == ("地區" if script == "zh-Hant" else "地区")
    assert rows[0][0] == "沙田" and rows[1][1] == 30
    assert out.encoding in {"utf-8", "big5hkscs", "gb18030"}


def test_semicolon_delimiter_ragged_rows_and_bad_names(officer, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("name;;name;score\nA;x;y;1\nB;z\nC;w;v;3;extra\n", encoding="utf-8")
    datasets.load_file(officer, path, "ragged")
    rows, names = _rows(officer, "ragged")
    assert names[:4] == ["name", "column_2", "name_2", "score"]
    assert len(names) == 5
    assert rows[1][:2] == ("B", "z") and rows[1][3] is None


def test_mixed_types_in_a_column_load_as_text(officer, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("id,code\n" + "".join(f"{i},{i}\n" for i in range(3000)) + "3000,ABC\n", encoding="utf-8")
    datasets.load_file(officer, path, "mixed")
    rows, _ = _rows(officer, "mixed")
    assert rows[-1][1] in ("ABC",)


def test_csv_with_a_second_header_row_under_grouped_headings(officer, tmp_path):
    # Grouped headings exported to CSV repeat the group over its columns and the plain names in both rows.
    path = tmp_path / "caps.csv"
    path.write_text(
        "地區,Appearances,Appearances,Goals\n地區,Start,Sub,Goals\n沙田,4,1,3\n灣仔,2,0,1\n", encoding="utf-8"
    )
    datasets.load_file(officer, path, "caps")
    rows, names = _rows(officer, "caps")
    assert names == ["地區", "Appearances Start", "Appearances Sub", "Goals"]
    assert rows == [("沙田", 4, 1, 3), ("灣仔", 2, 0, 1)]


def test_a_data_row_that_repeats_one_header_name_stays_data(officer, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("Date,Round,Venue\n1,April 8,Venue\n2,April 9,Park\n", encoding="utf-8")
    datasets.load_file(officer, path, "one")
    rows, names = _rows(officer, "one")
    assert names == ["Date", "Round", "Venue"] and len(rows) == 2


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a wide table: years head the columns, though most of the first row is numbers
        ("District,2019,2020,2021\nSha Tin,120,135,150\nKwun Tong,200,180,170\n", ["District", "2019", "2020", "2021"]),
        # rows of numbers, one of them years, stay data
        ("1999,2000,7\n2001,2002,8\n", ["column_1", "column_2", "column_3"]),
        ("x,2019,2019\ny,1,2\n", ["column_1", "column_2", "column_3"]),
    ],
)
def test_years_as_column_headings_are_a_header(officer, tmp_path, text, names):
    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    datasets.load_file(officer, path, "wide")
    assert _rows(officer, "wide")[1] == names


def test_xlsx_each_sheet_a_table_with_merged_header_rows(officer, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收入"
    ws.append(["地區", "2024", None, "備註"])
    ws.append([None, "Q1", "Q2", None])
    ws.merge_cells("B1:C1")
    ws.append(["沙田", 10, 20, "ok"])
    ws.append(["灣仔", 5, 7, None])
    ws2 = wb.create_sheet("staff")
    ws2.append(["name", "grade"])
    ws2.append(["Chan", "SEO"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    out = datasets.load_file(officer, path, "book")
    assert [t.name for t in out.tables] == ["收入", "staff"]
    assert [c.name for c in out.tables[0].columns] == ["地區", "2024 Q1", "2024 Q2", "備註"]
    rows, _ = _rows(officer, "book", "收入")
    assert rows[0] == ("沙田", 10, 20, "ok")


def test_parquet_and_json(officer, tmp_path):
    pq = tmp_path / "t.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT range AS n, 'x' || range AS 名稱 FROM range(5)) TO '{pq}' (FORMAT parquet)")
    datasets.load_file(officer, pq, "pq")
    js = tmp_path / "t.json"
    js.write_text(json.dumps([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]), encoding="utf-8")
    datasets.load_file(officer, js, "js")
    assert _rows(officer, "pq")[1] == ["n", "名稱"]
    assert _rows(officer, "js")[0] == [(1, "x"), (2, "y")]


def test_bad_input_leaves_nothing_behind(officer, tmp_path, storage):
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InvalidInput):
        datasets.load_file(officer, bad, "broken")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput):
        datasets.load_file(officer, empty, "empty")
    with pytest.raises(UnsupportedFile):
        datasets.load_file(officer, tmp_path / "x.exe" if (tmp_path / "x.exe").write_bytes(b"MZ") else None, "x")
    assert datasets.list_datasets(officer) == []
    assert not list((storage / "analysis").rglob("*.duckdb"))


def test_size_limit(officer, tmp_path, monkeypatch):
    from ai_toolbox.config import reset_settings

    monkeypatch.setenv("AITB_ANALYSIS__MAX_DATASET_MB", "1")
    reset_settings()
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" + "1,2\n" * 400_000, encoding="utf-8")
    with pytest.raises(TooLarge):
        datasets.load_file(officer, big, "big")


def test_names_unique_per_department_and_replace(officer, sales_csv):
    datasets.load_file(officer, sales_csv, "sales")
    with pytest.raises(AlreadyExists):
        datasets.load_file(officer, sales_csv, "sales")
    datasets.load_file(officer, sales_csv, "sales", replace=True)
    assert [d.name for d in datasets.list_datasets(officer)] == ["sales"]


def test_other_department_never_sees_a_dataset(loaded, make_principal):
    other = make_principal("housing", "officer", "h1")
    assert datasets.list_datasets(other) == []
    with pytest.raises(NotFound):
        datasets.get_dataset(other, "sales")
    with pytest.raises(NotFound):
        datasets.get_dataset(other, "id:1")
    with pytest.raises(NotFound):
        profile_dataset(other, "sales")


def test_delete_removes_registry_and_file(loaded, storage):
    datasets.delete_dataset(loaded, "sales")
    assert datasets.list_datasets(loaded) == []
    assert not list((storage / "analysis").rglob("*.duckdb"))


def test_profile_flags_and_masks_personal_data(officer, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "name,email,phone,amount\n" + "".join(f"Person {i},p{i}@example.com,9{i:03d} {i:04d},{i}\n" for i in range(20)),
        encoding="utf-8",
    )
    datasets.load_file(officer, path, "people")
    prof = profile_dataset(officer, "people", mask=True)
    cols = {c.name: c for c in prof.tables[0].columns}
    assert cols["email"].pii == "EMAIL"
    assert cols["amount"].pii is None and cols["amount"].min == 0 and cols["amount"].max == 19
    assert cols["amount"].nulls == 0 and cols["amount"].distinct == 20
    assert "@" not in str(prof.tables[0].examples[0]["email"])
