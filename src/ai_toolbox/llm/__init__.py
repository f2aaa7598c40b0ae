"""Language models for the tools: one protocol, backends chosen by name, a PII guard and an audit trail.

    from ai_toolbox import llm
    backend = llm.get_backend(tool="doc")            # the backend configured for the tool
    if backend.available:
        result = llm.complete(principal, "doc", llm.prompts.render("summarise", "zh-Hant", text=t),
                              action="summarise", language="zh-Hant")
    # else: use the tool's embedded default, and say so (or pass fallback=... to complete())
"""

from ai_toolbox.llm import prompts
from ai_toolbox.llm.base import (
    Backend,
    BackendBase,
    BadModelOutput,
    Capabilities,
    ChatResult,
    ChatStream,
    ContextOverflow,
    Message,
    ModelTimeout,
)
from ai_toolbox.llm.registry import backend_for_tool, backend_names, forget_backends, get_backend
from ai_toolbox.llm.service import available, complete, complete_json, stream

__all__ = [
    "Backend", "BackendBase", "BadModelOutput", "Capabilities", "ChatResult", "ChatStream", "ContextOverflow",
    "Message", "ModelTimeout", "available", "backend_for_tool", "backend_names", "complete", "complete_json",
    "forget_backends", "get_backend", "prompts", "stream",
]
