"""Traditional/Simplified conversion: OpenCC, with glossaries first and protected spans untouched.

`convert(text, config)` runs any configuration the installed OpenCC ships (`CONFIGS`). Before
OpenCC sees the text, glossary terms (longest match; the built-in government glossary unless told
otherwise) are replaced by their target form and protected spans (URLs, e-mail addresses, terms
the caller names) are set aside; both come back verbatim after conversion. They are swapped for
private-use placeholders so that OpenCC still runs once over the whole text, which keeps the
throughput within a few per cent of raw OpenCC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Literal

import opencc

from ai_toolbox.errors import InvalidInput
from ai_toolbox.text.glossary import Glossary, trie_regex

CONFIGS: tuple[str, ...] = tuple(sorted(c.removesuffix(".json") for c in opencc.CONFIGS))
OPENCC_VERSION: str = getattr(opencc, "__version__", "unknown")

Script = Literal["zh-Hant", "zh-Hans", "en"]

# URLs and e-mail addresses may hold Chinese (IDN, wiki paths) that must survive as written;
# OpenCC drops NUL characters, so those are set aside too. Each part joins the scan only when
# a cheap substring test says the text can hold it: one alternation of everything is several
# times slower than OpenCC's own pass over Chinese text.
URL = r"(?:https?://|www\.)[^\s<>\"'，。、；）)」』]+"
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
NUL = r"\x00+"

_PUA_START, _PUA_END = 0xE000, 0xF8FF
_MARK = chr(_PUA_START)
_BASE = _PUA_END - _PUA_START  # digits are chr(_PUA_START + 1 + n)
_PLACEHOLDER = re.compile(_MARK + f"([{chr(_PUA_START + 1)}-{chr(_PUA_END)}]{{2}})")
_HAS_PUA = re.compile(f"[{chr(_PUA_START)}-{chr(_PUA_END)}]")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(f"{config}.json")


def check_config(config: str) -> str:
    config = config.removesuffix(".json")
    if config not in CONFIGS:
        raise InvalidInput(f"Unknown conversion '{config}'.", hint=f"Use one of: {', '.join(CONFIGS)}.")
    return config


def directions(config: str) -> tuple[str, str] | None:
    """Glossary columns (source, target) for an OpenCC config.

    None where a glossary does not apply: Japanese kanji configs, and Traditional-to-Traditional
    variant configs (hk2t, t2tw, ...), whose whole job is the variant forms a glossary would freeze.
    """
    src, _, dst = config.partition("2")
    source = "zh_hans" if src == "s" else "zh_hant"
    target = "zh_hans" if dst in ("s", "sp") else "zh_hant"
    if "jp" in (src, dst) or source == target:
        return None
    return source, target


def raw(text: str, config: str = "s2hk") -> str:
    """OpenCC alone, no glossary or protection (for comparisons and benchmarks)."""
    return _opencc(text, check_config(config))


def _opencc(text: str, config: str) -> str:
    try:
        return _converter(config).convert(text)
    except UnicodeEncodeError as exc:
        raise InvalidInput("The text holds unpaired surrogate code points and cannot be converted.",
                           hint="Re-encode the source as UTF-8; unpaired surrogates are not characters.") from exc


@lru_cache(maxsize=256)
def _pattern(glossary: Glossary | None, config: str, protect: tuple[str, ...], present: tuple[bool, bool, bool]):
    directions_ = directions(config)
    parts = [p for p, there in zip((URL, EMAIL, NUL), present, strict=True) if there]
    if protect:
        parts.append(trie_regex(protect))
    table: dict[str, str] = {}
    if glossary is not None and directions_ is not None:
        keep = glossary.protected(directions_[0])
        for src, dst in glossary.table(*directions_).items():
            if src in keep:
                table[src] = dst
            elif src == dst and config.endswith("p"):
                continue  # phrase configs translate vocabulary on purpose; "keep as is" rows yield
            elif _opencc(src, config) != dst:
                # Rows OpenCC already gets right are left to it: setting them aside would only
                # cut the phrases OpenCC matches around them.
                table[src] = dst
        if table:
            parts.append(trie_regex(table))
    parts = [p for p in parts if p]
    return (re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None), table, frozenset(protect)


def convert(text: str, config: str = "s2hk", glossary: Glossary | None | Literal[False] = None,
            protect: Iterable[str] = ()) -> str:
    """Convert `text` with an OpenCC `config`, glossary first.

    `glossary=None` uses the built-in government glossary, `False` none at all; pass a merged
    `Glossary` to add a department's terms. `protect` lists strings (names, codes) kept as written.
    """
    config = check_config(config)
    if not text:
        return text
    gloss = Glossary.builtin() if glossary is None else (glossary or None)
    present = ("://" in text or "www." in text, "@" in text, "\x00" in text)
    pattern, table, protected = _pattern(gloss, config, tuple(sorted(set(protect), key=len)), present)
    if pattern is None:
        return _opencc(text, config)
    if _HAS_PUA.search(text):
        return _convert_by_segments(text, config, pattern, table, protected)

    kept: list[str] = []

    def park(m: re.Match[str]) -> str:
        s = m.group(0)
        kept.append(s if s in protected else table.get(s, s))
        n = len(kept) - 1
        return _MARK + chr(_PUA_START + 1 + n // _BASE) + chr(_PUA_START + 1 + n % _BASE)

    parked = pattern.sub(park, text)
    if len(kept) >= _BASE * _BASE:  # pragma: no cover - needs > 40 million matches
        return _convert_by_segments(text, config, pattern, table, protected)
    out = _opencc(parked, config)
    if not kept:
        return out

    def unpark(m: re.Match[str]) -> str:
        hi, lo = (ord(c) - _PUA_START - 1 for c in m.group(1))
        return kept[hi * _BASE + lo]

    return _PLACEHOLDER.sub(unpark, out)


def _convert_by_segments(text: str, config: str, pattern: re.Pattern[str], table: dict[str, str],
                         protected: frozenset[str]) -> str:
    """Slower path for text that already uses private-use characters: convert the gaps one by one."""
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(_opencc(text[pos:m.start()], config))
        s = m.group(0)
        out.append(s if s in protected else table.get(s, s))
        pos = m.end()
    out.append(_opencc(text[pos:], config))
    return "".join(out)


def fold(text: str) -> str:
    """Text folded to Simplified characters, for matching and search (no glossary, no phrases)."""
    return _opencc(text, "t2s") if text else text


def to_script(text: str, target: Script, glossary: Glossary | None | Literal[False] = None) -> str:
    """Text in the target script: zh-Hant means Hong Kong usage (`s2hk`), zh-Hans `hk2s`; en is a no-op."""
    if target == "en" or not text:
        return text
    if target == "zh-Hant":
        return convert(text, "s2hk", glossary)
    if target == "zh-Hans":
        return convert(text, "hk2s", glossary)
    raise InvalidInput(f"Unknown script '{target}'.", hint="Use zh-Hant, zh-Hans or en.")
