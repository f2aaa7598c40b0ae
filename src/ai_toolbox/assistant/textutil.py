"""The few text operations retrieval needs: fold, tokenize, split sentences, detect, convert.

They come from the text core (`ai_toolbox.text`) when it is installed; until then a small local
implementation with the same behaviour keeps retrieval working (OpenCC t2s fold, jieba on the
folded text, lower-cased English words, punctuation-based sentence splitting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_SENT_END = re.compile(r"([。！？!?；;]+[」』”’\"')）]*|\n+|(?<=[a-z0-9)\"'”])\.(?=\s+[A-Z\"“(]|\s*$))")

# Function words carry no evidence for search; kept small so short questions still match.
_STOP_WORDS = (
    "the a an of to in on at for is are was were be been by and or with as from that this what which who whom "
    "whose when where why how do does did it its into than then there their them they he she his her you your "
    "我 的 了 是 在 和 与 及 或 吗 呢 吧 啊 什么 哪 哪个 哪些 谁 如何 怎么 怎样 为什么 多少 几 个 有 被 把 将 之 其 "
    "而 并 也 都 就 又 于 以 为 对 从 由 这 那 这个 那个 一个 ？ ? ， 。"
)
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _opencc_t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _text_core():  # type: ignore[no-untyped-def]
    try:
        from ai_toolbox.text import convert, segment  # type: ignore[attr-defined]
    except ImportError:
        return None
    return convert, segment


def fold(text: str) -> str:
    """Text folded to Simplified Chinese, for matching across scripts."""
    core = _text_core()
    if core is not None:
        return core[0].fold(text)
    return _opencc_t2s().convert(text) if _CJK.search(text) else text


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba words of the folded text for Chinese, lower-cased words for English."""
    core = _text_core()
    raw = core[1].tokenize(text) if core is not None else _local_tokenize(text)
    return [t for t in raw if t.strip() and t not in _STOP]


def _local_tokenize(text: str) -> list[str]:
    folded = fold(text).lower()
    if not _CJK.search(folded):
        return _WORD.findall(folded)
    out: list[str] = []
    for tok in _jieba().lcut(folded):
        tok = tok.strip()
        if not tok:
            continue
        if _CJK.search(tok):
            out.append(tok)
        else:
            out.extend(_WORD.findall(tok))
    return out


def word_frequencies() -> dict[str, int]:
    """The segmenter's word counts, from the same jieba dictionary `tokenize` uses."""
    core = _text_core()
    return core[1].word_frequencies() if core is not None else _jieba().dt.FREQ


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with character offsets into `text` (Chinese and English punctuation, line breaks)."""
    core = _text_core()
    if core is not None:
        return [Sentence(s.text, s.start, s.end) for s in core[1].split_sentences(text)]
    out: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        _emit(text, start, end, out)
        start = end
    _emit(text, start, len(text), out)
    return out


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    out.append(Sentence(stripped, s, s + len(stripped)))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def detect_language(text: str) -> str:
    """'en', 'zh-Hant', 'zh-Hans', 'mixed' or 'unknown'."""
    try:
        from ai_toolbox.text import detect  # type: ignore[attr-defined]

        return detect.detect_language(text).language
    except ImportError:
        pass
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    if cjk == 0:
        return "en" if latin else "unknown"
    if latin > cjk * 3:
        return "en"
    folded = fold(text)
    changed = sum(1 for a, b in zip(text, folded, strict=False) if a != b)
    if changed:
        return "zh-Hant"
    # Text identical under t2s may still be Traditional-compatible; check the reverse direction.
    return "zh-Hans" if _to_hant(text) != text else "zh-Hant"


@lru_cache(maxsize=1)
def _opencc_s2hk():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("s2hk")


def _to_hant(text: str) -> str:
    return _opencc_s2hk().convert(text)


def to_script(text: str, target: str) -> str:
    """Convert Chinese text to 'zh-Hant' (Hong Kong usage) or 'zh-Hans'; other targets leave it."""
    try:
        from ai_toolbox.text import convert  # type: ignore[attr-defined]

        return convert.to_script(text, target)
    except ImportError:
        pass
    if not has_cjk(text):
        return text
    if target == "zh-Hans":
        return _opencc_t2s().convert(text)
    if target == "zh-Hant":
        return _to_hant(_opencc_t2s().convert(text))
    return text
