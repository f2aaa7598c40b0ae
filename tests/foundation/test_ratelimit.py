"""Rate limits shared by several server processes through the database."""

import os
import subprocess
import sys

import pytest

from ai_toolbox.api.ratelimit import DatabaseStore, MemoryStore, RateLimiter
from ai_toolbox.config import get_settings
from ai_toolbox.errors import RateLimited

# One "server process": ten requests under a limit of five, printing how many got through.
_CLIENT = """
from ai_toolbox.api.ratelimit import DatabaseStore
from ai_toolbox.errors import RateLimited
store, passed = DatabaseStore(), 0
for _ in range(10):
    try:
        store.check("token:7", 5)
        passed += 1
    except RateLimited:
        pass
print(passed)
"""


def _passed(store, key: str, n: int, per_minute: int) -> int:
    passed = 0
    for _ in range(n):
        try:
            store.check(key, per_minute)
            passed += 1
        except RateLimited:
            pass
    return passed


def test_processes_share_one_limit_through_the_database(storage):
    env = {**os.environ, "AITB_DATA_DIR": str(storage)}
    procs = [subprocess.Popen([sys.executable, "-c", _CLIENT], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    # Each process alone would let five through; together they still let only five through.
    assert sum(int(o) for o in outs) == 5


def test_memory_store_counts_each_process_alone():
    a, b = MemoryStore(), MemoryStore()
    assert _passed(a, "k", 10, 5) + _passed(b, "k", 10, 5) == 10


def test_window_slides_and_refusals_are_not_counted(storage):
    now = [600.0]  # the start of a minute
    store = DatabaseStore(clock=lambda: now[0])
    assert _passed(store, "user:1", 5, 3) == 3
    with pytest.raises(RateLimited) as refused:
        store.check("user:1", 3)
    assert "60 seconds" in refused.value.hint or "61 seconds" in refused.value.hint
    assert _passed(store, "user:2", 1, 3) == 1  # other keys are not affected
    now[0] = 690.0  # half-way through the next minute: the last minute's 3 weigh 1.5
    assert _passed(store, "user:1", 5, 3) == 1
    now[0] = 750.0  # half-way through the minute after: its one request weighs 0.5
    assert _passed(store, "user:1", 5, 3) == 2


def test_database_store_on_postgres(pg_url):
    from ai_toolbox.storage import ensure_storage

    ensure_storage()
    first, second = DatabaseStore(), DatabaseStore()
    assert _passed(first, "public-kb:10.0.0.1", 4, 6) == 4
    assert _passed(second, "public-kb:10.0.0.1", 4, 6) == 2
    assert isinstance(RateLimiter().store(), DatabaseStore)  # auto on PostgreSQL: shared


def test_store_follows_the_setting(storage):
    limiter = RateLimiter()
    assert isinstance(limiter.store(), MemoryStore)  # auto on SQLite: one process
    get_settings().rate_limit_store = "database"
    assert isinstance(limiter.store(), DatabaseStore)


def test_api_refuses_with_429_from_the_database_store(api, officer, auth_headers):
    settings = get_settings()
    settings.rate_limit_store = "database"
    settings.rate_limit_per_minute = 3
    headers = auth_headers(officer)
    codes = [api.get("/api/v1/me", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = api.get("/api/v1/me", headers=headers)
    assert r.status_code == 429 and "seconds" in r.json()["hint"]


def test_sign_in_attempts_are_limited_per_address(api, storage):
    get_settings().public_rate_limit_per_minute = 2
    codes = [
        api.post("/api/v1/auth/login", json={"username": "nobody", "password": "wrong password"}).status_code
        for _ in range(3)
    ]
    assert codes == [401, 401, 429]
