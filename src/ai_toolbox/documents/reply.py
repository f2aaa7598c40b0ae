"""Draft a reply to an incoming letter: extracted fields fill a reply template in the chosen language.

With a language model configured the filled template becomes a fluent draft (still grounded in
the extracted fields); without one, the filled template is the draft.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from string import Formatter

from pydantic import BaseModel

from ai_toolbox.documents import llmbridge
from ai_toolbox.documents.extract import extract
from ai_toolbox.documents.model import Document
from ai_toolbox.documents.textcore import to_script
from ai_toolbox.errors import InvalidInput

TEMPLATES = Path(__file__).parent / "reply_templates"
DEFAULT_BODY = {
    "en": "We are looking into the matter and will contact you again as soon as possible.",
    "zh-Hant": "本署正跟進有關事宜，並會盡快與閣下聯絡。",
    "zh-Hans": "本署正跟进有关事宜，并会尽快与阁下联络。",
}
DEADLINE = {
    "en": "We note that a reply is requested by {deadline}.",
    "zh-Hant": "本署備悉來函要求於{deadline}或之前回覆。",
    "zh-Hans": "本署备悉来函要求于{deadline}或之前回复。",
}


class Draft(BaseModel):
    text: str
    language: str
    method: str
    fields: dict[str, str | None]
    audit_id: int | None = None


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


def draft_reply(doc: Document, *, language: str | None = None, body: str | None = None,
                signatory: str = "", our_reference: str = "", principal=None) -> Draft:  # type: ignore[no-untyped-def]
    lang = language or (doc.language if doc.language in DEFAULT_BODY else "en")
    if lang not in DEFAULT_BODY:
        raise InvalidInput(f"No reply template for {lang!r}.", hint="Use en, zh-Hant or zh-Hans.")
    fields = {k: (None if v.value is None else str(v.value)) for k, v in extract(doc, "letter").fields.items()}
    template = (TEMPLATES / f"{lang}.txt").read_text("utf-8")
    values = {
        "our_reference": our_reference or "—",
        "reference_number": fields.get("reference_number") or "—",
        "today": _fmt_date(date.today().isoformat(), lang),
        "date": _fmt_date(fields.get("date"), lang),
        "sender": fields.get("sender") or "—",
        "subject": fields.get("subject") or "—",
        "body": body or DEFAULT_BODY[lang],
        "deadline_sentence": DEADLINE[lang].format(deadline=_fmt_date(fields["deadline"], lang))
        if fields.get("deadline") else "",
        "signatory": signatory or (fields.get("addressee") or ""),
    }
    if lang != "en":
        values = {k: to_script(v, lang) for k, v in values.items()}
    names = {n for _, n, _, _ in Formatter().parse(template) if n}
    filled = template.format(**{n: values.get(n, "") for n in names}).strip() + "\n"
    if llmbridge.available("doc"):
        reply = llmbridge.chat(principal, "reply",
                               "Rewrite this draft reply so it reads fluently and politely, in the same language, "
                               "keeping every reference number, date and name exactly as given:\n\n" + filled)
        if reply is not None and reply.text.strip():
            return Draft(text=reply.text.strip() + "\n", language=lang, method="llm", fields=fields)
    return Draft(text=filled, language=lang, method="template", fields=fields)
