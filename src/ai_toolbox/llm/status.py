"""What each registered backend is and whether it is usable here (for the CLI, the API and doctor)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ai_toolbox.config import get_settings
from ai_toolbox.llm.registry import backend_names, get_backend


class BackendStatus(BaseModel):
    name: str
    usable: bool
    default: bool
    model: str | None
    capabilities: dict[str, Any]
    detail: str

    model_config = {"json_schema_extra": {"examples": [{
        "name": "llamacpp", "usable": True, "default": True, "model": "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "capabilities": {"languages": ["en", "zh-Hans", "zh-Hant"], "context_length": 4096, "streaming": True,
                         "json": True, "remote": False},
        "detail": "local model, runs in this process"}]}}


def backend_statuses(*, probe: bool = False) -> list[BackendStatus]:
    """Every backend; with `probe`, backends that talk to a server are asked whether they answer."""
    default = get_settings().llm.backend
    rows = []
    for name in backend_names():
        try:
            be = get_backend(name)
        except Exception as exc:  # a broken plugin must not hide the others
            rows.append(BackendStatus(name=name, usable=False, default=name == default, model=None,
                                      capabilities={}, detail=f"cannot load: {type(exc).__name__}: {exc}"))
            continue
        reason = be.reason
        if not reason and probe and callable(getattr(be, "probe", None)):
            reason = be.probe()  # type: ignore[attr-defined]
        if reason:
            detail = reason
        elif be.capabilities.remote:
            detail = f"model server at {getattr(be, 'base_url', '?')} (remote: PII is pseudonymised before sending)"
        elif name == "llamacpp":
            detail = "local model, runs in this process"
        else:
            detail = "usable"
        rows.append(BackendStatus(name=name, usable=not reason, default=name == default, model=be.model,
                                  capabilities=be.capabilities.as_dict(), detail=detail))
    return rows
