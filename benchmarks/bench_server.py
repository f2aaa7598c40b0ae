"""Server cold start and idle memory, against a bare Uvicorn app started the same way.

    .venv/bin/python -m benchmarks.bench_server
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx

from benchmarks.common import write_result

BARE_APP = """
async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{child}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return round(total / 1024, 1)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except FileNotFoundError:
        return []


def _start(cmd: list[str], env: dict[str, str], url: str) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if httpx.get(url, timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd} exited with {proc.returncode}")
            if time.perf_counter() - t0 > 60:
                raise RuntimeError("server did not start within 60 s")
            time.sleep(0.02)
        started = time.perf_counter() - t0
        time.sleep(2.0)
        return started, _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)


def main(repeat: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "AITB_DATA_DIR": tmp}
        subprocess.run([sys.executable, "-m", "ai_toolbox.cli", "init"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        ours, bare = [], []
        for _ in range(repeat):
            port = _free_port()
            ours.append(_start([sys.executable, "-m", "ai_toolbox.cli", "serve", "--port", str(port)], env,
                               f"http://127.0.0.1:{port}/readyz"))
            port = _free_port()
            app_file = os.path.join(tmp, "bare_app.py")
            with open(app_file, "w") as fh:
                fh.write(BARE_APP)
            bare.append(_start([sys.executable, "-m", "uvicorn", "--app-dir", tmp, "bare_app:app", "--port", str(port)],
                               env, f"http://127.0.0.1:{port}/"))
    best_ours = min(t for t, _ in ours)
    best_bare = min(t for t, _ in bare)
    write_result("server", {
        "cold_start_s": round(best_ours, 3),
        "idle_rss_mb": min(m for _, m in ours),
        "bare_uvicorn_cold_start_s": round(best_bare, 3),
        "bare_uvicorn_idle_rss_mb": min(m for _, m in bare),
        "cold_start_vs_bare_uvicorn": round(best_ours / best_bare, 2),
        "repeat": repeat,
    })


if __name__ == "__main__":
    main()
