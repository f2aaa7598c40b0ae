"""A real, throw-away PostgreSQL server for the tests.

Uses the Debian `postgresql` package's binaries (installed by `scripts/system-deps.sh`), creates
a cluster in a temporary directory, listens only on 127.0.0.1 on a free port, and is stopped and
deleted afterwards. PostgreSQL refuses to run as root, so as root the server runs as the
`postgres` system user that the package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy URL of a fresh PostgreSQL server with an empty `toolbox` database."""
    bindir = pg_bin_dir()
    if bindir is None:
        raise RuntimeError("PostgreSQL binaries not found; run `bash scripts/system-deps.sh` (make test does).")
    root = Path(tempfile.mkdtemp(prefix="aitb-pg-"))
    data = root / "data"
    port = _free_port()
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "toolbox", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "-o",
            f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off", "start")
        for _ in range(50):
            try:
                run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "toolbox", "toolbox")
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        yield f"postgresql+psycopg://toolbox@127.0.0.1:{port}/toolbox"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """Create another database on the same server and return its URL."""
    import psycopg

    base = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
