"""Draft a reply to an incoming letter: extracted fields fill a reply template in the chosen language.

With a knowledge base named, passages of it that bear on the letter are quoted in the draft with
numbered citations and listed as sources at the end (`knowledge.references`). With a language
model configured the filled template becomes a fluent draft (still grounded in the extracted
fields and, when given, the cited passages); without one, the filled template is the draft.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from string import Formatter

from pydantic import BaseModel, Field

from ai_toolbox.documents import llmbridge
from ai_toolbox.documents.extract import extract
from ai_toolbox.documents.knowledge import Reference, letter_query, references
from ai_toolbox.documents.model import Document
from ai_toolbox.documents.textcore import to_script
from ai_toolbox.errors import InvalidInput

HERE = Path(__file__).parent
TEMPLATES = HERE / "reply_templates"
LANGUAGES = ("en", "zh-Hant", "zh-Hans")
_CITED = re.compile(r"\[(\d+)\]")


class Draft(BaseModel):
    text: str
    language: str
    method: str
    fields: dict[str, str | None]
    references: list[Reference] = Field(default_factory=list, description="knowledge-base passages cited as [n]")
    note: str | None = None
    audit_id: int | None = None


@lru_cache(maxsize=1)
def phrases() -> dict[str, dict[str, str]]:
    return tomllib.loads((TEMPLATES / "phrases.toml").read_text("utf-8"))


def _fmt_date(iso: str | None, lang: str) -> str:
    if not iso:
        return "—"
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "en":
        return d.strftime("%-d %B %Y")
    return f"{d.year}年{d.month}月{d.day}日"


def _knowledge(refs: list[Reference], lang: str) -> tuple[str, str]:
    """(the paragraph quoting the passages, the list of sources) for the template."""
    if not refs:
        return "", ""
    say = phrases()[lang]
    joiner = " " if lang == "en" else ""
    quotes = joiner.join(f"{r.quote} [{r.number}]" for r in refs)
    lines = [say["sources"]]
    for r in refs:
        where = r.source + (say["source_page"].format(page=r.page) if r.page else "")
        if r.section:
            where += f" — {r.section}"
        lines.append(f"[{r.number}] {r.knowledge_base}: {where}")
    return f"{say['knowledge_intro']}\n{quotes}", "\n".join(lines)


def draft_reply(doc: Document, *, language: str | None = None, body: str | None = None,  # type: ignore[no-untyped-def]
                signatory: str = "", our_reference: str = "", principal=None, kb: str | None = None) -> Draft:
    """Fill the reply template from the letter's fields; `kb` names a knowledge base the principal
    can read whose relevant passages the draft quotes and cites."""
    lang = language or (doc.language if doc.language in LANGUAGES else "en")
    if lang not in LANGUAGES:
        raise InvalidInput(f"No reply template for {lang!r}.", hint="Use en, zh-Hant or zh-Hans.")
    say = phrases()[lang]
    extraction = extract(doc, "letter")
    fields = {k: (None if v.value is None else str(v.value)) for k, v in extraction.fields.items()}
    refs: list[Reference] = []
    note = None
    if kb:
        if principal is None:
            raise InvalidInput("Citing a knowledge base needs a user.", hint="Run it as a user of a department.")
        query = letter_query(doc, [v.source or "" for v in extraction.fields.values()], fields.get("subject"))
        refs = references(principal, kb, query, language=lang)
        if not refs:
            note = say["no_knowledge"].format(kb=kb)
    knowledge, sources = _knowledge(refs, lang)
    template = (TEMPLATES / f"{lang}.txt").read_text("utf-8")
    values = {
        "our_reference": our_reference or "—",
        "reference_number": fields.get("reference_number") or "—",
        "today": _fmt_date(date.today().isoformat(), lang),
        "date": _fmt_date(fields.get("date"), lang),
        "sender": fields.get("sender") or "—",
        "subject": fields.get("subject") or "—",
        "body": body or say["default_body"],
        "deadline_sentence": say["deadline"].format(deadline=_fmt_date(fields["deadline"], lang))
        if fields.get("deadline") else "",
        "signatory": signatory or (fields.get("addressee") or ""),
    }
    if lang != "en":
        values = {k: to_script(v, lang) for k, v in values.items()}
    values["knowledge"], values["sources"] = knowledge, sources  # already in the reply's script
    names = {n for _, n, _, _ in Formatter().parse(template) if n}
    filled = template.format(**{n: values.get(n, "") for n in names})
    filled = re.sub(r"\n{3,}", "\n\n", filled).strip() + "\n"
    if llmbridge.available("doc"):
        if refs:
            passages = "\n".join(f"[{r.number}] {r.passage}" for r in refs)
            prompt = (HERE / "prompts" / "reply_with_sources.txt").read_text("utf-8").format(
                passages=passages, draft=filled)
        else:
            prompt = (HERE / "prompts" / "reply.txt").read_text("utf-8").format(draft=filled)
        reply = llmbridge.chat(principal, "reply", prompt)
        if reply is not None and reply.text.strip():
            text = reply.text.strip()
            if refs:
                text = _keep_citations(text, refs, sources)
            return Draft(text=text + "\n", language=lang, method="llm", fields=fields, references=refs, note=note)
    return Draft(text=filled, language=lang, method="template", fields=fields, references=refs, note=note)


def _keep_citations(text: str, refs: list[Reference], sources: str) -> str:
    """A model's draft with markers only for passages that exist, and the sources list kept."""
    known = {str(r.number) for r in refs}
    text = _CITED.sub(lambda m: m.group(0) if m.group(1) in known else "", text)
    first_source = sources.split("\n")[1] if "\n" in sources else sources
    if first_source not in text:
        text = text.rstrip() + "\n\n" + sources
    return text
