"""EN ↔ ZH translation through the LLM layer, with glossary terms enforced and checked.

There is no embedded translator: with no model configured this says so and stops. Each paragraph
is sent with the glossary entries that occur in it; the output is checked for every required
target term, and a paragraph missing one is retried once with the omission pointed out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import BaseModel

from ai_toolbox.documents import llmbridge
from ai_toolbox.documents.model import Document
from ai_toolbox.documents.textcore import to_script
from ai_toolbox.errors import InvalidInput, ModelUnavailable

LANG_NAMES = {"en": "English", "zh-Hant": "Traditional Chinese as written in Hong Kong",
              "zh-Hans": "Simplified Chinese"}


class Translation(BaseModel):
    text: str
    target: str
    glossary_missing: list[str]
    model: str | None = None
    audit_id: int | None = None


def load_glossary(path: Path | None) -> dict[str, str]:
    """A CSV/TSV of `source,target` term pairs (header optional)."""
    if path is None:
        return {}
    text = path.read_text("utf-8-sig")
    dialect = csv.excel_tab if "\t" in text.splitlines()[0] else csv.excel
    out = {}
    for row in csv.reader(io.StringIO(text), dialect):
        if len(row) >= 2 and row[0].strip() and row[0].strip().lower() not in ("source", "term", "en"):
            out[row[0].strip()] = row[1].strip()
    return out


def glossary_hits(source: str, glossary: dict[str, str]) -> dict[str, str]:
    low = source.lower()
    return {s: t for s, t in glossary.items() if s.lower() in low}


def missing_terms(output: str, hits: dict[str, str], target: str) -> list[str]:
    folded = to_script(output, "zh-Hans").lower() if target.startswith("zh") else output.lower()
    out = []
    for src, tgt in hits.items():
        want = to_script(tgt, "zh-Hans").lower() if target.startswith("zh") else tgt.lower()
        if want not in folded:
            out.append(f"{src} → {tgt}")
    return out


def translate(doc: Document, target: str, *, glossary: dict[str, str] | None = None,
              principal=None, backend: str | None = None) -> Translation:  # type: ignore[no-untyped-def]
    """Translate block by block; `backend` names an LLM backend other than the one configured."""
    if target not in LANG_NAMES:
        raise InvalidInput(f"Cannot translate to {target!r}.", hint="Use en, zh-Hant or zh-Hans.")
    if not llmbridge.available("doc", backend):
        raise ModelUnavailable(
            "Translation needs a language model, and none is configured.",
            hint="Configure one (AITB_LLM__BACKEND=llamacpp or openai); Traditional↔Simplified conversion "
                 "needs no model: use `ai-toolbox doc convert`.",
        )
    glossary = glossary or {}
    parts, missing = [], []
    for block in doc.blocks:
        if not block.text.strip():
            continue
        hits = glossary_hits(block.text, glossary)
        rules = "".join(f"\n- translate “{s}” as “{t}”" for s, t in hits.items())
        prompt = (f"Translate the text into {LANG_NAMES[target]}. Reply with the translation only."
                  + (f"\nUse these official terms exactly:{rules}" if rules else "") + f"\n\nText:\n{block.text}")
        reply = llmbridge.chat(principal, "translate", prompt, max_tokens=1200, name=backend)
        if reply is None:
            raise ModelUnavailable("The language model did not answer.", hint="Check `ai-toolbox llm backends`.")
        text = reply.text.strip()
        gaps = missing_terms(text, hits, target)
        if gaps:
            retry = llmbridge.chat(principal, "translate", prompt + "\n\nYour previous translation left out: "
                                   + "; ".join(gaps) + ". Translate again using those terms.", max_tokens=1200,
                                   name=backend)
            if retry is not None:
                text = retry.text.strip()
                gaps = missing_terms(text, hits, target)
        if target in ("zh-Hant", "zh-Hans"):
            text = to_script(text, target)
        missing.extend(gaps)
        parts.append(text)
    return Translation(text="\n\n".join(parts), target=target, glossary_missing=sorted(set(missing)),
                       model=llmbridge.model_name("doc", backend))
