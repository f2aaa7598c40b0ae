"""Apply a text transformation (conversion, redaction) to a file and return a file of the same kind.

Plain text and Markdown keep their layout (Markdown code spans and fenced blocks are left as they
are); DOCX keeps runs, formatting and tables (paragraphs, tables, headers and footers); XLSX
changes cell text only (formulas and numbers stay). ZIP containers are checked before opening:
total unpacked size, member count and compression ratio, so a ZIP bomb is refused quickly.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import PurePath

from pydantic import BaseModel

from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, TooLarge, UnsupportedFile

Transform = Callable[[str], str]

MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".markdown": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_MEMBERS = 5_000
MAX_RATIO = 200


class ConvertedFile(BaseModel):
    filename: str
    media_type: str
    content: bytes
    audit_id: int | None = None


def suffix_of(filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise UnsupportedFile(f"Cannot process '{filename}': unsupported file type.",
                              hint=f"Use one of: {', '.join(sorted(MEDIA_TYPES))}.")
    return suffix


def transform_file(data: bytes, filename: str, transform: Transform, out_name: str | None = None) -> ConvertedFile:
    """`data` (a file called `filename`) with `transform` applied to its text."""
    limit = get_settings().text.max_file_mb * 1024 * 1024
    if len(data) > limit:
        raise TooLarge(f"The file is {len(data) / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB.",
                       hint="Split the file, or raise AITB_TEXT__MAX_FILE_MB.")
    suffix = suffix_of(filename)
    if suffix == ".docx":
        content = _docx(data, transform)
    elif suffix == ".xlsx":
        content = _xlsx(data, transform)
    elif suffix in (".md", ".markdown"):
        content = markdown(decode_text(data), transform).encode("utf-8")
    else:
        content = transform(decode_text(data)).encode("utf-8")
    return ConvertedFile(filename=out_name or filename, media_type=MEDIA_TYPES[suffix], content=content)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InvalidInput("The file says it is UTF-16 but is not.") from exc
    if b"\x00" in data[:8192]:
        raise UnsupportedFile("This looks like a binary file, not text.",
                              hint="Give a .txt, .md, .docx or .xlsx file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The text is not valid UTF-8 (first bad byte at position {exc.start}).",
            hint="Save it as UTF-8; Big5 and GBK files can be read by `ai-toolbox doc text`.") from exc


_MD_CODE = re.compile(r"(^```.*?^```[ \t]*$|^~~~.*?^~~~[ \t]*$|`[^`\n]+`|\]\([^)\s]+\))", re.S | re.M)


def markdown(text: str, transform: Transform) -> str:
    """Transform Markdown prose; code blocks, code spans and link targets stay as written."""
    out: list[str] = []
    pos = 0
    for m in _MD_CODE.finditer(text):
        out.append(transform(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(transform(text[pos:]))
    return "".join(out)


def check_zip(data: bytes) -> None:
    """Refuse what is not a ZIP, or unpacks too large: total size, member count, compression ratio."""
    if not data.startswith(b"PK"):
        raise UnsupportedFile("This is not an Office Open XML file (DOCX/XLSX are ZIP archives).",
                              hint="Save the document as .docx or .xlsx and try again.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnsupportedFile("The file is damaged: it is not a readable ZIP archive.") from exc
    infos = zf.infolist()
    limit = get_settings().text.max_unpacked_mb * 1024 * 1024
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS:
        raise TooLarge(f"The archive holds {len(infos)} parts; the limit is {MAX_MEMBERS}.")
    if total > limit:
        raise TooLarge(f"The file would unpack to {total / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB "
                       "(this is how ZIP bombs look).", hint="Raise AITB_TEXT__MAX_UNPACKED_MB if the file is genuine.")
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 10 * 1024 * 1024:
            raise TooLarge(f"Part {i.filename} is compressed {i.file_size // i.compress_size}:1, like a ZIP bomb.",
                           hint="Open and re-save the document, or check where it came from.")


def _docx(data: bytes, transform: Transform) -> bytes:
    import docx

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for non-documents
        raise UnsupportedFile(f"Cannot open the DOCX file: {exc}") from exc
    for paragraph in _docx_paragraphs(document):
        _paragraph(paragraph, transform)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_paragraphs(document):  # type: ignore[no-untyped-def]
    def from_container(container):  # type: ignore[no-untyped-def]
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    yield from from_container(cell)

    yield from from_container(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if part is not None and not part.is_linked_to_previous:
                yield from from_container(part)


def _runs(paragraph):  # type: ignore[no-untyped-def]
    """The paragraph's runs in reading order, those inside hyperlinks included."""
    if not hasattr(paragraph, "iter_inner_content"):
        return list(paragraph.runs)
    out = []
    for item in paragraph.iter_inner_content():
        out.extend(getattr(item, "runs", None) or [item])
    return out


def _paragraph(paragraph, transform: Transform) -> None:  # type: ignore[no-untyped-def]
    runs = [r for r in _runs(paragraph) if r.text]
    if not runs:
        return
    texts = [r.text for r in runs]
    whole = "".join(texts)
    changed = transform(whole)
    if changed == whole:
        return
    if len(changed) == len(whole):
        # Same length: cut the result back along the original run boundaries, so words that
        # cross runs are converted in context and every run keeps its formatting.
        pos = 0
        for run, t in zip(runs, texts, strict=True):
            run.text = changed[pos:pos + len(t)]
            pos += len(t)
        return
    if len(whole) > 20_000:
        for run, t in zip(runs, texts, strict=True):
            run.text = transform(t)
        return
    # Otherwise map each edit onto the run where it starts (a redacted name that crosses runs
    # becomes one tag in its first run) and keep the unchanged characters where they were.
    owner = [i for i, t in enumerate(texts) for _ in t]
    parts: list[list[str]] = [[] for _ in runs]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, whole, changed, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i1, i2):
                parts[owner[k]].append(whole[k])
        else:
            target = owner[i1 - 1] if tag == "insert" and i1 > 0 else owner[min(i1, len(owner) - 1)]
            parts[target].append(changed[j1:j2])
    for run, chunk in zip(runs, parts, strict=True):
        run.text = "".join(chunk)


def _xlsx(data: bytes, transform: Transform) -> bytes:
    import openpyxl

    check_zip(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data))
    except Exception as exc:
        raise UnsupportedFile(f"Cannot open the XLSX file: {exc}") from exc
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and v and not v.startswith("="):
                    cell.value = transform(v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
