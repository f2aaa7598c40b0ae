"""The `openai` backend: any OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp's server, ...).

Settings: `llm.base_url` (e.g. http://127.0.0.1:8080/v1), `llm.api_key`, `llm.model` (default: the
first model the server lists). Connection failures and 429/5xx answers are retried with
exponential backoff (`llm.retries`); a server that accepts but does not answer within
`llm.timeout_s` is an error at once (retrying would only make the wait longer). The endpoint is
treated as remote unless `llm.remote` is false, so the PII guard pseudonymises what leaves.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx

from ai_toolbox.config import LlmSettings
from ai_toolbox.errors import ModelUnavailable
from ai_toolbox.llm.base import (
    BackendBase,
    Capabilities,
    ChatResult,
    ChatStream,
    ContextOverflow,
    Message,
    ModelTimeout,
    message_tokens,
)

RETRY_STATUS = {408, 429, 500, 502, 503, 504}
BACKOFF_S = 0.5


class OpenAIBackend(BackendBase):
    name = "openai"

    def __init__(self, settings: LlmSettings) -> None:
        super().__init__(settings)
        self.capabilities = Capabilities(context_length=settings.n_ctx, remote=settings.remote)
        self.base_url = (settings.base_url or "").rstrip("/")
        self._served: list[str] | None = None
        self._client: httpx.Client | None = None

    @property
    def reason(self) -> str:
        if not self.base_url:
            return "no endpoint configured (set llm.base_url, e.g. AITB_LLM__BASE_URL=http://127.0.0.1:8080/v1)"
        return ""

    @property
    def hint(self) -> str:
        return ("Set AITB_LLM__BASE_URL (and AITB_LLM__MODEL, AITB_LLM__API_KEY if the server needs them) "
                "to an OpenAI-compatible server; see docs/llm.md.")

    @property
    def model(self) -> str | None:
        return self.settings.model or (self._served[0] if self._served else None)

    # -- HTTP ----------------------------------------------------------------------------------
    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            headers = {"Authorization": f"Bearer {self.settings.api_key}"} if self.settings.api_key else {}
            timeout = httpx.Timeout(self.settings.timeout_s, connect=min(self.settings.timeout_s, 10.0))
            self._client = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None, *, stream: bool = False
              ) -> httpx.Response:
        """One request with retries on connection errors and retryable statuses."""
        attempts = self.settings.retries + 1
        last: str = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(BACKOFF_S * 2 ** (attempt - 1))
            try:
                request = self.client.build_request(method, path, json=body)
                response = self.client.send(request, stream=stream)
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout):
                    last = f"connecting timed out ({exc})"
                    continue
                raise ModelTimeout(
                    f"The model server at {self.base_url} did not answer within {self.settings.timeout_s:g} s.",
                    hint="The server may be overloaded or stuck; try again later, or raise llm.timeout_s.",
                ) from exc
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code in RETRY_STATUS and attempt + 1 < attempts:
                last = f"HTTP {response.status_code}"
                response.close()
                continue
            if response.status_code >= 400:
                self._raise_for(response)
            return response
        raise ModelUnavailable(
            f"Cannot reach the model server at {self.base_url} ({last}) after {attempts} attempts.",
            hint="Check that the server is running and llm.base_url is right (`ai-toolbox llm backends`).",
        )

    def _raise_for(self, response: httpx.Response) -> None:
        if not response.is_closed:
            response.read()
        try:
            detail = response.json()
            message = detail.get("error", {}).get("message") if isinstance(detail.get("error"), dict) else None
            message = message or detail.get("detail") or detail.get("error") or response.text
        except ValueError:
            message = response.text
        message = str(message)[:500]
        low = message.lower()
        if response.status_code in (400, 413, 422) and ("context" in low or "too long" in low or "exceed" in low):
            raise ContextOverflow(f"The model server refused the prompt as too long: {message}",
                                  hint="Shorten the input or raise the server's context size.")
        if response.status_code in (401, 403):
            raise ModelUnavailable(f"The model server refused the API key (HTTP {response.status_code}).",
                                   hint="Check llm.api_key.")
        if response.status_code == 404 and "model" in low:
            raise ModelUnavailable(f"The model server does not have model '{self.model}': {message}",
                                   hint="Set llm.model to one the server lists (`ai-toolbox llm backends`).")
        raise ModelUnavailable(f"The model server answered HTTP {response.status_code}: {message}",
                               hint="See the model server's log.")

    def served_models(self) -> list[str]:
        """The model ids the server lists (cached)."""
        if self._served is None:
            response = self._send("GET", "/models")
            data = response.json().get("data", [])
            self._served = [m.get("id") for m in data if m.get("id")]
        return self._served

    def probe(self) -> str:
        """Contact the server: "" when the configured model is served, else why not."""
        if self.reason:
            return self.reason
        try:
            self._check_model()
        except ModelUnavailable as exc:
            return exc.message
        return ""

    def _check_model(self) -> str:
        try:
            served = self.served_models()
        except ModelUnavailable as exc:
            if "HTTP 404" in exc.message:  # a server without /models: trust the configuration
                self._served = []
                return self.settings.model or "default"
            raise
        wanted = self.settings.model
        if wanted is None:
            if not served:
                raise ModelUnavailable(f"The model server at {self.base_url} lists no models.",
                                       hint="Set llm.model to the model's name.")
            return served[0]
        if served and wanted not in served:
            raise ModelUnavailable(
                f"The model server at {self.base_url} does not serve '{wanted}' (it serves: {', '.join(served)}).",
                hint="Set llm.model to one of those names.",
            )
        return wanted

    # -- chat ----------------------------------------------------------------------------------
    def _body(self, messages: list[Message], max_tokens: int, temperature: float, model: str) -> dict[str, Any]:
        return {"model": model, "messages": [m.model_dump() for m in messages],
                "max_tokens": max_tokens, "temperature": temperature}

    def _chat(self, messages: list[Message], *, max_tokens: int, temperature: float,
              json_schema: dict[str, Any] | None) -> ChatResult:
        model = self._check_model()
        body = self._body(messages, max_tokens, temperature, model)
        if json_schema is not None:
            body["response_format"] = {"type": "json_object", "schema": json_schema}
        data = self._send("POST", "/chat/completions", body).json()
        try:
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (KeyError, IndexError, TypeError) as exc:
            raise ModelUnavailable(f"The model server sent an unexpected reply: {str(data)[:300]}") from exc
        usage = data.get("usage") or {}
        return ChatResult(text=text, tokens_in=int(usage.get("prompt_tokens") or 0),
                          tokens_out=int(usage.get("completion_tokens") or 0),
                          model=data.get("model") or model, backend=self.name,
                          finish_reason=choice.get("finish_reason"))

    def _stream(self, messages: list[Message], *, max_tokens: int, temperature: float) -> ChatStream:
        model = self._check_model()
        body = {**self._body(messages, max_tokens, temperature, model), "stream": True,
                "stream_options": {"include_usage": True}}
        response = self._send("POST", "/chat/completions", body, stream=True)
        stream = ChatStream(iter(()))
        stream.chunks = self._sse(response, stream, model, message_tokens(self, messages))
        return stream

    def _sse(self, response: httpx.Response, stream: ChatStream, model: str, estimate_in: int) -> Iterator[str]:
        """Text deltas from server-sent events; usage from the server when it sends it, else counted."""
        parts: list[str] = []
        usage: dict[str, Any] = {}
        finish = None
        n_chunks = 0
        try:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    break
                event = json.loads(payload)
                usage = event.get("usage") or usage
                for choice in event.get("choices") or []:
                    delta = (choice.get("delta") or {}).get("content") or ""
                    finish = choice.get("finish_reason") or finish
                    if delta:
                        n_chunks += 1
                        parts.append(delta)
                        yield delta
        except httpx.TimeoutException as exc:
            raise ModelTimeout(f"The model server at {self.base_url} stopped sending for "
                               f"{self.settings.timeout_s:g} s.", hint="Try again later.") from exc
        finally:
            response.close()
        stream.result = ChatResult(
            text="".join(parts), tokens_in=int(usage.get("prompt_tokens") or estimate_in),
            tokens_out=int(usage.get("completion_tokens") or n_chunks), model=model, backend=self.name,
            finish_reason=finish)
