"""DOCX (python-docx) and XLSX (openpyxl), after checking the ZIP container is not a bomb."""

from __future__ import annotations

import io
import zipfile

from ai_toolbox.config import get_settings
from ai_toolbox.documents.ingest import Source, loader
from ai_toolbox.documents.ingest.build import block, document, table_text
from ai_toolbox.documents.model import Block, Document, Page
from ai_toolbox.errors import TooLarge, UnsupportedFile

ZIP_MAGIC = b"PK\x03\x04"


def _names(data: bytes) -> set[str]:
    if not data.startswith(ZIP_MAGIC):
        return set()
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def check_zip(data: bytes, name: str) -> None:
    """Refuse damaged archives and ones that would unpack to far more than they weigh."""
    settings = get_settings().documents
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFile(f"{name} is damaged or truncated (its ZIP container cannot be read).",
                              hint="Save the file again from Office or LibreOffice and retry.") from exc
    if len(infos) > 10_000:
        raise TooLarge(f"{name} holds {len(infos)} parts, too many for an office file.")
    total = sum(i.file_size for i in infos)
    if total > settings.max_unzipped_mb * 1024 * 1024:
        raise TooLarge(f"{name} would unpack to {total / 1024 / 1024:.0f} MB (a ZIP bomb or a huge file); "
                       f"the limit is {settings.max_unzipped_mb} MB.",
                       hint="Check the file's origin; an administrator can raise AITB_DOCUMENTS__MAX_UNZIPPED_MB.")
    for i in infos:
        if i.compress_size and i.file_size > 1_000_000 and i.file_size / i.compress_size > settings.max_zip_ratio:
            raise TooLarge(f"{name} contains a part ({i.filename}) compressed {i.file_size // i.compress_size}:1, "
                           "which is how ZIP bombs look.", hint="Check where the file came from.")


def _docx_sniff(data: bytes) -> bool:
    return "word/document.xml" in _names(data)


def _xlsx_sniff(data: bytes) -> bool:
    return "xl/workbook.xml" in _names(data)


@loader("docx", ("docx", "docm", "dotx"), _docx_sniff, priority=20)
def load_docx(src: Source) -> Document:
    check_zip(src.data, src.name)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(io.BytesIO(src.data))
    except Exception as exc:
        raise UnsupportedFile(f"{src.name} is not a readable Word document (damaged or truncated).",
                              hint="Save it again from Word or LibreOffice and retry.") from exc
    blocks: list[Block] = []
    for item in d.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style.startswith("Heading") or style == "Title":
                kind = "heading"
            elif "List" in style:
                kind = "list"
            else:
                kind = "paragraph"
            blocks.append(block(kind, text))  # type: ignore[arg-type]
        elif isinstance(item, Table):
            rows = _docx_rows(item)
            if rows:
                blocks.append(block("table", table_text(rows), rows=rows))
    return document(src.name, "docx", [Page(number=1, blocks=blocks)])


def _docx_rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    rows = []
    for r in table.rows:
        cells, last = [], None
        for c in r.cells:
            if c._tc is last:  # a merged cell repeats; keep it once
                continue
            last = c._tc
            cells.append(c.text.strip())
        rows.append(cells)
    return rows


@loader("xlsx", ("xlsx", "xlsm"), _xlsx_sniff, priority=20)
def load_xlsx(src: Source) -> Document:
    check_zip(src.data, src.name)
    import openpyxl

    settings = get_settings().documents
    try:
        wb = openpyxl.load_workbook(io.BytesIO(src.data), read_only=True, data_only=True)
    except Exception as exc:
        raise UnsupportedFile(f"{src.name} is not a readable Excel workbook (damaged or truncated).",
                              hint="Save it again from Excel or LibreOffice and retry.") from exc
    pages, warnings = [], []
    try:
        for n, ws in enumerate(wb.worksheets, start=1):
            rows: list[list[str]] = []
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                if i >= settings.max_sheet_rows:
                    warnings.append(f"Sheet {ws.title}: only the first {settings.max_sheet_rows} rows were read.")
                    break
                cells = ["" if v is None else str(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append(cells)
            blocks = [block("heading", ws.title, n)]
            if rows:
                blocks.append(block("table", table_text(rows), n, rows=rows))
            pages.append(Page(number=n, blocks=blocks))
    finally:
        wb.close()
    return document(src.name, "xlsx", pages, warnings=warnings)
