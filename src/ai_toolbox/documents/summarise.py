"""Summaries whose every sentence links to its page in the source.

Extractive by default: sentences are ranked by how central their terms are (words for English,
character bigrams for Chinese) with a small lead bonus, and kept in document order. With a
language model configured, map-reduce over chunks writes an abstractive summary; each of its
sentences is then linked to the source sentence it overlaps most.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from ai_toolbox.documents import llmbridge
from ai_toolbox.documents.model import Document
from ai_toolbox.documents.sentences import DocSentence, doc_sentences, terms
from ai_toolbox.documents.textcore import detect_language, split_sentences, to_script
from ai_toolbox.errors import InvalidInput

Script = Literal["auto", "en", "zh-Hant", "zh-Hans"]


class SummarySentence(BaseModel):
    text: str
    page: int
    source: str = Field(description="the source sentence this one comes from")
    score: float = 0.0


class Summary(BaseModel):
    method: Literal["extractive", "llm"]
    language: str
    sentences: list[SummarySentence]
    note: str | None = None
    model: str | None = None
    audit_id: int | None = None

    @property
    def text(self) -> str:
        sep = "" if self.language.startswith("zh") else " "
        return sep.join(s.text for s in self.sentences)


def rank(sents: list[DocSentence]) -> list[tuple[float, DocSentence]]:
    bags = [Counter(terms(s.text)) for s in sents]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(set(bag))
    n = len(sents)
    centroid: Counter[str] = Counter()
    for bag in bags:
        for t, c in bag.items():
            centroid[t] += c * math.log(1 + n / df[t])
    scored = []
    for i, (s, bag) in enumerate(zip(sents, bags, strict=True)):
        if s.heading or not bag:
            continue
        weight = sum(centroid[t] for t in bag) / (1 + math.sqrt(sum(bag.values())))
        lead = 1.0 + 0.3 * max(0.0, 1 - i / max(1, n))
        scored.append((weight * lead, s))
    return scored


def extractive(doc: Document, *, sentences: int | None = 3, chars: int | None = None) -> list[SummarySentence]:
    """Greedy selection by centrality, discounted by overlap with sentences already chosen (MMR)."""
    sents = doc_sentences(doc)
    scored = rank(sents)
    top = max((sc for sc, _ in scored), default=1.0) or 1.0
    term_sets = {s.index: set(terms(s.text)) for _, s in scored}
    chosen: list[tuple[float, DocSentence]] = []
    used = 0
    pool = list(scored)
    while pool:
        if sentences is not None and len(chosen) >= sentences:
            break

        def adjusted(item: tuple[float, DocSentence]) -> float:
            mine = term_sets[item[1].index]
            overlap = max((len(mine & term_sets[c.index]) / max(1, len(mine | term_sets[c.index]))
                           for _, c in chosen), default=0.0)
            return item[0] / top * (1 - 0.8 * overlap)

        best = max(pool, key=adjusted)
        pool.remove(best)
        if chars is not None and used + len(best[1].text) > chars and chosen:
            continue
        chosen.append(best)
        used += len(best[1].text)
        if chars is not None and used >= chars:
            break
    chosen.sort(key=lambda t: t[1].index)
    return [SummarySentence(text=s.text, page=s.page, source=s.text, score=round(sc / top, 3)) for sc, s in chosen]


def summarise(doc: Document, *, sentences: int | None = 3, chars: int | None = None, script: Script = "auto",
              use_llm: bool = True, principal=None) -> Summary:  # type: ignore[no-untyped-def]
    if sentences is not None and sentences < 1:
        raise InvalidInput("Ask for at least one sentence.")
    if chars is not None and chars < 20:
        raise InvalidInput("Ask for at least 20 characters.")
    if not doc.text.strip():
        raise InvalidInput(f"{doc.name} has no text to summarise.",
                           hint="If it is a scan, check that OCR is installed.")
    lang = doc.language or detect_language(doc.text)
    target = lang if script == "auto" else script
    note = None
    if use_llm and llmbridge.available("doc"):
        result = _map_reduce(doc, sentences or 5, chars, target, principal)
        if result is not None:
            return result
    out = extractive(doc, sentences=sentences if chars is None else None, chars=chars)
    if target in ("zh-Hant", "zh-Hans") and lang.startswith("zh"):
        out = [s.model_copy(update={"text": to_script(s.text, target)}) for s in out]
    elif target != lang and target != "auto":
        note = (f"Summary left in {lang}: changing language needs a language model "
                "(configure one with AITB_LLM__BACKEND).")
        target = lang
    return Summary(method="extractive", language=target, sentences=out, note=note)


def _map_reduce(doc: Document, n: int, chars: int | None, target: str, principal) -> Summary | None:  # type: ignore[no-untyped-def]
    sents = doc_sentences(doc)
    chunks, cur = [], ""
    for s in sents:
        if len(cur) + len(s.text) > 3000 and cur:
            chunks.append(cur)
            cur = ""
        cur += s.text + "\n"
    if cur:
        chunks.append(cur)
    lang_name = {"en": "English", "zh-Hant": "Traditional Chinese (Hong Kong)", "zh-Hans": "Simplified Chinese"}
    language = lang_name.get(target, "the language of the text")
    partials = []
    for chunk in chunks:
        reply = llmbridge.chat(principal, "summarise",
                               f"Summarise the key points of this text in {language}, in at most {n} sentences. "
                               f"Use only facts stated in the text.\n\n{chunk}")
        if reply is None:
            return None
        partials.append(reply.text)
    final = partials[0] if len(partials) == 1 else None
    if final is None:
        reply = llmbridge.chat(principal, "summarise",
                               f"Combine these partial summaries into one summary of at most {n} sentences in "
                               f"{language}" + (f", at most {chars} characters" if chars else "") + ":\n\n"
                               + "\n\n".join(partials))
        if reply is None:
            return None
        final = reply.text
    out = []
    bags = [(s, set(terms(s.text))) for s in sents]
    for piece in split_sentences(final):
        t = set(terms(piece.text))
        best = max(bags, key=lambda b: len(t & b[1]) / (1 + len(b[1]) ** 0.5), default=None)
        if best is None:
            continue
        out.append(SummarySentence(text=piece.text.strip(), page=best[0].page, source=best[0].text,
                                   score=round(len(t & best[1]) / max(1, len(t)), 3)))
    return Summary(method="llm", language=target, sentences=out, model=llmbridge.model_name("doc"))
