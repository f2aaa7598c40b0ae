"""The `openai` backend against a real llama.cpp server running the packaged model."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from ai_toolbox import llm
from ai_toolbox.errors import ModelUnavailable
from ai_toolbox.llm.base import ContextOverflow

pytestmark = [pytest.mark.llm, pytest.mark.slow]

ARITHMETIC = {
    "en": "What is 2 plus 3? Reply with the number only.",
    "zh-Hant": "2加3等於多少？只回答數字。",
    "zh-Hans": "2加3等于多少？只回答数字。",
}


class Capital(BaseModel):
    country: str
    capital: str


@pytest.mark.parametrize("language", ["en", "zh-Hant", "zh-Hans"])
def test_chat_answers_with_token_usage(use_server, language):
    use_server(remote="false")
    backend = llm.get_backend()
    result = backend.chat(llm.prompts.render("chat", language, prompt=ARITHMETIC[language]),
                          max_tokens=8, temperature=0)
    assert "5" in result.text or "五" in result.text
    assert result.backend == "openai" and result.model
    assert result.tokens_in > 10 and 0 < result.tokens_out <= 8
    assert result.latency_ms > 0


def test_streaming_delivers_the_reply_in_pieces(use_server):
    use_server(remote="false")
    stream = llm.get_backend().stream([llm.Message(role="user", content="Count from 1 to 5, separated by spaces.")],
                                      max_tokens=16, temperature=0)
    pieces = list(stream)
    assert len(pieces) > 3
    assert "1" in "".join(pieces) and "3" in "".join(pieces)
    assert stream.first_token_s is not None and stream.first_token_s > 0
    assert stream.result is not None and stream.result.text == "".join(pieces)
    assert stream.result.tokens_out > 3


def test_json_output_is_validated_against_the_model(use_server):
    use_server(remote="false")
    capital, result = llm.get_backend().chat_json(
        [llm.Message(role="user", content="Give the capital of France as JSON.")], Capital, max_tokens=40,
        temperature=0)
    assert capital.capital.lower() == "paris"
    assert json.loads(result.text)["capital"].lower() == "paris"


def test_wrong_model_name_against_the_real_server(use_server):
    use_server(model="no-such-model")
    with pytest.raises(ModelUnavailable, match="does not serve 'no-such-model'"):
        llm.get_backend().chat([llm.Message(role="user", content="hi")], max_tokens=4)


def test_context_overflow_reported_by_the_server(use_server):
    # Our budget says 32k, the server's context is 2k: the server refuses and we say why.
    use_server(n_ctx=32768, remote="false")
    long = [llm.Message(role="user", content="港 " * 3000)]
    with pytest.raises(ContextOverflow):
        llm.get_backend().chat(long, max_tokens=8)


def test_complete_through_the_server_is_audited(officer, use_server):
    use_server(remote="false")
    result = llm.complete(officer, "llm", [llm.Message(role="user", content="Say OK.")], action="chat",
                          max_tokens=4, temperature=0)
    from ai_toolbox.storage import session_scope
    from ai_toolbox.storage.models import AuditEvent

    with session_scope() as s:
        event = s.get(AuditEvent, result.audit_id)
        s.expunge(event)
    assert event.backend == "openai" and event.tokens_out == result.tokens_out and event.latency_ms > 0
