"""Language models: which backends are usable, and an audited chat (optionally streamed as SSE)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, model_validator

from ai_toolbox import llm
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.errors import ToolboxError
from ai_toolbox.llm.base import ChatResult, Message
from ai_toolbox.llm.status import BackendStatus, backend_statuses

router = APIRouter(prefix="/api/v1/llm", tags=["llm"])


class ChatRequest(BaseModel):
    prompt: str | None = Field(None, max_length=100_000, description="One user message (or give `messages`)")
    messages: list[Message] | None = Field(None, max_length=100)
    backend: str | None = Field(None, description="none, llamacpp, openai, or a plugin; default: configured")
    language: str | None = Field(None, description="Answer in en, zh-Hant or zh-Hans (uses that chat prompt)")
    max_tokens: int = Field(256, ge=1, le=4096)
    temperature: float | None = Field(None, ge=0, le=2)
    stream: bool = Field(False, description="Send text/event-stream: `delta` events, then one `done` event")

    model_config = {"json_schema_extra": {"examples": [
        {"prompt": "用一句話解釋甚麼是強積金。", "language": "zh-Hant", "max_tokens": 128}]}}

    @model_validator(mode="after")
    def _one_input(self) -> ChatRequest:
        if not self.prompt and not self.messages:
            raise ValueError("give `prompt` or `messages`")
        return self

    def to_messages(self) -> list[Message]:
        if self.messages:
            return list(self.messages)
        return llm.prompts.render("chat", self.language, prompt=self.prompt or "")


@router.get("/backends", response_model=list[BackendStatus])
def list_backends(probe: bool = False, p: Principal = Depends(current_principal)) -> list[BackendStatus]:
    return backend_statuses(probe=probe)


@router.post("/chat", response_model=ChatResult, responses={200: {"content": {"text/event-stream": {}}}})
def chat(req: ChatRequest, p: Principal = Depends(current_principal)):  # type: ignore[no-untyped-def]
    if not req.stream:
        return llm.complete(p, "llm", req.to_messages(), action="chat", backend=req.backend,
                            max_tokens=req.max_tokens, temperature=req.temperature, language=req.language)
    chunks = llm.stream(p, "llm", req.to_messages(), action="chat", backend=req.backend,
                        max_tokens=req.max_tokens, temperature=req.temperature)
    return StreamingResponse(_sse(chunks), media_type="text/event-stream")


def _sse(chunks: llm.ChatStream) -> Iterator[str]:
    try:
        for delta in chunks:
            yield f"event: delta\ndata: {json.dumps({'text': delta}, ensure_ascii=False)}\n\n"
    except ToolboxError as exc:
        yield f"event: error\ndata: {json.dumps(exc.to_dict(), ensure_ascii=False)}\n\n"
        return
    result = chunks.result.model_dump(mode="json") if chunks.result else {}
    yield f"event: done\ndata: {json.dumps(result, ensure_ascii=False)}\n\n"
