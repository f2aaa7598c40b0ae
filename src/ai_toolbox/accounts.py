"""Departments, users, roles, API tokens and sign-in sessions.

Every service takes a `Principal` and checks it with `principal.require(...)`; routes and CLI
commands never decide access on their own. API tokens and session tokens are random 256-bit
strings stored only as SHA-256 digests; passwords are hashed with Argon2id.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_toolbox.config import get_settings
from ai_toolbox.errors import AlreadyExists, InvalidInput, NotAuthenticated, NotFound, NotPermitted
from ai_toolbox.storage.base import utcnow
from ai_toolbox.storage.models import ApiToken, Department, User, WebSession

DEFAULT_DEPARTMENT = ("default", "Default department")
TOKEN_PREFIX = "aitb_"


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def _hasher() -> PasswordHasher:
    settings = get_settings()
    return _hasher_for(settings.argon2_time_cost, settings.argon2_memory_kib)


class Role(StrEnum):
    OFFICER = "officer"
    KB_EDITOR = "kb_editor"
    DEPT_ADMIN = "dept_admin"
    AUDITOR = "auditor"
    SYSADMIN = "sysadmin"


class Perm(StrEnum):
    USE_TOOLS = "tools.use"
    MANAGE_KB = "kb.manage"
    MANAGE_DATA = "data.manage"
    MANAGE_USERS = "users.manage"
    READ_AUDIT = "audit.read"
    MANAGE_SYSTEM = "system.manage"


ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.OFFICER: frozenset({Perm.USE_TOOLS, Perm.MANAGE_DATA}),
    Role.KB_EDITOR: frozenset({Perm.USE_TOOLS, Perm.MANAGE_DATA, Perm.MANAGE_KB}),
    Role.DEPT_ADMIN: frozenset(
        {Perm.USE_TOOLS, Perm.MANAGE_DATA, Perm.MANAGE_KB, Perm.MANAGE_USERS, Perm.READ_AUDIT}
    ),
    Role.AUDITOR: frozenset({Perm.READ_AUDIT}),
    Role.SYSADMIN: frozenset(Perm),
}


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user, an API token's owner, or the local command line."""

    username: str
    department_id: int
    role: Role
    user_id: int | None = None
    department_code: str = ""
    token_id: int | None = field(default=None, compare=False)

    @property
    def is_sysadmin(self) -> bool:
        return self.role is Role.SYSADMIN

    def can(self, perm: Perm, department_id: int | None = None) -> bool:
        if perm not in ROLE_PERMS[self.role]:
            return False
        return self.is_sysadmin or department_id is None or department_id == self.department_id

    def require(self, perm: Perm, department_id: int | None = None) -> None:
        """Raise NotPermitted unless this principal holds `perm` in `department_id`."""
        if not self.can(perm, department_id):
            if department_id is not None and department_id != self.department_id:
                # Do not reveal that another department's object exists.
                raise NotFound("Not found, or it belongs to another department.")
            raise NotPermitted(
                f"Your role ({self.role.value}) does not allow this ({perm.value}).",
                hint="Ask your department administrator for the right role.",
            )

    def visible_departments(self) -> int | None:
        """The department a listing is limited to, or None for all (system administrators)."""
        return None if self.is_sysadmin else self.department_id


class DepartmentOut(BaseModel):
    id: int
    code: str
    name: str
    allow_remote_llm: bool
    store_raw_audit: bool


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    department: str
    role: str
    active: bool
    language: str | None = None


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    username: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class NewToken(BaseModel):
    """A freshly created token; `token` is shown once and never stored."""

    token: str
    info: TokenOut


# -- departments ---------------------------------------------------------------------------

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def ensure_default_department(s: Session) -> Department:
    dept = s.scalar(select(Department).where(Department.code == DEFAULT_DEPARTMENT[0]))
    if dept is None:
        dept = Department(code=DEFAULT_DEPARTMENT[0], name=DEFAULT_DEPARTMENT[1])
        s.add(dept)
        s.flush()
    return dept


def _dept_out(d: Department) -> DepartmentOut:
    return DepartmentOut(
        id=d.id, code=d.code, name=d.name, allow_remote_llm=d.allow_remote_llm, store_raw_audit=d.store_raw_audit
    )


def create_department(s: Session, principal: Principal, code: str, name: str) -> DepartmentOut:
    principal.require(Perm.MANAGE_SYSTEM)
    code = code.strip().lower()
    if not _CODE.match(code):
        raise InvalidInput(
            f"Department code {code!r} is not valid.",
            hint="Use 1-32 lower-case letters, digits, '-' or '_', e.g. 'housing'.",
        )
    if s.scalar(select(Department).where(Department.code == code)):
        raise AlreadyExists(f"Department {code!r} already exists.")
    dept = Department(code=code, name=name.strip() or code)
    s.add(dept)
    s.flush()
    return _dept_out(dept)


def get_department(s: Session, code: str) -> Department:
    dept = s.scalar(select(Department).where(Department.code == code.strip().lower()))
    if dept is None:
        raise NotFound(
            f"Unknown department {code!r}.", hint="List departments with `ai-toolbox dept list`."
        )
    return dept


def list_departments(s: Session, principal: Principal) -> list[DepartmentOut]:
    q = select(Department).order_by(Department.code)
    if not principal.is_sysadmin:
        q = q.where(Department.id == principal.department_id)
    return [_dept_out(d) for d in s.scalars(q)]


def update_department(
    s: Session,
    principal: Principal,
    code: str,
    *,
    allow_remote_llm: bool | None = None,
    store_raw_audit: bool | None = None,
    name: str | None = None,
) -> DepartmentOut:
    dept = get_department(s, code)
    principal.require(Perm.MANAGE_USERS, dept.id)
    if allow_remote_llm is not None:
        dept.allow_remote_llm = allow_remote_llm
    if store_raw_audit is not None:
        dept.store_raw_audit = store_raw_audit
    if name:
        dept.name = name
    s.flush()
    return _dept_out(dept)


# -- users -----------------------------------------------------------------------------------

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_strength(password: str) -> None:
    minimum = get_settings().password_min_length
    if len(password) < minimum:
        raise InvalidInput(f"The password is too short ({len(password)} characters).",
                           hint=f"Use at least {minimum} characters; a passphrase of several words is best.")
    if password.isdigit() or len(set(password)) < 4:
        raise InvalidInput("The password is too easy to guess.", hint="Use a passphrase of several words.")


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _user_out(s: Session, u: User) -> UserOut:
    dept = s.get(Department, u.department_id)
    return UserOut(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        department=dept.code if dept else "",
        role=u.role,
        active=u.active,
        language=u.language,
    )


def create_user(
    s: Session,
    principal: Principal | None,
    username: str,
    password: str,
    *,
    department: str = DEFAULT_DEPARTMENT[0],
    role: Role | str = Role.OFFICER,
    display_name: str = "",
) -> UserOut:
    """Create a user. `principal=None` only for bootstrapping the first administrator."""
    dept = get_department(s, department)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(
            f"Unknown role {role!r}.", hint="Roles: " + ", ".join(r.value for r in Role)
        ) from None
    if principal is not None:
        principal.require(Perm.MANAGE_USERS, dept.id)
        if role is Role.SYSADMIN and not principal.is_sysadmin:
            raise NotPermitted("Only a system administrator can create another system administrator.")
    if not _USERNAME.match(username):
        raise InvalidInput(
            f"User name {username!r} is not valid.",
            hint="Use 2-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.",
        )
    if s.scalar(select(User).where(User.username == username)):
        raise AlreadyExists(f"User {username!r} already exists.")
    check_password_strength(password)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        department_id=dept.id,
        role=role.value,
    )
    s.add(user)
    s.flush()
    return _user_out(s, user)


def get_user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"Unknown user {username!r}.", hint="List users with `ai-toolbox user list`.")
    return user


def list_users(s: Session, principal: Principal) -> list[UserOut]:
    principal.require(Perm.MANAGE_USERS)
    q = select(User).order_by(User.username)
    dept = principal.visible_departments()
    if dept is not None:
        q = q.where(User.department_id == dept)
    return [_user_out(s, u) for u in s.scalars(q)]


def set_password(s: Session, principal: Principal | None, username: str, password: str) -> None:
    user = get_user(s, username)
    if principal is not None and principal.user_id != user.id:
        principal.require(Perm.MANAGE_USERS, user.department_id)
    check_password_strength(password)
    user.password_hash = hash_password(password)
    s.flush()


def set_active(s: Session, principal: Principal, username: str, active: bool) -> UserOut:
    user = get_user(s, username)
    principal.require(Perm.MANAGE_USERS, user.department_id)
    user.active = active
    if not active:
        for sess in s.scalars(select(WebSession).where(WebSession.user_id == user.id)):
            s.delete(sess)
    s.flush()
    return _user_out(s, user)


def set_language(s: Session, principal: Principal, language: str) -> None:
    if principal.user_id is None:
        return
    user = s.get(User, principal.user_id)
    if user is not None:
        user.language = language


def principal_for(s: Session, user: User, token_id: int | None = None) -> Principal:
    dept = s.get(Department, user.department_id)
    return Principal(
        username=user.username,
        department_id=user.department_id,
        role=Role(user.role),
        user_id=user.id,
        department_code=dept.code if dept else "",
        token_id=token_id,
    )


def _dummy_hash() -> str:
    return hash_password("timing-equaliser-not-a-password")


def authenticate(s: Session, username: str, password: str) -> Principal:
    """The principal for a correct user name and password; the same error for every failure."""
    user = s.scalar(select(User).where(User.username == username))
    try:
        # Verify against a dummy hash for unknown users so timing does not reveal who exists.
        _hasher().verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.active:
        raise NotAuthenticated("Wrong user name or password.", hint="Check both and try again.")
    return principal_for(s, user)


# -- API tokens ------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_out(s: Session, t: ApiToken) -> TokenOut:
    user = s.get(User, t.user_id)
    return TokenOut(
        id=t.id,
        name=t.name,
        prefix=t.prefix,
        username=user.username if user else "",
        created_at=t.created_at,
        expires_at=t.expires_at,
        revoked_at=t.revoked_at,
        last_used_at=t.last_used_at,
    )


def create_token(
    s: Session, principal: Principal, username: str, name: str, *, expires_days: int | None = 90
) -> NewToken:
    user = get_user(s, username)
    if principal.user_id != user.id:
        principal.require(Perm.MANAGE_USERS, user.department_id)
    if expires_days is not None and expires_days <= 0:
        raise InvalidInput("Token lifetime must be a positive number of days.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name or "token",
        prefix=token[: len(TOKEN_PREFIX) + 6],
        token_hash=_digest(token),
        expires_at=utcnow() + timedelta(days=expires_days) if expires_days else None,
    )
    s.add(row)
    s.flush()
    return NewToken(token=token, info=_token_out(s, row))


def list_tokens(s: Session, principal: Principal, username: str | None = None) -> list[TokenOut]:
    q = select(ApiToken).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if username:
        user = get_user(s, username)
        if principal.user_id != user.id:
            principal.require(Perm.MANAGE_USERS, user.department_id)
        q = q.where(ApiToken.user_id == user.id)
    elif not principal.can(Perm.MANAGE_USERS):
        q = q.where(ApiToken.user_id == principal.user_id)
    elif not principal.is_sysadmin:
        q = q.where(User.department_id == principal.department_id)
    return [_token_out(s, t) for t in s.scalars(q)]


def revoke_token(s: Session, principal: Principal, token_id: int) -> TokenOut:
    row = s.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"No token with id {token_id}.")
    owner = s.get(User, row.user_id)
    assert owner is not None
    if principal.user_id != owner.id:
        principal.require(Perm.MANAGE_USERS, owner.department_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    s.flush()
    return _token_out(s, row)


def principal_from_token(s: Session, token: str) -> Principal:
    row = s.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None:
        raise NotAuthenticated("The API token is not valid.", hint="Create one with `ai-toolbox token create`.")
    if row.revoked_at is not None:
        raise NotAuthenticated("The API token has been revoked.", hint="Create a new token.")
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise NotAuthenticated("The API token has expired.", hint="Create a new token.")
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("The token's user is disabled.")
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
    return principal_for(s, user, token_id=row.id)


# -- web sessions ----------------------------------------------------------------------------


def start_session(s: Session, principal: Principal) -> tuple[str, str]:
    """Create a sign-in session; returns (session cookie value, CSRF token)."""
    assert principal.user_id is not None
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    s.add(
        WebSession(
            user_id=principal.user_id,
            token_hash=_digest(token),
            csrf_token=csrf,
            expires_at=utcnow() + timedelta(hours=get_settings().session_hours),
        )
    )
    s.flush()
    return token, csrf


def principal_from_session(s: Session, token: str) -> tuple[Principal, str]:
    """The principal and CSRF token of a live session."""
    row = s.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if row is None or row.expires_at <= utcnow():
        raise NotAuthenticated("Your session has ended.", hint="Sign in again.")
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("Your account is disabled.")
    return principal_for(s, user), row.csrf_token


def end_session(s: Session, token: str) -> None:
    row = s.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if row is not None:
        s.delete(row)


def local_principal(s: Session, username: str | None = None) -> Principal:
    """Who the command line acts as: the named user, else the machine's administrator.

    Whoever can run the CLI on the server can read its database directly, so the CLI acts as a
    system administrator in the default department unless told otherwise.
    """
    if username:
        return principal_for(s, get_user(s, username))
    dept = ensure_default_department(s)
    return Principal(username="local-admin", department_id=dept.id, role=Role.SYSADMIN, department_code=dept.code)
