"""Pages built on the foundation: CSRF on forms, who sees what, tokens, audit and efficacy."""

from __future__ import annotations

import pytest

from ai_toolbox import audit, jobs
from tests.foundation import test_jobs  # noqa: F401  (registers the test job kind)

HTML = {"accept": "text/html"}


def test_pages_need_sign_in(api):
    r = api.get("/admin/efficacy", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/admin/efficacy")


def test_form_without_csrf_token_is_refused_with_a_page(api, admin, sign_in):
    sign_in("root")
    r = api.post("/admin/departments", data={"code": "housing", "name": "Housing"}, headers=HTML)
    assert r.status_code == 403
    assert "security token" in r.text and "<html" in r.text
    assert "<td>housing</td>" not in api.get("/admin/departments", headers=HTML).text


def test_admin_creates_department_and_user(api, admin, sign_in):
    csrf = sign_in("root")
    r = api.post("/admin/departments", data={"code": "housing", "name": "Housing", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200 and "The department was created." in r.text
    r = api.post("/admin/users", headers=HTML, data={
        "username": "chan.tm", "display_name": "Chan Tai Man", "password": "another long password",
        "department": "housing", "role": "kb_editor", "csrf_token": csrf})
    assert "The user was created." in r.text and "chan.tm" in r.text


@pytest.mark.parametrize(("tag", "message"), [("en", "too short"), ("zh-Hant", "新增用戶")])
def test_bad_user_form_shows_the_problem_and_keeps_input(api, admin, sign_in, tag, message):
    csrf = sign_in("root", tag)
    r = api.post("/admin/users", headers=HTML, data={
        "username": "lee.ss", "password": "short", "department": "default", "role": "officer", "csrf_token": csrf})
    assert r.status_code == 422
    assert 'role="alert"' in r.text and message in r.text
    assert 'value="lee.ss"' in r.text


@pytest.mark.parametrize("path", ["/admin/users", "/admin/departments", "/admin/audit", "/admin/efficacy"])
def test_officer_cannot_open_admin_pages(api, officer, sign_in, path):
    sign_in("officer")
    r = api.get(path, headers=HTML)
    assert r.status_code == 403
    assert 'href="/admin/' not in r.text.split("<main", 1)[0], "admin entries must not be in an officer's menu"


def test_token_is_shown_once_then_revoked(api, officer, sign_in):
    csrf = sign_in("officer")
    r = api.post("/tokens", data={"name": "report script", "expires_days": "30", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200
    token = r.text.split('id="new-token" class="mono" readonly value="', 1)[1].split('"', 1)[0]
    assert token.startswith("aitb_")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    page = api.get("/tokens", headers=HTML).text
    assert token not in page and "report script" in page
    token_id = page.split('action="/tokens/', 1)[1].split("/", 1)[0]
    api.post(f"/tokens/{token_id}/revoke", data={"csrf_token": csrf}, headers=HTML)
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_audit_filters_and_csv_export(api, admin, officer, sign_in):
    for action in ("convert", "redact"):
        with audit.record(officer, "text", action, input_text="x") as rec:
            rec.output("y")
    sign_in("root")
    page = api.get("/admin/audit?action=redact", headers=HTML).text
    assert "redact" in page and ">convert<" not in page
    csv = api.get("/admin/audit/export.csv?action=redact", headers=HTML)
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert len(lines) == 2 and ",redact," in lines[1]


def test_bad_audit_date_is_explained(api, admin, sign_in):
    sign_in("root")
    r = api.get("/admin/audit?since=yesterday", headers=HTML)
    assert "Since is not a date." in r.text


def test_efficacy_dashboard_counts_tasks_and_draws_charts(api, admin, officer, sign_in):
    ids = []
    for _ in range(3):
        with audit.record(officer, "text", "convert", input_text="x") as rec:
            rec.output("y")
        ids.append(rec.id)
    audit.add_feedback(officer, ids[0], True)
    sign_in("root", "zh-Hans")
    page = api.get("/admin/efficacy?days=7", headers=HTML).text
    assert "<svg" in page and "各工具任务数" in page
    assert '<span class="stat">3</span>' in page
    assert '<span class="stat">9</span>' in page  # 3 × text.convert's 3 minutes


def test_job_page_shows_progress_and_retry(api, officer, sign_in):
    job = jobs.run_now(officer, "test.count", {"n": 2, "fail_at": 1})
    csrf = sign_in("officer")
    page = api.get(f"/jobs/{job.id}", headers=HTML).text
    assert 'data-status="failed"' in page and f'action="/jobs/{job.id}/retry"' in page
    r = api.post(f"/jobs/{job.id}/retry", data={"csrf_token": csrf}, headers=HTML)
    assert 'data-status="queued"' in r.text
    partial = api.get(f"/jobs/{job.id}", headers={**HTML, "hx-request": "true"}).text
    assert partial.startswith('<section id="job-detail"') and 'hx-trigger="every 1s"' in partial


def test_home_lists_recent_work(api, officer, sign_in):
    with audit.record(officer, "text", "detect", input_text="x") as rec:
        rec.output("en")
    sign_in("officer", "zh-Hant")
    page = api.get("/", headers=HTML).text
    assert "你最近的 AI 操作" in page and ">detect<" in page


def test_oversized_form_gets_a_page_in_the_users_language(officer, monkeypatch):
    from fastapi.testclient import TestClient

    from ai_toolbox.api.app import create_app
    from ai_toolbox.config import reset_settings

    monkeypatch.setenv("AITB_MAX_REQUEST_MB", "1")
    reset_settings()
    with TestClient(create_app(start_worker=False)) as client:
        client.cookies.set("aitb_lang", "zh-Hant")
        r = client.post("/login", content=b"x" * (1024 * 1024 + 1),
                        headers={**HTML, "content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "檔案超過 1 MB 的上限" in r.text


def test_every_template_compiles():
    from ai_toolbox.web.render import HERE, env

    names = [str(p.relative_to(HERE / "templates")) for p in (HERE / "templates").rglob("*.html")]
    assert len(names) >= 20
    for name in names:
        env.get_template(name)
