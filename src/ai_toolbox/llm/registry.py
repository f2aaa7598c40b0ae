"""Backends by name, found through the `ai_toolbox.llm_backends` entry-point group.

Our own backends (`none`, `llamacpp`, `openai`) are declared in pyproject.toml the same way a
third party declares one in its own package:

    [project.entry-points."ai_toolbox.llm_backends"]
    mybackend = "my_package.module:MyBackend"

A backend class takes the `LlmSettings` section and implements `base.Backend`.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib.metadata import entry_points

from ai_toolbox.config import LlmSettings, get_settings
from ai_toolbox.errors import InvalidInput
from ai_toolbox.llm.base import Backend

GROUP = "ai_toolbox.llm_backends"

_instances: dict[tuple[str, str], Backend] = {}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, object]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def backend_names() -> list[str]:
    """Every registered backend name, `none` first."""
    names = sorted(_entry_points())
    return sorted(names, key=lambda n: n != "none")


def backend_for_tool(tool: str | None, settings: LlmSettings | None = None) -> str:
    """The backend name configured for `tool` (settings.llm.per_tool), else the default one."""
    s = settings or get_settings().llm
    if tool and tool in s.per_tool:
        return s.per_tool[tool]
    return s.backend


def get_backend(name: str | None = None, tool: str | None = None) -> Backend:
    """The backend called `name`, or the one configured for `tool` when `name` is None.

    Instances are kept per name and settings, so a local model loads once per process.
    """
    settings = get_settings().llm
    name = name or backend_for_tool(tool, settings)
    eps = _entry_points()
    if name not in eps:
        raise InvalidInput(
            f"No language-model backend called '{name}'.",
            hint=f"Use one of: {', '.join(backend_names())} (see `ai-toolbox llm backends`).",
        )
    key = (name, settings.model_dump_json())
    with _lock:
        backend = _instances.get(key)
        if backend is None:
            cls = eps[name].load()  # type: ignore[attr-defined]
            backend = cls(settings)
            _instances[key] = backend
    return backend


def forget_backends() -> None:
    """Drop cached backends (and the models they hold), e.g. after settings changed."""
    with _lock:
        for backend in _instances.values():
            close = getattr(backend, "close", None)
            if callable(close):
                close()
        _instances.clear()
