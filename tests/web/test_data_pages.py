"""The Data page: upload, profile, ask (SQL, table, chart, explanation), export, other departments."""

from __future__ import annotations

import pytest

pytest.importorskip("ai_toolbox.analysis.answers", reason="that service is not in this build yet")

HTML = {"accept": "text/html"}
SALES = ("date,district,地區,amount,cases\n2024-01-15,Sha Tin,沙田,120,3\n2024-02-03,Wan Chai,灣仔,300.5,5\n"
         "2024-04-20,Sha Tin,沙田,80,1\n2024-05-11,Kwun Tong,觀塘,410,7\n").encode()


def _upload(api, csrf, name="sales", content=SALES, filename="sales.csv"):
    return api.post("/data", data={"name": name, "csrf_token": csrf}, headers=HTML,
                    files={"file": (filename, content, "text/csv")})


@pytest.mark.parametrize(("tag", "content", "question", "heading", "column"), [
    ("en", SALES, "total amount by district", "Answer", "district"),
    ("zh-Hant", SALES, "total amount by 地區", "答案", "地區"),
])
def test_upload_profile_and_ask(api, officer, sign_in, tag, content, question, heading, column):
    csrf = sign_in("officer", tag)
    r = _upload(api, csrf, content=content)
    assert r.status_code == 200 and str(r.url).endswith("/data/sales")
    assert f"<td>{column}</td>" in r.text  # profile of the columns
    r = api.post("/data/sales/ask", data={"question": question, "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200, r.text[-2000:]
    assert f">{heading}</h2>" in r.text
    assert 'id="sql"' in r.text and "SELECT" in r.text
    assert "Sha Tin" in r.text or "沙田" in r.text
    assert 'src="data:image/svg+xml;base64,' in r.text  # a grouped total gets a chart


def test_a_wide_table_says_how_it_is_read(api, officer, sign_in):
    csrf = sign_in("officer", "zh-Hant")
    wide = "地區,2022,2023,2024\n沙田,610,642,688\n觀塘,455,471,502\n".encode()
    r = _upload(api, csrf, name="visits", content=wide, filename="visits.csv")
    assert r.status_code == 200 and "此表以時期為欄；提問時也會把它讀成每個地區 · 年份一行。" in r.text
    r = api.post("/data/visits/ask", data={"question": "哪一年的總數最高", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200 and "表格以年份為欄，已改為每個地區及年份一行來讀取。" in r.text


def test_export_csv(api, officer, sign_in):
    csrf = sign_in("officer")
    _upload(api, csrf)
    r = api.post("/data/sales/export", data={"question": "total amount by district", "fmt": "csv",
                                             "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "Kwun Tong" in r.text


@pytest.mark.parametrize(("filename", "content", "status", "shown"), [
    ("notes.docx", b"PK\x03\x04 not data", 415, "This file cannot be used here."),
    ("empty.csv", b"", 422, "empty.csv"),
])
def test_bad_dataset_uploads_are_explained(api, officer, sign_in, filename, content, status, shown):
    csrf = sign_in("officer")
    r = _upload(api, csrf, name="bad", content=content, filename=filename)
    assert r.status_code == status and 'role="alert"' in r.text and shown in r.text


def test_unanswerable_question_is_explained(api, officer, sign_in):
    csrf = sign_in("officer")
    _upload(api, csrf)
    r = api.post("/data/sales/ask", data={"question": "  ", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 422 and 'role="alert"' in r.text


def test_another_departments_dataset_is_not_found(api, make_principal, sign_in):
    make_principal("housing", "officer", "amy")
    make_principal("transport", "officer", "tom")
    csrf = sign_in("amy")
    _upload(api, csrf)
    sign_in("tom")
    r = api.get("/data/sales", headers=HTML)
    assert r.status_code == 404 and "Not found" in r.text
    assert "sales" not in api.get("/data", headers=HTML).text.split("<main", 1)[1].split("Upload a dataset")[0]
