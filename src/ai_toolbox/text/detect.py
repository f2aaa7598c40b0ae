"""Language and script detection: English, Traditional or Simplified Chinese, mixed, or unknown.

Cheap and dependency-light: letters are counted by script, and Chinese characters are split into
those only Traditional text uses and those only Simplified text uses. Those two sets come from
OpenCC round trips over the CJK blocks (a character that `t2s` changes and `s2t` keeps is
Traditional-only, and the reverse), so they follow the installed OpenCC's dictionaries.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["en", "zh-Hant", "zh-Hans", "mixed", "unknown"]

SAMPLE_CHARS = 20_000
HAN_WEIGHT = 3.0  # one Chinese character carries about as much as three Latin letters
MIN_LETTERS = 2


class Counts(BaseModel):
    han: int = 0
    latin: int = 0
    kana: int = 0
    hangul: int = 0
    other: int = 0
    traditional: int = Field(0, description="characters only Traditional Chinese uses")
    simplified: int = Field(0, description="characters only Simplified Chinese uses")


class SentenceLanguage(BaseModel):
    text: str
    start: int
    end: int
    language: Language
    confidence: float


class LanguageResult(BaseModel):
    language: Language = Field(examples=["zh-Hant"])
    confidence: float = Field(ge=0.0, le=1.0, examples=[0.97])
    counts: Counts = Field(default_factory=Counts)
    sentences: list[SentenceLanguage] | None = None

    @property
    def is_chinese(self) -> bool:
        return self.language in ("zh-Hant", "zh-Hans")


@lru_cache(maxsize=1)
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    from ai_toolbox.text.convert import raw

    chars = [chr(c) for c in range(0x3400, 0x4DC0)] + [chr(c) for c in range(0x4E00, 0xA000)]
    joined = "\n".join(chars)
    to_simp = raw(joined, "t2s").split("\n")
    to_trad = raw(joined, "s2t").split("\n")
    if not (len(to_simp) == len(to_trad) == len(chars)):  # pragma: no cover - OpenCC keeps newlines
        raise RuntimeError("OpenCC changed the line structure of the character table")
    trad = frozenset(c for c, s, t in zip(chars, to_simp, to_trad, strict=True) if s != c and t == c)
    simp = frozenset(c for c, s, t in zip(chars, to_simp, to_trad, strict=True) if t != c and s == c)
    return trad, simp


def _is_han(o: int) -> bool:
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF


def count(text: str) -> Counts:
    """Letters by script, and Traditional-only / Simplified-only characters, in (a sample of) `text`."""
    trad, simp = _script_sets()
    c = Counts()
    han = latin = kana = hangul = other = t = s = 0
    for ch in text[:SAMPLE_CHARS]:
        o = ord(ch)
        if o < 128:
            if ch.isalpha():
                latin += 1
        elif _is_han(o):
            han += 1
            if ch in trad:
                t += 1
            elif ch in simp:
                s += 1
        elif 0x3040 <= o <= 0x30FF:
            kana += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
            hangul += 1
        elif 0xFF21 <= o <= 0xFF5A:  # full-width Latin
            if ch.isalpha():
                latin += 1
        elif ch.isalpha():
            if 0xC0 <= o <= 0x24F:  # accented Latin
                latin += 1
            else:
                other += 1
    c.han, c.latin, c.kana, c.hangul, c.other, c.traditional, c.simplified = han, latin, kana, hangul, other, t, s
    return c


def classify(c: Counts) -> tuple[Language, float]:
    """Language and confidence from character counts."""
    zh = c.han * HAN_WEIGHT
    foreign = (c.kana + c.hangul) * HAN_WEIGHT + c.other
    total = zh + c.latin + foreign
    if total < MIN_LETTERS:
        return "unknown", 0.0
    if foreign / total > 0.3 or (c.kana and c.kana * 4 >= c.han):
        return "unknown", round(min(1.0, foreign / total), 3)
    zh_share = zh / total
    en_share = c.latin / total
    if zh_share < 0.2:
        if en_share >= 0.8:
            return "en", _confidence(en_share, c.latin / 4)
        return "unknown", round(1 - en_share, 3)
    if zh_share < 0.65:
        return "mixed", round(1 - abs(zh_share - 0.5) * 2 * 0.5, 3)
    t, s = c.traditional, c.simplified
    if t + s == 0:
        # Nothing tells the scripts apart; Hong Kong usage is the default, with low confidence.
        return "zh-Hant", round(0.5 * min(1.0, zh_share), 3)
    if t >= 3 and s >= 3 and 0.35 < t / (t + s) < 0.65:
        return "mixed", 0.6
    share = max(t, s) / (t + s)
    lang: Language = "zh-Hant" if t > s else "zh-Hans"
    return lang, _confidence(share * min(1.0, zh_share + 0.1), abs(t - s))


def _confidence(share: float, evidence: float) -> float:
    return round(max(0.0, min(1.0, share * (1 - 0.5 * math.exp(-evidence / 2)))), 3)


def detect_language(text: str, per_sentence: bool = False) -> LanguageResult:
    """The language of `text` (en, zh-Hant, zh-Hans, mixed or unknown) with a confidence in [0, 1].

    With `per_sentence=True` the result also lists each sentence (as `segment.split_sentences`
    cuts them) with its own language; a document whose sentences disagree is `mixed`.
    """
    counts = count(text)
    language, confidence = classify(counts)
    result = LanguageResult(language=language, confidence=confidence, counts=counts)
    if per_sentence:
        from ai_toolbox.text.segment import split_sentences

        result.sentences = []
        for sent in split_sentences(text):
            lang, conf = classify(count(sent.text))
            result.sentences.append(SentenceLanguage(text=sent.text, start=sent.start, end=sent.end,
                                                     language=lang, confidence=conf))
    return result
