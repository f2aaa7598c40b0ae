"""Helpers the loaders share: blocks with language set, list detection, document language."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ai_toolbox.documents.model import BBox, Block, BlockKind, Document, Page
from ai_toolbox.documents.textcore import chinese_script, detect_language

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


def _language(text: str, zh_hint: str | None, page_has_cjk: bool = True, page_has_latin: bool = True) -> str:
    if not page_has_cjk:
        return "en" if page_has_latin and _LATIN.search(text) else "unknown"
    if zh_hint and _CJK.search(text):
        if page_has_latin and _LATIN.search(text) and len(_LATIN.findall(text)) > len(_CJK.findall(text)):
            return "mixed"
        return zh_hint
    return language_of(text)


def _clean(text: str) -> str:
    if "\u2010" in text or "\u2011" in text or "\u2212" in text or "\u00ad" in text:
        text = text.translate(_DASHES)
    return _unify_han(text)


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
    text = _clean(text)
    if kind == "paragraph" and LIST_ITEM.match(text):
        kind = "list"
    return Block(kind=kind, text=text, page=page, bbox=bbox, language=_language(text, zh_hint), rows=rows,
                 ocr=ocr, confidence=confidence)


def page_script(text: str) -> str | None:
    """The Chinese script of a page's text ('zh-Hant' / 'zh-Hans'), or None when it has no single
    one; settled once per page, from where its Chinese starts, so its Chinese blocks need no
    detector run each."""
    first = _CJK.search(text)
    text = text[first.start() if first else 0:]
    script = chinese_script(text)
    if script is None:
        lang = language_of(text[:600])
        script = lang if lang in ("zh-Hant", "zh-Hans") else None
    return script


def page_blocks(items: list[tuple[BlockKind, str, BBox]], page: int) -> list[Block]:
    """`block()` for all the text blocks of one PDF page at once.

    The checks that usually find nothing (odd dashes, radicals, any Chinese at all) run once over
    the page instead of once per block, and the page's Chinese script is settled once for all its
    Chinese blocks (long PDFs have thousands of blocks; a page is one script far more often than
    not, and a block much shorter than its page is too little evidence anyway).
    """
    whole = "\n".join(t for _, t, _ in items)
    cleaned = _clean(whole)
    clean = cleaned is not whole
    has_cjk = _CJK.search(cleaned) is not None
    has_latin = _LATIN.search(cleaned) is not None
    hint = page_script(cleaned) if has_cjk else None
    out = []
    for kind, text, bbox in items:
        if clean:
            text = _clean(text)
        if kind == "paragraph" and LIST_ITEM.match(text):
            kind = "list"
        lang = _language(text, hint, has_cjk, has_latin)
        out.append(Block(kind=kind, text=text, page=page, bbox=bbox, language=lang))
    return out


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
