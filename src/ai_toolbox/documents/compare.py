"""Compare two versions of a document sentence by sentence, with changes marked inside sentences.

Sentences come from the text core's splitter, so Chinese without spaces is compared as finely as
English; within a changed sentence the difference is marked character by character for Chinese
and word by word for English. Output: a list of changes, HTML, or DOCX with deletions struck
through in red and insertions underlined in green.
"""

from __future__ import annotations

import difflib
import html
import io
import re
from typing import Literal

from pydantic import BaseModel

from ai_toolbox.documents.model import Document
from ai_toolbox.documents.sentences import doc_sentences


class Piece(BaseModel):
    op: Literal["equal", "delete", "insert"]
    text: str


class Change(BaseModel):
    op: Literal["equal", "delete", "insert", "replace"]
    old: str = ""
    new: str = ""
    old_page: int | None = None
    new_page: int | None = None
    pieces: list[Piece] = []


class Comparison(BaseModel):
    changes: list[Change]
    counts: dict[str, int]
    similarity: float
    audit_id: int | None = None


def _tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+|\s+|.", text)


def _inline(old: str, new: str) -> list[Piece]:
    a, b = _tokens(old), _tokens(new)
    out: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Piece(op="equal", text="".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(Piece(op="delete", text="".join(a[i1:i2])))
            if j2 > j1:
                out.append(Piece(op="insert", text="".join(b[j1:j2])))
    return out


def compare(old: Document, new: Document) -> Comparison:
    a, b = doc_sentences(old), doc_sentences(new)
    norm_a = [re.sub(r"\s+", " ", s.text) for s in a]
    norm_b = [re.sub(r"\s+", " ", s.text) for s in b]
    sm = difflib.SequenceMatcher(None, norm_a, norm_b, autojunk=False)
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            changes.extend(Change(op="equal", old=a[i].text, new=b[j].text, old_page=a[i].page, new_page=b[j].page)
                           for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        olds, news = a[i1:i2], b[j1:j2]
        # Pair changed sentences in order; what is left over was deleted or inserted.
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o and n and difflib.SequenceMatcher(None, o.text, n.text).ratio() > 0.4:
                changes.append(Change(op="replace", old=o.text, new=n.text, old_page=o.page, new_page=n.page,
                                      pieces=_inline(o.text, n.text)))
                continue
            if o:
                changes.append(Change(op="delete", old=o.text, old_page=o.page))
            if n:
                changes.append(Change(op="insert", new=n.text, new_page=n.page))
    counts = {k: sum(1 for c in changes if c.op == k) for k in ("equal", "replace", "delete", "insert")}
    return Comparison(changes=changes, counts=counts, similarity=round(sm.ratio(), 4))


def _mark(p: Piece) -> str:
    if p.op == "equal":
        return html.escape(p.text)
    tag = "del" if p.op == "delete" else "ins"
    return f"<{tag}>{html.escape(p.text)}</{tag}>"


def to_html(cmp: Comparison, title: str = "Comparison") -> str:
    rows = []
    for c in cmp.changes:
        if c.op == "equal":
            body = html.escape(c.new)
        elif c.op == "delete":
            body = f"<del>{html.escape(c.old)}</del>"
        elif c.op == "insert":
            body = f"<ins>{html.escape(c.new)}</ins>"
        else:
            body = "".join(_mark(p) for p in c.pieces)
        page = c.new_page or c.old_page
        rows.append(f'<p class="{c.op}" data-page="{page}">{body}</p>')
    summary = ", ".join(f"{v} {k}" for k, v in cmp.counts.items())
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html.escape(title) + "</title>"
            "<style>del{color:#b00020;text-decoration:line-through}ins{color:#1b5e20;text-decoration:underline}"
            "p.equal{color:#444}</style></head><body><h1>" + html.escape(title) + "</h1><p><em>"
            + html.escape(summary) + f", similarity {cmp.similarity:.0%}</em></p>" + "\n".join(rows)
            + "</body></html>")


def to_docx(cmp: Comparison, title: str = "Comparison") -> bytes:
    import docx
    from docx.shared import RGBColor

    d = docx.Document()
    d.add_heading(title, level=1)
    d.add_paragraph(", ".join(f"{v} {k}" for k, v in cmp.counts.items()) + f"; similarity {cmp.similarity:.0%}")

    def add(p, text: str, op: str) -> None:  # type: ignore[no-untyped-def]
        run = p.add_run(text)
        if op == "delete":
            run.font.strike = True
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        elif op == "insert":
            run.font.underline = True
            run.font.color.rgb = RGBColor(0x1B, 0x5E, 0x20)

    for c in cmp.changes:
        p = d.add_paragraph()
        if c.op == "equal":
            add(p, c.new, "equal")
        elif c.op in ("delete", "insert"):
            add(p, c.old or c.new, c.op)
        else:
            for piece in c.pieces:
                add(p, piece.text, piece.op)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
