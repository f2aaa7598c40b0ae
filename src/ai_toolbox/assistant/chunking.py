"""Split source text into passages that respect sentence boundaries and headings.

A chunk never crosses a heading or a page; it is filled sentence by sentence up to a size
measured in "units" (one per CJK character, one per English word), so Chinese and English chunks
carry a similar amount of content. A sentence longer than the limit becomes a chunk of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ai_toolbox.assistant.textutil import split_sentences

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_NUMBERED_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百\d]+[章節条條部]|\d+(?:\.\d+)*[.)]?|[一二三四五六七八九十]+、)\s*\S.{0,60}$")
_END_PUNCT = re.compile(r"[。！？!?；;：:.,，、]\s*$")
_UNIT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+")

MAX_UNITS = 220
MIN_UNITS = 40


@dataclass(frozen=True)
class Chunk:
    text: str
    section: str = ""
    page: int | None = None


def units(text: str) -> int:
    return len(_UNIT.findall(text))


def _heading(line: str) -> str | None:
    m = _MD_HEADING.match(line)
    if m:
        return m.group(1).strip()
    s = line.strip()
    if not s or len(s) > 60 or _END_PUNCT.search(s):
        return None
    if _NUMBERED_HEADING.match(s):
        return s
    return None


def _blocks(text: str) -> Iterable[tuple[str, str]]:
    """(section, paragraph text) pairs; a heading line starts a new section."""
    section = ""
    para: list[str] = []
    for line in text.splitlines():
        h = _heading(line)
        if h is not None:
            if para:
                yield section, "\n".join(para)
                para = []
            section = h
            continue
        if not line.strip():
            if para:
                yield section, "\n".join(para)
                para = []
            continue
        para.append(line.strip())
    if para:
        yield section, "\n".join(para)


def chunk_text(text: str, page: int | None = None, max_units: int = MAX_UNITS) -> list[Chunk]:
    """Chunks of one page (or of a whole text without pages)."""
    chunks: list[Chunk] = []
    for section, para in _merge_small(_blocks(text)):
        buf: list[str] = []
        size = 0
        for sent in split_sentences(para):
            n = units(sent.text)
            if buf and size + n > max_units:
                chunks.append(Chunk(_join(buf), section, page))
                buf, size = [], 0
            buf.append(sent.text)
            size += n
        if buf:
            chunks.append(Chunk(_join(buf), section, page))
    return chunks


def _merge_small(blocks: Iterable[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    """Join consecutive short paragraphs of the same section (lists, short lines)."""
    cur_section, cur = None, ""
    for section, para in blocks:
        if cur and section == cur_section and units(cur) + units(para) <= MAX_UNITS and units(cur) < MIN_UNITS * 3:
            cur = cur + "\n" + para
            continue
        if cur:
            yield cur_section or "", cur
        cur_section, cur = section, para
    if cur:
        yield cur_section or "", cur


def _join(sentences: list[str]) -> str:
    out = ""
    for s in sentences:
        if out and (out[-1].isascii() and s[:1].isascii()):
            out += " "
        out += s
    return out


def chunk_pages(pages: list[tuple[int | None, str]], max_units: int = MAX_UNITS) -> list[Chunk]:
    """Chunks of a paged document; the section heading carries over from page to page."""
    out: list[Chunk] = []
    last_section = ""
    for page, text in pages:
        for c in chunk_text(text, page, max_units):
            if not c.section and last_section:
                c = Chunk(c.text, last_section, c.page)
            last_section = c.section
            out.append(c)
    return out
