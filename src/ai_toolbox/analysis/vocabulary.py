"""The parser's words: the lexicon of intent words and synonyms, stop words, ordinals, and the
simple word shapes (plurals, ASCII text, years) every part of the parser reads alike."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """Intent words, synonyms and word lists by meaning, from `lexicon/words.toml`."""
    return tomllib.loads((Path(__file__).parent / "lexicon" / "words.toml").read_text("utf-8"))


# Word lists kept with the lexicon (each explained there).
STOPWORDS = frozenset(lexicon()["stopwords"])
PARTIAL_STOP = frozenset(lexicon()["partial_stop"])
ORDINALS: dict[str, int] = dict(lexicon()["ordinals"])
PLACE_WORDS = frozenset(lexicon()["place_words"])
ID_WORDS = frozenset(lexicon()["id_words"])

# Counts written as words, English and Chinese (folded to Simplified): "top three", "the first
# ten", "twice", 前三, 最近十二个月. Each pattern that reads them decides which it accepts.
NUMBER_WORDS: dict[str, int] = {
    "once": 1, "twice": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "twenty": 20,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    "十一": 11, "十二": 12,
}

# Chinese measure words between a count and the things counted (folded): 多少個部門, 幾間學校.
CLASSIFIERS = "个条项间位名家宗所"


def number_said(said: str) -> int:
    """A count written in digits or as one of NUMBER_WORDS ("3", "three", 三)."""
    return int(said) if said.isdigit() else NUMBER_WORDS[said]


ASCII = re.compile(r"^[\x00-\x7f]+$")
YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")


def stem(word: str) -> str:
    """A plural's singular, roughly: "cities" → city, "rivers" → river; a possessive's owner
    ("mvp's" → mvp, "players'" → player)."""
    if word.endswith(("'s", "s'")) and len(word) > 3:
        word = word[:-2] if word.endswith("'s") else word[:-1]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and (word.endswith(("sses", "xes", "zzes", "ches", "shes"))):
        return word[:-2]  # classes → class, boxes → box, matches → match (cases → case, below)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def names_ids(words: tuple[str, ...] | list[str]) -> bool:
    """A column of identifiers or positions ("Year", "No.", "Match Day", "Pick #"), whose numbers
    are not amounts; a rate's "per year" does not make one ("Deaths per year" are amounts), nor does
    "No. of Barangays", a count."""
    said = list(words)
    if "per" in said:
        said = said[: said.index("per")]
    if len(said) > 2 and said[1] == "of" and said[0] in ("no", "number", "num", "nr"):
        return False
    return bool(set(said) & ID_WORDS)


def is_ascii(text: str) -> bool:
    return bool(ASCII.match(text))
