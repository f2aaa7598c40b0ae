"""Sentences of a document, each knowing its page and block: the unit summaries and diffs cite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai_toolbox.documents.model import Document
from ai_toolbox.documents.textcore import split_sentences


@dataclass(frozen=True)
class DocSentence:
    text: str
    page: int
    index: int
    heading: bool = False


def _flatten(text: str) -> str:
    """Line breaks inside a block: dropped between Chinese characters, a space otherwise."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s*\n\s*", " ", text)


def doc_sentences(doc: Document) -> list[DocSentence]:
    out: list[DocSentence] = []
    for b in doc.blocks:
        if b.kind == "table":
            continue
        text = _flatten(b.text)
        for s in split_sentences(text):
            t = s.text.strip()
            if t:
                out.append(DocSentence(t, b.page, len(out), b.kind == "heading"))
    return out


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_STOPWORDS = "the a an of to and or in on for by with is are was were be been this that it as at from we you i " \
    "our your their his her will shall may can not no please thank"
STOP = frozenset(_STOPWORDS.split(" "))


def terms(text: str) -> list[str]:
    """Words for English, character bigrams for Chinese (after folding to Simplified)."""
    from ai_toolbox.documents.values import fold

    folded = fold(text)
    out = [w for w in _WORD.findall(folded) if w not in STOP]
    for run in _HAN.findall(folded):
        out.extend(run[i:i + 2] for i in range(max(1, len(run) - 1)))
    return out
