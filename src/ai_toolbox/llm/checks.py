"""Doctor checks: llama-cpp-python, the packaged model, the configured model server."""

from __future__ import annotations

from ai_toolbox.config import get_settings
from ai_toolbox.doctor import Finding, check, has_module


@check("llm-llamacpp")
def _llama_cpp() -> Finding:
    if not has_module("llama_cpp"):
        return Finding("llama-cpp-python", False, "not installed: pip install 'ai-toolbox[llm]' (see docs/llm.md)")
    from importlib.metadata import version

    return Finding("llama-cpp-python", True, f"version {version('llama-cpp-python')}")


@check("llm-packaged-model")
def _packaged_model() -> Finding:
    from ai_toolbox.llm import packaged

    s = get_settings().llm
    if s.model_path:
        ok = s.model_path.is_file()
        return Finding("local model (GGUF)", ok, f"{s.model_path}" + ("" if ok else " does not exist"))
    model = packaged.packaged_model(s.packaged_model)
    detail = packaged.status(model)
    ok = detail.startswith(("assembled", "chunk packages installed"))
    return Finding(f"packaged model {model.name}", ok, detail)


@check("llm-backend")
def _configured_backend() -> Finding:
    from ai_toolbox.llm.registry import get_backend

    s = get_settings().llm
    be = get_backend(s.backend)
    if s.backend == "none":
        return Finding("language model backend", True, "none configured: tools use their embedded defaults")
    reason = be.reason
    if not reason and callable(getattr(be, "probe", None)):
        reason = be.probe()  # type: ignore[attr-defined]
    return Finding(f"language model backend '{s.backend}'", not reason, reason or f"usable, model {be.model}")
