"""`complete()`: the one way tools use a language model.

It picks the backend configured for the tool, refuses remote backends for departments that forbid
them, pseudonymises PII for remote backends and restores it in the reply, converts Traditional
output with OpenCC (s2hk) because small models slip into Simplified characters, writes one audit
record (backend, model, tokens, latency), and, when the caller gives a `fallback`, uses the tool's
embedded default if no model is usable, saying so in `notes`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel

from ai_toolbox import audit
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.errors import ModelUnavailable
from ai_toolbox.llm import guard
from ai_toolbox.llm.base import Backend, ChatResult, ChatStream, Message
from ai_toolbox.llm.prompts import normalise_language, render
from ai_toolbox.llm.registry import get_backend

M = TypeVar("M", bound=BaseModel)


def _prompt_text(messages: list[Message]) -> str:
    return "\n\n".join(f"{m.role}: {m.content}" for m in messages)


def finish_text(text: str, language: str | None) -> tuple[str, list[str]]:
    """Make the reply follow the requested script: zh-Hant output goes through OpenCC s2hk."""
    if language is None or normalise_language(language) != "zh-Hant":
        return text, []
    try:
        from ai_toolbox.text.convert import convert
    except ImportError:
        return text, ["not converted to Traditional Chinese: the text tools are not installed"]
    converted = convert(text, config="s2hk")
    return converted, (["converted to Traditional Chinese (OpenCC s2hk)"] if converted != text else [])


def wrong_language(text: str, language: str) -> bool:
    """True when the reply is plainly in English and Chinese was asked for, or the other way round."""
    try:
        from ai_toolbox.text.detect import detect_language
    except ImportError:
        return False
    got = detect_language(text).language
    want = normalise_language(language)
    if got not in ("en", "zh-Hant", "zh-Hans"):
        return False
    return (want == "en") != (got == "en")


def complete(
    principal: Principal,
    tool: str,
    messages: list[Message],
    *,
    action: str = "llm",
    backend: str | None = None,
    max_tokens: int = 512,
    temperature: float | None = None,
    language: str | None = None,
    fallback: Callable[[], str] | None = None,
) -> ChatResult:
    """One audited model call for `tool`; `language` is the output the user wants (en, zh-Hant, zh-Hans).

    Raises ModelUnavailable when no model is usable and there is no `fallback`; with one, returns
    its text with backend "none" and a note saying the embedded default was used.
    """
    principal.require(Perm.USE_TOOLS)
    be = get_backend(backend, tool)
    if not be.available and fallback is not None:
        return _fallback(principal, tool, action, messages, fallback, be.reason)
    be.require_available()
    guard.check_allowed(principal, be)
    try:
        with audit.record(principal, tool, action, input_text=_prompt_text(messages),
                          backend=be.name, model=be.model) as rec:
            rec.meta = {"remote": be.capabilities.remote}
            guarded = guard.protect(be, messages)
            rec.meta["pseudonymised"] = len(guarded.mapping)
            rec.meta["instructions_withheld"] = guarded.withheld
            result = be.chat(guarded.messages, max_tokens=max_tokens, temperature=temperature)
            if language and wrong_language(result.text, language):
                # One bounded retry with an explicit reminder; then keep the reply and say so.
                reminder = Message(role="user", content=render("chat", language, prompt="")[0].content)
                retry = be.chat([*guarded.messages, Message(role="assistant", content=result.text), reminder],
                                max_tokens=max_tokens, temperature=temperature)
                retry.tokens_in += result.tokens_in
                retry.tokens_out += result.tokens_out
                result = retry
                if wrong_language(result.text, language):
                    result.notes.append(f"the model did not answer in {normalise_language(language)}")
            text, notes = finish_text(guarded.restore(result.text), language)
            result.text, result.notes = text, [*result.notes, *notes]
            if guarded.mapping:
                result.notes.append(f"{len(guarded.mapping)} personal identifiers pseudonymised before sending")
            if guarded.withheld:
                result.notes.append(f"{guarded.withheld} instruction-like sentences in the input were withheld "
                                    "from the model")
            rec.model = result.model or be.model
            rec.tokens_in, rec.tokens_out = result.tokens_in, result.tokens_out
            rec.output(result.text)
    except ModelUnavailable as exc:
        if fallback is None:
            raise
        return _fallback(principal, tool, action, messages, fallback, exc.message)
    result.audit_id = rec.id
    return result


def _fallback(principal: Principal, tool: str, action: str, messages: list[Message],
              fallback: Callable[[], str], why: str) -> ChatResult:
    with audit.record(principal, tool, action, input_text=_prompt_text(messages), backend="none") as rec:
        text = fallback()
        rec.meta = {"fallback": why}
        rec.output(text)
    return ChatResult(text=text, backend="none", model=None, audit_id=rec.id,
                      notes=[f"no language model used ({why}); the embedded default answered"])


def complete_json(
    principal: Principal,
    tool: str,
    messages: list[Message],
    schema: type[M],
    *,
    action: str = "llm_json",
    backend: str | None = None,
    max_tokens: int = 512,
    temperature: float | None = None,
    retries: int = 2,
) -> tuple[M, ChatResult]:
    """Like `complete()`, but the reply is validated as `schema` (bounded retry on a malformed reply)."""
    principal.require(Perm.USE_TOOLS)
    be = get_backend(backend, tool)
    be.require_available()
    guard.check_allowed(principal, be)
    with audit.record(principal, tool, action, input_text=_prompt_text(messages),
                      backend=be.name, model=be.model) as rec:
        guarded = guard.protect(be, messages)
        rec.meta = {"remote": be.capabilities.remote, "instructions_withheld": guarded.withheld}
        value, result = be.chat_json(guarded.messages, schema, max_tokens=max_tokens, temperature=temperature,
                                     retries=retries)
        if guarded.mapping:
            value = schema.model_validate_json(guarded.restore(value.model_dump_json()))
            result.text = guarded.restore(result.text)
        rec.model = result.model or be.model
        rec.tokens_in, rec.tokens_out = result.tokens_in, result.tokens_out
        rec.output(result.text)
    result.audit_id = rec.id
    return value, result


def stream(
    principal: Principal,
    tool: str,
    messages: list[Message],
    *,
    action: str = "llm",
    backend: str | None = None,
    max_tokens: int = 512,
    temperature: float | None = None,
) -> ChatStream:
    """Stream a reply; the audit record is written when the stream ends.

    With a remote backend the pseudonyms are restored in each delta as far as they are complete,
    so a pseudonym split across two deltas is held back until it is whole.
    """
    principal.require(Perm.USE_TOOLS)
    be = get_backend(backend, tool)
    be.require_available()
    guard.check_allowed(principal, be)
    guarded = guard.protect(be, messages)
    inner = be.stream(guarded.messages, max_tokens=max_tokens, temperature=temperature)
    outer = ChatStream(iter(()))
    outer._started = inner._started

    def chunks() -> Iterator[str]:
        with audit.record(principal, tool, action, input_text=_prompt_text(messages),
                          backend=be.name, model=be.model) as rec:
            rec.meta = {"remote": be.capabilities.remote, "instructions_withheld": guarded.withheld}
            emitted = ""
            received = ""
            for delta in inner:
                received += delta
                restored = guarded.restore(received)
                safe = _stable_prefix(restored, guarded.mapping)
                if len(safe) > len(emitted):
                    yield safe[len(emitted):]
                    emitted = safe
            final = guarded.restore(received)
            if len(final) > len(emitted):
                yield final[len(emitted):]
            result = inner.result or ChatResult(text=final, backend=be.name)
            result.text = final
            rec.tokens_in, rec.tokens_out = result.tokens_in, result.tokens_out
            rec.model = result.model or be.model
            rec.output(final)
        result.audit_id = rec.id
        outer.result = result

    outer.chunks = chunks()
    return outer


def _stable_prefix(text: str, mapping: dict[str, Any]) -> str:
    """`text` without a trailing fragment that could still grow into a pseudonym."""
    if not mapping:
        return text
    longest = max(len(k) for k in mapping)
    tail_start = max(0, len(text) - longest)
    for i in range(tail_start, len(text)):
        fragment = text[i:]
        if any(k.startswith(fragment) for k in mapping):
            return text[:i]
    return text


def available(tool: str | None = None, backend: str | None = None) -> Backend | None:
    """The backend for `tool` if it is usable, else None (tools then use their embedded default)."""
    be = get_backend(backend, tool)
    return be if be.available else None
