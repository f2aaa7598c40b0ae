"""Model servers that misbehave: clear errors or a bounded retry, never a hang.

These use small scripted servers on loopback standing in for a remote endpoint we do not control.
"""

from __future__ import annotations

import threading
import time

import pytest
from pydantic import BaseModel

from ai_toolbox import llm
from ai_toolbox.errors import ModelUnavailable
from ai_toolbox.llm.base import BadModelOutput, ContextOverflow, ModelTimeout
from tests.llm.servers import ScriptedServer, free_port

ASK = [llm.Message(role="user", content="Say hello.")]


class City(BaseModel):
    name: str
    population: int


def test_server_that_accepts_but_never_answers_times_out(llm_settings):
    with ScriptedServer(hang=True) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", timeout_s=1, retries=2)
        started = time.monotonic()
        with pytest.raises(ModelTimeout, match="did not answer within 1 s"):
            llm.get_backend().chat(ASK, max_tokens=8)
        assert time.monotonic() - started < 5
        assert len(server.requests) == 1  # a timeout is not retried: that would only wait longer


def test_stream_from_a_server_that_never_answers_times_out(llm_settings):
    with ScriptedServer(hang=True) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", timeout_s=1)
        started = time.monotonic()
        with pytest.raises(ModelTimeout):
            "".join(llm.get_backend().stream(ASK, max_tokens=8))
        assert time.monotonic() - started < 5


def test_unreachable_server_fails_after_bounded_retries(llm_settings):
    port = free_port()  # nothing listens here
    llm_settings(backend="openai", base_url=f"http://127.0.0.1:{port}/v1", model="m", retries=2, timeout_s=5)
    started = time.monotonic()
    with pytest.raises(ModelUnavailable, match=r"Cannot reach .* after 3 attempts") as err:
        llm.get_backend().chat(ASK, max_tokens=8)
    assert "llm.base_url" in err.value.hint
    assert time.monotonic() - started < 10


def test_retryable_errors_are_retried_with_backoff(llm_settings):
    statuses = iter([503, 502])

    def reply(body):
        return (next(statuses, 200), "hello there")

    with ScriptedServer(reply) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", retries=2)
        started = time.monotonic()
        result = llm.get_backend().chat(ASK, max_tokens=8)
        assert result.text == "hello there"
        assert len(server.requests) == 3
        assert time.monotonic() - started >= 0.5 + 1.0  # backoff 0.5 s, then 1 s


def test_wrong_model_name_names_the_served_models(llm_settings):
    with ScriptedServer(models=("qwen-a", "qwen-b")) as server:
        llm_settings(backend="openai", base_url=server.url, model="gpt-nonexistent")
        with pytest.raises(ModelUnavailable, match="does not serve 'gpt-nonexistent'.*qwen-a, qwen-b"):
            llm.get_backend().chat(ASK, max_tokens=8)
        assert server.requests == []  # refused before sending the prompt


def test_model_defaults_to_the_first_one_served(llm_settings):
    with ScriptedServer(models=("only-model",)) as server:
        llm_settings(backend="openai", base_url=server.url)
        llm.get_backend().chat(ASK, max_tokens=8)
        assert server.requests[0]["model"] == "only-model"


def test_prompt_longer_than_the_context_is_refused_before_sending(llm_settings):
    with ScriptedServer() as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", n_ctx=256)
        long = [llm.Message(role="user", content="word " * 2000)]
        with pytest.raises(ContextOverflow, match="context of 256 tokens"):
            llm.get_backend().chat(long, max_tokens=16)
        assert server.requests == []


def test_server_side_context_error_becomes_context_overflow(llm_settings):
    def reply(body):
        return (400, "Requested tokens (5000) exceed context window of 2048")

    with ScriptedServer(reply) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted")
        with pytest.raises(ContextOverflow, match="exceed context window"):
            llm.get_backend().chat(ASK, max_tokens=8)


def test_malformed_json_is_retried_a_bounded_number_of_times(llm_settings):
    with ScriptedServer(lambda body: (200, "Sure! The city is {name: Hong Kong")) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted")
        with pytest.raises(BadModelOutput, match="after 3 attempts"):
            llm.get_backend().chat_json(ASK, City, max_tokens=32, retries=2)
        assert len(server.requests) == 3
        # Each retry tells the model what was wrong.
        assert "not valid" in server.requests[1]["messages"][-1]["content"]


def test_json_that_is_fixed_on_retry_is_accepted(llm_settings):
    answers = iter(['{"name": "Hong Kong"}', '```json\n{"name": "Hong Kong", "population": 7500000}\n```'])
    with ScriptedServer(lambda body: (200, next(answers))) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted")
        city, result = llm.get_backend().chat_json(ASK, City, max_tokens=32, retries=2)
        assert city == City(name="Hong Kong", population=7_500_000)
        assert len(server.requests) == 2
        assert result.tokens_in == 14  # usage summed over both attempts


def test_concurrency_limit_holds_calls_back(llm_settings):
    with ScriptedServer(delay_s=0.3) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", max_concurrency=1)
        backend = llm.get_backend()
        threads = [threading.Thread(target=backend.chat, args=(ASK,), kwargs={"max_tokens": 8}) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(server.requests) == 3
        assert server.max_in_flight == 1


def test_api_key_is_sent_as_bearer_token(llm_settings):
    seen = []

    with ScriptedServer() as server:
        import http.server

        original = http.server.BaseHTTPRequestHandler.parse_request

        def parse(self):  # record the Authorization header the client sent
            ok = original(self)
            seen.append(self.headers.get("Authorization"))
            return ok

        http.server.BaseHTTPRequestHandler.parse_request = parse
        try:
            llm_settings(backend="openai", base_url=server.url, model="scripted", api_key="sk-test-123")
            llm.get_backend().chat(ASK, max_tokens=8)
        finally:
            http.server.BaseHTTPRequestHandler.parse_request = original
    assert "Bearer sk-test-123" in seen


def test_empty_prompt_is_refused_before_sending(llm_settings):
    from ai_toolbox.errors import InvalidInput

    with ScriptedServer() as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted")
        with pytest.raises(InvalidInput, match="empty"):
            llm.get_backend().chat([llm.Message(role="user", content="   ")])
        assert server.requests == []
