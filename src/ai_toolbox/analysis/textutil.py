"""Script folding and language detection for analysis, through the text core when it is present.

Until the text core is installed alongside, OpenCC and a character count stand in for it, so that
matching (Traditional == Simplified) and answer language behave the same either way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(f"{config}.json")


# Dashes people type as a hyphen: "1917-18" finds the stored "1917–18".
_DASHES = str.maketrans({"\u2010": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                         "\u00ad": None, "\u200b": None})  # a soft hyphen or zero-width space is no letter


def _unaccented(text: str) -> str:
    """Latin letters without their accents ("Plíšková" as "pliskova", as people type it); other
    scripts as they are."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFKC", "".join(out))


def fold(text: str) -> str:
    """Lower-cased, NFKC, Simplified, any dash a hyphen, no soft hyphens, Latin accents dropped: the
    form in which question words and stored values are compared."""
    text = _unaccented(unicodedata.normalize("NFKC", text).lower().translate(_DASHES))
    if not _HAN.search(text):
        return text
    try:
        from ai_toolbox.text.convert import fold as core_fold
    except ImportError:
        return _opencc("t2s").convert(text)
    return core_fold(text)


def to_script(text: str, target: str) -> str:
    """Text in `target` script ("zh-Hant" uses Hong Kong forms); English is left alone."""
    if target == "en" or not _HAN.search(text):
        return text
    try:
        from ai_toolbox.text.convert import to_script as core_to_script
    except ImportError:
        return _opencc("s2hk" if target == "zh-Hant" else "t2s").convert(text)
    return core_to_script(text, target)


# English words standing alone (not part of a column name such as avg_wait_minutes)
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]+(?![A-Za-z0-9_])")
_STARTS_ENGLISH = re.compile(r"^[\W\d_]*[A-Za-z]")


def detect_language(text: str) -> str:
    """ "en", "zh-Hant" or "zh-Hans" for choosing the answer's language."""
    han = _HAN.findall(text)
    english = _ENGLISH_WORD.findall(text)
    if not han or len("".join(english)) > 3 * len(han) or (_STARTS_ENGLISH.match(text) and len(english) >= 3):
        # An English question naming Chinese values ("compare 油尖旺 and 屯門 enquiries", "who is
        # responsible for 資訊科技 in 衞生署") is answered in English; a Chinese question naming an
        # English column ("按channel分組", "avg_wait_minutes最長的渠道") in Chinese.
        return "en"
    try:
        from ai_toolbox.text.detect import detect_language as core_detect
    except ImportError:
        core_detect = None
    if core_detect is not None:
        lang = core_detect(text).language
        if lang in ("en", "zh-Hant", "zh-Hans"):
            return lang
        if lang == "unknown":
            return "en"
    chars = "".join(han)
    simplified = _opencc("t2s").convert(chars)
    traditional = _opencc("s2t").convert(chars)
    changed_to_s = sum(a != b for a, b in zip(chars, simplified, strict=False))
    changed_to_t = sum(a != b for a, b in zip(chars, traditional, strict=False))
    return "zh-Hant" if changed_to_s > changed_to_t else "zh-Hans"
