"""LLM test fixtures: the packaged model assembled once, a real llama.cpp server, model-server settings.

The model and the server are session-scoped: assembling the 1.1 GB GGUF and loading it take seconds
each, and the suite runs on two cores. Generations in the tests stay short (small max_tokens).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ai_toolbox.config import reset_settings
from tests.llm.servers import RecordingProxy, free_port

SERVER_MODEL = "qwen-local"
SERVER_CTX = 2048


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def model_file(models_dir) -> Path:
    """The packaged model, assembled from its installed chunk packages and SHA-256-verified."""
    from ai_toolbox.config import LlmSettings
    from ai_toolbox.llm import packaged

    return packaged.assemble(packaged.packaged_model(packaged.DEFAULT_MODEL), LlmSettings(models_dir=models_dir))


@dataclass
class LlamaServer:
    url: str  # OpenAI base URL, ending in /v1
    origin: str
    model: str
    log: Path


@pytest.fixture(scope="session")
def llama_server(model_file, tmp_path_factory) -> Iterator[LlamaServer]:
    """`python -m llama_cpp.server` with the packaged model on a loopback port."""
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_file), "--model_alias", SERVER_MODEL,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(SERVER_CTX), "--n_threads", "2"]
    with log.open("wb") as out:
        # Passive OpenMP waiting: spinning threads starve each other on a busy two-core machine.
        env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{origin}/v1/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("llama.cpp server did not start within 180 s")
            time.sleep(0.5)
        yield LlamaServer(url=f"{origin}/v1", origin=origin, model=SERVER_MODEL, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def recording_proxy(llama_server) -> Iterator[RecordingProxy]:
    """A proxy in front of the llama.cpp server that keeps every request body it forwards."""
    with RecordingProxy(llama_server.origin) as proxy:
        yield proxy


@pytest.fixture
def llm_settings(monkeypatch) -> Callable[..., None]:
    """Set `llm.*` settings for this test, e.g. llm_settings(backend="openai", base_url=...)."""
    from ai_toolbox.llm.registry import forget_backends

    def apply(**values: object) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"AITB_LLM__{key.upper()}", str(value))
        reset_settings()
        forget_backends()

    yield apply
    forget_backends()


@pytest.fixture
def use_server(llm_settings, llama_server) -> Callable[..., None]:
    """Point the `openai` backend at the real llama.cpp server (extra settings override)."""

    def apply(**values: object) -> None:
        llm_settings(**{"backend": "openai", "base_url": llama_server.url, "model": llama_server.model,
                        "n_ctx": SERVER_CTX, "timeout_s": 120, **values})

    return apply


@pytest.fixture
def use_local(llm_settings, model_file) -> Callable[..., None]:
    """Use the in-process `llamacpp` backend with the assembled packaged model."""

    def apply(**values: object) -> None:
        llm_settings(**{"backend": "llamacpp", "models_dir": model_file.parent, "n_ctx": SERVER_CTX,
                        "n_threads": 2, **values})

    return apply
