"""Language and script detection: English, Traditional or Simplified Chinese, mixed, or unknown.

Cheap and dependency-light: letters are counted by script, and Chinese characters are split into
those only Traditional text uses and those only Simplified text uses. Those two sets come from
OpenCC round trips over the CJK blocks (a character that `t2s` changes and `s2t` keeps is
Traditional-only, and the reverse), so they follow the installed OpenCC's dictionaries.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["en", "zh-Hant", "zh-Hans", "mixed", "unknown"]

SAMPLE_CHARS = 20_000
HAN_WEIGHT = 3.0  # one Chinese character carries about as much as three Latin letters
MIN_LETTERS = 2
# Chinese sentences often carry English names and terms; below this weighted share of Chinese a
# sentence is code-switched ("mixed"). Documents are also mixed when whole sentences differ.
ZH_SHARE = 0.4
MIXED_PART = 0.2


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
    """Letters by script, and Traditional-only / Simplified-only characters, in (a sample of) `text`.

    Script evidence comes from OpenCC round trips over the text itself, so phrases decide
    ambiguous characters: 里 in 公里 is not Simplified evidence, 里 in 这里 is.
    """
    sample = text[:SAMPLE_CHARS]
    c = Counts()
    han = latin = kana = hangul = other = 0
    for ch in sample:
        o = ord(ch)
        if o < 128:
            if ch.isalpha():
                latin += 1
        elif _is_han(o):
            han += 1
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
    c.han, c.latin, c.kana, c.hangul, c.other = han, latin, kana, hangul, other
    if han:
        c.traditional, c.simplified = _script_evidence(sample)
    return c


def _script_evidence(sample: str) -> tuple[int, int]:
    from ai_toolbox.text.convert import raw

    try:
        to_simp, to_trad = raw(sample, "t2s"), raw(sample, "s2t")
    except Exception:  # unpaired surrogates and the like: fall back to the character sets
        to_simp = to_trad = ""
    if len(to_simp) == len(to_trad) == len(sample):
        t = s = 0
        for orig, a, b in zip(sample, to_simp, to_trad, strict=True):
            if a != orig and b == orig:
                t += 1
            elif b != orig and a == orig:
                s += 1
        return t, s
    trad, simp = _script_sets()
    return sum(ch in trad for ch in sample), sum(ch in simp for ch in sample)


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
            return "en", _confidence(en_share, c.latin / 8)
        return "unknown", round(1 - en_share, 3)
    if zh_share < ZH_SHARE:
        return "mixed", round(1 - abs(zh_share - 0.3) * 2, 3)
    t, s = c.traditional, c.simplified
    if t + s == 0:
        # Nothing tells the scripts apart; Hong Kong usage is the default, with low confidence.
        return "zh-Hant", round(0.5 * min(1.0, zh_share), 3)
    if t >= 3 and s >= 3 and 0.35 < t / (t + s) < 0.65:
        return "mixed", 0.6
    share = max(t, s) / (t + s)
    lang: Language = "zh-Hant" if t > s else "zh-Hans"
    if t == s:
        return "mixed", 0.5
    return lang, _confidence((0.5 + 0.5 * share) * min(1.0, zh_share + 0.1), abs(t - s))


def _confidence(share: float, evidence: float) -> float:
    """`share` of the evidence that agrees, discounted while there is little of it."""
    return round(max(0.0, min(1.0, share * (1 - 0.5 ** (evidence + 1)))), 3)


def detect_language(text: str, per_sentence: bool = False) -> LanguageResult:
    """The language of `text` (en, zh-Hant, zh-Hans, mixed or unknown) with a confidence in [0, 1].

    With `per_sentence=True` the result also lists each sentence (as `segment.split_sentences`
    cuts them) with its own language; a document whose sentences disagree is `mixed`.
    """
    counts = count(text)
    language, confidence = classify(counts)
    result = LanguageResult(language=language, confidence=confidence, counts=counts)
    sentences = None
    if per_sentence or (counts.han and counts.latin > 20 and language != "unknown"):
        sentences = _sentences(text if per_sentence else text[:SAMPLE_CHARS])
    if sentences and language != "mixed":
        # Whole sentences in both English and Chinese make the document mixed.
        weight: dict[str, float] = {}
        for sent in sentences:
            key = "zh" if sent.language in ("zh-Hant", "zh-Hans") else sent.language
            weight[key] = weight.get(key, 0) + (sent.end - sent.start) * (HAN_WEIGHT if key == "zh" else 1)
        total = sum(weight.values()) or 1
        if weight.get("en", 0) / total >= MIXED_PART and weight.get("zh", 0) / total >= MIXED_PART:
            result.language, result.confidence = "mixed", round(min(weight["en"], weight["zh"]) / total * 2, 3)
    if per_sentence:
        result.sentences = sentences or []
    return result


def _sentences(text: str) -> list[SentenceLanguage]:
    from ai_toolbox.text.segment import split_sentences

    out = []
    for sent in split_sentences(text):
        lang, conf = classify(count(sent.text))
        out.append(SentenceLanguage(text=sent.text, start=sent.start, end=sent.end, language=lang, confidence=conf))
    return out
