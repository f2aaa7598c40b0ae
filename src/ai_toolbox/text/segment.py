"""Segmentation: sentences (Chinese and English), search tokens (jieba), full/half-width.

`split_sentences` cuts after 。！？ and after . ! ? that end a sentence, and keeps together what
only looks like an end: decimals (`HK$1.5 million`), abbreviations (`Cap. 486`, `No. 12`, `e.g.`,
`Mr.`), initials, list numbers (`1. Apply ...`), ellipses inside a sentence, and closing quotes
or brackets, which stay with their sentence. Blank lines and list items always start a sentence.

`tokenize` folds Chinese to Simplified and segments with jieba plus a user dictionary of Hong Kong
places, departments and ordinances (`data/hk_userdict.txt`); English words are lower-cased.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


# Abbreviations after which a full stop never ends a sentence (compared lower-case, dots kept inside).
ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "mdm", "dr", "prof", "sr", "jr", "st", "no", "nos", "cap", "art", "arts", "sec", "secs", "s",
    "ss", "para", "paras", "fig", "figs", "vol", "vols", "p", "pp", "e.g", "eg", "i.e", "ie", "cf", "vs", "v",
    "approx", "hon", "rev", "gen", "col", "capt", "lt", "sgt", "supt", "insp", "dept", "govt", "ref", "tel", "fax",
    "ext", "rm", "flr", "blk", "bldg", "ave", "rd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "est", "max", "min", "u.s", "u.k", "h.k", "p.r.c", "hk$"
])
# Abbreviations that end a sentence when a capital letter follows.
WEAK_ABBREVIATIONS = frozenset(["etc", "a.m", "p.m", "am", "pm", "inc", "ltd", "co", "corp", "bros", "plc"])

_CLOSERS = "」』”’\"'）)]】》〉"
_OPENERS = "「『“‘\"'（(\\[【《〈"
_TERMINATOR = re.compile(rf"(?:[。！？!?]+|\.\.\.+|…+|\.)[{re.escape(_CLOSERS)}]*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LIST_ITEM = re.compile(r"[ \t]*(?:\d{1,3}[.)、]|\(?[a-zA-Z]\)|\(?[ivxIVX]{1,4}\)|[-*•●◦▪·]|[一二三四五六七八九十]+、)"
                        r"\s")
_WORD_BEFORE = re.compile(r"([\w.$]+)$")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`, each with its character offsets (`text[start:end] == sentence.text`)."""
    if not text:
        return []
    cuts = sorted(set(_sentence_ends(text)) | set(_line_breaks(text)))
    out: list[Sentence] = []
    pos = 0
    for cut in [*cuts, len(text)]:
        if cut <= pos:
            continue
        _append(out, text, pos, cut)
        pos = cut
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(stripped, s, s + len(stripped)))


def _line_breaks(text: str):
    for m in re.finditer(r"\n[ \t]*\n\s*", text):  # blank line: a new paragraph
        yield m.end()
    for m in re.finditer(r"\n", text):
        nxt = m.end()
        prev = text[:m.start()].rstrip()[-1:]
        if _LIST_ITEM.match(text, nxt) or (prev and _CJK.match(prev)) or _CJK.match(text, nxt):
            yield nxt


def _sentence_ends(text: str):
    n = len(text)
    for m in _TERMINATOR.finditer(text):
        end = m.end()
        mark = m.group(0).rstrip(_CLOSERS)
        following = text[end:end + 1]
        after = text[end:].lstrip(" \t")[:1]
        if mark[0] in "。！？":
            yield end
            continue
        if end < n and not following.isspace() and not _CJK.match(following) and following not in _OPENERS:
            continue  # 1.5, e.g.something, example.com
        if mark[0] in "!?":
            yield end
            continue
        if not after or after == "\n":
            yield end
            continue
        starts_new = after.isupper() or after.isdigit() or after in _OPENERS or bool(_CJK.match(after))
        if mark[0] in ".…" and len(mark) > 1:  # ellipsis: ends only when a new sentence visibly starts
            if after.isupper() or _CJK.match(after):
                yield end
            continue
        word_m = _WORD_BEFORE.search(text, 0, m.start())
        word = word_m.group(1) if word_m else ""
        lower = word.lower().lstrip("(")
        if lower in ABBREVIATIONS:
            continue
        if lower in WEAK_ABBREVIATIONS and not after.isupper():
            continue
        if len(word) == 1 and word.isupper():  # an initial: J. Smith
            continue
        if word.isdigit() and _at_line_start(text, word_m.start()):  # a numbered list item: "1. Apply"
            continue
        dotted = "." in word and len(word) <= 6 and all(len(p) <= 2 for p in word.split("."))
        if dotted and not after.isupper():  # U.N., a.m.
            continue
        if starts_new:
            yield end


def _at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


# --- width --------------------------------------------------------------------------------------

_CJK_PUNCT = set("，。：；！？（）「」『』、")


def normalise_width(text: str, keep_cjk_punctuation: bool = True) -> str:
    """Full-width Latin letters, digits and symbols to half-width, ideographic space to space, and
    half-width katakana to full-width. Chinese punctuation (，。：；！？（）) stays unless told otherwise."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            if keep_cjk_punctuation and ch in _CJK_PUNCT:
                out.append(ch)
            else:
                out.append(chr(o - 0xFEE0))
        elif o == 0x3000:
            out.append(" ")
        elif 0xFF61 <= o <= 0xFF9F:
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def to_fullwidth(text: str) -> str:
    """Half-width ASCII letters, digits and symbols to their full-width forms."""
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else ("\u3000" if c == " " else c) for c in text)


# --- tokens -------------------------------------------------------------------------------------

_jieba_lock = threading.Lock()
_TOKEN_CHARS = re.compile(r"[\w]", re.UNICODE)


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    from ai_toolbox.text.convert import fold

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    with _jieba_lock:
        tok.initialize()
        for word, freq, tag in user_dictionary():
            tok.add_word(fold(word), freq, tag)
    return tok


def word_frequencies() -> dict[str, int]:
    """Word counts of the tokenizer's dictionary (folded to Simplified, Hong Kong words included)."""
    return _tokenizer().FREQ


def user_dictionary() -> list[tuple[str, int, str | None]]:
    """Entries of the Hong Kong user dictionary: (word in Traditional, frequency, tag)."""
    rows = []
    for line in (DATA / "hk_userdict.txt").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        rows.append((parts[0], int(parts[1]) if len(parts) > 1 else 3000, parts[2] if len(parts) > 2 else None))
    return rows


def tokenize(text: str) -> list[str]:
    """Search tokens: width-normalised, folded to Simplified, jieba words, English lower-cased."""
    from ai_toolbox.text.convert import fold

    if not text:
        return []
    prepared = fold(normalise_width(text, keep_cjk_punctuation=False)).lower()
    return [t for t in _tokenizer().lcut(prepared) if _TOKEN_CHARS.search(t)]
