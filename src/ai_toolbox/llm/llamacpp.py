"""The `llamacpp` backend: a GGUF model run in this process by llama-cpp-python.

The model file is `llm.model_path` when the administrator set one, else the packaged model
(assembled from its chunk packages and SHA-256-checked, see `packaged`). The model loads once per
process and file; llama.cpp is not thread-safe, so one call runs at a time per loaded model.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ai_toolbox.config import LlmSettings
from ai_toolbox.errors import ModelUnavailable
from ai_toolbox.llm import packaged
from ai_toolbox.llm.base import BackendBase, Capabilities, ChatResult, ChatStream, ContextOverflow, Message

_models: dict[tuple[str, int, int], tuple[Any, threading.Lock]] = {}
_models_lock = threading.Lock()

INSTALL_HINT = (
    "pip install 'ai-toolbox[llm]' with the portable build flags (see docs/llm.md; `make test` sets them), "
    "then `ai-toolbox llm install-model`."
)


def load_llama(path: Path, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    """The loaded model for this file and context size (loaded once per process)."""
    key = (str(path), n_ctx, n_threads)
    with _models_lock:
        if key not in _models:
            # llama.cpp's OpenMP threads spin while they wait; on a shared or busy machine that makes
            # prompt processing 3-5x slower. Passive waiting costs little when the machine is idle.
            # It must be set before the OpenMP runtime loads, i.e. before llama_cpp is imported.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from llama_cpp import Llama

            try:
                llama = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False)
            except (ValueError, RuntimeError) as exc:
                raise ModelUnavailable(f"llama.cpp could not load {path.name}: {exc}",
                                       hint="Check that the file is a GGUF model llama.cpp supports.") from exc
            if not _models:
                atexit.register(close_models)
            _models[key] = (llama, threading.Lock())
        return _models[key]


def close_models() -> None:
    """Free loaded models while the interpreter can still do it cleanly."""
    with _models_lock:
        for llama, _ in _models.values():
            llama.close()
        _models.clear()


class LlamaCppBackend(BackendBase):
    name = "llamacpp"

    def __init__(self, settings: LlmSettings) -> None:
        super().__init__(settings)
        self.capabilities = Capabilities(context_length=settings.n_ctx, remote=False)
        self._llama: Any = None
        self._lock: threading.Lock | None = None
        self._path: Path | None = None

    @property
    def reason(self) -> str:
        if importlib.util.find_spec("llama_cpp") is None:
            return "llama-cpp-python is not installed"
        if self.settings.model_path:
            return "" if Path(self.settings.model_path).is_file() else f"{self.settings.model_path} does not exist"
        try:
            model = packaged.packaged_model(self.settings.packaged_model)
            if not packaged.target_path(model, self.settings).exists():
                packaged.chunk_files(model)
        except Exception as exc:  # NotFound or ModelUnavailable: say why
            return getattr(exc, "message", str(exc))
        return ""

    @property
    def hint(self) -> str:
        return INSTALL_HINT

    @property
    def model(self) -> str | None:
        if self.settings.model_path:
            return Path(self.settings.model_path).stem
        return self.settings.packaged_model

    def load(self) -> Any:
        """Load (and, for the packaged model, assemble and verify) the model now."""
        if self._llama is None:
            self.require_available()
            self._path = packaged.resolve_model_path(self.settings)
            threads = self.settings.n_threads or os.cpu_count() or 1
            self._llama, self._lock = load_llama(self._path, self.settings.n_ctx, threads)
        return self._llama

    def count_tokens(self, text: str) -> int:
        llama = self.load()
        return len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _call(self, messages: list[Message], **kwargs: Any) -> Any:
        llama = self.load()
        try:
            return llama.create_chat_completion(messages=[m.model_dump() for m in messages], **kwargs)
        except ValueError as exc:
            if "context" in str(exc).lower() or "exceed" in str(exc).lower():
                raise ContextOverflow(f"The prompt does not fit the model's context: {exc}",
                                      hint="Shorten the input, or raise llm.n_ctx.") from exc
            raise

    def _chat(self, messages: list[Message], *, max_tokens: int, temperature: float,
              json_schema: dict[str, Any] | None) -> ChatResult:
        kwargs: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature}
        if json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": json_schema}
        self.load()
        assert self._lock is not None
        with self._lock:
            out = self._call(messages, **kwargs)
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        return ChatResult(text=choice["message"].get("content") or "", tokens_in=usage.get("prompt_tokens", 0),
                          tokens_out=usage.get("completion_tokens", 0), model=self.model, backend=self.name,
                          finish_reason=choice.get("finish_reason"))

    def _stream(self, messages: list[Message], *, max_tokens: int, temperature: float) -> ChatStream:
        self.load()
        stream = ChatStream(iter(()))
        stream.chunks = self._chunks(messages, max_tokens, temperature, stream)
        return stream

    def _chunks(self, messages: list[Message], max_tokens: int, temperature: float,
                stream: ChatStream) -> Iterator[str]:
        assert self._lock is not None
        parts: list[str] = []
        finish = None
        with self._lock:
            for event in self._call(messages, max_tokens=max_tokens, temperature=temperature, stream=True):
                choice = event["choices"][0]
                finish = choice.get("finish_reason") or finish
                delta = choice.get("delta", {}).get("content") or ""
                if delta:
                    parts.append(delta)
                    yield delta
        text = "".join(parts)
        stream.result = ChatResult(
            text=text, tokens_in=sum(self.count_tokens(m.content) + 4 for m in messages),
            tokens_out=self.count_tokens(text), model=self.model, backend=self.name, finish_reason=finish)
