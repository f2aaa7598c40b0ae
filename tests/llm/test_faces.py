"""The CLI and the API over the same service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.llm.servers import ScriptedServer


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("ai-toolbox")
    return subprocess.run([str(exe), *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", **(env or {})}, timeout=120)


def test_cli_chat_with_no_model_explains_how_to_configure_one():
    out = _cli("llm", "chat", "--backend", "none", "Hello?")
    assert out.returncode == 2
    message = " ".join(out.stderr.split())  # the console wraps long lines
    assert "no language model is configured" in message
    assert "AITB_LLM__BACKEND=llamacpp" in message
    assert "Traceback" not in out.stderr


def test_cli_backends_lists_every_backend_and_why_not(data_dir):
    out = _cli("llm", "backends", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout.strip().splitlines()[-1])["backends"]}
    assert set(rows) >= {"none", "llamacpp", "openai"}
    assert rows["none"]["usable"] is False and rows["none"]["default"] is True
    assert rows["openai"]["usable"] is False and "no endpoint configured" in rows["openai"]["detail"]
    table = _cli("llm", "backends")
    assert "llamacpp" in table.stdout and "openai" in table.stdout


def test_cli_chat_through_a_model_server_prints_the_reply():
    with ScriptedServer(lambda body: (200, "Hello from the model.")) as server:
        env = {"AITB_LLM__BACKEND": "openai", "AITB_LLM__BASE_URL": server.url, "AITB_LLM__MODEL": "scripted",
               "AITB_LLM__REMOTE": "false"}
        out = _cli("llm", "chat", "Say hello", env=env)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "Hello from the model."
        assert "openai · scripted" in out.stderr
        js = _cli("llm", "chat", "Say hello", "--json", env=env)
        result = json.loads(js.stdout.strip().splitlines()[-1])
        assert result["text"] == "Hello from the model." and result["audit_id"]
        streamed = _cli("llm", "chat", "Say hello", "--stream", env=env)
        assert streamed.stdout.strip() == "Hello from the model."
        probed = _cli("llm", "backends", "--json", env=env)
        rows = {r["name"]: r for r in json.loads(probed.stdout.strip().splitlines()[-1])["backends"]}
        assert rows["openai"]["usable"] is True and rows["openai"]["default"] is True


def test_doctor_reports_the_language_model_components():
    out = _cli("doctor", "--json")
    findings = {f["component"]: f for f in json.loads(out.stdout.strip().splitlines()[-1])["findings"]}
    assert "llama-cpp-python" in findings
    assert any(c.startswith("packaged model") for c in findings)
    assert findings["language model backend"]["detail"].startswith("none configured")


def test_api_requires_sign_in(api):
    assert api.get("/api/v1/llm/backends").status_code == 401
    assert api.post("/api/v1/llm/chat", json={"prompt": "hi"}).status_code == 401


def test_api_lists_backends(api, officer, auth_headers):
    r = api.get("/api/v1/llm/backends", headers=auth_headers(officer))
    assert r.status_code == 200
    assert {b["name"] for b in r.json()} >= {"none", "llamacpp", "openai"}


def test_api_chat_without_a_model_is_503_with_a_hint(api, officer, auth_headers):
    r = api.post("/api/v1/llm/chat", json={"prompt": "hi"}, headers=auth_headers(officer))
    assert r.status_code == 503
    assert r.json()["error"] == "model_unavailable" and "AITB_LLM__BACKEND" in r.json()["hint"]


@pytest.mark.parametrize("language", ["en", "zh-Hant", "zh-Hans"])
def test_api_chat_is_audited(api, officer, auth_headers, llm_settings, language):
    with ScriptedServer(lambda body: (200, body["messages"][0]["content"][:12])) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false")
        headers = auth_headers(officer)
        r = api.post("/api/v1/llm/chat", json={"prompt": "hi", "language": language, "max_tokens": 16},
                     headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        # The system prompt of the requested language went to the model.
        assert server.requests[0]["messages"][0]["content"].startswith(body["text"])
        assert body["audit_id"] and body["backend"] == "openai"


def test_api_chat_streams_server_sent_events(api, officer, auth_headers, llm_settings):
    with ScriptedServer(lambda body: (200, "one two three")) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false")
        r = api.post("/api/v1/llm/chat", json={"prompt": "count", "stream": True}, headers=auth_headers(officer))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = [block for block in r.text.split("\n\n") if block]
        deltas = [json.loads(e.split("data: ", 1)[1])["text"] for e in events if e.startswith("event: delta")]
        assert "".join(deltas).strip() == "one two three"
        done = json.loads(events[-1].split("data: ", 1)[1])
        assert events[-1].startswith("event: done") and done["audit_id"]
