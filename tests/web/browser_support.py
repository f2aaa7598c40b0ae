"""A real server and headless Debian Chromium for the `browser` tests.

The server is `ai-toolbox serve` on a free loopback port with its own temporary `AITB_DATA_DIR`;
users, departments and a little work are created through the services by a setup script run
against the same data directory before the server starts.
Chromium is Debian's (`/usr/bin/chromium`, installed by `scripts/system-deps.sh`); Playwright
never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).parent / "fixtures" / "axe" / "axe.min.js"
PASSWORD = "a good long password"
CLI = [sys.executable, "-c", "from ai_toolbox.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AITB_")}
        env.update(AITB_DATA_DIR=str(self.data_dir), AITB_WORKER_THREADS="1")
        return env

    def python(self, code: str, *args: str) -> None:
        """Run Python code against this server's data (the services, as a setup script would)."""
        out = subprocess.run([sys.executable, "-c", code, *args], env=self.env(), capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr

    def start(self) -> None:
        log = (self.data_dir / "server.log").open("w")
        self.process = subprocess.Popen(
            [*CLI, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + (self.data_dir / "server.log").read_text())
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not become ready:\n" + (self.data_dir / "server.log").read_text())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None
