"""The document tools' door to the LLM layer (`ai_toolbox.llm`), whichever parts of it are installed.

`available()` is False when the layer is missing or its configured backend is `none`; callers then
use their embedded default (or, for translation, say a model is needed).
"""

from __future__ import annotations

import importlib.util
from typing import Any


def _llm() -> Any | None:
    if importlib.util.find_spec("ai_toolbox.llm") is None:
        return None
    import ai_toolbox.llm as llm

    return llm


def backend(tool: str = "doc", name: str | None = None) -> Any | None:
    """The backend `name`, or the one configured for `tool`; None when it cannot be used."""
    llm = _llm()
    if llm is None or not hasattr(llm, "get_backend"):
        return None
    try:
        b = llm.get_backend(name, tool=tool)
    except Exception:
        return None
    return b if getattr(b, "available", False) else None


def available(tool: str = "doc", name: str | None = None) -> bool:
    return backend(tool, name) is not None


def model_name(tool: str = "doc", name: str | None = None) -> str | None:
    b = backend(tool, name)
    return getattr(b, "model", None) or getattr(b, "name", None) if b else None


def chat(principal: Any, task: str, prompt: str, *, max_tokens: int = 800, name: str | None = None) -> Any | None:
    """One chat turn through the LLM layer (its PII guard and audit); None when no model answers.
    `name` picks a backend other than the one configured for documents."""
    llm = _llm()
    if llm is None or not available("doc", name):
        return None
    message_cls = getattr(llm, "Message", None)
    messages = [message_cls(role="user", content=prompt)] if message_cls else [{"role": "user", "content": prompt}]
    if principal is not None and hasattr(llm, "complete"):
        # The LLM layer audits the model call itself; its action name carries no minutes saved, so
        # the document tool's own record is the one that counts.
        return llm.complete(principal, "doc", messages, action=f"llm_{task}", backend=name, max_tokens=max_tokens)
    return backend("doc", name).chat(messages, max_tokens=max_tokens, temperature=0.2)
