"""Helpers the loaders share: blocks with language set, list detection, document language."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ai_toolbox.documents.model import BBox, Block, BlockKind, Document, Page
from ai_toolbox.documents.textcore import detect_language

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
LIST_ITEM = re.compile(
    r"^\s*(?:[-*•·▪‧●◦]|\(?\d{1,3}[.)、]|\(?[a-zA-Z][.)]|[一二三四五六七八九十]+[、.])\s+\S|^\s*[一二三四五六七八九十]+、"
)


def language_of(text: str) -> str:
    """Language of a block; text without any Chinese character is settled without the detector."""
    if not _CJK.search(text):
        return "en" if _LATIN.search(text) else "unknown"
    return detect_language(text)


# PDF fonts often map the hyphen to U+2010/U+2011 and the minus sign to U+2212; fold them to ASCII.
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2212": "-", "\u00ad": ""})


_RADICALS = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")


def _unify_han(text: str) -> str:
    """Kangxi radicals and compatibility ideographs (what some CJK fonts map glyphs back to) become
    the unified characters a reader sees; other characters, full-width punctuation included, stay."""
    if not _RADICALS.search(text):
        return text
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def block(
    kind: BlockKind,
    text: str,
    page: int = 1,
    bbox: BBox | None = None,
    *,
    rows: list[list[str]] | None = None,
    ocr: bool = False,
    confidence: float | None = None,
    zh_hint: str | None = None,
) -> Block:
    """A block with its language set. `zh_hint` is the page's Chinese script, used for its Chinese
    blocks instead of running the detector on each (long PDFs have thousands of blocks)."""
    if "\u2010" in text or "\u2011" in text or "\u2212" in text or "\u00ad" in text:
        text = text.translate(_DASHES)
    text = _unify_han(text)
    if kind == "paragraph" and LIST_ITEM.match(text):
        kind = "list"
    if zh_hint and _CJK.search(text):
        lang = "mixed" if _LATIN.search(text) and len(_LATIN.findall(text)) > len(_CJK.findall(text)) else zh_hint
    else:
        lang = language_of(text)
    return Block(kind=kind, text=text, page=page, bbox=bbox, language=lang, rows=rows,
                 ocr=ocr, confidence=confidence)


def table_text(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(c for c in r) for r in rows if any(c for c in r))


def document(name: str, fmt: str, pages: list[Page], *, encoding: str | None = None,
             warnings: list[str] | None = None) -> Document:
    weights: Counter[str] = Counter()
    for p in pages:
        for b in p.blocks:
            if b.language and b.language != "unknown":
                weights[b.language] += len(b.text)
    if not weights:
        lang = "unknown"
    else:
        top = weights.most_common()
        lang = top[0][0]
        zh = sum(v for k, v in weights.items() if k.startswith("zh"))
        if lang == "en" and zh > 0.3 * sum(weights.values()):
            lang = "mixed"
    return Document(name=name, format=fmt, pages=pages, language=lang, encoding=encoding,
                    warnings=warnings or [])
