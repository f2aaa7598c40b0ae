"""Every migration can be undone and redone: a deployment can roll back a release."""

import pytest
from alembic import command
from sqlalchemy import inspect

from ai_toolbox.storage import db


def _tables(url: str) -> set[str]:
    engine = db.make_engine(url, pooled=False)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _round_trip(url: str) -> None:
    db.migrate(url)
    newest = _tables(url)
    assert {"departments", "rate_limit_counts", "kb_bases", "text_glossaries"} <= newest
    command.downgrade(db._alembic_config(url), "base")
    assert _tables(url) == set()
    db.migrate(url)
    assert _tables(url) == newest
    assert db.pending_heads(url) == set()


def test_migrations_round_trip_on_sqlite(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    _round_trip(f"sqlite:///{data_dir / 'roundtrip.db'}")


@pytest.mark.postgres
def test_migrations_round_trip_on_postgres(pg_url):
    _round_trip(pg_url)
