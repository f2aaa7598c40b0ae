"""HTML with the standard library parser: headings, paragraphs, list items and tables."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ai_toolbox.documents.ingest import Source, loader
from ai_toolbox.documents.ingest.build import block, document, table_text
from ai_toolbox.documents.ingest.encoding import decode
from ai_toolbox.documents.model import Block, Document, Page

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def _sniff(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode()
    return bool(_HTML_START.match(head))


_BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "blockquote", "pre", "address",
               "dd", "dt", "figcaption", "br", "main", "nav", "aside"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.kind = "paragraph"
        self.skip = 0
        self.title = False
        self.table: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.buf)).strip()
        text = re.sub(r"\s*\n\s*", "\n", text)
        if text:
            self.blocks.append(block(self.kind, text))  # type: ignore[arg-type]
        self.buf, self.kind = [], "paragraph"

    def handle_starttag(self, tag: str, attrs) -> None:  # type: ignore[no-untyped-def]
        if tag == "title":
            self.title = True
            return
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "table":
            self._flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in _HEADINGS or tag == "li" or tag in _BLOCK_TAGS:
            if self.cell is not None:
                self.cell.append(" ")
                return
            self._flush()
            self.kind = "heading" if tag in _HEADINGS else "list" if tag == "li" else "paragraph"

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.title = False
            return
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.table is not None and self.row is not None:
            if any(self.row):
                self.table.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            if self.table:
                self.blocks.append(block("table", table_text(self.table), rows=self.table))
            self.table = None
        elif (tag in _HEADINGS or tag == "li" or tag in _BLOCK_TAGS) and self.cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip or self.title:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.buf.append(data)


@loader("html", ("html", "htm", "xhtml"), _sniff, priority=70)
def load_html(src: Source) -> Document:
    dec = decode(src.data, src.name)
    p = _Parser()
    p.feed(dec.text)
    p.close()
    p._flush()
    return document(src.name, "html", [Page(number=1, blocks=p.blocks)], encoding=dec.encoding)
