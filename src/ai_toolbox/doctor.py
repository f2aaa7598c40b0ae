"""`ai-toolbox doctor`: which optional components are present and usable on this machine.

Each capability registers checks with `@check("name")`; a check returns a `Finding` and must be
cheap (look for files and packages, never load a model or call a server for long).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from ai_toolbox.config import get_settings


@dataclass(frozen=True)
class Finding:
    component: str
    ok: bool
    detail: str
    optional: bool = True


Check = Callable[[], Finding | list[Finding]]
CHECKS: dict[str, Check] = {}

# Modules whose import registers more checks (each capability adds its own line).
CHECK_MODULES: list[str] = [
    "ai_toolbox.analysis.checks",
    "ai_toolbox.assistant.checks",
    "ai_toolbox.documents.checks",
    "ai_toolbox.llm.checks",
    "ai_toolbox.text.checks",
]


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@check("database")
def _database() -> Finding:
    from ai_toolbox.errors import StorageUnavailable
    from ai_toolbox.storage import db

    settings = get_settings()
    kind = "SQLite" if settings.is_sqlite else "PostgreSQL"
    try:
        db.ping()
        pending = db.pending_heads()
    except StorageUnavailable as exc:
        return Finding("database", False, f"{kind}: {exc.message}", optional=False)
    if pending:
        return Finding("database", False, f"{kind}: migrations pending (run `ai-toolbox init`)", optional=False)
    return Finding("database", True, f"{kind}, schema up to date", optional=False)


@check("postgresql-driver")
def _pg_driver() -> Finding:
    ok = has_module("psycopg")
    return Finding("PostgreSQL driver (psycopg)", ok, "installed" if ok else "pip install 'ai-toolbox[postgres]'")


def run_checks() -> list[Finding]:
    import importlib

    for name in CHECK_MODULES:
        importlib.import_module(name)
    findings: list[Finding] = []
    for name, fn in CHECKS.items():
        try:
            result = fn()
        except Exception as exc:  # a broken check must not hide the others
            result = Finding(name, False, f"check failed: {type(exc).__name__}: {exc}")
        findings.extend(result if isinstance(result, list) else [result])
    return findings
