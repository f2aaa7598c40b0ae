"""Glossaries: term tables in English, zh-Hant-HK and zh-Hans that conversion applies first.

A `Glossary` is a list of `Term`s; `Glossary.builtin()` is the government glossary shipped in
`data/glossary_gov.csv`, and per-department glossaries live in the database (`text.service`).
`Glossary.merged(a, b)` lets later tables override earlier ones term by term.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

DATA = Path(__file__).parent / "data"
SCRIPTS = ("en", "zh_hant", "zh_hans")


class Term(BaseModel):
    """One entry: the same term in each script. Empty fields are simply not used."""

    en: str = Field("", examples=["Island Line"])
    zh_hant: str = Field("", examples=["港島綫"])
    zh_hans: str = Field("", examples=["港岛线"])
    protect: bool = Field(False, description="Keep the source form untouched instead of replacing it")

    def get(self, script: str) -> str:
        return getattr(self, script)


@dataclass(frozen=True, eq=False)
class Glossary:
    """An ordered set of terms; later terms win over earlier ones with the same source form."""

    terms: tuple[Term, ...] = ()
    name: str = "custom"
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def builtin(cls) -> Glossary:
        return _builtin()

    @classmethod
    def of(cls, terms: Iterable[Term | dict], name: str = "custom") -> Glossary:
        return cls(tuple(t if isinstance(t, Term) else Term(**t) for t in terms), name)

    @classmethod
    def merged(cls, *glossaries: Glossary | None) -> Glossary:
        terms: list[Term] = []
        for g in glossaries:
            if g is not None:
                terms.extend(g.terms)
        return cls(tuple(terms), "+".join(g.name for g in glossaries if g is not None))

    def __len__(self) -> int:
        return len(self.terms)

    def table(self, source: str, target: str) -> dict[str, str]:
        """Source form -> replacement for one direction; protected terms map to themselves."""
        key = (source, target)
        if key not in self._cache:
            out: dict[str, str] = {}
            for t in self.terms:
                src, dst = t.get(source).strip(), t.get(target).strip()
                if src and (dst or t.protect):
                    out[src] = src if t.protect else dst
            self._cache[key] = out
        return self._cache[key]

    def protected(self, source: str) -> frozenset[str]:
        """Source forms that are kept exactly as written."""
        return frozenset(t.get(source).strip() for t in self.terms if t.protect and t.get(source).strip())


def trie_regex(words: Iterable[str]) -> str:
    """A regex alternation over `words` shaped as a trie, so the longest match wins and scans are fast."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def read_csv(text: str, name: str = "custom") -> Glossary:
    """A glossary from CSV text with columns en, zh_hant, zh_hans (and optionally protect)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    terms = []
    for row in csv.DictReader(lines):
        protect = str(row.get("protect") or "").strip().lower() in {"1", "true", "yes", "y"}
        terms.append(Term(en=(row.get("en") or "").strip(), zh_hant=(row.get("zh_hant") or "").strip(),
                          zh_hans=(row.get("zh_hans") or "").strip(), protect=protect))
    return Glossary.of(terms, name)


@lru_cache(maxsize=1)
def _builtin() -> Glossary:
    return read_csv((DATA / "glossary_gov.csv").read_text("utf-8"), name="government")
