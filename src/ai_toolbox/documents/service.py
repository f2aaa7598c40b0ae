"""The document tools as audited actions, and uploaded files kept per department.

Every function here takes the acting `Principal`, writes one audit record (with minutes saved)
and returns the tool's typed result with its `audit_id`. CLI, API and batch call these.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from ai_toolbox import audit
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.config import get_settings
from ai_toolbox.documents import compare as compare_mod
from ai_toolbox.documents import convert as convert_mod
from ai_toolbox.documents import extract as extract_mod
from ai_toolbox.documents import llmbridge
from ai_toolbox.documents import redact as redact_mod
from ai_toolbox.documents import reply as reply_mod
from ai_toolbox.documents import summarise as summarise_mod
from ai_toolbox.documents import translate as translate_mod
from ai_toolbox.documents.ingest import detect_format, ingest
from ai_toolbox.documents.model import Document
from ai_toolbox.errors import InvalidInput, NotFound, TooLarge, UnsupportedFile

TOOL = "doc"


# ---- audited tools --------------------------------------------------------------------------------------

def text(p: Principal, data: bytes, name: str, *, password: str | None = None) -> Document:
    p.require(Perm.USE_TOOLS)
    with audit.record(p, TOOL, "text", input_text=data) as rec:
        doc = ingest(data, name=name, password=password)
        rec.output(doc.text)
        rec.meta = {"format": doc.format, "pages": len(doc.pages), "ocr_pages": sum(pg.ocr for pg in doc.pages)}
    return doc


def summarise(p: Principal, data: bytes, name: str, *, sentences: int | None = 3, chars: int | None = None,
              script: str = "auto", password: str | None = None) -> summarise_mod.Summary:
    p.require(Perm.USE_TOOLS)
    with audit.record(p, TOOL, "summarise", input_text=data) as rec:
        doc = ingest(data, name=name, password=password)
        result = summarise_mod.summarise(doc, sentences=sentences, chars=chars, script=script,  # type: ignore[arg-type]
                                         principal=p)
        rec.output(result.text)
        if result.method == "llm":
            rec.backend, rec.model = "llm", result.model
    result.audit_id = rec.id
    return result


def extract(p: Principal, data: bytes, name: str, *, template: str,
            password: str | None = None) -> extract_mod.Extraction:
    p.require(Perm.USE_TOOLS)
    tpl = extract_mod.get_template(template)
    with audit.record(p, TOOL, "extract", input_text=data) as rec:
        doc = ingest(data, name=name, password=password)
        result = extract_mod.extract(doc, tpl)
        rec.output(json.dumps(extract_mod.to_json(result), ensure_ascii=False))
        rec.meta = {"template": tpl.name, "found": sum(v.value is not None for v in result.fields.values())}
    result.audit_id = rec.id
    return result


def redact(p: Principal, data: bytes, name: str, *, types: list[str] | None = None,
           password: str | None = None) -> redact_mod.Redacted:
    p.require(Perm.USE_TOOLS)
    with audit.record(p, TOOL, "redact", input_text=data) as rec:
        result = redact_mod.redact(data, name, types=types, password=password)
        rec.output(result.data)
        rec.meta = {"counts": result.report.counts, "verified": result.report.verified}
    result.report.audit_id = rec.id
    return result


def convert(p: Principal, data: bytes, name: str, *, config: str = "s2hk", glossary: dict[str, str] | None = None,
            password: str | None = None) -> convert_mod.Converted:
    p.require(Perm.USE_TOOLS)
    with audit.record(p, TOOL, "convert", input_text=data) as rec:
        result = convert_mod.convert(data, name, config=config, glossary=glossary, password=password)
        rec.output(result.data)
    result.audit_id = rec.id
    return result


def translate(p: Principal, data: bytes, name: str, *, target: str, glossary: dict[str, str] | None = None,
              password: str | None = None) -> translate_mod.Translation:
    p.require(Perm.USE_TOOLS)
    with audit.record(p, TOOL, "translate", input_text=data) as rec:
        doc = ingest(data, name=name, password=password)
        result = translate_mod.translate(doc, target, glossary=glossary, principal=p)
        rec.output(result.text)
        rec.backend, rec.model = "llm", result.model
        rec.meta = {"glossary_missing": len(result.glossary_missing)}
    result.audit_id = rec.id
    return result


def compare(p: Principal, old: tuple[bytes, str], new: tuple[bytes, str]) -> compare_mod.Comparison:
    p.require(Perm.USE_TOOLS)
    with audit.record(p, TOOL, "compare", input_text=old[0] + new[0]) as rec:
        result = compare_mod.compare(ingest(old[0], name=old[1]), ingest(new[0], name=new[1]))
        rec.output(json.dumps(result.counts))
    result.audit_id = rec.id
    return result


def reply(p: Principal, data: bytes, name: str, *, language: str | None = None, body: str | None = None,
          signatory: str = "", our_reference: str = "", password: str | None = None,
          kb: str | None = None) -> reply_mod.Draft:
    """Draft a reply; `kb` names a knowledge base of the principal's department to quote and cite."""
    p.require(Perm.USE_TOOLS)
    with audit.record(p, TOOL, "reply", input_text=data) as rec:
        doc = ingest(data, name=name, password=password)
        result = reply_mod.draft_reply(doc, language=language, body=body, signatory=signatory,
                                       our_reference=our_reference, principal=p, kb=kb or None)
        rec.output(result.text)
        if kb:
            rec.meta = {"kb": kb, "references": len(result.references)}
        if result.method == "llm":
            rec.backend, rec.model = "llm", llmbridge.model_name("doc")
    result.audit_id = rec.id
    return result


# ---- uploaded files -------------------------------------------------------------------------------------

class StoredFile(BaseModel):
    id: str
    name: str
    size: int
    format: str
    department_id: int
    uploaded_by: str
    uploaded_at: datetime


def _root() -> Path:
    return get_settings().data_dir / "documents"


def store(p: Principal, name: str, stream: IO[bytes], *, limit_bytes: int | None = None) -> StoredFile:
    """Copy an upload into storage, refusing it as soon as it passes the size limit.

    The file is written under a temporary name and renamed into place only when complete, so a
    refused or broken upload leaves nothing behind.
    """
    p.require(Perm.USE_TOOLS)
    limit = limit_bytes or get_settings().documents.max_file_mb * 1024 * 1024
    safe = Path(name or "upload").name[:200] or "upload"
    file_id = secrets.token_hex(12)
    root = _root()
    tmp = root / f".{file_id}.part"
    tmp.mkdir(parents=True, exist_ok=True)
    size = 0
    try:
        with (tmp / "original").open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"The upload is over the {limit // 1024 // 1024} MB limit.",
                                   hint="Split the file, or ask an administrator to raise the limit.")
                out.write(chunk)
        if size == 0:
            raise InvalidInput("The upload is empty.")
        try:
            fmt = detect_format((tmp / "original").read_bytes(), safe)
        except UnsupportedFile:
            if not zipfile.is_zipfile(tmp / "original"):
                raise
            fmt = "zip"  # a batch of files
        meta = StoredFile(id=file_id, name=safe, size=size, format=fmt, department_id=p.department_id,
                          uploaded_by=p.username, uploaded_at=datetime.now(UTC))
        (tmp / "meta.json").write_text(meta.model_dump_json(), "utf-8")
        os.replace(tmp, root / file_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return meta


def get_file(p: Principal, file_id: str) -> StoredFile:
    """A stored file the principal may use; another department's file does not exist for them."""
    p.require(Perm.USE_TOOLS)
    folder = _root() / file_id
    if not file_id.isalnum() or not (folder / "meta.json").is_file():
        raise NotFound(f"No document {file_id}.")
    meta = StoredFile.model_validate_json((folder / "meta.json").read_text("utf-8"))
    if not p.can(Perm.USE_TOOLS, meta.department_id):
        raise NotFound(f"No document {file_id}.")
    return meta


def read_file(p: Principal, file_id: str) -> tuple[bytes, StoredFile]:
    meta = get_file(p, file_id)
    return (_root() / file_id / "original").read_bytes(), meta


def save_output(p: Principal, file_id: str, name: str, data: bytes) -> str:
    """Keep a tool's output next to its source; returns the output's file name."""
    get_file(p, file_id)
    safe = Path(name).name
    out = _root() / file_id / "outputs"
    out.mkdir(exist_ok=True)
    tmp = out / f".{safe}.part"
    tmp.write_bytes(data)
    os.replace(tmp, out / safe)
    return safe


def output_path(p: Principal, file_id: str, name: str) -> Path:
    get_file(p, file_id)
    path = _root() / file_id / "outputs" / Path(name).name
    if not path.is_file():
        raise NotFound(f"Document {file_id} has no output {name!r}.")
    return path


def delete_file(p: Principal, file_id: str) -> None:
    get_file(p, file_id)
    shutil.rmtree(_root() / file_id, ignore_errors=True)
