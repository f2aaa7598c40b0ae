"""Fixtures shared by every test: an isolated data directory, storage, users, the API.

Each test runs with its own `AITB_DATA_DIR` (and SQLite database) under pytest's tmp_path.
Tests marked `postgres` or using `pg_url` run against a real PostgreSQL server started once
per session.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ai_toolbox import accounts
from ai_toolbox.accounts import Principal
from ai_toolbox.config import reset_settings

_counter = itertools.count(1)


# Cheap password hashing in tests: the production cost is a setting, not a property of the code.
FAST_HASH = {"AITB_ARGON2_TIME_COST": "1", "AITB_ARGON2_MEMORY_KIB": "1024"}


@pytest.fixture(scope="session")
def _storage_template(tmp_path_factory) -> Path:
    """A SQLite database migrated once per session; each test starts from a copy of it."""
    from ai_toolbox.storage import db

    d = tmp_path_factory.mktemp("template")
    mp = pytest.MonkeyPatch()
    mp.setenv("AITB_DATA_DIR", str(d))
    mp.delenv("AITB_DATABASE_URL", raising=False)
    reset_settings()
    db.ensure_storage()
    db.dispose_engine()
    mp.undo()
    reset_settings()
    return d / "toolbox.db"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """A fresh, empty data directory for every test."""
    d = tmp_path / "aitb"
    for key, value in FAST_HASH.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AITB_DATA_DIR", str(d))
    monkeypatch.delenv("AITB_DATABASE_URL", raising=False)
    monkeypatch.delenv("AITB_CONFIG", raising=False)
    reset_settings()
    from ai_toolbox.api.deps import limiter

    limiter.reset()
    yield d
    reset_settings()


@pytest.fixture
def storage(data_dir, _storage_template):
    """Storage migrated to the newest schema, with the default department."""
    from ai_toolbox.config import get_settings
    from ai_toolbox.storage import ensure_storage

    if get_settings().is_sqlite:
        data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_storage_template, data_dir / "toolbox.db")
    ensure_storage()
    return data_dir


@pytest.fixture
def make_principal(storage) -> Callable[..., Principal]:
    """Create (if needed) a department and a user with a role; returns the user's Principal."""
    from ai_toolbox.storage import session_scope
    from ai_toolbox.storage.models import Department

    def make(dept: str = "default", role: str = "officer", username: str | None = None) -> Principal:
        username = username or f"{role}{next(_counter)}"
        with session_scope() as s:
            if s.query(Department).filter_by(code=dept).one_or_none() is None:
                s.add(Department(code=dept, name=dept.title()))
                s.flush()
            accounts.create_user(s, None, username, "a good long password", department=dept, role=role)
            return accounts.principal_for(s, accounts.get_user(s, username))

    return make


@pytest.fixture
def officer(make_principal) -> Principal:
    return make_principal("default", "officer", "officer")


@pytest.fixture
def admin(make_principal) -> Principal:
    return make_principal("default", "sysadmin", "root")


@pytest.fixture
def api(storage) -> Iterator:
    """A TestClient for the whole app (no background worker; tests run jobs explicitly)."""
    from fastapi.testclient import TestClient

    from ai_toolbox.api.app import create_app

    with TestClient(create_app(start_worker=False)) as client:
        yield client


@pytest.fixture
def auth_headers() -> Callable[[Principal], dict[str, str]]:
    """Bearer headers for a principal (creates a token for its user)."""
    from ai_toolbox.storage import session_scope

    def headers(p: Principal) -> dict[str, str]:
        with session_scope() as s:
            new = accounts.create_token(s, p, p.username, "test")
        return {"Authorization": f"Bearer {new.token}"}

    return headers


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a real PostgreSQL server, started once for the test session."""
    from tests.support.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server, monkeypatch) -> str:
    """A fresh PostgreSQL database for this test, set as AITB_DATABASE_URL."""
    from tests.support.postgres import create_database

    url = create_database(pg_server, f"t{next(_counter)}")
    monkeypatch.setenv("AITB_DATABASE_URL", url)
    reset_settings()
    return url
