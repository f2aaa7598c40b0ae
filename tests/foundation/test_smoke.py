from ai_toolbox import accounts
from ai_toolbox.storage import session_scope


def test_admin_can_sign_in_with_token(api, admin, auth_headers):
    r = api.get("/api/v1/me", headers=auth_headers(admin))
    assert r.status_code == 200
    assert r.json()["role"] == "sysadmin"


def test_health_is_public(api):
    assert api.get("/healthz").json()["status"] == "ok"
    assert api.get("/readyz").status_code == 200


def test_storage_on_postgres(pg_url, make_principal):
    p = make_principal("housing", "dept_admin")
    with session_scope() as s:
        assert [d.code for d in accounts.list_departments(s, p)] == ["housing"]
