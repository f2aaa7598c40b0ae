"""The Assistant pages: chat with citations and hand-off, knowledge-base management, other departments."""

from __future__ import annotations

import pytest

pytest.importorskip("ai_toolbox.assistant.answer", reason="that service is not in this build yet")

HTML = {"accept": "text/html"}
LICENSING = """# Licence renewal
A food business licence is valid for one year. Applications for renewal must reach the licensing office at least \
two months before the licence expires. The renewal fee is HK$1,200.

# 牌照續期
食物業牌照有效期為一年。續期申請須於牌照屆滿前最少兩個月送達牌照辦事處。續期費用為港幣1,200元。
""".encode()


def _make_kb(api, csrf, name="licensing"):
    r = api.post("/assistant", data={"name": name, "description": "Trade licences", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200, r.text[-1500:]
    r = api.post(f"/assistant/{name}/sources", data={"csrf_token": csrf}, headers=HTML,
                 files={"file": ("licensing.md", LICENSING, "text/markdown")})
    assert r.status_code == 200, r.text[-1500:]
    return r


@pytest.mark.parametrize(("tag", "question", "expected"), [
    ("en", "How early must I apply to renew my licence?", "two months"),
    ("zh-Hant", "牌照續期要提前多久申請？", "兩個月"),
])
def test_editor_builds_a_kb_and_officer_gets_a_cited_answer(api, make_principal, sign_in, tag, question, expected):
    make_principal("tid", "kb_editor", "ken")
    make_principal("tid", "officer", "amy")
    r = _make_kb(api, sign_in("ken", tag))
    assert "licensing.md" in r.text
    csrf = sign_in("amy", tag)
    r = api.post("/assistant/licensing/ask", data={"question": question, "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200, r.text[-1500:]
    assert expected in r.text
    assert "<summary>licensing.md" in r.text and "<mark>" in r.text  # citation opens the passage
    assert 'name="audit_id"' in r.text
    fragment = api.post("/assistant/licensing/ask", data={"question": question, "csrf_token": csrf},
                        headers={**HTML, "hx-request": "true"}).text
    assert fragment.startswith('<div class="msg user">')


def test_unanswerable_question_hands_off_and_shows_in_gaps(api, make_principal, sign_in):
    make_principal("tid", "kb_editor", "ken")
    csrf = sign_in("ken")
    _make_kb(api, csrf)
    r = api.post("/assistant/licensing/ask", data={"question": "What is the weather on Mars tomorrow?",
                                                   "csrf_token": csrf}, headers=HTML)
    assert 'class="handoff"' in r.text
    gaps = api.get("/assistant/licensing/manage", headers=HTML).text
    assert "weather on Mars" in gaps


def test_officer_of_another_department_cannot_open_the_kb(api, make_principal, sign_in):
    make_principal("tid", "kb_editor", "ken")
    make_principal("transport", "officer", "tom")
    _make_kb(api, sign_in("ken"))
    csrf = sign_in("tom")
    assert api.get("/assistant/licensing", headers=HTML).status_code == 404
    r = api.post("/assistant/licensing/ask", data={"question": "renewal fee?", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 404
    assert "licensing" not in api.get("/assistant", headers=HTML).text.split("<main", 1)[1]


def test_officer_cannot_manage_the_kb(api, make_principal, sign_in):
    make_principal("tid", "kb_editor", "ken")
    make_principal("tid", "officer", "amy")
    _make_kb(api, sign_in("ken"))
    sign_in("amy")
    assert api.get("/assistant/licensing/manage", headers=HTML).status_code == 403
