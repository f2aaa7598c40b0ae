"""Knowledge bases: create, add sources, re-index, publish, delete — with department access.

The database holds sources and chunks; the search index under `<data_dir>/assistant/kb/<id>/` is
rebuilt from the chunks after every change, so deleting a source (or a whole base) removes its text
and vectors from what can be retrieved. Embeddings are cached per base by content hash, and the
cache is pruned to the live chunks on each rebuild.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.assistant.chunking import Chunk, chunk_pages, chunk_text
from ai_toolbox.assistant.embed import EmbeddingCache, get_embedder
from ai_toolbox.assistant.faq import read_faq
from ai_toolbox.assistant.index import LocalIndex, Passage
from ai_toolbox.assistant.models import KbChunk, KbSource, KnowledgeBase
from ai_toolbox.assistant.textutil import detect_language
from ai_toolbox.config import get_settings
from ai_toolbox.errors import AlreadyExists, InvalidInput, NotFound, TooLarge, UnsupportedFile
from ai_toolbox.storage.base import utcnow
from ai_toolbox.storage.db import session_scope
from ai_toolbox.storage.models import Department

_NAME = re.compile(r"^[\w][\w .\-]{0,99}$")
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
FAQ_SUFFIXES = {".csv", ".xlsx", ".xlsm"}


class KbOut(BaseModel):
    id: int
    name: str
    slug: str
    department: str
    description: str = ""
    published: bool = False
    version: int = 0
    sources: int = 0
    chunks: int = 0
    updated_at: datetime | None = None

    model_config = {"json_schema_extra": {"examples": [{
        "id": 1, "name": "licensing", "slug": "tid-licensing", "department": "tid", "description": "Licensing FAQ",
        "published": False, "version": 3, "sources": 2, "chunks": 41}]}}


class SourceOut(BaseModel):
    id: int
    kind: str
    name: str
    language: str = ""
    version: int = 1
    chunks: int = 0
    added_by: str = ""
    created_at: datetime | None = None


class KbCreate(BaseModel):
    name: str = Field(..., examples=["licensing"])
    description: str = Field("", examples=["Questions about trade licences"])


# ------------------------------------------------------------------------------ lookups


def kb_dir(kb_id: int) -> Path:
    return get_settings().data_dir / "assistant" / "kb" / str(kb_id)


def _kb_out(s: Session, kb: KnowledgeBase) -> KbOut:
    dept = s.get(Department, kb.department_id)
    n_sources = len(s.scalars(select(KbSource.id).where(KbSource.kb_id == kb.id)).all())
    n_chunks = len(s.scalars(select(KbChunk.id).where(KbChunk.kb_id == kb.id)).all())
    return KbOut(id=kb.id, name=kb.name, slug=kb.slug, department=dept.code if dept else "",
                 description=kb.description, published=kb.published, version=kb.version,
                 sources=n_sources, chunks=n_chunks, updated_at=kb.updated_at)


def _is_row_id(text: str) -> bool:
    """ASCII digits small enough to be a row id ('²'.isdigit() is True, and huge ids overflow SQLite)."""
    return text.isascii() and text.isdigit() and len(text) <= 15


def find_kb(s: Session, principal: Principal, name: str | int, perm: Perm = Perm.USE_TOOLS) -> KnowledgeBase:
    """The knowledge base `name` (or id) visible to `principal`; another department's looks absent."""
    q = select(KnowledgeBase)
    if isinstance(name, int) or _is_row_id(str(name)):
        q = q.where(KnowledgeBase.id == int(name))
    else:
        q = q.where((KnowledgeBase.name == name) | (KnowledgeBase.slug == name))
    dept = principal.visible_departments()
    if dept is not None:
        q = q.where(KnowledgeBase.department_id == dept)
    found = s.scalars(q.order_by(KnowledgeBase.id)).all()
    if not found:
        raise NotFound(f"No knowledge base named '{name}'.", hint="List them with `ai-toolbox kb list`.")
    own = [k for k in found if k.department_id == principal.department_id]
    kb = (own or found)[0]
    principal.require(perm, kb.department_id)
    return kb


def find_published(s: Session, slug: str) -> KnowledgeBase:
    kb = s.scalars(select(KnowledgeBase).where(KnowledgeBase.slug == slug)).first()
    if kb is None or not kb.published:
        raise NotFound("No published knowledge base at this address.")
    return kb


# ------------------------------------------------------------------------------ create, list, delete


def create_kb(principal: Principal, name: str, description: str = "") -> KbOut:
    principal.require(Perm.MANAGE_KB, principal.department_id)
    name = name.strip()
    if not _NAME.match(name):
        raise InvalidInput("A knowledge-base name is 1-100 letters, digits, spaces, dots, dashes or underscores.",
                           hint="For example: licensing-faq")
    with session_scope() as s:
        exists = s.scalars(select(KnowledgeBase).where(
            KnowledgeBase.department_id == principal.department_id, KnowledgeBase.name == name)).first()
        if exists:
            raise AlreadyExists(f"Your department already has a knowledge base named '{name}'.",
                                hint="Pick another name, or add sources to the existing one.")
        dept = s.get(Department, principal.department_id)
        base_slug = re.sub(r"[^a-z0-9]+", "-", f"{dept.code if dept else 'kb'}-{name}".lower()).strip("-") or "kb"
        slug, n = base_slug, 1
        while s.scalars(select(KnowledgeBase.id).where(KnowledgeBase.slug == slug)).first():
            n += 1
            slug = f"{base_slug}-{n}"
        kb = KnowledgeBase(department_id=principal.department_id, name=name, slug=slug, description=description,
                           created_by=principal.username)
        s.add(kb)
        s.flush()
        return _kb_out(s, kb)


def list_kbs(principal: Principal) -> list[KbOut]:
    with session_scope() as s:
        q = select(KnowledgeBase).order_by(KnowledgeBase.name)
        dept = principal.visible_departments()
        if dept is not None:
            q = q.where(KnowledgeBase.department_id == dept)
        return [_kb_out(s, kb) for kb in s.scalars(q)]


def get_kb(principal: Principal, name: str | int) -> KbOut:
    with session_scope() as s:
        return _kb_out(s, find_kb(s, principal, name))


def delete_kb(principal: Principal, name: str | int) -> KbOut:
    """Delete a base, its sources, chunks and index files."""
    with session_scope() as s:
        kb = find_kb(s, principal, name, Perm.MANAGE_KB)
        out = _kb_out(s, kb)
        kb_id = kb.id
        for model in (KbChunk, KbSource):
            s.execute(delete(model).where(model.kb_id == kb_id))
        from ai_toolbox.assistant.models import KbQuestion

        s.execute(delete(KbQuestion).where(KbQuestion.kb_id == kb_id))
        s.delete(kb)
    forget_index(kb_id)
    shutil.rmtree(kb_dir(kb_id), ignore_errors=True)
    return out


def set_published(principal: Principal, name: str | int, published: bool) -> KbOut:
    with session_scope() as s:
        kb = find_kb(s, principal, name, Perm.MANAGE_KB)
        kb.published = published
        kb.updated_at = utcnow()
        return _kb_out(s, kb)


# ------------------------------------------------------------------------------ sources


def list_sources(principal: Principal, name: str | int) -> list[SourceOut]:
    with session_scope() as s:
        kb = find_kb(s, principal, name)
        rows = s.scalars(select(KbSource).where(KbSource.kb_id == kb.id).order_by(KbSource.id))
        return [SourceOut(id=r.id, kind=r.kind, name=r.name, language=r.language, version=r.version,
                          chunks=r.n_chunks, added_by=r.added_by, created_at=r.created_at) for r in rows]


def _document_pages(path: Path, data: bytes) -> list[tuple[int | None, str]]:
    """Pages of a document through document ingest (PDF, DOCX, HTML, images...)."""
    try:
        from ai_toolbox.documents import ingest
    except ImportError as exc:
        raise UnsupportedFile(
            f"Files of type {path.suffix} need document ingest, which is not installed.",
            hint="Add the text as .txt/.md, or install the documents extra.",
        ) from exc
    doc = ingest.ingest(data, name=path.name)
    return [(p.number, p.text) for p in doc.pages if p.text.strip()] or [(None, doc.text)]


def _chunks_for(path: Path, data: bytes, kind: str | None) -> tuple[str, list[Chunk], list[dict | None], str]:
    suffix = path.suffix.lower()
    settings = get_settings().assistant
    if kind == "faq" or (kind is None and suffix in FAQ_SUFFIXES):
        entries = read_faq(path, data, settings.max_faq_rows)
        chunks, metas = [], []
        for e in entries:
            chunks.append(Chunk(f"{e.question}\n{e.answer}", e.category, None))
            metas.append({"faq": {"question": e.question, "answer": e.answer, "category": e.category,
                                  "language": e.language or detect_language(e.question), "row": e.row}})
        lang = detect_language(" ".join(e.question for e in entries[:20]))
        return "faq", chunks, metas, lang
    if suffix in TEXT_SUFFIXES or kind == "text":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput("The text file is not UTF-8.", hint="Save it as UTF-8 and add it again.") from exc
        chunks = chunk_text(text)
        return "text", chunks, [None] * len(chunks), detect_language(text[:2000])
    pages = _document_pages(path, data)
    chunks = chunk_pages(pages)
    return "document", chunks, [None] * len(chunks), detect_language(" ".join(t for _, t in pages)[:2000])


def add_source(
    principal: Principal,
    name: str | int,
    path: Path,
    *,
    data: bytes | None = None,
    kind: str | None = None,
    display_name: str | None = None,
    reindex_now: bool = True,
) -> SourceOut:
    """Add (or replace, by the same name) a source; re-index unless told not to."""
    data = path.read_bytes() if data is None else data
    if len(data) > get_settings().max_upload_mb * 1024 * 1024:
        raise TooLarge("The file is larger than the upload limit.", hint="Split it or raise max_upload_mb.")
    kind, chunks, metas, lang = _chunks_for(path, data, kind)
    if not chunks:
        raise InvalidInput(f"No text found in {path.name}.", hint="Check the file has text (scans need OCR).")
    digest = hashlib.sha256(data).hexdigest()
    src_name = display_name or path.name
    with session_scope() as s:
        kb = find_kb(s, principal, name, Perm.MANAGE_KB)
        old = s.scalars(select(KbSource).where(KbSource.kb_id == kb.id, KbSource.name == src_name)).first()
        version = 1
        if old is not None:
            version = old.version + 1
            s.execute(delete(KbChunk).where(KbChunk.source_id == old.id))
            s.delete(old)
            s.flush()
        src = KbSource(kb_id=kb.id, kind=kind, name=src_name, sha256=digest, language=lang, version=version,
                       n_chunks=len(chunks), added_by=principal.username)
        s.add(src)
        s.flush()
        for i, (c, meta) in enumerate(zip(chunks, metas, strict=True)):
            s.add(KbChunk(kb_id=kb.id, source_id=src.id, ordinal=i, text=c.text, section=c.section[:500],
                          page=c.page, meta=meta))
        kb.version += 1
        kb.updated_at = utcnow()
        out = SourceOut(id=src.id, kind=kind, name=src_name, language=lang, version=version, chunks=len(chunks),
                        added_by=principal.username, created_at=src.created_at)
        kb_id = kb.id
    if reindex_now:
        reindex(principal, kb_id)
    return out


def delete_source(principal: Principal, name: str | int, source: str | int) -> SourceOut:
    with session_scope() as s:
        kb = find_kb(s, principal, name, Perm.MANAGE_KB)
        q = select(KbSource).where(KbSource.kb_id == kb.id)
        q = q.where(KbSource.id == int(source)) if _is_row_id(str(source)) else q.where(KbSource.name == str(source))
        src = s.scalars(q).first()
        if src is None:
            raise NotFound(f"No source '{source}' in this knowledge base.", hint="See `ai-toolbox kb list --sources`.")
        out = SourceOut(id=src.id, kind=src.kind, name=src.name, language=src.language, version=src.version,
                        chunks=src.n_chunks, added_by=src.added_by, created_at=src.created_at)
        s.execute(delete(KbChunk).where(KbChunk.source_id == src.id))
        s.delete(src)
        kb.version += 1
        kb.updated_at = utcnow()
        kb_id = kb.id
    reindex(principal, kb_id)
    return out


# ------------------------------------------------------------------------------ index

_indexes: dict[str, tuple[int, LocalIndex]] = {}
_index_lock = threading.Lock()


def forget_index(kb_id: int) -> None:
    with _index_lock:
        _indexes.pop(str(kb_dir(kb_id)), None)


def _passages(s: Session, kb_id: int) -> list[Passage]:
    rows = s.execute(
        select(KbChunk, KbSource.name).join(KbSource, KbSource.id == KbChunk.source_id)
        .where(KbChunk.kb_id == kb_id).order_by(KbChunk.source_id, KbChunk.ordinal)
    ).all()
    return [Passage(id=str(c.id), text=c.text, source=src, page=c.page, section=c.section, meta=c.meta or {})
            for c, src in rows]


def reindex(principal: Principal, name: str | int, progress=None) -> KbOut:  # type: ignore[no-untyped-def]
    """Rebuild the search index of a base from its chunks."""
    with session_scope() as s:
        kb = find_kb(s, principal, name, Perm.MANAGE_KB)
        kb_id, version = kb.id, kb.version
        passages = _passages(s, kb_id)
    embedder = get_embedder()
    cache = EmbeddingCache(kb_dir(kb_id) / "embeddings", embedder.name, embedder.dim)
    index = LocalIndex.build(kb_dir(kb_id) / "index", passages, embedder, cache, progress=progress)
    cache.retain({p.embed_text() for p in passages})
    with session_scope() as s:
        kb = s.get(KnowledgeBase, kb_id)
        if kb is None:  # deleted while we were indexing
            shutil.rmtree(kb_dir(kb_id), ignore_errors=True)
            raise NotFound("The knowledge base was deleted while it was being indexed.")
        kb.indexed_version = version
        with _index_lock:
            _indexes[str(kb_dir(kb_id))] = (version, index)
        return _kb_out(s, kb)


def load_index(kb_id: int, version: int) -> LocalIndex | None:
    """The current index of a base, loaded once per version; None when it has no content yet."""
    with _index_lock:
        cached = _indexes.get(str(kb_dir(kb_id)))
        if cached and cached[0] == version:
            return cached[1]
    directory = kb_dir(kb_id) / "index"
    if not (directory / "meta.json").exists():
        return None
    index = LocalIndex.load(directory)
    with _index_lock:
        _indexes[str(kb_dir(kb_id))] = (version, index)
    return index
