"""The in-process `llamacpp` backend with the packaged model."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from ai_toolbox import llm
from ai_toolbox.llm.base import ContextOverflow

pytestmark = [pytest.mark.llm, pytest.mark.slow]


class Answer(BaseModel):
    answer: int


def test_local_chat_in_three_languages(use_local):
    use_local()
    backend = llm.get_backend()
    assert backend.name == "llamacpp" and backend.available and not backend.capabilities.remote
    for language, question in [("en", "What is 2 plus 3? Reply with the number only."),
                               ("zh-Hant", "2加3等於多少？只回答數字。"),
                               ("zh-Hans", "2加3等于多少？只回答数字。")]:
        result = backend.chat(llm.prompts.render("chat", language, prompt=question), max_tokens=6, temperature=0)
        assert "5" in result.text or "五" in result.text, (language, result.text)
        assert result.tokens_in > 10 and 0 < result.tokens_out <= 6


def test_local_stream_and_token_count(use_local):
    use_local()
    backend = llm.get_backend()
    assert 2 <= backend.count_tokens("Hello, world!") <= 6
    stream = backend.stream([llm.Message(role="user", content="Count from 1 to 5.")], max_tokens=12, temperature=0)
    pieces = list(stream)
    assert len(pieces) > 3 and stream.result.text == "".join(pieces)
    assert stream.first_token_s is not None


def test_local_json_output(use_local):
    use_local()
    value, _ = llm.get_backend().chat_json([llm.Message(role="user", content="What is 6 times 7?")], Answer,
                                           max_tokens=16, temperature=0)
    assert value.answer == 42


def test_local_context_overflow_is_refused(use_local):
    use_local()
    with pytest.raises(ContextOverflow, match="context of 2048 tokens"):
        llm.get_backend().chat([llm.Message(role="user", content="香港 " * 1500)], max_tokens=16)
