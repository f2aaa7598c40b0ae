"""Decode text files: BOMs, UTF-8, UTF-16 without BOM, Big5/Big5-HKSCS and GBK/GB18030.

Big5 and GBK byte streams often decode without error in both codecs, so each Chinese candidate is
scored on how much of the decoded text falls into dictionary words (jieba's dictionary, after
folding to Simplified): real text is mostly words, a wrong codec yields a scatter of rare characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from ai_toolbox.errors import UnsupportedFile

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes, name: str = "file") -> Decoded:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):] if enc != "utf-8-sig" else data
            return Decoded(body.decode(enc if enc != "utf-8-sig" else "utf-8-sig", errors="replace"),
                           enc.replace("-sig", ""))
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"), utf16)
    if b"\x00" in data[:8192]:
        raise UnsupportedFile(f"{name} looks like a binary file, not text.",
                              hint="Supported: PDF, DOCX, XLSX, CSV, HTML, TXT/Markdown, PNG, JPEG, TIFF.")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    cjk16 = utf16_cjk(data)
    if cjk16:
        return Decoded(data.decode(cjk16, errors="replace"), cjk16)
    best = _best_chinese(data)
    if best is not None:
        return best
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is not None and guess.encoding:
        return Decoded(str(guess), guess.encoding)
    return Decoded(data.decode("latin-1"), "latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u0020-\u007e\n\r\t]")


def utf16_cjk(data: bytes) -> str | None:
    """UTF-16 without a BOM and without NUL bytes: Chinese text whose every unit is a Han character."""
    if len(data) < 4 or len(data) % 2:
        return None
    best, best_share = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:8192].decode(enc)
        except UnicodeDecodeError:
            continue
        share = len(_PLAUSIBLE.findall(text)) / max(1, len(text))
        if share > best_share:
            best, best_share = enc, share
    return best if best_share > 0.95 else None


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    """Multi-character words of jieba's dictionary (Simplified)."""
    import importlib.resources

    path = importlib.resources.files("jieba") / "dict.txt"
    words = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            w = line.split(" ", 1)[0]
            if 2 <= len(w) <= 4:
                words.add(w)
    return frozenset(words)


def word_coverage(text: str) -> float:
    """Share of Han characters in the text covered by 2-4 character dictionary words."""
    from ai_toolbox.documents.textcore import to_script

    han = _HAN.findall(text[:20_000])
    if not han:
        return 0.0
    simp = to_script(text[:20_000], "zh-Hans")
    words = _words()
    covered = 0
    i, n = 0, len(simp)
    while i < n:
        for k in (4, 3, 2):
            if simp[i:i + k] in words:
                covered += k
                i += k
                break
        else:
            i += 1
    return min(1.0, covered / len(han))


# (codec to decode with, its stricter subset to name it by when that also decodes)
_CANDIDATES = [("big5hkscs", "big5"), ("gb18030", "gbk")]


def _best_chinese(data: bytes) -> Decoded | None:
    scored = []
    for codec, subset in _CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        try:
            data.decode(subset)
            label = subset
        except UnicodeDecodeError:
            label = codec
        scored.append((word_coverage(text), label, text))
    if not scored:
        return None
    scored.sort(key=lambda t: -t[0])
    score, label, text = scored[0]
    if score < 0.2:
        return None
    return Decoded(text, label)
