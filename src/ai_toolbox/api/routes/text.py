"""Text tools: language detection, Chinese conversion (text and files), PII redaction, glossaries."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile

from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import ObjectId, current_principal
from ai_toolbox.text import service
from ai_toolbox.text.convert import CONFIGS
from ai_toolbox.text.pii import ENTITY_TYPES, OPERATORS
from ai_toolbox.text.service import (
    ConvertRequest,
    ConvertResponse,
    DetectRequest,
    DetectResponse,
    GlossaryIn,
    GlossaryOut,
    GlossaryUpdate,
    RedactRequest,
    RedactResponse,
)

router = APIRouter(prefix="/api/v1/text", tags=["text"])


def _file_response(f) -> Response:  # type: ignore[no-untyped-def]
    return Response(f.content, media_type=f.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(f.filename)}",
        "X-Audit-Id": str(f.audit_id or ""),
    })


@router.get("/capabilities", summary="Conversion configs, PII types and operators")
def capabilities(p: Principal = Depends(current_principal)) -> dict[str, list[str]]:
    return {"configs": list(CONFIGS), "pii_types": list(ENTITY_TYPES), "operators": list(OPERATORS)}


@router.post("/detect", response_model=DetectResponse, summary="Language and script of a text")
def detect(req: DetectRequest, p: Principal = Depends(current_principal)) -> DetectResponse:
    return service.detect(p, req.text, req.per_sentence)


@router.post("/convert", response_model=ConvertResponse, summary="Traditional/Simplified conversion with glossaries")
def convert(req: ConvertRequest, p: Principal = Depends(current_principal)) -> ConvertResponse:
    return service.convert_text(p, req)


@router.post("/convert/file", summary="Convert a TXT, Markdown, DOCX or XLSX file; returns the converted file",
             response_class=Response)
async def convert_file(file: UploadFile = File(...), config: str = Form("s2hk"),
                       p: Principal = Depends(current_principal)) -> Response:
    data = await file.read()
    return _file_response(service.convert_file(p, data, file.filename or "upload.txt", config))


@router.post("/redact", response_model=RedactResponse, summary="Find and redact personal data in a text")
def redact(req: RedactRequest, p: Principal = Depends(current_principal)) -> RedactResponse:
    return service.redact_text(p, req)


@router.post("/redact/file", summary="Redact a TXT, Markdown, DOCX or XLSX file; returns the redacted file",
             response_class=Response)
async def redact_file(file: UploadFile = File(...), operator: str = Form("tag"),
                      p: Principal = Depends(current_principal)) -> Response:
    data = await file.read()
    name = file.filename or "upload.txt"
    return _file_response(service.redact_file(p, data, name, operator))  # type: ignore[arg-type]


@router.get("/glossaries", response_model=list[GlossaryOut], summary="Your department's glossaries")
def list_glossaries(p: Principal = Depends(current_principal)) -> list[GlossaryOut]:
    return service.list_glossaries(p)


@router.post("/glossaries", response_model=GlossaryOut, status_code=201, summary="Create a glossary")
def create_glossary(g: GlossaryIn, p: Principal = Depends(current_principal)) -> GlossaryOut:
    return service.create_glossary(p, g)


@router.get("/glossaries/{glossary_id}", response_model=GlossaryOut)
def get_glossary(glossary_id: ObjectId, p: Principal = Depends(current_principal)) -> GlossaryOut:
    return service.get_glossary(p, glossary_id)


@router.put("/glossaries/{glossary_id}", response_model=GlossaryOut,
            summary="Change a glossary's name, description or terms (fields left out are kept)")
def update_glossary(glossary_id: ObjectId, g: GlossaryUpdate, p: Principal = Depends(current_principal)) -> GlossaryOut:
    return service.update_glossary(p, glossary_id, g)


@router.delete("/glossaries/{glossary_id}", status_code=204, response_class=Response)
def delete_glossary(glossary_id: ObjectId, p: Principal = Depends(current_principal)) -> Response:
    service.delete_glossary(p, glossary_id)
    return Response(status_code=204)
