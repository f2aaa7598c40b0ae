"""Knowledge bases and the enquiry assistant; `/public/kb/{slug}/ask` for published bases."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from ai_toolbox import audit
from ai_toolbox.accounts import Principal, Role
from ai_toolbox.api.deps import client_key, current_principal, limiter
from ai_toolbox.assistant import kb
from ai_toolbox.assistant.answer import Answer, AskRequest, ask
from ai_toolbox.assistant.gaps import GapCluster, faq_gaps
from ai_toolbox.assistant.kb import KbCreate, KbOut, SourceOut
from ai_toolbox.assistant.triage import TriageRequest, TriageResult, classify
from ai_toolbox.config import get_settings
from ai_toolbox.errors import TooLarge
from ai_toolbox.storage.db import session_scope

api = APIRouter(prefix="/api/v1/assistant", tags=["assistant"])
public = APIRouter(prefix="/public/kb", tags=["public"])


class PublishRequest(BaseModel):
    published: bool = Field(True, examples=[True])


class FeedbackRequest(BaseModel):
    audit_id: int = Field(..., examples=[42])
    helpful: bool = Field(..., examples=[False])
    reason: str | None = Field(None, examples=["The fee quoted is out of date"])


@api.get("/kb", response_model=list[KbOut])
def list_kbs(p: Principal = Depends(current_principal)) -> list[KbOut]:
    return kb.list_kbs(p)


@api.post("/kb", response_model=KbOut, status_code=201)
def create_kb(body: KbCreate, p: Principal = Depends(current_principal)) -> KbOut:
    return kb.create_kb(p, body.name, body.description)


@api.get("/kb/{name}", response_model=KbOut)
def get_kb(name: str, p: Principal = Depends(current_principal)) -> KbOut:
    return kb.get_kb(p, name)


@api.delete("/kb/{name}", response_model=KbOut)
def delete_kb(name: str, p: Principal = Depends(current_principal)) -> KbOut:
    return kb.delete_kb(p, name)


@api.get("/kb/{name}/sources", response_model=list[SourceOut])
def list_sources(name: str, p: Principal = Depends(current_principal)) -> list[SourceOut]:
    return kb.list_sources(p, name)


@api.post("/kb/{name}/sources", response_model=SourceOut, status_code=201,
          summary="Add a document, FAQ sheet (.csv/.xlsx) or text file; re-indexes")
async def add_source(
    name: str,
    file: UploadFile = File(...),
    kind: str | None = Form(None),
    p: Principal = Depends(current_principal),
) -> SourceOut:
    limit = get_settings().max_upload_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge("The file is larger than the upload limit.")
    filename = Path(file.filename or "upload.txt").name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        return kb.add_source(p, name, path, data=data, kind=kind)


@api.delete("/kb/{name}/sources/{source}", response_model=SourceOut)
def delete_source(name: str, source: str, p: Principal = Depends(current_principal)) -> SourceOut:
    return kb.delete_source(p, name, source)


@api.post("/kb/{name}/reindex", response_model=KbOut)
def reindex(name: str, p: Principal = Depends(current_principal)) -> KbOut:
    return kb.reindex(p, name)


@api.post("/kb/{name}/publish", response_model=KbOut)
def publish(name: str, body: PublishRequest, p: Principal = Depends(current_principal)) -> KbOut:
    return kb.set_published(p, name, body.published)


@api.post("/kb/{name}/ask", response_model=Answer)
def ask_kb(name: str, body: AskRequest, p: Principal = Depends(current_principal)) -> Answer:
    return ask(p, name, body.question)


@api.get("/kb/{name}/gaps", response_model=list[GapCluster], summary="Handed-off questions grouped by topic")
def gaps(name: str, p: Principal = Depends(current_principal)) -> list[GapCluster]:
    return faq_gaps(p, name)


@api.post("/feedback", summary="Helpful / not helpful on an answer")
def feedback(body: FeedbackRequest, p: Principal = Depends(current_principal)) -> dict:
    fid = audit.add_feedback(p, body.audit_id, body.helpful, body.reason)
    return {"id": fid, "audit_id": body.audit_id}


@api.post("/triage", response_model=TriageResult)
def triage(body: TriageRequest, p: Principal = Depends(current_principal)) -> TriageResult:
    return classify(p, body.text)


@public.post("/{slug}/ask", response_model=Answer, summary="Ask a published knowledge base (no sign-in)")
def public_ask(slug: str, body: AskRequest, request: Request) -> Answer:
    limiter.check(f"public-kb:{client_key(request)}", get_settings().assistant.public_rate_limit_per_minute)
    with session_scope() as s:
        base = kb.find_published(s, slug)
        dept = base.department_id
    visitor = Principal(username="public", department_id=dept, role=Role.OFFICER)
    answer = ask(visitor, slug, body.question, public=True)
    answer.audit_id = None  # feedback needs an account; do not expose internal ids
    return answer


router = APIRouter()
router.include_router(api)
router.include_router(public)
