"""Answers from a knowledge base: extractive by default, grounded LLM answers when a model is set.

Every answer carries citations; an LLM sentence survives only when the passage it cites supports
it (lexical overlap of folded tokens, or embedding similarity). Below the confidence threshold the
assistant says it cannot answer, offers the closest FAQ entries and records a hand-off.
Text inside knowledge-base documents is data: the extractive path only quotes it, and the LLM path
drops any sentence its cited passage does not support, so an injected instruction cannot steer the
reply beyond quoting the knowledge base.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from ai_toolbox import audit
from ai_toolbox.accounts import Principal
from ai_toolbox.assistant import kb as kb_service
from ai_toolbox.assistant.embed import get_embedder
from ai_toolbox.assistant.index import Passage
from ai_toolbox.assistant.models import KbQuestion, KnowledgeBase
from ai_toolbox.assistant.retrieve import Hit, search
from ai_toolbox.assistant.sentences import Candidate, answer_sentences
from ai_toolbox.assistant.textutil import detect_language, fold, has_cjk, split_sentences, to_script, tokenize
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, TooLarge
from ai_toolbox.storage.db import session_scope

HERE = Path(__file__).parent
_CITE = re.compile(r"\s*\[(\d+)\]")
_MARK_AFTER_STOP = re.compile(r"([。！？.!?])\s*((?:\[\d+\])+)")
# What the "answer" prompts tell the model to reply when the passages do not hold the answer.
_NO_ANSWER = ("I cannot find this in the available information", "現有資料中找不到答案", "现有资料中找不到答案")


class Citation(BaseModel):
    source: str = Field(..., examples=["licensing-faq.xlsx"])
    page: int | None = Field(None, examples=[3])
    section: str = ""
    passage: str = Field(..., description="The cited passage, in full")
    quote: str = Field(..., description="The sentence of the passage the answer rests on")


class Answer(BaseModel):
    answer: str
    language: str = Field(..., examples=["zh-Hant"])
    confidence: float = Field(..., ge=0, le=1)
    handoff: bool = False
    citations: list[Citation] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list, description="Closest FAQ questions on a hand-off")
    backend: str = "extractive"
    audit_id: int | None = None

    model_config = {"json_schema_extra": {"examples": [{
        "answer": "續期申請須於牌照屆滿前兩個月遞交。", "language": "zh-Hant", "confidence": 0.82, "handoff": False,
        "citations": [{"source": "licensing.md", "page": None, "section": "續期", "passage": "…",
                       "quote": "續期申請須於牌照屆滿前兩個月遞交。"}], "suggestions": [], "backend": "extractive",
        "audit_id": 42}]}}


class AskRequest(BaseModel):
    question: str = Field(..., examples=["How early must I apply to renew my licence?"])


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    return tomllib.loads((HERE / "messages.toml").read_text("utf-8"))


def _msg(language: str, key: str) -> str:
    table = _messages()
    return table.get(language, table["en"])[key]


def validate_question(question: str) -> str:
    q = (question or "").strip()
    if not q:
        raise InvalidInput("The question is empty.", hint="Type a question, e.g. 'How do I renew my licence?'")
    limit = get_settings().assistant.max_question_chars
    if len(q) > limit:
        raise TooLarge(f"The question is {len(q)} characters long; the limit is {limit}.",
                       hint="Ask one short question at a time.")
    return q


def reply_language(question: str) -> str:
    lang = detect_language(question)
    if lang == "mixed":
        return "zh-Hant" if fold(question) != question else ("zh-Hans" if has_cjk(question) else "en")
    return lang


def _faq(p: Passage) -> dict | None:
    return (p.meta or {}).get("faq")


def _citation(hit: Hit, quote: str, language: str) -> Citation:
    p = hit.passage
    conv = (lambda t: to_script(t, language)) if language in ("zh-Hant", "zh-Hans") else (lambda t: t)
    return Citation(source=p.source, page=p.page, section=p.section, passage=conv(p.text), quote=conv(quote))


def extractive(  # type: ignore[no-untyped-def]
    question: str, hits: list[Hit], query_vector: np.ndarray, language: str, index
) -> tuple[str, list[Citation]]:
    """The best sentences of the top passages (or the FAQ answer), in the asker's script."""
    top = hits[0].passage
    faq = _faq(top)
    if faq:
        answer = faq["answer"]
        cites = [_citation(hits[0], answer, language)]
    else:
        n = get_settings().assistant.answer_sentences
        chosen = answer_sentences(question, index, hits, get_embedder(), query_vector, n=n)
        chosen = _without_overlaps([chosen[0]] + [c for c in chosen[1:] if c[1] >= chosen[0][1] * 0.8])
        answer = " ".join(c.text for c, _ in chosen) if not has_cjk(chosen[0][0].text) else "".join(
            c.text for c, _ in chosen)
        cites = [_citation(hits[c.passage_rank], c.text, language) for c, _ in chosen]
    if language in ("zh-Hant", "zh-Hans"):
        answer = to_script(answer, language)
    return answer, cites


def _without_overlaps(chosen: list[tuple[Candidate, float]]) -> list[tuple[Candidate, float]]:
    """Drop a pick that shares text with a better one (a sentence quoted with the one before it
    contains that sentence), or that restates it (two sources giving the same fee)."""
    kept: list[tuple[Candidate, float]] = []
    for c, score in chosen:
        if not any((k.passage_rank == c.passage_rank and k.start < c.end and c.start < k.end)
                   or _restates(k.text, c.text) for k, _ in kept):
            kept.append((c, score))
    return kept


def _restates(a: str, b: str, *, share: float = 0.6) -> bool:
    """Whether `b` says what `a` says: most of their (folded) character bigrams are shared, as when a
    notice and the FAQ both state the fee ("The renewal fee is HK$1,250 …")."""
    ga, gb = _bigram_set(a), _bigram_set(b)
    return bool(ga and gb) and len(ga & gb) / len(ga | gb) >= share


def _bigram_set(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", fold(text).lower())
    return {t[i : i + 2] for i in range(len(t) - 1)}


def supported(sentence: str, passage: str, *, min_overlap: float = 0.5, min_cosine: float = 0.86) -> bool:
    """Whether `passage` supports `sentence`: enough shared (folded) words, or close in meaning."""
    s_tokens = set(tokenize(sentence))
    if not s_tokens:
        return False
    p_tokens = set(tokenize(passage))
    if len(s_tokens & p_tokens) / len(s_tokens) >= min_overlap:
        return True
    emb = get_embedder()
    sv = emb.embed_passages([sentence])[0]
    best = max(float(v @ sv) for v in emb.embed_passages([s.text for s in split_sentences(passage)] or [passage]))
    return best >= min_cosine


def verify(text: str, hits: list[Hit], language: str) -> tuple[str, list[Citation]]:
    """Keep only sentences of `text` that a passage supports, each with a citation of that passage.

    The passage a sentence cites is checked first; a sentence whose marker is missing or wrong (small
    models often cite in a separate sentence) is checked against the other passages and cited to the
    first that supports it. A sentence no passage supports is dropped.
    """
    kept: list[str] = []
    cites: list[Citation] = []
    # A marker written after the full stop belongs to the sentence before it.
    text = _MARK_AFTER_STOP.sub(r"\2\1", text)
    for s in split_sentences(text):
        nums = [int(n) for n in _CITE.findall(s.text) if 1 <= int(n) <= len(hits)]
        clean = _CITE.sub("", s.text).strip()
        if not clean:
            continue
        order = nums + [n for n in range(1, len(hits) + 1) if n not in nums]
        for n in order:
            if supported(clean, hits[n - 1].passage.text):
                kept.append(clean)
                cites.append(_citation(hits[n - 1], clean, language))
                break
    joiner = "" if language in ("zh-Hant", "zh-Hans") else " "
    return joiner.join(kept), cites


def _llm_answer(principal: Principal, question: str, hits: list[Hit], language: str):  # type: ignore[no-untyped-def]
    """(text, citations, model) from the configured model, or None when none is available."""
    try:
        from ai_toolbox import llm  # type: ignore[attr-defined]
    except ImportError:
        return None
    backend = llm.get_backend(tool="assistant")
    if not getattr(backend, "available", False):
        return None
    passages = [{"text": h.passage.text, "source": h.passage.source} for h in hits]
    result = llm.complete(principal, "assistant", llm.prompts.render("answer", language, passages=passages,
                                                                     question=question),
                          action="answer", max_tokens=400, temperature=0.0, language=language)
    if any(phrase in result.text for phrase in _NO_ANSWER):
        return "", [], result.model
    text, cites = verify(result.text, hits, language)
    return text, cites, result.model


def ask(principal: Principal, kb_name: str | int, question: str, *, public: bool = False) -> Answer:
    """Answer `question` from the knowledge base `kb_name` visible to `principal`."""
    question = validate_question(question)
    with session_scope() as s:
        kb: KnowledgeBase = (kb_service.find_published(s, str(kb_name)) if public
                             else kb_service.find_kb(s, principal, kb_name))
        kb_id, version, dept = kb.id, kb.indexed_version, kb.department_id
    return answer_from(principal, kb_id, version, dept, question)


def answer_from(principal: Principal, kb_id: int, version: int, department_id: int, question: str) -> Answer:
    language = reply_language(question)
    settings = get_settings().assistant
    with audit.record(principal, "assistant", "ask", input_text=question, department_id=department_id) as rec:
        index = kb_service.load_index(kb_id, version)
        if language == "unknown":
            ans = Answer(answer=_msg("en", "unsupported_language"), language="en", confidence=0.0, handoff=True)
        elif index is None or len(index) == 0:
            ans = Answer(answer=_msg(language, "cannot_answer"), language=language, confidence=0.0, handoff=True)
        else:
            r = search(index, get_embedder(), question, k=5)
            if r.confidence < settings.handoff_threshold:
                suggestions = [to_script(_faq(h.passage)["question"], language) if language != "en"
                               else _faq(h.passage)["question"] for h in r.hits if _faq(h.passage)][:3]
                text = _msg(language, "cannot_answer")
                if suggestions:
                    text += " " + _msg(language, "closest") + " " + " / ".join(suggestions)
                ans = Answer(answer=text, language=language, confidence=r.confidence, handoff=True,
                             suggestions=suggestions)
            else:
                generated = _llm_answer(principal, question, r.hits[:4], language)
                if generated and generated[0]:
                    text, cites, model = generated
                    rec.backend, rec.model = "llm", model
                    ans = Answer(answer=text, language=language, confidence=r.confidence, citations=cites,
                                 backend="llm")
                else:
                    text, cites = extractive(question, r.hits, r.query_vector, language, index)
                    ans = Answer(answer=text, language=language, confidence=r.confidence, citations=cites)
        rec.output(ans.answer)
        rec.meta = {"kb_id": kb_id, "confidence": ans.confidence, "handoff": ans.handoff}
        if ans.handoff:
            rec.minutes_saved = 0.0
    ans.audit_id = rec.id
    if ans.handoff:
        with session_scope() as s:
            s.add(KbQuestion(kb_id=kb_id, question=question, language=language, confidence=ans.confidence,
                             handoff=True, audit_id=rec.id, asked_by=principal.username))
    return ans
