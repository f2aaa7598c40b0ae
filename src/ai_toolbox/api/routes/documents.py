"""Documents: upload a file once, then run any tool on it; batch runs as a background job."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from ai_toolbox import jobs
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.documents import batch, service
from ai_toolbox.documents import compare as compare_mod
from ai_toolbox.documents.compare import Comparison
from ai_toolbox.documents.convert import resolve_config
from ai_toolbox.documents.extract import Extraction
from ai_toolbox.documents.model import Document
from ai_toolbox.documents.redact import RedactReport
from ai_toolbox.documents.reply import Draft
from ai_toolbox.documents.service import StoredFile
from ai_toolbox.documents.summarise import Summary
from ai_toolbox.documents.translate import Translation
from ai_toolbox.jobs import JobOut

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


@router.post("", response_model=StoredFile, status_code=201, summary="Upload a document (size-limited)")
def upload(file: UploadFile = File(...), p: Principal = Depends(current_principal)) -> StoredFile:
    return service.store(p, file.filename or "upload", file.file)


@router.get("/{doc_id}", response_model=StoredFile)
def info(doc_id: str, p: Principal = Depends(current_principal)) -> StoredFile:
    return service.get_file(p, doc_id)


@router.delete("/{doc_id}", status_code=204)
def delete(doc_id: str, p: Principal = Depends(current_principal)) -> None:
    service.delete_file(p, doc_id)


class Options(BaseModel):
    password: str | None = Field(None, description="for encrypted PDFs")


@router.post("/{doc_id}/text", response_model=Document, summary="The ingested document: pages, blocks, text")
def text(doc_id: str, body: Options | None = None, p: Principal = Depends(current_principal)) -> Document:
    data, meta = service.read_file(p, doc_id)
    return service.text(p, data, meta.name, password=(body or Options()).password)


class SummariseIn(Options):
    sentences: int | None = Field(3, examples=[3])
    chars: int | None = None
    script: str = Field("auto", examples=["zh-Hant"])


@router.post("/{doc_id}/summarise", response_model=Summary)
def summarise(doc_id: str, body: SummariseIn, p: Principal = Depends(current_principal)) -> Summary:
    data, meta = service.read_file(p, doc_id)
    return service.summarise(p, data, meta.name, sentences=None if body.chars else body.sentences, chars=body.chars,
                             script=body.script, password=body.password)


class ExtractIn(Options):
    template: str = Field(..., examples=["invoice"])


@router.post("/{doc_id}/extract", response_model=Extraction)
def extract(doc_id: str, body: ExtractIn, p: Principal = Depends(current_principal)) -> Extraction:
    data, meta = service.read_file(p, doc_id)
    return service.extract(p, data, meta.name, template=body.template, password=body.password)


class OutputOut(BaseModel):
    output: str = Field(description="file name; download from /api/v1/documents/{id}/outputs/{name}")
    audit_id: int | None = None
    report: RedactReport | None = None


class RedactIn(Options):
    types: list[str] | None = Field(None, examples=[["HKID", "PHONE"]])


@router.post("/{doc_id}/redact", response_model=OutputOut)
def redact(doc_id: str, body: RedactIn, p: Principal = Depends(current_principal)) -> OutputOut:
    data, meta = service.read_file(p, doc_id)
    r = service.redact(p, data, meta.name, types=body.types, password=body.password)
    name = service.save_output(p, doc_id, r.report.output_name, r.data)
    return OutputOut(output=name, audit_id=r.report.audit_id, report=r.report)


class ConvertIn(Options):
    to: str = Field("zh-Hant", examples=["zh-Hans"])
    config: str | None = None


@router.post("/{doc_id}/convert", response_model=OutputOut)
def convert(doc_id: str, body: ConvertIn, p: Principal = Depends(current_principal)) -> OutputOut:
    data, meta = service.read_file(p, doc_id)
    r = service.convert(p, data, meta.name, config=resolve_config(body.config, body.to), password=body.password)
    return OutputOut(output=service.save_output(p, doc_id, r.output_name, r.data), audit_id=r.audit_id)


class TranslateIn(Options):
    to: str = Field(..., examples=["en"])
    glossary: dict[str, str] = Field(default_factory=dict, examples=[{"Lands Department": "地政總署"}])


@router.post("/{doc_id}/translate", response_model=Translation)
def translate(doc_id: str, body: TranslateIn, p: Principal = Depends(current_principal)) -> Translation:
    data, meta = service.read_file(p, doc_id)
    return service.translate(p, data, meta.name, target=body.to, glossary=body.glossary, password=body.password)


class ReplyIn(Options):
    language: str | None = None
    body: str | None = None
    signatory: str = ""
    our_reference: str = ""
    kb: str | None = Field(None, description="knowledge base (name or id) whose passages the draft cites",
                           examples=["licensing"])


@router.post("/{doc_id}/reply", response_model=Draft)
def reply(doc_id: str, body: ReplyIn, p: Principal = Depends(current_principal)) -> Draft:
    data, meta = service.read_file(p, doc_id)
    return service.reply(p, data, meta.name, language=body.language, body=body.body, signatory=body.signatory,
                         our_reference=body.our_reference, password=body.password, kb=body.kb)


class CompareIn(BaseModel):
    old: str = Field(..., description="document id of the earlier version")
    new: str = Field(..., description="document id of the later version")
    format: str = Field("json", description="json, html or docx")


class CompareOut(Comparison):
    output: str | None = None


@router.post("/compare", response_model=CompareOut)
def compare(body: CompareIn, p: Principal = Depends(current_principal)) -> Any:
    old, old_meta = service.read_file(p, body.old)
    new, new_meta = service.read_file(p, body.new)
    r = service.compare(p, (old, old_meta.name), (new, new_meta.name))
    title = f"{old_meta.name} → {new_meta.name}"
    if body.format == "html":
        return HTMLResponse(compare_mod.to_html(r, title))
    out = CompareOut(**r.model_dump())
    if body.format == "docx":
        out.output = service.save_output(p, body.new, "comparison.docx", compare_mod.to_docx(r, title))
    return out


@router.get("/{doc_id}/outputs/{name}", summary="Download a tool's output file")
def output(doc_id: str, name: str, p: Principal = Depends(current_principal)) -> FileResponse:
    path = service.output_path(p, doc_id, name)
    return FileResponse(path, filename=path.name)


class BatchIn(BaseModel):
    document: str = Field(..., description="id of an uploaded ZIP of files")
    tool: str = Field("text", examples=["extract"])
    options: dict[str, Any] = Field(default_factory=dict, examples=[{"template": "invoice"}])


@router.post("/batch", response_model=JobOut, status_code=202,
             summary="Run one tool over every file in an uploaded ZIP, as a job (progress in /api/v1/jobs/{id})")
def run_batch(body: BatchIn, p: Principal = Depends(current_principal)) -> JobOut:
    meta = service.get_file(p, body.document)
    source = service._root() / meta.id / "original"
    return jobs.submit(p, batch.KIND, {"source": str(source), "tool": body.tool, "options": body.options})



