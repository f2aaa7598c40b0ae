"""PDF: the text layer through PyMuPDF; pages with no text but an image are OCR'd."""

from __future__ import annotations

import statistics

from ai_toolbox.config import get_settings
from ai_toolbox.documents import ocr
from ai_toolbox.documents.ingest import Source, loader
from ai_toolbox.documents.ingest.build import block, document, page_blocks
from ai_toolbox.documents.model import BBox, Block, BlockKind, Document, Page
from ai_toolbox.errors import ModelUnavailable, NotPermitted, UnsupportedFile


def _sniff(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def open_pdf(data: bytes, name: str, password: str | None = None):  # type: ignore[no-untyped-def]
    """Open PDF bytes, unlocking with `password`; clear errors for damaged or locked files."""
    import pymupdf

    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise UnsupportedFile(f"{name} is not a readable PDF (damaged or truncated).",
                              hint="Save or export the PDF again from its source and retry.") from exc
    if pdf.needs_pass:
        if not password:
            raise NotPermitted(f"{name} is encrypted and needs a password.",
                               hint="Give the password: --password on the command line, or the password field.")
        if not pdf.authenticate(password):
            raise NotPermitted(f"The password for {name} is wrong.", hint="Check the password and try again.")
    if pdf.page_count == 0:
        raise UnsupportedFile(f"{name} has no pages (damaged or truncated).",
                              hint="Save or export the PDF again from its source and retry.")
    return pdf


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _join_lines(lines: list[tuple[str, float]], right: float, width: float) -> str:
    """Join a block's lines: soft wraps (line reaches the right edge) become a space or nothing."""
    text = ""
    for i, (line, _x1) in enumerate(lines):
        if i == 0:
            text = line
            continue
        prev_x1 = lines[i - 1][1]
        wrapped = width > 0 and (right - prev_x1) < 0.12 * width and len(lines[i - 1][0]) > 20
        if not wrapped:
            text += "\n" + line
        elif text and _cjk(text[-1]) and _cjk(line[0]):
            text += line
        else:
            text += ("" if text.endswith("-") else " ") + line
    return text


def _side_by_side(lines: list[dict]) -> bool:  # type: ignore[type-arg]
    """True when a block's lines sit on one row (table cells), not under each other."""
    for a, b in zip(lines, lines[1:], strict=False):
        ha = a["bbox"][3] - a["bbox"][1]
        if abs((a["bbox"][1] + a["bbox"][3]) / 2 - (b["bbox"][1] + b["bbox"][3]) / 2) < 0.5 * ha:
            return True
    return False


def _fast_blocks(raw: list[tuple], number: int) -> list[Block] | None:  # type: ignore[type-arg]
    """Blocks from PyMuPDF's plain block list (no per-span detail): the fast path for running text.

    Line height stands in for font size. Returns None when a block looks like table cells side by
    side (its height is well under its line count), so the caller takes the detailed path.
    """
    shapes = []
    for x0, y0, x1, y1, text, _no, kind in raw:
        if kind != 0:
            continue
        lines = [ln for ln in map(str.strip, text.split("\n")) if ln]
        if lines:
            shapes.append((lines, (y1 - y0) / len(lines), (x0, y0, x1, y1)))
    if not shapes:
        return []
    singles = sorted(b[3] - b[1] for lines, _, b in shapes if len(lines) == 1)
    line_h = singles[len(singles) // 2] if singles else sorted(h for _, h, _ in shapes)[len(shapes) // 2]
    if any(len(lines) > 1 and (b[3] - b[1]) < (len(lines) - 0.5) * line_h for lines, _, b in shapes):
        return None
    heights = sorted(h for lines, h, _ in shapes for _ in lines)
    body = heights[len(heights) // 2] or 1.0
    items: list[tuple[BlockKind, str, BBox]] = []
    for lines, h, bbox in shapes:
        text = lines[0] if len(lines) == 1 else _join_by_length(lines, bbox[2] > bbox[0])
        heading = h >= 1.25 * body and len(lines) <= 2 and len(text) < 120 and not text.rstrip().endswith(_STOPS)
        items.append(("heading" if heading else "paragraph", text, bbox))
    return page_blocks(items, number)


def _join_by_length(lines: list[str], wide: bool) -> str:
    """`_join_lines` for the block list, which has no line ends: a line at least 0.8 of the longest
    one is taken to reach the right edge (a soft wrap)."""
    limit = max(0.8 * max(map(len, lines)), 20.5)
    parts = [lines[0]]
    prev = lines[0]
    for ln in lines[1:]:
        if not wide or len(prev) < limit:
            parts.append("\n")
        elif (_cjk(prev[-1]) and _cjk(ln[0])) or prev[-1] == "-":
            pass
        else:
            parts.append(" ")
        parts.append(ln)
        prev = ln
    return "".join(parts)


_STOPS = ("。", ".", ":", "：", ";")


def _text_blocks(page, number: int) -> list[Block]:  # type: ignore[no-untyped-def]
    """The page's text blocks from one text extraction: the block list for running text, the
    span-level detail of the same extraction when blocks look like table cells."""
    tp = page.get_textpage(flags=0)
    fast = _fast_blocks(tp.extractBLOCKS(), number)
    if fast is not None:
        return fast
    raw = tp.extractDICT()["blocks"]
    groups = []
    for b in raw:
        if b.get("type") != 0:
            continue
        if len(b["lines"]) > 1 and _side_by_side(b["lines"]):
            groups.extend(([ln], ln["bbox"]) for ln in b["lines"])
        else:
            groups.append((b["lines"], b["bbox"]))
    items = []
    for blines, bbox in groups:
        lines, sizes, bold, chars = [], [], True, 0
        for ln in blines:
            t = "".join(s["text"] for s in ln["spans"]).strip()
            if not t:
                continue
            lines.append((t, ln["bbox"][2]))
            for s in ln["spans"]:
                n = len(s["text"].strip())
                if n:
                    sizes.append((s["size"], n))
                    chars += n
                    bold = bold and bool(s["flags"] & 16)
        if not lines:
            continue
        size = max(s for s, _ in sizes)
        x0, y0, x1, y1 = bbox
        items.append((_join_lines(lines, x1, x1 - x0), size, bold, chars, len(lines),
                      (float(x0), float(y0), float(x1), float(y1))))
    if not items:
        return []
    body = statistics.median([s for _, s, _, c, _, _ in items for _ in range(min(c, 200))])
    specs: list[tuple[BlockKind, str, BBox]] = []
    for text, size, bold, _chars, nlines, bbox in items:
        short = nlines <= 2 and len(text) < 120 and not text.rstrip().endswith(_STOPS)
        heading = short and (size >= 1.2 * body or (bold and len(text) < 80))
        specs.append(("heading" if heading else "paragraph", text, bbox))
    return page_blocks(specs, number)


def _ocr_blocks(page, number: int, dpi: int) -> list[Block]:  # type: ignore[no-untyped-def]
    import numpy as np

    pix = page.get_pixmap(dpi=dpi, colorspace="rgb", alpha=False)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3)
    scale = 72.0 / dpi
    return [block("paragraph", ln.text, number, tuple(v * scale for v in ln.bbox), ocr=True,  # type: ignore[arg-type]
                  confidence=round(ln.score, 4))
            for ln in ocr.recognise(img)]


@loader("pdf", ("pdf",), _sniff, priority=10)
def load_pdf(src: Source) -> Document:
    settings = get_settings().documents
    pdf = open_pdf(src.data, src.name, src.password)
    warnings: list[str] = []
    total = pdf.page_count
    n = min(total, settings.max_pages)
    if total > n:
        warnings.append(f"Only the first {n} of {total} pages were read (limit AITB_DOCUMENTS__MAX_PAGES).")
    pages: list[Page] = []
    ocr_done, ocr_missing, ocr_skipped = 0, 0, 0
    try:
        for i in range(n):
            page = pdf[i]
            try:
                blocks = _text_blocks(page, i + 1)
            except Exception as exc:
                raise UnsupportedFile(f"Page {i + 1} of {src.name} cannot be read (damaged PDF).",
                                      hint="Save or export the PDF again from its source and retry.") from exc
            scanned = False
            if not blocks and page.get_images(full=False):
                scanned = True
                if not src.ocr:
                    ocr_skipped += 1
                elif not ocr.available():
                    ocr_missing += 1
                elif ocr_done >= settings.max_ocr_pages:
                    ocr_skipped += 1
                else:
                    blocks = _ocr_blocks(page, i + 1, settings.ocr_dpi)
                    ocr_done += 1
            rect = page.rect
            pages.append(Page(number=i + 1, blocks=blocks, width=rect.width, height=rect.height,
                              ocr=scanned and bool(blocks)))
    finally:
        pdf.close()
    if ocr_missing:
        if ocr_missing == len(pages) or not any(p.blocks for p in pages):
            raise ModelUnavailable(f"{src.name} is scanned (its pages are images) and OCR is not installed.",
                                   hint=ocr.INSTALL_HINT)
        warnings.append(f"{ocr_missing} scanned page(s) were not read: OCR is not installed. {ocr.INSTALL_HINT}")
    if ocr_skipped:
        warnings.append(f"{ocr_skipped} scanned page(s) were not OCR'd (limit AITB_DOCUMENTS__MAX_OCR_PAGES).")
    if not any(p.blocks for p in pages):
        warnings.append("No text was found in this PDF.")
    return document(src.name, "pdf", pages, warnings=warnings)

