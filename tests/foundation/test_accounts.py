from datetime import timedelta

import pytest
from sqlalchemy import update

from ai_toolbox import accounts
from ai_toolbox.accounts import Perm, Role
from ai_toolbox.errors import AlreadyExists, InvalidInput, NotAuthenticated, NotFound, NotPermitted
from ai_toolbox.storage import session_scope, utcnow
from ai_toolbox.storage.models import ApiToken, User


def test_password_is_stored_hashed_and_checked(officer):
    with session_scope() as s:
        stored = s.query(User).filter_by(username="officer").one().password_hash
        assert "a good long password" not in stored and stored.startswith("$argon2id$")
        assert accounts.authenticate(s, "officer", "a good long password").username == "officer"


@pytest.mark.parametrize("username,password", [("officer", "wrong password!!"), ("nobody", "a good long password")])
def test_wrong_login_gives_one_message(officer, username, password):
    with session_scope() as s, pytest.raises(NotAuthenticated, match="Wrong user name or password"):
        accounts.authenticate(s, username, password)


def test_disabled_user_cannot_sign_in(officer, admin):
    with session_scope() as s:
        accounts.set_active(s, admin, "officer", False)
    with session_scope() as s, pytest.raises(NotAuthenticated):
        accounts.authenticate(s, "officer", "a good long password")


@pytest.mark.parametrize("password", ["short", "1234567890123", "aaaaaaaaaaaaaa"])
def test_weak_passwords_are_refused(admin, password):
    with session_scope() as s, pytest.raises(InvalidInput):
        accounts.create_user(s, admin, "newbie", password)


def test_token_is_shown_once_and_stored_as_hash(officer):
    with session_scope() as s:
        new = accounts.create_token(s, officer, "officer", "script")
        row = s.get(ApiToken, new.info.id)
        assert new.token not in (row.token_hash, row.prefix) and new.token.startswith(row.prefix)
        assert accounts.principal_from_token(s, new.token).username == "officer"


def test_revoked_and_expired_tokens_are_refused(officer):
    with session_scope() as s:
        revoked = accounts.create_token(s, officer, "officer", "a")
        expired = accounts.create_token(s, officer, "officer", "b", expires_days=1)
        accounts.revoke_token(s, officer, revoked.info.id)
        s.execute(update(ApiToken).where(ApiToken.id == expired.info.id)
                  .values(expires_at=utcnow() - timedelta(seconds=1)))
    with session_scope() as s:
        with pytest.raises(NotAuthenticated, match="revoked"):
            accounts.principal_from_token(s, revoked.token)
        with pytest.raises(NotAuthenticated, match="expired"):
            accounts.principal_from_token(s, expired.token)
        with pytest.raises(NotAuthenticated, match="not valid"):
            accounts.principal_from_token(s, "aitb_made-up")


def test_roles_grant_what_they_say(make_principal):
    officer = make_principal("default", "officer")
    editor = make_principal("default", "kb_editor")
    auditor = make_principal("default", "auditor")
    assert officer.can(Perm.USE_TOOLS) and not officer.can(Perm.MANAGE_KB)
    assert editor.can(Perm.MANAGE_KB) and not editor.can(Perm.MANAGE_USERS)
    assert auditor.can(Perm.READ_AUDIT) and not auditor.can(Perm.USE_TOOLS)


def test_department_admin_cannot_manage_another_department(make_principal):
    housing_admin = make_principal("housing", "dept_admin")
    make_principal("transport", "officer", "traveller")
    with session_scope() as s:
        with pytest.raises(NotFound):
            accounts.create_user(s, housing_admin, "intruder", "a good long password", department="transport")
        with pytest.raises(NotFound):
            accounts.set_password(s, housing_admin, "traveller", "another long password")
        assert {u.department for u in accounts.list_users(s, housing_admin)} == {"housing"}


def test_only_sysadmin_creates_sysadmins_and_departments(make_principal):
    dept_admin = make_principal("default", "dept_admin")
    with session_scope() as s:
        with pytest.raises(NotPermitted):
            accounts.create_user(s, dept_admin, "boss", "a good long password", role=Role.SYSADMIN)
        with pytest.raises(NotPermitted):
            accounts.create_department(s, dept_admin, "newdept", "New")


def test_duplicate_and_unknown_names(admin):
    with session_scope() as s:
        with pytest.raises(AlreadyExists):
            accounts.create_department(s, admin, "default", "Again")
        with pytest.raises(NotFound, match="Unknown department"):
            accounts.create_user(s, admin, "x1", "a good long password", department="atlantis")
        with pytest.raises(InvalidInput):
            accounts.create_department(s, admin, "Bad Code!", "x")
        with pytest.raises(InvalidInput, match="Unknown role"):
            accounts.create_user(s, admin, "x2", "a good long password", role="emperor")
