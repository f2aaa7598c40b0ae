import pytest

from ai_toolbox.api.deps import SESSION_COOKIE


def _login(api, username="officer", password="a good long password"):
    r = api.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


def test_wrong_password_is_401_with_a_clear_message(api, officer):
    r = api.post("/api/v1/auth/login", json={"username": "officer", "password": "nope nope nope"})
    assert r.status_code == 401
    assert r.json()["message"] == "Wrong user name or password."


def test_malformed_json_is_422_and_says_where(api, officer):
    r = api.post("/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_input"


def test_session_cookie_needs_csrf_token_to_change_things(api, officer, make_principal):
    csrf = _login(api)
    assert api.get("/api/v1/me").json()["username"] == "officer"
    r = api.post("/api/v1/tokens", json={"name": "no csrf"})
    assert r.status_code == 403 and "security token" in r.json()["message"]
    r = api.post("/api/v1/tokens", json={"name": "with csrf"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201 and r.json()["token"].startswith("aitb_")


def test_logout_ends_the_session(api, officer):
    csrf = _login(api)
    assert api.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    api.cookies.set(SESSION_COOKIE, "stale")
    assert api.get("/api/v1/me").status_code == 401


def test_revoked_token_stops_working_at_once(api, officer, auth_headers):
    headers = auth_headers(officer)
    token_id = api.get("/api/v1/tokens", headers=headers).json()[0]["id"]
    assert api.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 200
    r = api.get("/api/v1/me", headers=headers)
    assert r.status_code == 401 and "revoked" in r.json()["message"]


def test_oversized_request_is_refused_before_reading(api, officer, auth_headers, monkeypatch):
    limit = 210 * 1024 * 1024
    r = api.post("/api/v1/feedback", headers={**auth_headers(officer), "content-length": str(limit + 1)},
                 content=b"{}")
    assert r.status_code == 413 and r.json()["error"] == "too_large"


def test_streamed_body_over_the_limit_is_refused(storage, officer, auth_headers):
    from fastapi.testclient import TestClient

    from ai_toolbox.api.app import create_app
    from ai_toolbox.config import get_settings

    get_settings().max_request_mb = 1
    with TestClient(create_app(start_worker=False)) as client:
        def chunks():
            for _ in range(3):
                yield b"x" * (600 * 1024)

        r = client.post("/api/v1/feedback", headers=auth_headers(officer), content=chunks())
    assert r.status_code == 413


def test_rate_limit_per_token(api, officer, auth_headers):
    from ai_toolbox.config import get_settings

    get_settings().rate_limit_per_minute = 3
    headers = auth_headers(officer)
    codes = [api.get("/api/v1/me", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = auth_headers(officer)
    assert api.get("/api/v1/me", headers=other).status_code == 200


def test_unknown_department_in_request_is_404(api, admin, auth_headers):
    r = api.post("/api/v1/users", headers=auth_headers(admin),
                 json={"username": "newbie", "password": "a good long password", "department": "atlantis"})
    assert r.status_code == 404 and "atlantis" in r.json()["message"]


def test_audit_export_is_csv(api, admin, officer, auth_headers):
    from ai_toolbox import audit

    with audit.record(officer, "text", "detect", input_text="hello") as rec:
        rec.output("en")
    r = api.get("/api/v1/audit/export", headers=auth_headers(admin))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[1].split(",")[4] == "text"


@pytest.mark.parametrize("path", ["/", "/login"])
def test_web_pages_answer(api, path):
    r = api.get(path, headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code in (200, 303)
    if r.status_code == 303:
        assert r.headers["location"].startswith("/login")


def test_web_sign_in_sets_cookie_and_rejects_open_redirect(api, officer):
    r = api.post("/login", data={"username": "officer", "password": "a good long password",
                                 "next": "https://evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert SESSION_COOKIE in r.cookies
