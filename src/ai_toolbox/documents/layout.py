"""Rows of cells across a page, the same for digital PDFs, scans, DOCX tables and text.

Extraction reads "label: value" pairs and line-item tables from rows: blocks whose vertical
centres line up form one row, ordered left to right. Blocks without geometry (DOCX, text) give one
row per line, and their tables one row per table row.
"""

from __future__ import annotations

from dataclasses import dataclass

from ai_toolbox.documents.model import Block, Document


@dataclass(frozen=True)
class Cell:
    text: str
    x0: float
    x1: float
    block: Block

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Row:
    page: int
    cells: list[Cell]

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)


def rows(doc: Document) -> list[Row]:
    out: list[Row] = []
    for page in doc.pages:
        pieces: list[tuple[float, float, Cell]] = []  # (y centre, height, cell)
        flat: list[Row] = []
        for b in page.blocks:
            if b.bbox is None:
                if b.kind == "table" and b.rows:
                    flat.extend(Row(page.number, [Cell(t, i, i + 1, b) for i, t in enumerate(r)]) for r in b.rows)
                else:
                    flat.extend(Row(page.number, [Cell(ln.strip(), 0, 1, b)]) for ln in b.text.split("\n")
                                if ln.strip())
                continue
            x0, y0, x1, y1 = b.bbox
            lines = [ln for ln in b.text.split("\n")]
            h = (y1 - y0) / max(1, len(lines))
            for i, ln in enumerate(lines):
                if ln.strip():
                    pieces.append((y0 + h * (i + 0.5), h, Cell(ln.strip(), x0, x1, b)))
        out.extend(flat)
        pieces.sort(key=lambda t: t[0])
        current: list[tuple[float, float, Cell]] = []
        for piece in pieces:
            if current:
                cy = sum(p[0] for p in current) / len(current)
                if abs(piece[0] - cy) < 0.5 * min(piece[1], current[0][1]):
                    current.append(piece)
                    continue
                out.append(Row(page.number, sorted((p[2] for p in current), key=lambda c: c.x0)))
            current = [piece]
        if current:
            out.append(Row(page.number, sorted((p[2] for p in current), key=lambda c: c.x0)))
    return out
