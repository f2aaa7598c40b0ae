"""Plain text, Markdown and CSV/TSV, in any of the encodings `encoding.decode` recognises."""

from __future__ import annotations

import csv
import io
import re

from ai_toolbox.config import get_settings
from ai_toolbox.documents.ingest import Source, loader
from ai_toolbox.documents.ingest.build import block, document, table_text
from ai_toolbox.documents.ingest.encoding import decode, utf16_cjk
from ai_toolbox.documents.model import Block, Document, Page


def _is_text(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if not head:
        return False
    # UTF-16 without BOM has NULs in every other byte; anything else with NULs is binary.
    zeros = head.count(0)
    if zeros:
        return zeros / len(head) > 0.3 and (head[0::2].count(0) < 5 or head[1::2].count(0) < 5)
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) < 0.02 or utf16_cjk(head[: len(head) // 2 * 2]) is not None


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def _paragraphs(text: str) -> list[Block]:
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        para = para.strip("\n")
        if not para.strip():
            continue
        lines = para.split("\n")
        if len(lines) == 1 and _MD_HEADING.match(para):
            blocks.append(block("heading", _MD_HEADING.sub("", para).strip()))
            continue
        if _MD_HEADING.match(lines[0]):
            blocks.append(block("heading", _MD_HEADING.sub("", lines[0]).strip()))
            lines = lines[1:]
        if lines and all(re.match(r"^\s*(?:[-*+•]|\d+[.)])\s+", ln) for ln in lines if ln.strip()):
            blocks.extend(block("list", ln.strip()) for ln in lines if ln.strip())
        elif lines and all(ln.strip().startswith("|") for ln in lines if ln.strip()):
            rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines
                    if ln.strip() and not re.fullmatch(r"[\s|:-]+", ln)]
            blocks.append(block("table", table_text(rows), rows=rows))
        elif lines:
            blocks.append(block("paragraph", "\n".join(ln.rstrip() for ln in lines).strip()))
    return blocks


@loader("text", ("txt", "md", "markdown", "text", "log", ""), _is_text, priority=90)
def load_text(src: Source) -> Document:
    dec = decode(src.data, src.name)
    return document(src.name, "text", [Page(number=1, blocks=_paragraphs(dec.text))], encoding=dec.encoding)


@loader("csv", ("csv", "tsv"), _is_text, priority=85)
def load_csv(src: Source) -> Document:
    dec = decode(src.data, src.name)
    limit = get_settings().documents.max_sheet_rows
    sample = dec.text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel_tab if src.suffix == "tsv" else csv.excel
    rows, warnings = [], []
    for i, row in enumerate(csv.reader(io.StringIO(dec.text), dialect)):
        if i >= limit:
            warnings.append(f"Only the first {limit} rows were read.")
            break
        if any(c.strip() for c in row):
            rows.append([c.strip() for c in row])
    blocks = [block("table", table_text(rows), rows=rows)] if rows else []
    return document(src.name, "csv", [Page(number=1, blocks=blocks)], encoding=dec.encoding, warnings=warnings)
