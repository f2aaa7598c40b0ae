import pytest
from sqlalchemy import select

from ai_toolbox.storage.db import session_scope
from ai_toolbox.storage.models import AuditEvent


def audit_actions():
    with session_scope() as s:
        return [(e.tool, e.action) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.mark.parametrize(("text", "language"), [
    ("The Government announced new measures today.", "en"),
    ("香港特別行政區政府今日公布新措施。", "zh-Hant"),
    ("香港特别行政区政府今日公布新措施。", "zh-Hans"),
])
def test_detect_route_writes_audit(api, officer, auth_headers, text, language):
    r = api.post("/api/v1/text/detect", json={"text": text}, headers=auth_headers(officer))
    assert r.status_code == 200, r.text
    assert r.json()["language"] == language and r.json()["audit_id"]
    assert ("text", "detect") in audit_actions()


def test_convert_route_applies_department_glossary(api, make_principal, auth_headers):
    editor = make_principal("housing", "kb_editor", "editor")
    h = auth_headers(editor)
    g = api.post("/api/v1/text/glossaries", headers=h, json={
        "name": "IT", "terms": [{"en": "information technology", "zh_hant": "資訊科技", "zh_hans": "信息技术"}]})
    assert g.status_code == 201, g.text
    r = api.post("/api/v1/text/convert", headers=h, json={"text": "信息技术与港岛线", "config": "s2hk"})
    assert r.json()["text"] == "資訊科技與港島綫"
    # Another department's officer converts without that glossary.
    other = make_principal("transport", "officer", "other")
    r2 = api.post("/api/v1/text/convert", headers=auth_headers(other), json={"text": "信息技术", "config": "s2hk"})
    assert r2.json()["text"] == "信息技術"
    assert ("text", "convert") in audit_actions()


def test_glossary_of_another_department_is_not_found(api, make_principal, auth_headers):
    editor = make_principal("housing", "kb_editor", "editor")
    gid = api.post("/api/v1/text/glossaries", headers=auth_headers(editor), json={
        "name": "H", "terms": [{"zh_hant": "公屋", "zh_hans": "公屋"}]}).json()["id"]
    stranger = make_principal("transport", "kb_editor", "stranger")
    h = auth_headers(stranger)
    assert api.get(f"/api/v1/text/glossaries/{gid}", headers=h).status_code == 404
    assert api.put(f"/api/v1/text/glossaries/{gid}", headers=h, json={"name": "x", "terms": []}).status_code == 404
    assert api.delete(f"/api/v1/text/glossaries/{gid}", headers=h).status_code == 404
    assert api.get("/api/v1/text/glossaries", headers=h).json() == []
    r = api.post("/api/v1/text/convert", headers=h, json={"text": "x", "glossary_ids": [gid]})
    assert r.status_code == 404


def test_glossary_crud_and_permissions(api, make_principal, auth_headers):
    editor = make_principal("housing", "kb_editor", "editor")
    officer = make_principal("housing", "officer", "reader")
    h = auth_headers(editor)
    gid = api.post("/api/v1/text/glossaries", headers=h, json={
        "name": "H", "terms": [{"zh_hant": "公屋", "zh_hans": "公屋"}]}).json()["id"]
    assert api.get(f"/api/v1/text/glossaries/{gid}", headers=auth_headers(officer)).status_code == 200
    assert api.post("/api/v1/text/glossaries", headers=auth_headers(officer),
                    json={"name": "O", "terms": []}).status_code == 403
    assert api.post("/api/v1/text/glossaries", headers=h, json={"name": "H", "terms": []}).status_code == 409
    assert api.post("/api/v1/text/glossaries", headers=h,
                    json={"name": "Bad", "terms": [{"en": "only one"}]}).status_code == 422
    r = api.put(f"/api/v1/text/glossaries/{gid}", headers=h, json={"name": "H2", "terms": []})
    assert r.json()["name"] == "H2" and r.json()["terms"] == []
    assert api.delete(f"/api/v1/text/glossaries/{gid}", headers=h).status_code == 204
    assert api.get(f"/api/v1/text/glossaries/{gid}", headers=h).status_code == 404


@pytest.mark.parametrize("operator", ["tag", "mask", "pseudonym", "hash", "remove"])
def test_redact_route(api, officer, auth_headers, operator):
    text = "陳大文先生的身份證號碼是A123456(3)。"
    r = api.post("/api/v1/text/redact", headers=auth_headers(officer), json={"text": text, "operator": operator})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "A123456(3)" not in body["text"] and body["audit_id"]
    assert bool(body["mapping"]) == (operator == "pseudonym")


def test_convert_file_route_returns_a_docx(api, officer, auth_headers, sample_docx):
    r = api.post("/api/v1/text/convert/file", headers=auth_headers(officer), data={"config": "s2hk"},
                 files={"file": ("memo.docx", sample_docx, "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert "memo.s2hk.docx" in r.headers["content-disposition"]
    assert r.content.startswith(b"PK") and r.headers["x-audit-id"]


def test_redact_file_route_xlsx(api, officer, auth_headers, sample_xlsx):
    r = api.post("/api/v1/text/redact/file", headers=auth_headers(officer), data={"operator": "tag"},
                 files={"file": ("t.xlsx", sample_xlsx, "application/octet-stream")})
    assert r.status_code == 200, r.text
    import io

    import openpyxl

    assert openpyxl.load_workbook(io.BytesIO(r.content)).active["A3"].value == "电邮 [EMAIL]"


def test_bad_input_over_api(api, officer, auth_headers, monkeypatch):
    from ai_toolbox.config import reset_settings

    h = auth_headers(officer)
    assert api.post("/api/v1/text/convert", headers=h, json={"text": "x", "config": "nope"}).status_code == 422
    assert api.post("/api/v1/text/redact", headers=h, json={"text": "x", "operator": "nope"}).status_code == 422
    r = api.post("/api/v1/text/convert/file", headers=h, files={"file": ("a.exe", b"MZ\x00", "application/x")})
    assert r.status_code == 415
    monkeypatch.setenv("AITB_MAX_TEXT_CHARS", "10")
    reset_settings()
    assert api.post("/api/v1/text/detect", headers=h, json={"text": "x" * 11}).status_code == 413


def test_routes_refuse_anonymous(api):
    assert api.post("/api/v1/text/detect", json={"text": "x"}).status_code == 401
