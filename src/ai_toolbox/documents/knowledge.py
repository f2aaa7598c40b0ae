"""Knowledge-base passages that bear on an incoming letter, for a reply that cites them.

The base is looked up as the assistant looks it up for the acting officer (`assistant.kb.find_kb`):
one their department can read; another department's base looks absent (NotFound, HTTP 404).
Retrieval is the assistant's hybrid search; the query is the letter's subject and body, without
the header lines (reference, date, addressee) that every letter shares. A passage is kept only
when the search is confident and the passage itself is close to the letter, so an unrelated base
adds nothing rather than noise; passages in the reply's language come first, and one in the other
language is cited only when none in the reply's language qualifies (bilingual bases often hold the
same text twice).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ai_toolbox.documents.model import Document

QUERY_CHARS = 1500
# A passage is cited only when its similarity to the letter is within this of the best passage's
# (and above the assistant's floor for relevance): e5 cosines of a second, unrelated passage of the
# same base sit only 0.05-0.1 below a relevant one.
NEAR_BEST = 0.05


class Reference(BaseModel):
    """A knowledge-base passage cited in a draft as [number]."""

    number: int = Field(..., examples=[1])
    knowledge_base: str = Field(..., examples=["licensing"])
    source: str = Field(..., examples=["licensing.md"])
    page: int | None = None
    section: str = ""
    quote: str = Field(..., description="the sentence of the passage the draft quotes")
    passage: str = Field(..., description="the passage in full")
    score: float = Field(..., description="dense similarity of the passage to the letter")


def letter_query(doc: Document, header_lines: list[str], subject: str | None = None) -> str:
    """The letter's subject and body: its text without the lines the header fields were read from."""
    header = {line.strip() for line in header_lines if line}
    body = [ln.strip() for b in doc.blocks for ln in b.text.split("\n")
            if ln.strip() and ln.strip() not in header]
    text = "\n".join(([subject] if subject else []) + body)
    return text[:QUERY_CHARS]


def _family(language: str) -> str:
    return "zh" if language.startswith("zh") else language


def references(principal, kb_name: str, query: str, *, k: int = 3,  # type: ignore[no-untyped-def]
               language: str | None = None) -> list[Reference]:
    """Up to `k` passages of the knowledge base `kb_name` that bear on `query`, best first; none
    when the base is empty, not indexed yet, or says nothing relevant. `language` is the reply's
    (en, zh-Hant, zh-Hans): its passages are preferred, and Chinese quotes are given in its script."""
    from ai_toolbox.assistant import kb as kb_service
    from ai_toolbox.assistant.embed import get_embedder
    from ai_toolbox.assistant.retrieve import FusionParams, search
    from ai_toolbox.assistant.sentences import answer_sentences
    from ai_toolbox.config import get_settings
    from ai_toolbox.documents.textcore import detect_language, to_script
    from ai_toolbox.storage.db import session_scope

    with session_scope() as s:
        kb = kb_service.find_kb(s, principal, kb_name)
        kb_id, version, name = kb.id, kb.indexed_version, kb.name
    index = kb_service.load_index(kb_id, version)
    if index is None or len(index) == 0 or not query.strip():
        return []
    embedder = get_embedder()
    found = search(index, embedder, query, k=2 * k)
    if found.confidence < get_settings().assistant.handoff_threshold:
        return []
    floor = max(FusionParams().cos_floor, found.hits[0].dense - NEAR_BEST) if found.hits else 1.0
    hits = [h for h in found.hits if h.dense >= floor]
    if language:
        same = [h for h in hits if _family(detect_language(h.passage.text)) == _family(language)]
        hits = same or hits
    out: list[Reference] = []
    for hit in hits[:k]:
        p = hit.passage
        faq = (p.meta or {}).get("faq")
        if faq:
            quote = faq["answer"]
        else:
            best = answer_sentences(query, index, [hit], embedder, found.query_vector)
            quote = best[0][0].text if best else p.text
        passage, section = p.text, p.section
        if language in ("zh-Hant", "zh-Hans"):  # the file name stays as it is
            quote, passage, section = (to_script(t, language) for t in (quote, passage, section))
        out.append(Reference(number=len(out) + 1, knowledge_base=name, source=p.source, page=p.page,
                             section=section, quote=quote, passage=passage, score=round(hit.dense, 4)))
    return out
