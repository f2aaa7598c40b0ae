"""The analysis API: upload, list, profile, ask, chart, export; other departments see nothing."""

from __future__ import annotations

import pytest
from openpyxl import Workbook


@pytest.fixture
def uploaded(api, officer, auth_headers, sales_csv):
    h = auth_headers(officer)
    with sales_csv.open("rb") as f:
        r = api.post(
            "/api/v1/analysis/datasets", headers=h, data={"name": "sales"}, files={"file": ("sales.csv", f, "text/csv")}
        )
    assert r.status_code == 201, r.text
    return h


def test_upload_list_profile_ask(api, uploaded):
    body = api.get("/api/v1/analysis/datasets", headers=uploaded).json()
    assert [d["name"] for d in body] == ["sales"] and body[0]["row_count"] == 6
    prof = api.get("/api/v1/analysis/datasets/sales/profile", headers=uploaded).json()
    assert prof["tables"][0]["rows"] == 6
    r = api.post("/api/v1/analysis/datasets/sales/ask", headers=uploaded, json={"question": "每個地區的amount總和"})
    assert r.status_code == 200, r.text
    ans = r.json()
    assert ans["sql"].startswith("SELECT") and ans["rows"][0][0] == "觀塘" and ans["language"] == "zh-Hant"
    assert ans["chart"] == "bar" and ans["audit_id"]


@pytest.mark.parametrize(
    ("fmt", "magic"), [("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("png", b"\x89PNG"), ("svg", b"<?xml")]
)
def test_export_formats(api, uploaded, fmt, magic):
    r = api.post(
        f"/api/v1/analysis/datasets/sales/export?fmt={fmt}",
        headers=uploaded,
        json={"question": "total amount by district"},
    )
    assert r.status_code == 200 and r.content.startswith(magic)


def test_chart_endpoint(api, uploaded):
    r = api.post(
        "/api/v1/analysis/datasets/sales/chart?fmt=svg", headers=uploaded, json={"question": "total amount by district"}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg")


def test_unanswerable_and_unsafe_questions_are_clear_errors(api, uploaded):
    r = api.post("/api/v1/analysis/datasets/sales/ask", headers=uploaded, json={"question": "what is the weather?"})
    assert r.status_code == 422 and "Cannot answer" in r.json()["message"]


def test_unsupported_upload(api, uploaded):
    r = api.post(
        "/api/v1/analysis/datasets",
        headers=uploaded,
        data={"name": "x"},
        files={"file": ("x.exe", b"MZ", "application/octet-stream")},
    )
    assert r.status_code == 415


def test_other_department_gets_404_and_never_the_name(api, uploaded, make_principal, auth_headers):
    other = auth_headers(make_principal("housing", "officer", "h-officer"))
    assert api.get("/api/v1/analysis/datasets", headers=other).json() == []
    for method, path, kw in [
        ("get", "/api/v1/analysis/datasets/sales", {}),
        ("get", "/api/v1/analysis/datasets/sales/profile", {}),
        ("post", "/api/v1/analysis/datasets/sales/ask", {"json": {"question": "how many rows"}}),
        ("post", "/api/v1/analysis/datasets/sales/export?fmt=csv", {"json": {"question": "how many rows"}}),
        ("delete", "/api/v1/analysis/datasets/sales", {}),
        ("get", "/api/v1/analysis/datasets/id:1", {}),
    ]:
        r = getattr(api, method)(path, headers=other, **kw)
        assert r.status_code == 404, (path, r.status_code)
    assert api.get("/api/v1/analysis/datasets", headers=uploaded).json()[0]["name"] == "sales"


def test_anonymous_is_refused(api):
    assert api.get("/api/v1/analysis/datasets").status_code == 401


def test_nested_question_over_two_sheets(api, officer, auth_headers, tmp_path):
    """A workbook of two sheets; "the largest state" is answered inside the query that uses it."""
    wb = Workbook()
    states = wb.active
    states.title = "state"
    for row in [("state_name", "area"), ("texas", 692), ("hawaii", 2), ("maine", 86)]:
        states.append(row)
    cities = wb.create_sheet("city")
    for row in [("city_name", "state_name", "population"), ("austin", "texas", 340), ("houston", "texas", 1590)]:
        cities.append(row)
    cities.append(("portland", "maine", 60))
    path = tmp_path / "geo.xlsx"
    wb.save(path)
    h = auth_headers(officer)
    with path.open("rb") as f:
        r = api.post("/api/v1/analysis/datasets", headers=h, data={"name": "geo"}, files={"file": ("geo.xlsx", f)})
    assert r.status_code == 201, r.text
    r = api.post(
        "/api/v1/analysis/datasets/geo/ask", headers=h, json={"question": "how many cities are in the largest state"}
    )
    assert r.status_code == 200, r.text
    ans = r.json()
    assert ans["rows"] == [[2]] and " IN (SELECT " in ans["sql"], ans
    assert '"the largest state" (texas)' in ans["explanation"]


def test_a_cross_tabulation_is_drawn_as_grouped_bars(api, uploaded):
    from ai_toolbox.analysis import charts

    body = api.post("/api/v1/analysis/datasets/sales/ask", headers=uploaded,
                    json={"question": "total amount by district and officer"}).json()
    assert len(body["columns"]) == 3 and body["chart"] == "bar", body
    assert charts.is_crosstab(body["columns"], body["rows"])
    r = api.post("/api/v1/analysis/datasets/sales/chart?fmt=svg", headers=uploaded,
                 json={"question": "total amount by district and officer"})
    assert r.status_code == 200 and b"<svg" in r.content
    # one series per officer, named in a legend (a one-column bar chart has none)
    assert b'id="legend_1"' in r.content
