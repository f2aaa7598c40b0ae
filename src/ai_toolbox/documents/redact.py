"""Remove personal data from the file itself, and report what was removed.

PDF: each PII span found by the text core becomes a redaction annotation over the words, and
applying it deletes the text (and image pixels) underneath; the result is extracted again to prove
nothing remains. DOCX: runs are rewritten so the span's characters are replaced by a tag. Other
formats come out as redacted plain text.
"""

from __future__ import annotations

import io
from collections import Counter

from pydantic import BaseModel, Field

from ai_toolbox.documents.ingest import detect_format, ingest
from ai_toolbox.documents.textcore import detect_pii
from ai_toolbox.errors import ToolboxError


class Removed(BaseModel):
    type: str
    page: int | None = None
    preview: str = Field(description="first character and length only, so the report leaks nothing")


class RedactReport(BaseModel):
    format: str
    removed: list[Removed]
    counts: dict[str, int]
    verified: bool = Field(description="re-extracting the output finds none of the removed strings")
    output_name: str
    audit_id: int | None = None


class Redacted(BaseModel):
    data: bytes
    report: RedactReport


def _preview(text: str) -> str:
    return f"{text[:1]}{'*' * max(0, len(text) - 1)} ({len(text)} chars)"


def redact(data: bytes, name: str, *, types: list[str] | None = None, password: str | None = None) -> Redacted:
    fmt = detect_format(data, name)
    if fmt == "pdf":
        out, removed, found = _redact_pdf(data, name, types, password)
        suffix = ".pdf"
    elif fmt == "docx":
        out, removed, found = _redact_docx(data, types)
        suffix = ".docx"
    else:
        doc = ingest(data, name=name, password=password)
        text = doc.text
        spans = detect_pii(text, types)
        removed = [Removed(type=s.type, page=doc.page_of(s.start), preview=_preview(s.text)) for s in spans]
        found = [s.text for s in spans]
        for s in sorted(spans, key=lambda s: -s.start):
            text = text[: s.start] + f"[{s.type}]" + text[s.end:]
        out, suffix = text.encode("utf-8"), ".txt"
    check = ingest(out, name="redacted" + suffix, password=None, ocr=False).text if out else ""
    verified = not any(t and t in check for t in found)
    stem = name.rsplit(".", 1)[0]
    report = RedactReport(format=fmt, removed=removed, counts=dict(Counter(r.type for r in removed)),
                          verified=verified, output_name=f"{stem}.redacted{suffix}")
    if not verified:
        raise ToolboxError("Redaction could not be verified: some personal data is still in the output.",
                           hint="The file was not written. Report this file to the administrator.")
    return Redacted(data=out, report=report)


def _redact_pdf(data: bytes, name: str, types: list[str] | None,
                password: str | None) -> tuple[bytes, list[Removed], list[str]]:
    import pymupdf

    from ai_toolbox.documents.ingest.pdf import open_pdf

    pdf = open_pdf(data, name, password)
    removed: list[Removed] = []
    found: list[str] = []
    flatten: list[int] = []
    try:
        for page in pdf:
            text = page.get_text()
            spans = detect_pii(text, types)
            rects = []
            for s in spans:
                hits = page.search_for(s.text)
                if not hits:  # the span crosses a line break: redact each line's part
                    hits = [r for part in s.text.split("\n") if part.strip() for r in page.search_for(part.strip())]
                for r in hits:
                    page.add_redact_annot(r, fill=(0, 0, 0))
                rects.extend(hits)
                removed.append(Removed(type=s.type, page=page.number + 1, preview=_preview(s.text)))
                found.extend(p.strip() for p in s.text.split("\n") if p.strip())
            if spans:
                page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS)
                # Some embedded fonts leave glyphs behind; such a page is replaced by its image.
                if any(page.get_text("text", clip=r).strip() for r in rects):
                    flatten.append(page.number)
        if flatten:
            pdf = _flattened(pdf, set(flatten))
        pdf.set_metadata({})
        out = pdf.tobytes(garbage=4, deflate=True, clean=True)
    finally:
        pdf.close()
    return out, removed, found


def _flattened(pdf, pages: set[int]):  # type: ignore[no-untyped-def]
    """A copy of `pdf` where the listed pages are images only (no text left to recover)."""
    import pymupdf

    out = pymupdf.open()
    for page in pdf:
        if page.number in pages:
            pix = page.get_pixmap(dpi=200, alpha=False)
            new = out.new_page(width=page.rect.width, height=page.rect.height)
            new.insert_image(new.rect, pixmap=pix)
        else:
            out.insert_pdf(pdf, from_page=page.number, to_page=page.number)
    pdf.close()
    return out


def _redact_docx(data: bytes, types: list[str] | None) -> tuple[bytes, list[Removed], list[str]]:
    import docx

    d = docx.Document(io.BytesIO(data))
    removed: list[Removed] = []
    found: list[str] = []

    def paragraphs():  # type: ignore[no-untyped-def]
        yield from d.paragraphs
        for t in d.tables:
            for row in t.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        for section in d.sections:
            for part in (section.header, section.footer):
                yield from part.paragraphs

    for para in paragraphs():
        text = para.text
        if not text.strip():
            continue
        spans = detect_pii(text, types)
        for s in sorted(spans, key=lambda s: -s.start):
            _replace_in_runs(para.runs, s.start, s.end, f"[{s.type}]")
            removed.append(Removed(type=s.type, page=None, preview=_preview(s.text)))
            found.append(s.text)
    d.core_properties.author = ""
    d.core_properties.last_modified_by = ""
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), removed, found


def _replace_in_runs(runs, start: int, end: int, tag: str) -> None:  # type: ignore[no-untyped-def]
    """Replace characters [start, end) of the paragraph, spread over runs, keeping run formatting."""
    pos = 0
    placed = False
    for run in runs:
        t = run.text
        r0, r1 = pos, pos + len(t)
        pos = r1
        if r1 <= start or r0 >= end:
            continue
        a, b = max(start, r0) - r0, min(end, r1) - r0
        run.text = t[:a] + ("" if placed else tag) + t[b:]
        placed = True
