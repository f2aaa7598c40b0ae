"""Engine, sessions and migrations.

SQLite runs in WAL mode with foreign keys on; PostgreSQL is used as given by
`AITB_DATABASE_URL`. `ensure_storage()` brings any database to the newest schema (all Alembic
heads: each capability keeps its own migration branch) and creates the default department, so
every command works on a fresh data directory.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ai_toolbox.config import get_settings
from ai_toolbox.errors import StorageUnavailable

_lock = threading.Lock()
_engine: Engine | None = None
_sessionmaker: sessionmaker[Session] | None = None
_ready_for: str | None = None

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _normalise_url(url: str) -> str:
    # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, *, pooled: bool = True) -> Engine:
    """An engine for `url`; `pooled=False` for short-lived use such as migrations."""
    url = _normalise_url(url)
    if url.startswith("sqlite"):
        kw = {} if pooled else {"poolclass": NullPool}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kw)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    pool_kw = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10} if pooled else {"poolclass": NullPool}
    return create_engine(url, connect_args={"connect_timeout": 10}, **pool_kw)


def get_engine() -> Engine:
    global _engine, _sessionmaker
    with _lock:
        if _engine is None:
            settings = get_settings()
            if settings.is_sqlite:
                settings.data_dir.mkdir(parents=True, exist_ok=True)
            _engine = make_engine(settings.db_url)
            _sessionmaker = sessionmaker(_engine, expire_on_commit=False)
        return _engine


def dispose_engine() -> None:
    global _engine, _sessionmaker, _ready_for
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = None
        _sessionmaker = None
        _ready_for = None


@contextmanager
def session_scope() -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on any error."""
    get_engine()
    assert _sessionmaker is not None
    session = _sessionmaker()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise StorageUnavailable(
            f"The database could not be used: {exc.orig}",
            hint="Check AITB_DATABASE_URL and that the database server is running.",
        ) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", _normalise_url(url).replace("%", "%%"))
    return cfg


def migrate(url: str | None = None, revision: str = "heads") -> None:
    """Upgrade the database at `url` (default: the configured one) to `revision`."""
    from alembic import command

    url = url or get_settings().db_url
    try:
        command.upgrade(_alembic_config(url), revision)
    except OperationalError as exc:
        raise StorageUnavailable(
            f"Could not migrate the database: {exc.orig}",
            hint="Check AITB_DATABASE_URL and that the database server is running.",
        ) from exc


def pending_heads(url: str | None = None) -> set[str]:
    """Migration heads not yet applied to the database (empty when up to date)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(url or get_settings().db_url))
    engine = make_engine(url, pooled=False) if url else get_engine()
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        if url:
            engine.dispose()  # the configured engine is shared; a one-off one is not
    return set(script.get_heads()) - current


def ensure_storage() -> None:
    """Migrate to the newest schema and create the default department; cheap when already done."""
    global _ready_for
    settings = get_settings()
    if _ready_for == settings.db_url:
        return
    migrate(settings.db_url)
    from ai_toolbox import accounts

    with session_scope() as s:
        accounts.ensure_default_department(s)
    _ready_for = settings.db_url


def ping() -> None:
    """Raise StorageUnavailable unless the database answers."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise StorageUnavailable(
            f"The database does not answer: {exc}", hint="Check AITB_DATABASE_URL."
        ) from exc
