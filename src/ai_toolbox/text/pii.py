"""PII detection and redaction for English, Traditional and Simplified Chinese.

Recognisers are small classes that declare the `entity_types` and `languages` they cover and
yield `PiiSpan`s from `analyze(text)`; they register with `register()`, the built-in ones too
(`text.recognisers`). IDs are validated (check digits, dates, region codes): a number that fails
its checksum is not an ID. Context words before a match raise or lower its score.

Operators: `tag` ([HKID]), `mask` (keep the last N characters, at most half), `pseudonym` (<PERSON_1>,
consistent within a text and reversible with the returned mapping, see `restore`), `hash`
(salted SHA-256, [EMAIL:1a2b3c4d]) and `remove`.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, Field

from ai_toolbox.errors import InvalidInput

ENTITY_TYPES: tuple[str, ...] = (
    "HKID", "CN_ID", "PASSPORT", "TRAVEL_PERMIT", "MACAO_ID", "PHONE", "EMAIL", "CREDIT_CARD",
    "BANK_ACCOUNT", "IP_ADDRESS", "VEHICLE_PLATE", "DATE_OF_BIRTH", "PERSON", "ADDRESS",
)
LANGUAGES = frozenset({"en", "zh-Hant", "zh-Hans"})
Operator = Literal["tag", "mask", "pseudonym", "hash", "remove"]
OPERATORS: tuple[str, ...] = ("tag", "mask", "pseudonym", "hash", "remove")
MIN_SCORE = 0.5
CONTEXT_WINDOW = 40
BUILTIN_MODULES = (
    "ai_toolbox.text.recognisers.ids",
    "ai_toolbox.text.recognisers.contact",
    "ai_toolbox.text.recognisers.finance",
    "ai_toolbox.text.recognisers.dates",
    "ai_toolbox.text.recognisers.address",
    "ai_toolbox.text.recognisers.names",
)


class PiiSpan(BaseModel):
    start: int = Field(examples=[9])
    end: int = Field(examples=[19])
    type: str = Field(examples=["HKID"])
    score: float = Field(examples=[0.95])
    text: str = Field(examples=["A123456(3)"])
    recogniser: str = ""


class Redaction(BaseModel):
    text: str = Field(examples=["身份證號碼 [HKID]。"])
    spans: list[PiiSpan]
    mapping: dict[str, str] = Field(default_factory=dict, description="placeholder -> original (pseudonym only)")


# --- the recogniser interface -------------------------------------------------------------------

class Recogniser:
    """Base of every recogniser: declare what you find, yield spans from `analyze`."""

    name: str = "recogniser"
    entity_types: frozenset[str] = frozenset()
    languages: frozenset[str] = LANGUAGES

    def analyze(self, text: str) -> Iterable[PiiSpan]:  # pragma: no cover - interface
        raise NotImplementedError


class PatternRecogniser(Recogniser):
    """A regex, an optional validator, a base score, and context words that move the score.

    `validate(match) -> bool | (start, end) | None`: False drops the match (a failed checksum);
    a (start, end) pair narrows the span. `context` words within `CONTEXT_WINDOW` characters
    before the match add `context_boost`; `negative` words subtract it.
    """

    entity_type: str = ""
    pattern: re.Pattern[str]
    score: float = 0.6
    context: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    context_boost: float = 0.35
    require_context: bool = False

    def __init__(self) -> None:
        self.entity_types = frozenset({self.entity_type})
        self._ctx = _word_regex(self.context)
        self._neg = _word_regex(self.negative)

    def validate(self, m: re.Match[str]) -> bool | tuple[int, int]:
        return True

    def base_score(self, m: re.Match[str]) -> float:
        return self.score

    def analyze(self, text: str) -> Iterator[PiiSpan]:
        for m in self.pattern.finditer(text):
            ok = self.validate(m)
            if ok is False:
                continue
            start, end = ok if isinstance(ok, tuple) else m.span()
            score = self.base_score(m)
            before = text[max(0, start - CONTEXT_WINDOW):start].lower()
            pos_at, neg_at = _last(self._ctx, before), _last(self._neg, before)
            if self.require_context and pos_at < 0:
                continue
            # The nearer cue decides: "ID A123456(3), phone 9123 4567" is a phone number.
            if pos_at > neg_at:
                score += self.context_boost
            elif neg_at > pos_at:
                score -= self.context_boost
            yield PiiSpan(start=start, end=end, type=self.entity_type, score=round(min(score, 1.0), 3),
                          text=text[start:end], recogniser=self.name)


def _last(pattern: re.Pattern[str] | None, text: str) -> int:
    """End position of the last match of `pattern` in `text`, or -1."""
    if pattern is None:
        return -1
    last = -1
    for m in pattern.finditer(text):
        last = m.end()
    return last


def _word_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    words = [w.lower() for w in words]
    if not words:
        return None
    parts = []
    for w in sorted(words, key=len, reverse=True):
        # ASCII words must stand alone ("tel" is not in "hotel"); Chinese words need no boundary.
        parts.append(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() and w[-1:].isalnum() else re.escape(w))
    return re.compile("|".join(parts))


_registry: list[Recogniser] = []
_registry_lock = threading.Lock()
_builtins_loaded = False


def register(recogniser: Recogniser | type[Recogniser]) -> Recogniser | type[Recogniser]:
    """Add a recogniser (an instance, or a class to instantiate); usable as a class decorator."""
    instance = recogniser() if isinstance(recogniser, type) else recogniser
    unknown = set(instance.entity_types) - set(ENTITY_TYPES)
    if unknown:
        raise ValueError(f"{instance.name}: unknown entity types {sorted(unknown)}")
    with _registry_lock:
        _registry[:] = [r for r in _registry if r.name != instance.name] + [instance]
    return recogniser


def recognisers() -> list[Recogniser]:
    """Every registered recogniser, the built-in ones loaded first."""
    global _builtins_loaded
    if not _builtins_loaded:
        with _registry_lock:
            if not _builtins_loaded:
                _builtins_loaded = True
        for name in BUILTIN_MODULES:
            importlib.import_module(name)
    return list(_registry)


# --- detection ----------------------------------------------------------------------------------

def detect_pii(text: str, types: Iterable[str] | None = None, min_score: float = MIN_SCORE,
               language: str | None = None) -> list[PiiSpan]:
    """PII spans in `text`, sorted by position, overlaps resolved (higher score, then longer, wins)."""
    if not text:
        return []
    wanted = set(types) if types else set(ENTITY_TYPES)
    unknown = wanted - set(ENTITY_TYPES)
    if unknown:
        raise InvalidInput(f"Unknown PII types: {', '.join(sorted(unknown))}.",
                           hint=f"Use any of: {', '.join(ENTITY_TYPES)}.")
    found: list[PiiSpan] = []
    for rec in recognisers():
        if not (rec.entity_types & wanted):
            continue
        if language and language in LANGUAGES and language not in rec.languages:
            continue
        found.extend(s for s in rec.analyze(text) if s.type in wanted and s.score >= min_score and s.end > s.start)
    return resolve_overlaps(found)


def resolve_overlaps(spans: list[PiiSpan]) -> list[PiiSpan]:
    """Keep the best of overlapping spans: higher score, then longer, then earlier."""
    starts: list[int] = []  # accepted spans, sorted by start; they never overlap each other
    taken: list[PiiSpan] = []
    for s in sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start)):
        i = bisect.bisect_left(starts, s.start)
        if i < len(taken) and taken[i].start < s.end:
            continue
        if i > 0 and taken[i - 1].end > s.start:
            continue
        starts.insert(i, s.start)
        taken.insert(i, s)
    return taken


# --- operators ----------------------------------------------------------------------------------

def redact(text: str, operator: Operator = "tag", spans: list[PiiSpan] | None = None, *,
           keep_last: int = 4, salt: str | None = None, types: Iterable[str] | None = None) -> Redaction:
    """Replace each PII span with the operator's output; `spans` defaults to `detect_pii(text, types)`."""
    if operator not in OPERATORS:
        raise InvalidInput(f"Unknown operator '{operator}'.", hint=f"Use one of: {', '.join(OPERATORS)}.")
    if spans is None:
        spans = detect_pii(text, types)
    spans = sorted(spans, key=lambda s: s.start)
    mapping: dict[str, str] = {}
    reverse: dict[tuple[str, str], str] = {}
    counters: dict[str, int] = {}
    if operator == "hash" and salt is None:
        from ai_toolbox.config import get_settings

        salt = get_settings().text.hash_salt

    def replace(span: PiiSpan) -> str:
        if operator == "tag":
            return f"[{span.type}]"
        if operator == "remove":
            return ""
        if operator == "mask":
            return _mask(span.text, keep_last)
        if operator == "hash":
            digest = hashlib.sha256(f"{salt}\x00{span.type}\x00{span.text}".encode("utf-8", "surrogatepass"))
            return f"[{span.type}:{digest.hexdigest()[:10]}]"
        key = (span.type, _normal(span.text))
        if key not in reverse:
            counters[span.type] = counters.get(span.type, 0) + 1
            placeholder = f"<{span.type}_{counters[span.type]}>"
            reverse[key] = placeholder
            mapping[placeholder] = span.text
        return reverse[key]

    out: list[str] = []
    pos = 0
    for span in spans:
        if span.start < pos:
            continue
        out.append(text[pos:span.start])
        out.append(replace(span))
        pos = span.end
    out.append(text[pos:])
    return Redaction(text="".join(out), spans=spans, mapping=mapping)


def _mask(value: str, keep_last: int) -> str:
    chars = list(value)
    idx = [i for i, c in enumerate(chars) if c.isalnum()]
    keep = min(keep_last, len(idx) // 2)  # a short value (a name) must not come through whole
    for i in idx[: len(idx) - keep]:
        chars[i] = "*"
    return "".join(chars)


def _normal(value: str) -> str:
    return re.sub(r"[\s()\-]", "", value).lower()


def pseudonymise(text: str, types: Iterable[str] | None = None) -> tuple[str, dict[str, str]]:
    """Text with consistent placeholders (<PERSON_1>) and the mapping to restore it."""
    r = redact(text, "pseudonym", types=types)
    return r.text, r.mapping


_PLACEHOLDER = re.compile(r"<([A-Z_]+_\d+)>")


def restore(text: str, mapping: dict[str, str]) -> str:
    """Put the originals back into text (such as a model's reply) that uses the placeholders."""
    if not mapping:
        return text

    def back(m: re.Match[str]) -> str:
        return mapping.get(m.group(0), m.group(0))

    return _PLACEHOLDER.sub(back, text)


def describe() -> list[dict[str, object]]:
    """What each registered recogniser declares (for `doctor` and the docs)."""
    return [{"name": r.name, "entity_types": sorted(r.entity_types), "languages": sorted(r.languages)}
            for r in recognisers()]


Validator = Callable[[re.Match[str]], bool]
