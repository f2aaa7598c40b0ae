"""The one shape every loader produces and every document tool reads.

A `Document` is a list of pages; a page is a list of blocks in reading order. Each block keeps its
page number and bounding box (PDF points; None where the format has no geometry) so any output can
cite where it came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BlockKind = Literal["heading", "paragraph", "list", "table", "image"]
BBox = tuple[float, float, float, float]


class Block(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: BlockKind
    text: str
    page: int = Field(1, description="1-based page (sheet for spreadsheets)")
    bbox: BBox | None = None
    language: str | None = Field(None, description="en, zh-Hant, zh-Hans, mixed or unknown")
    rows: list[list[str]] | None = Field(None, description="table cells, row by row (tables only)")
    ocr: bool = Field(False, description="text came from OCR")
    confidence: float | None = None


class Page(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    blocks: list[Block] = Field(default_factory=list)
    width: float | None = None
    height: float | None = None
    ocr: bool = False

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if b.text)


class Document(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    format: str = Field(description="pdf, docx, xlsx, csv, html, text, image")
    pages: list[Page] = Field(default_factory=list)
    language: str | None = None
    encoding: str | None = Field(None, description="detected encoding, for text files")
    warnings: list[str] = Field(default_factory=list)

    @property
    def blocks(self) -> list[Block]:
        return [b for p in self.pages for b in p.blocks]

    @property
    def text(self) -> str:
        return "\n\n".join(t for t in (p.text for p in self.pages) if t)

    @property
    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    def page_of(self, offset: int) -> int:
        """The page holding character `offset` of `self.text`."""
        pos = 0
        for p in self.pages:
            t = p.text
            if not t:
                continue
            end = pos + len(t)
            if offset < end + 2:
                return p.number
            pos = end + 2
        return self.pages[-1].number if self.pages else 1

    def spans(self) -> list[tuple[int, int, Block]]:
        """(start, end, block) for each block within `self.text`."""
        out: list[tuple[int, int, Block]] = []
        pos = 0
        first_page = True
        for p in self.pages:
            if not p.text:
                continue
            if not first_page:
                pos += 2
            first_page = False
            first_block = True
            for b in p.blocks:
                if not b.text:
                    continue
                if not first_block:
                    pos += 1
                first_block = False
                out.append((pos, pos + len(b.text), b))
                pos += len(b.text)
        return out
