import pytest


def login(api, username="officer"):
    r = api.post("/api/v1/auth/login", json={"username": username, "password": "a good long password"})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


def test_text_page_needs_sign_in(api):
    assert api.get("/text").status_code in (401, 303, 307)


@pytest.mark.parametrize(("action", "text", "expected"), [
    ("convert", "港岛线的头发", "港島綫的頭髮"),
    ("redact", "身份證 A123456(3)", "身份證 [HKID]"),
    ("detect", "香港特別行政區政府今日公布新措施。", "zh-Hant"),
])
def test_text_page_runs_each_tool(api, officer, action, text, expected):
    csrf = login(api)
    assert "Text tools" in api.get("/text").text
    r = api.post("/text", data={"text": text, "action": action, "config": "s2hk", "operator": "tag",
                                "csrf_token": csrf})
    assert r.status_code == 200, r.text
    assert expected in r.text and "Audit record" in r.text


def test_text_page_shows_errors(api, officer):
    csrf = login(api)
    r = api.post("/text", data={"text": "x", "action": "convert", "config": "nope", "csrf_token": csrf})
    assert r.status_code == 422 and "Unknown conversion" in r.text
    r = api.post("/text", data={"text": "x", "action": "convert", "config": "s2hk"})
    assert r.status_code == 403
