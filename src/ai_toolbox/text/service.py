"""The text tools as services for a principal: detect, convert, redact (text and files), and
per-department glossaries. Each action writes one audit record; faces (CLI, API, web) call these.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import select

from ai_toolbox import audit
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.config import get_settings
from ai_toolbox.errors import AlreadyExists, InvalidInput, NotFound, TooLarge
from ai_toolbox.storage.base import DbId
from ai_toolbox.storage.db import session_scope
from ai_toolbox.storage.models import Department
from ai_toolbox.text import convert as conv
from ai_toolbox.text import files, pii
from ai_toolbox.text.detect import LanguageResult, detect_language
from ai_toolbox.text.glossary import Glossary, Term
from ai_toolbox.text.models import GlossaryRecord, GlossaryTermRecord

TOOL = "text"


# --- models the faces share ---------------------------------------------------------------------

class DetectRequest(BaseModel):
    text: str = Field(examples=["香港特別行政區政府今日公布新措施。This is English."])
    per_sentence: bool = False


class DetectResponse(LanguageResult):
    audit_id: int | None = None


class ConvertRequest(BaseModel):
    text: str = Field(examples=["港岛线的核心站点"])
    config: str = Field("s2hk", examples=["s2hk"])
    glossary_ids: list[DbId] | None = Field(None, description="Department glossaries to apply; default all of yours")
    use_builtin: bool = Field(True, description="Apply the built-in government glossary")
    protect: list[str] = Field(default_factory=list, description="Strings kept exactly as written")


class ConvertResponse(BaseModel):
    text: str = Field(examples=["港島綫的核心站點"])
    config: str
    glossary_terms: int = 0
    audit_id: int | None = None


class RedactRequest(BaseModel):
    text: str = Field(examples=["陳大文先生的身份證號碼是A123456(3)，電話 9123 4567。"])
    operator: pii.Operator = "tag"
    types: list[str] | None = Field(None, description=f"Subset of {', '.join(pii.ENTITY_TYPES)}")
    keep_last: int | None = Field(None, ge=0, le=20, description="For mask: characters left visible")


class RedactResponse(pii.Redaction):
    audit_id: int | None = None


class GlossaryIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["Transport terms"])
    description: str = ""
    terms: list[Term] = Field(default_factory=list, max_length=20_000)
    department_id: int | None = Field(None, ge=1, le=2**53,
                                      description="Default: your department (administrators may choose)")


class GlossaryUpdate(BaseModel):
    """Fields left out keep their value."""

    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = None
    terms: list[Term] | None = Field(None, max_length=20_000)


class GlossaryOut(BaseModel):
    id: int
    department_id: int
    name: str
    description: str
    terms: list[Term]
    created_by: str


# --- limits -------------------------------------------------------------------------------------

def check_text(text: str) -> str:
    limit = get_settings().max_text_chars
    if len(text) > limit:
        raise TooLarge(f"The text has {len(text):,} characters; the limit is {limit:,}.",
                       hint="Split it, send it as a file, or raise AITB_MAX_TEXT_CHARS.")
    if _has_surrogates(text):
        raise InvalidInput("The text holds unpaired surrogate code points.",
                           hint="Re-encode the source as UTF-8; unpaired surrogates are not characters.")
    return text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- tools --------------------------------------------------------------------------------------

def detect(p: Principal, text: str, per_sentence: bool = False) -> DetectResponse:
    p.require(Perm.USE_TOOLS)
    check_text(text)
    with audit.record(p, TOOL, "detect", input_text=text) as rec:
        result = detect_language(text, per_sentence=per_sentence)
        rec.output(result.language)
        rec.meta = {"language": result.language, "confidence": result.confidence}
    return DetectResponse(**result.model_dump(), audit_id=rec.id)


def glossary_for(p: Principal, glossary_ids: list[int] | None = None, use_builtin: bool = True) -> Glossary:
    """Built-in glossary (optional) with the department's glossaries on top, later ones winning."""
    with session_scope() as s:
        q = select(GlossaryRecord).where(GlossaryRecord.department_id == p.department_id)
        if glossary_ids is not None:
            q = select(GlossaryRecord).where(GlossaryRecord.id.in_(glossary_ids))
        records = s.scalars(q.order_by(GlossaryRecord.id)).all()
        if glossary_ids is not None:
            visible = [r for r in records if p.is_sysadmin or r.department_id == p.department_id]
            missing = set(glossary_ids) - {r.id for r in visible}
            if missing:
                raise NotFound(f"No glossary {min(missing)}.")
            records = visible
        parts = [Glossary.of([_term(t) for t in r.terms], r.name) for r in records]
    return Glossary.merged(Glossary.builtin() if use_builtin else None, *parts)


def convert_text(p: Principal, req: ConvertRequest) -> ConvertResponse:
    p.require(Perm.USE_TOOLS)
    check_text(req.text)
    config = conv.check_config(req.config)
    gloss = glossary_for(p, req.glossary_ids, req.use_builtin)
    with audit.record(p, TOOL, "convert", input_text=req.text) as rec:
        out = conv.convert(req.text, config, gloss if len(gloss) else False, protect=req.protect)
        rec.output(out)
        rec.meta = {"config": config, "glossary_terms": len(gloss)}
    return ConvertResponse(text=out, config=config, glossary_terms=len(gloss), audit_id=rec.id)


def convert_file(p: Principal, data: bytes, filename: str, config: str = "s2hk",
                 glossary_ids: list[int] | None = None) -> files.ConvertedFile:
    p.require(Perm.USE_TOOLS)
    config = conv.check_config(config)
    gloss = glossary_for(p, glossary_ids)
    stem, dot, ext = filename.rpartition(".")
    out_name = f"{stem}.{config}.{ext}" if dot else f"{filename}.{config}"
    with audit.record(p, TOOL, "convert", input_text=data) as rec:
        result = files.transform_file(data, filename, lambda t: conv.convert(t, config, gloss), out_name)
        rec.output(result.content)
        rec.meta = {"config": config, "file": files.suffix_of(filename)}
    result.audit_id = rec.id
    return result


def redact_text(p: Principal, req: RedactRequest) -> RedactResponse:
    p.require(Perm.USE_TOOLS)
    check_text(req.text)
    keep = req.keep_last if req.keep_last is not None else get_settings().text.mask_keep_last
    with audit.record(p, TOOL, "redact", input_text=req.text) as rec:
        r = pii.redact(req.text, req.operator, types=req.types, keep_last=keep)
        rec.output(r.text)
        rec.meta = {"operator": req.operator, "spans": len(r.spans),
                    "types": sorted({s.type for s in r.spans})}
    return RedactResponse(**r.model_dump(), audit_id=rec.id)


def redact_file(p: Principal, data: bytes, filename: str, operator: pii.Operator = "tag",
                types: list[str] | None = None) -> files.ConvertedFile:
    p.require(Perm.USE_TOOLS)
    if operator == "pseudonym":
        raise InvalidInput("Pseudonyms are for text sent to a model and restored later, not for files.",
                           hint="Use tag, mask, hash or remove for files.")
    stem, dot, ext = filename.rpartition(".")
    out_name = f"{stem}.redacted.{ext}" if dot else f"{filename}.redacted"
    keep = get_settings().text.mask_keep_last
    counts = {"spans": 0}

    def transform(t: str) -> str:
        r = pii.redact(t, operator, types=types, keep_last=keep)
        counts["spans"] += len(r.spans)
        return r.text

    with audit.record(p, TOOL, "redact", input_text=data) as rec:
        result = files.transform_file(data, filename, transform, out_name)
        rec.output(result.content)
        rec.meta = {"operator": operator, "file": files.suffix_of(filename), **counts}
    result.audit_id = rec.id
    return result


# --- glossaries ---------------------------------------------------------------------------------

def _term(t: GlossaryTermRecord) -> Term:
    return Term(en=t.en, zh_hant=t.zh_hant, zh_hans=t.zh_hans, protect=t.protect)


def _out(r: GlossaryRecord) -> GlossaryOut:
    return GlossaryOut(id=r.id, department_id=r.department_id, name=r.name, description=r.description,
                       terms=[_term(t) for t in r.terms], created_by=r.created_by)


def _visible(s, p: Principal, glossary_id: int) -> GlossaryRecord:  # type: ignore[no-untyped-def]
    r = s.get(GlossaryRecord, glossary_id)
    if r is None or not (p.is_sysadmin or r.department_id == p.department_id):
        raise NotFound(f"No glossary {glossary_id}.")
    return r


def _check_terms(terms: list[Term]) -> list[Term]:
    for i, t in enumerate(terms):
        if sum(bool(t.get(c).strip()) for c in ("en", "zh_hant", "zh_hans")) < (1 if t.protect else 2):
            raise InvalidInput(f"Term {i + 1} needs at least two of en, zh_hant, zh_hans (or protect with one).")
    return terms


def list_glossaries(p: Principal) -> list[GlossaryOut]:
    p.require(Perm.USE_TOOLS)
    with session_scope() as s:
        q = select(GlossaryRecord).order_by(GlossaryRecord.id)
        dept = p.visible_departments()
        if dept is not None:
            q = q.where(GlossaryRecord.department_id == dept)
        return [_out(r) for r in s.scalars(q).all()]


def get_glossary(p: Principal, glossary_id: int) -> GlossaryOut:
    p.require(Perm.USE_TOOLS)
    with session_scope() as s:
        return _out(_visible(s, p, glossary_id))


def create_glossary(p: Principal, g: GlossaryIn) -> GlossaryOut:
    dept = g.department_id if g.department_id is not None else p.department_id
    p.require(Perm.MANAGE_KB, dept)
    _check_terms(g.terms)
    with session_scope() as s:
        if s.get(Department, dept) is None:
            raise NotFound(f"No department with id {dept}.", hint="Leave department_id out to use your own.")
        exists = s.scalar(select(GlossaryRecord).where(GlossaryRecord.department_id == dept,
                                                       GlossaryRecord.name == g.name))
        if exists is not None:
            raise AlreadyExists(f"Your department already has a glossary called '{g.name}'.",
                                hint="Choose another name or update the existing one.")
        r = GlossaryRecord(department_id=dept, name=g.name, description=g.description, created_by=p.username,
                           terms=[GlossaryTermRecord(**t.model_dump()) for t in g.terms])
        s.add(r)
        s.flush()
        return _out(r)


def update_glossary(p: Principal, glossary_id: int, g: GlossaryUpdate) -> GlossaryOut:
    with session_scope() as s:
        r = _visible(s, p, glossary_id)
        p.require(Perm.MANAGE_KB, r.department_id)
        if g.name is not None:
            r.name = g.name
        if g.description is not None:
            r.description = g.description
        if g.terms is not None:
            r.terms = [GlossaryTermRecord(**t.model_dump()) for t in _check_terms(g.terms)]
        s.flush()
        return _out(r)


def delete_glossary(p: Principal, glossary_id: int) -> None:
    with session_scope() as s:
        r = _visible(s, p, glossary_id)
        p.require(Perm.MANAGE_KB, r.department_id)
        s.delete(r)

