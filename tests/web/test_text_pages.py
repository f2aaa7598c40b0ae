"""The Text page: detect, convert and redact in several languages, files, glossaries, feedback."""

from __future__ import annotations

import io

import pytest

HTML = {"accept": "text/html"}


@pytest.mark.parametrize(("tag", "button"), [("en", "Convert"), ("zh-Hant", "轉換"), ("zh-Hans", "转换")])
def test_convert_to_hong_kong_traditional(api, officer, sign_in, tag, button):
    csrf = sign_in("officer", tag)
    r = api.post("/text/convert", data={"text": "港岛线的核心站点", "config": "s2hk", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200
    assert "港島綫的核心站點" in r.text
    assert f">{button}</button>" in r.text


def test_redact_marks_and_replaces_hkid(api, officer, sign_in):
    csrf = sign_in("officer", "zh-Hant")
    text = "陳大文先生的身份證號碼是A123456(3)，電話 9123 4567。"
    r = api.post("/text/redact", data={"text": text, "operator": "tag", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200
    assert "[HKID]" in r.text and "A123456(3)</td>" in r.text
    assert '<mark class="pii" title="HKID">A123456(3)' in r.text
    assert "這個結果有用嗎？" in r.text  # feedback buttons under the result


def test_detect_reports_language_per_sentence(api, officer, sign_in):
    csrf = sign_in("officer", "en")
    text = "香港特別行政區政府今日公布新措施。This is English."
    r = api.post("/text/detect", data={"text": text, "csrf_token": csrf}, headers=HTML)
    assert "Sentence by sentence" in r.text and "Traditional Chinese" in r.text and "English" in r.text


def test_empty_text_is_explained(api, officer, sign_in):
    csrf = sign_in("officer", "zh-Hans")
    r = api.post("/text/convert", data={"text": "  ", "config": "s2hk", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 422 and "请先输入文本。" in r.text


def test_convert_a_docx_file(api, officer, sign_in):
    from docx import Document

    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("港岛线")
    doc.save(buf)
    csrf = sign_in("officer")
    r = api.post("/text/file", data={"action": "convert", "config": "s2hk", "csrf_token": csrf}, headers=HTML,
                 files={"file": ("notice.docx", buf.getvalue(),
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document")})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "港島綫" in text


@pytest.mark.parametrize(
    ("name", "content", "status", "shown"),
    [
        ("photo.exe", b"MZ\x90\x00binary", 415, "這裡不能使用這個檔案。"),
        ("empty.txt", b"", 422, "empty.txt"),
        ("broken.docx", b"not a zip at all", 415, "這不是 Office Open XML 檔案"),
    ],
)
def test_bad_uploads_are_explained(api, officer, sign_in, name, content, status, shown):
    csrf = sign_in("officer", "zh-Hant")
    r = api.post("/text/file", data={"action": "convert", "config": "s2hk", "csrf_token": csrf}, headers=HTML,
                 files={"file": (name, content, "application/octet-stream")})
    assert r.status_code == status
    assert 'role="alert"' in r.text and shown in r.text


def test_glossary_terms_win_in_conversion(api, make_principal, sign_in):
    make_principal("default", "kb_editor", "editor")
    csrf = sign_in("editor")
    terms = "Lands Department | 地政總署 | 地政总署\nHousing Office | 房屋甲署 | 房屋乙署"
    r = api.post("/admin/glossaries", headers=HTML, data={"name": "Lands", "terms": terms, "csrf_token": csrf})
    assert r.status_code == 200 and "The glossary was saved." in r.text and "地政總署" in r.text
    r = api.post("/text/convert", data={"text": "请联络房屋乙署。", "config": "s2hk", "csrf_token": csrf}, headers=HTML)
    assert "請聯絡房屋甲署。" in r.text
    bad = api.post("/admin/glossaries", headers=HTML, data={"name": "Bad", "terms": "only one part",
                                                             "csrf_token": csrf})
    assert bad.status_code == 422 and "Line 1 needs three parts" in bad.text


def test_feedback_is_recorded(api, officer, sign_in):
    from ai_toolbox import audit

    csrf = sign_in("officer")
    r = api.post("/text/convert", data={"text": "软件", "config": "s2hk", "csrf_token": csrf}, headers=HTML)
    audit_id = r.text.split('name="audit_id" value="', 1)[1].split('"', 1)[0]
    r = api.post("/feedback", data={"audit_id": audit_id, "helpful": "1", "csrf_token": csrf},
                 headers={**HTML, "hx-request": "true"})
    assert r.status_code == 200 and "feedback was recorded" in r.text
    assert audit.efficacy(officer.__class__("root", officer.department_id, officer.role.__class__("sysadmin")),
                          ("tool",))[0].helpful == 1
