"""What every language-model backend is: messages in, text and token usage out.

A backend is a small class registered by name (see `registry`). It declares what it can do as
data (`Capabilities`) so callers and `ai-toolbox doctor` can reason about it without trying it.
`BackendBase` gives the shared behaviour: JSON output validated against a Pydantic model with a
bounded retry, a concurrency limit, a rough token count and a non-streaming `stream()`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, Field, ValidationError

from ai_toolbox.config import LlmSettings
from ai_toolbox.errors import ModelUnavailable, TooLarge, ToolboxError

Role = Literal["system", "user", "assistant"]
M = TypeVar("M", bound=BaseModel)


class Message(BaseModel):
    role: Role
    content: str

    model_config = {"frozen": True}


class ChatResult(BaseModel):
    """One reply. `tokens_in`/`tokens_out` are what the engine counted (0 when it did not say)."""

    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    model: str | None = None
    backend: str = "none"
    finish_reason: str | None = None
    latency_ms: float = 0.0
    audit_id: int | None = Field(None, description="set by llm.complete(): the audit record of this call")
    notes: list[str] = Field(default_factory=list, description="what the toolbox did to the reply, e.g. OpenCC")


@dataclass(frozen=True)
class Capabilities:
    """What a backend supports, stated up front."""

    languages: frozenset[str] = frozenset({"en", "zh-Hant", "zh-Hans"})
    context_length: int = 4096
    streaming: bool = True
    json: bool = True
    remote: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"languages": sorted(self.languages), "context_length": self.context_length,
                "streaming": self.streaming, "json": self.json, "remote": self.remote}


class ModelTimeout(ModelUnavailable):
    """The model did not answer in time."""

    status_code = 504
    code = "model_timeout"


class ContextOverflow(TooLarge):
    """The prompt plus the requested reply do not fit the model's context window."""

    code = "context_overflow"


class BadModelOutput(ToolboxError):
    """The model answered, but not in the shape asked for (after the allowed retries)."""

    status_code = 502
    code = "bad_model_output"


@dataclass
class ChatStream:
    """Text deltas as they arrive; `result` is filled in once the iteration ends."""

    chunks: Iterator[str]
    result: ChatResult | None = None
    first_token_s: float | None = None
    _started: float = field(default_factory=time.perf_counter)
    _on_done: list[Callable[[ChatResult], None]] = field(default_factory=list)

    def __iter__(self) -> Iterator[str]:
        parts: list[str] = []
        for delta in self.chunks:
            if delta and self.first_token_s is None:
                self.first_token_s = time.perf_counter() - self._started
            parts.append(delta)
            yield delta
        if self.result is None:
            self.result = ChatResult(text="".join(parts))
        for fn in self._on_done:
            fn(self.result)

    def text(self) -> str:
        return "".join(self)


@runtime_checkable
class Backend(Protocol):
    """The interface every backend implements (subclass `BackendBase` to get most of it)."""

    name: str
    capabilities: Capabilities

    @property
    def available(self) -> bool: ...

    @property
    def reason(self) -> str: ...

    @property
    def model(self) -> str | None: ...

    def chat(self, messages: list[Message], *, max_tokens: int = 512, temperature: float | None = None,
             json_schema: dict[str, Any] | None = None) -> ChatResult: ...

    def stream(self, messages: list[Message], *, max_tokens: int = 512,
               temperature: float | None = None) -> ChatStream: ...

    def chat_json(self, messages: list[Message], schema: type[M], *, max_tokens: int = 512,
                  temperature: float | None = None, retries: int = 2) -> tuple[M, ChatResult]: ...

    def count_tokens(self, text: str) -> int: ...


_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def estimate_tokens(text: str) -> int:
    """A cautious token estimate when the engine cannot count: CJK ~1 token a character, else ~4 chars."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


def message_tokens(backend: Backend, messages: list[Message]) -> int:
    """Tokens a chat prompt takes, including a few per message for the chat template."""
    return sum(backend.count_tokens(m.content) + 4 for m in messages) + 2


def extract_json(text: str) -> Any:
    """Parse the JSON object in a reply, tolerating a Markdown code fence around it."""
    s = text.strip()
    fence = re.search(r"```(?:json)?\s*(.*?)```", s, re.S)
    if fence:
        s = fence.group(1).strip()
    if not s.startswith(("{", "[")):
        start = min((i for i in (s.find("{"), s.find("[")) if i >= 0), default=-1)
        if start >= 0:
            s = s[start:]
    return json.loads(s)


class BackendBase:
    """Shared behaviour; subclasses implement `_chat` (and `_stream` when they can stream)."""

    name = "base"
    capabilities = Capabilities()

    def __init__(self, settings: LlmSettings) -> None:
        self.settings = settings
        self._slots = threading.BoundedSemaphore(max(1, settings.max_concurrency))

    # -- what a subclass provides -------------------------------------------------------------
    @property
    def available(self) -> bool:
        return not self.reason

    @property
    def reason(self) -> str:
        """Why this backend cannot be used here ("" when it can)."""
        return ""

    @property
    def model(self) -> str | None:
        return None

    @property
    def hint(self) -> str:
        """What an administrator can do when the backend is not usable."""
        return "Run `ai-toolbox llm backends` to see what is usable, and docs/llm.md to configure one."

    def _chat(self, messages: list[Message], *, max_tokens: int, temperature: float,
              json_schema: dict[str, Any] | None) -> ChatResult:
        raise NotImplementedError

    def _stream(self, messages: list[Message], *, max_tokens: int, temperature: float) -> ChatStream:
        result = self._chat(messages, max_tokens=max_tokens, temperature=temperature, json_schema=None)
        return ChatStream(iter([result.text]), result=result)

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    # -- the public interface ------------------------------------------------------------------
    def require_available(self) -> None:
        if not self.available:
            raise ModelUnavailable(
                f"The language-model backend '{self.name}' is not usable here: {self.reason}",
                hint=self.hint,
            )

    def check_fits(self, messages: list[Message], max_tokens: int) -> int:
        """Tokens of the prompt; ContextOverflow when prompt + reply exceed the context window."""
        n = message_tokens(self, messages)
        limit = self.capabilities.context_length
        if n + max_tokens > limit:
            raise ContextOverflow(
                f"The prompt takes about {n} tokens and the reply up to {max_tokens}, "
                f"more than the model's context of {limit} tokens.",
                hint="Shorten the input (summarise or split it first), or configure a larger n_ctx.",
            )
        return n

    def chat(self, messages: list[Message], *, max_tokens: int = 512, temperature: float | None = None,
             json_schema: dict[str, Any] | None = None) -> ChatResult:
        self.require_available()
        _check_messages(messages)
        self.check_fits(messages, max_tokens)
        temp = self.settings.temperature if temperature is None else temperature
        started = time.perf_counter()
        with self._slot():
            result = self._chat(messages, max_tokens=max_tokens, temperature=temp, json_schema=json_schema)
        result.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        return result

    def stream(self, messages: list[Message], *, max_tokens: int = 512,
               temperature: float | None = None) -> ChatStream:
        self.require_available()
        _check_messages(messages)
        self.check_fits(messages, max_tokens)
        temp = self.settings.temperature if temperature is None else temperature
        slot = self._slot()
        slot.__enter__()
        try:
            inner = self._stream(messages, max_tokens=max_tokens, temperature=temp)
        except BaseException:
            slot.__exit__(None, None, None)
            raise
        outer = ChatStream(iter(()))
        outer._started = inner._started

        def chunks() -> Iterator[str]:
            try:
                yield from inner
            finally:
                slot.__exit__(None, None, None)
            outer.result = inner.result
            if outer.result is not None:
                outer.result.latency_ms = round((time.perf_counter() - inner._started) * 1000, 3)

        outer.chunks = chunks()
        return outer

    def chat_json(self, messages: list[Message], schema: type[M], *, max_tokens: int = 512,
                  temperature: float | None = None, retries: int = 2) -> tuple[M, ChatResult]:
        """A reply parsed and validated as `schema`.

        A reply that does not parse or validate is sent back with the error, at most `retries` times;
        then BadModelOutput.
        """
        json_schema = schema.model_json_schema()
        # Engines with grammar support (llama.cpp) are constrained by `json_schema`; the instruction
        # in the prompt is for those without it.
        last = messages[-1]
        messages = [*messages[:-1], Message(role=last.role, content=last.content + "\n\n" + _JSON_PROMPT.format(
            schema=json.dumps(json_schema, ensure_ascii=False)))]
        convo = list(messages)
        last_error = ""
        total_in = total_out = 0
        for _attempt in range(retries + 1):
            result = self.chat(convo, max_tokens=max_tokens, temperature=temperature, json_schema=json_schema)
            total_in += result.tokens_in
            total_out += result.tokens_out
            try:
                value = schema.model_validate(extract_json(result.text))
            except (ValueError, ValidationError) as exc:
                last_error = str(exc).splitlines()[0][:300]
                convo = [*messages, Message(role="assistant", content=result.text[:2000]),
                         Message(role="user", content=_RETRY_PROMPT.format(error=last_error,
                                                                          schema=json.dumps(json_schema)))]
                continue
            result.tokens_in, result.tokens_out = total_in, total_out
            return value, result
        raise BadModelOutput(
            f"The model did not return valid JSON for {schema.__name__} after {retries + 1} attempts: {last_error}",
            hint="Try again, use a larger model, or lower the temperature.",
        )

    def _slot(self) -> _Slot:
        return _Slot(self._slots, self.settings.timeout_s, self.name)


_JSON_PROMPT = "Reply with only one JSON object that follows this JSON schema:\n{schema}"
_RETRY_PROMPT = (
    "That reply was not valid: {error}. Answer again with only one JSON object that follows this "
    "JSON schema, and nothing else:\n{schema}"
)


class _Slot:
    """One of the backend's concurrency slots; waiting longer than the timeout is an error, not a hang."""

    def __init__(self, sem: threading.BoundedSemaphore, timeout: float, name: str) -> None:
        self.sem, self.timeout, self.name = sem, timeout, name

    def __enter__(self) -> None:
        if not self.sem.acquire(timeout=self.timeout):
            raise ModelTimeout(
                f"The '{self.name}' backend stayed busy for {self.timeout:.0f} s.",
                hint="Try again later, or raise llm.max_concurrency if the model server can take more.",
            )

    def __exit__(self, *exc: object) -> None:
        self.sem.release()


def _check_messages(messages: list[Message]) -> None:
    from ai_toolbox.errors import InvalidInput

    if not messages:
        raise InvalidInput("No messages to send to the model.")
    if not any(m.content.strip() for m in messages if m.role == "user"):
        raise InvalidInput("The prompt is empty.", hint="Give the model something to answer.")
