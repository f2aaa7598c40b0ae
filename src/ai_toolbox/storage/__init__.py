"""Storage: SQLAlchemy models, Alembic migrations and session handling."""

from ai_toolbox.storage.base import Base, utcnow
from ai_toolbox.storage.db import dispose_engine, ensure_storage, get_engine, migrate, session_scope

__all__ = ["Base", "utcnow", "dispose_engine", "ensure_storage", "get_engine", "migrate", "session_scope"]
