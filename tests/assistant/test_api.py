import pytest

from .conftest import LICENSING_MD


@pytest.fixture
def editor_headers(make_principal, auth_headers):
    return auth_headers(make_principal("tid", "kb_editor", "api-editor"))


@pytest.fixture
def api_kb(api, editor_headers):
    r = api.post("/api/v1/assistant/kb", json={"name": "licensing"}, headers=editor_headers)
    assert r.status_code == 201, r.text
    r = api.post("/api/v1/assistant/kb/licensing/sources", headers=editor_headers,
                 files={"file": ("licensing.md", LICENSING_MD.encode(), "text/markdown")})
    assert r.status_code == 201, r.text
    return r.json()


def test_ask_through_the_api(api, api_kb, editor_headers):
    r = api.post("/api/v1/assistant/kb/licensing/ask", json={"question": "How much is the renewal fee?"},
                 headers=editor_headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert "1,200" in body["answer"]
    assert set(body) >= {"answer", "language", "confidence", "handoff", "citations", "audit_id"}
    assert set(body["citations"][0]) >= {"source", "page", "passage", "quote"}
    fb = api.post("/api/v1/assistant/feedback", json={"audit_id": body["audit_id"], "helpful": False,
                                                      "reason": "fee out of date"}, headers=editor_headers)
    assert fb.status_code == 200, fb.text


def test_other_department_gets_404(api, api_kb, make_principal, auth_headers):
    other = auth_headers(make_principal("other", "dept_admin", "other-admin"))
    assert api.get("/api/v1/assistant/kb/licensing", headers=other).status_code == 404
    assert api.post("/api/v1/assistant/kb/licensing/ask", json={"question": "fee?"}, headers=other).status_code == 404
    assert api.delete("/api/v1/assistant/kb/licensing", headers=other).status_code == 404
    assert api.get("/api/v1/assistant/kb", headers=other).json() == []


def test_officer_cannot_manage_but_can_ask(api, api_kb, make_principal, auth_headers):
    officer = auth_headers(make_principal("tid", "officer", "tid-officer"))
    assert api.delete("/api/v1/assistant/kb/licensing", headers=officer).status_code == 403
    r = api.post("/api/v1/assistant/kb/licensing/ask", json={"question": "renewal fee?"}, headers=officer)
    assert r.status_code == 200


def test_public_endpoint_only_for_published_bases_and_rate_limited(api, api_kb, editor_headers, monkeypatch):
    slug = api.get("/api/v1/assistant/kb/licensing", headers=editor_headers).json()["slug"]
    url = f"/public/kb/{slug}/ask"
    assert api.post(url, json={"question": "renewal fee?"}).status_code == 404
    assert api.post("/api/v1/assistant/kb/licensing/publish", json={"published": True},
                    headers=editor_headers).status_code == 200
    r = api.post(url, json={"question": "How much is the renewal fee?"})
    assert r.status_code == 200, r.text
    assert "1,200" in r.json()["answer"] and r.json()["audit_id"] is None
    monkeypatch.setenv("AITB_ASSISTANT__PUBLIC_RATE_LIMIT_PER_MINUTE", "2")
    from ai_toolbox.config import get_settings

    get_settings.cache_clear()
    codes = [api.post(url, json={"question": "fee?"}).status_code for _ in range(3)]
    assert 429 in codes


def test_private_routes_refuse_anonymous_callers(api, api_kb):
    assert api.post("/api/v1/assistant/kb/licensing/ask", json={"question": "fee?"}).status_code == 401
