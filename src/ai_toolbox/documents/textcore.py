"""The text core functions the document tools use, in one place.

`ai_toolbox.text` provides language detection, sentence splitting, script conversion and PII
detection. When that package is not installed in this build, the small rule-based versions below
keep documents usable (and are replaced automatically once it is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

try:  # pragma: no cover - exercised when the text core is installed
    from ai_toolbox.text import convert as _tconvert
    from ai_toolbox.text import detect as _tdetect
    from ai_toolbox.text import pii as _tpii
    from ai_toolbox.text import segment as _tsegment

    HAVE_TEXT_CORE = True
except ImportError:  # pragma: no cover
    HAVE_TEXT_CORE = False


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Pii:
    start: int
    end: int
    type: str
    text: str
    score: float = 1.0


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=4)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")


def detect_language(text: str) -> str:
    """'en', 'zh-Hant', 'zh-Hans', 'mixed' or 'unknown'."""
    if HAVE_TEXT_CORE:
        return _tdetect.detect_language(text).language
    sample = text[:5000]
    cjk = _CJK.findall(sample)
    latin = len(_LATIN.findall(sample))
    if not cjk and latin == 0:
        return "unknown"
    if not cjk:
        return "en"
    han = "".join(cjk)
    simp = _opencc("t2s").convert(han)
    trad = _opencc("s2t").convert(han)
    n_trad_only = sum(a != b for a, b in zip(han, simp, strict=False))
    n_simp_only = sum(a != b for a, b in zip(han, trad, strict=False))
    script = "zh-Hant" if n_trad_only > n_simp_only else "zh-Hans" if n_simp_only > n_trad_only else "zh-Hant"
    if latin > 3 * len(cjk):
        return "en"
    if latin > len(cjk):
        return "mixed"
    return script


@lru_cache(maxsize=1)
def _script_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes of the Traditional-only and the Simplified-only characters, the same sets
    the text core's detector counts (regex classes: counting with them makes no object per
    character, which a set lookup over a string does)."""
    if HAVE_TEXT_CORE:
        trad, simp = _tdetect._script_sets()
    else:
        chars = [chr(c) for c in range(0x3400, 0x4DC0)] + [chr(c) for c in range(0x4E00, 0xA000)]
        to_simp = _opencc("t2s").convert("\n".join(chars)).split("\n")
        to_trad = _opencc("s2t").convert("\n".join(chars)).split("\n")
        pairs = list(zip(chars, to_simp, to_trad, strict=True))
        trad = frozenset(c for c, s, t in pairs if s != c and t == c)
        simp = frozenset(c for c, s, t in pairs if t != c and s == c)
    return tuple(re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")  # type: ignore[return-value]
                 for chars in (trad, simp))


def chinese_script(text: str, samples: tuple[int, ...] = (80, 400)) -> str | None:
    """'zh-Hant' or 'zh-Hans' when the characters only one script uses outnumber the other's two to
    one (and are at least four) in the first `samples[0]` characters, else in the longer samples in
    turn; None when they do not tell (none of them, or both scripts).

    Cheap enough for every page of a long PDF: most pages settle on the short sample (the character
    classes are long, so counting costs by the character). `detect_language` weighs phrases too and
    settles what this leaves open.
    """
    trad, simp = _script_patterns()
    for sample in samples:
        t, s = len(trad.findall(text, 0, sample)), len(simp.findall(text, 0, sample))
        if t + s >= 4 or sample >= len(text):
            if t > 2 * s:
                return "zh-Hant"
            if s > 2 * t:
                return "zh-Hans"
        if sample >= len(text):
            break
    return None


_SENT = re.compile(r"[^。！？!?；;\n]*?(?:[。！？!?；;]+[」』”’\"')）]*|\n|$)|[^\n]+", re.S)
_EN_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(（「])")


def split_sentences(text: str) -> list[Span]:
    if HAVE_TEXT_CORE:
        return [Span(s.start, s.end, s.text) for s in _tsegment.split_sentences(text)]
    out: list[Span] = []
    for m in _SENT.finditer(text):
        chunk_start = m.start()
        chunk = m.group(0)
        if not chunk.strip():
            continue
        pos = 0
        for e in _EN_END.finditer(chunk):
            _add(out, text, chunk_start + pos, chunk_start + e.start())
            pos = e.end()
        _add(out, text, chunk_start + pos, chunk_start + len(chunk))
    return out


def _add(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end, text[start:end]))


def to_script(text: str, target: str) -> str:
    """Convert Chinese text to 'zh-Hant' (Hong Kong forms) or 'zh-Hans'; 'en' leaves it alone."""
    if target not in ("zh-Hant", "zh-Hans", "en"):
        from ai_toolbox.errors import InvalidInput

        raise InvalidInput(f"Unknown script {target!r}.", hint="Use zh-Hant, zh-Hans or en.")
    if HAVE_TEXT_CORE:
        return _tconvert.to_script(text, target)
    if target == "en":
        return text
    return _opencc("s2hk" if target == "zh-Hant" else "t2s").convert(text)


def convert(text: str, config: str = "s2hk", glossary: dict[str, str] | None = None) -> str:
    if HAVE_TEXT_CORE:
        return _tconvert.convert(text, config=config, glossary=glossary)
    out = _opencc(config).convert(text)
    for src, dst in (glossary or {}).items():
        out = out.replace(_opencc(config).convert(src), dst)
    return out


# Fallback PII rules: the identifiers with checksums or unmistakable shapes.
_PII_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("EMAIL", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("HKID", re.compile(r"\b[A-Z]{1,2}\d{6}\s?\(?[0-9A]\)?")),
    ("CN_ID", re.compile(r"\b\d{17}[\dXx]\b")),
    ("CREDIT_CARD", re.compile(r"\b(?:\d{4}[ -]?){3}\d{4}\b")),
    ("PHONE", re.compile(r"(?:\+?852[ -]?)?\b[2-9]\d{3}[ -]?\d{4}\b|(?:\+?86[ -]?)?\b1[3-9]\d{9}\b")),
]


def _hkid_ok(s: str) -> bool:
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})\s?\(?([0-9A])\)?", s)
    if not m:
        return False
    letters, digits, check = m.groups()
    letters = letters.rjust(2, " ")
    vals = [36 if c == " " else ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(vals, range(9, 1, -1), strict=True))
    expect = (11 - total % 11) % 11
    return check == ("A" if expect == 10 else str(expect))


def detect_pii(text: str, types: list[str] | None = None) -> list[Pii]:
    if HAVE_TEXT_CORE:
        return [Pii(s.start, s.end, s.type, s.text, s.score) for s in _tpii.detect_pii(text, types=types)]
    found: list[Pii] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PII_RULES:
        if types and kind not in types:
            continue
        for m in rx.finditer(text):
            if kind == "HKID" and not _hkid_ok(m.group(0)):
                continue
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Pii(m.start(), m.end(), kind, m.group(0)))
    return sorted(found, key=lambda p: p.start)
