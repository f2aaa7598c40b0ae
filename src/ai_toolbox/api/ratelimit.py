"""Rate limits: requests per key (token, signed-in user or client address) in a one-minute window.

Two stores behind one `RateLimiter.check(key, per_minute)`:

- memory: a sliding window in this process. Exact and free, but each server process counts alone,
  so N workers allow N times the limit.
- database: counts per key and minute in the `rate_limit_counts` table, shared by every process
  that uses the same database (SQLite on one machine, PostgreSQL across machines). The window
  slides by weighting the previous minute's count by the part of it still inside the last 60
  seconds. Each check is one atomic upsert; a refused request rolls back and is not counted.

`settings.rate_limit_store` picks the store; `auto` uses the database when it is PostgreSQL or
when `ai-toolbox serve --workers N` starts several processes.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from ai_toolbox.config import get_settings
from ai_toolbox.errors import RateLimited
from ai_toolbox.storage.db import session_scope
from ai_toolbox.storage.models import RateLimitCount

WINDOW_S = 60


def _refuse(per_minute: int, wait_s: float) -> RateLimited:
    return RateLimited(
        f"Too many requests: the limit is {per_minute} a minute.",
        hint=f"Wait {int(wait_s) + 1} seconds and try again.",
    )


class MemoryStore:
    """Sliding one-minute window per key, in this process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def check(self, key: str, per_minute: int) -> None:
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] > WINDOW_S:
                hits.popleft()
            if len(hits) >= per_minute:
                raise _refuse(per_minute, WINDOW_S - (now - hits[0]))
            hits.append(now)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


class DatabaseStore:
    """Counts per key and minute in the database, shared by every process that uses it."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def check(self, key: str, per_minute: int) -> None:
        key = key[:200]  # the column's width; keys are short ("token:12", "public-kb:10.0.0.1")
        now = self._clock()
        window = int(now // WINDOW_S)
        into = (now % WINDOW_S) / WINDOW_S
        table = RateLimitCount.__table__
        with session_scope() as s:
            dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
            upsert = dialect.insert(table).values(key=key, window=window, hits=1)
            upsert = upsert.on_conflict_do_update(
                index_elements=[table.c.key, table.c.window], set_={"hits": table.c.hits + 1}
            ).returning(table.c.hits)
            current = s.execute(upsert).scalar_one()
            before = s.execute(
                select(table.c.hits).where(table.c.key == key, table.c.window == window - 1)
            ).scalar() or 0
            if current + before * (1 - into) > per_minute:
                # Raising rolls the transaction back: a refused request is not counted.
                raise _refuse(per_minute, WINDOW_S * (1 - into))
            if random.random() < 0.01:
                s.execute(delete(table).where(table.c.window < window - 1))


class RateLimiter:
    """The store that `settings.rate_limit_store` names, looked up on each check."""

    def __init__(self) -> None:
        self.memory = MemoryStore()
        self.database = DatabaseStore()

    def store(self) -> MemoryStore | DatabaseStore:
        settings = get_settings()
        choice = settings.rate_limit_store
        if choice == "auto":
            choice = "memory" if settings.is_sqlite else "database"
        return self.database if choice == "database" else self.memory

    def check(self, key: str, per_minute: int) -> None:
        self.store().check(key, per_minute)

    def reset(self) -> None:
        """Forget this process's counts (the database's are per database, and so per test)."""
        self.memory.reset()
