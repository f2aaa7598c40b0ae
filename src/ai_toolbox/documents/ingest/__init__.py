"""Turn any supported file into a `Document`.

Each format is a loader module that registers itself with `@loader(...)`, naming the extensions it
reads and a sniffing function on the file's bytes (a prefix, or a ZIP's part names).
The content decides: a file whose extension lies is read by the loader
its bytes match; the extension only breaks ties between text formats.

    doc = ingest(Path("letter.pdf"))            # or ingest(data, name="letter.pdf", password="…")
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ai_toolbox.config import get_settings
from ai_toolbox.documents.model import Document
from ai_toolbox.errors import NotFound, TooLarge, UnsupportedFile


@dataclass(frozen=True)
class Source:
    """What a loader receives: the bytes, the name the user gave, and options."""

    data: bytes
    name: str
    password: str | None = None
    ocr: bool = True

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower().lstrip(".")


@dataclass(frozen=True)
class Loader:
    format: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    load: Callable[[Source], Document]
    priority: int = 50  # lower sniffs first; text formats sniff last


LOADERS: dict[str, Loader] = {}

# Modules whose import registers a loader (a third-party loader adds itself the same way).
LOADER_MODULES = [
    "ai_toolbox.documents.ingest.pdf",
    "ai_toolbox.documents.ingest.office",
    "ai_toolbox.documents.ingest.image",
    "ai_toolbox.documents.ingest.html",
    "ai_toolbox.documents.ingest.text",
]


def loader(fmt: str, extensions: tuple[str, ...], sniff: Callable[[bytes], bool], priority: int = 50):  # type: ignore[no-untyped-def]
    def register(fn: Callable[[Source], Document]) -> Callable[[Source], Document]:
        LOADERS[fmt] = Loader(fmt, extensions, sniff, fn, priority)
        return fn

    return register


def _load_modules() -> None:
    for name in LOADER_MODULES:
        importlib.import_module(name)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(data: bytes, name: str = "") -> str:
    """The loader format for these bytes: content first, extension for plain-text kinds."""
    _load_modules()
    if data.startswith(OLE_MAGIC):
        raise UnsupportedFile(
            f"{name or 'This file'} is an old binary Office file (.doc/.xls/.ppt).",
            hint="Open it in Office or LibreOffice and save it as .docx or .xlsx, then try again.",
        )
    suffix = Path(name).suffix.lower().lstrip(".")
    ordered = sorted(LOADERS.values(), key=lambda ld: ld.priority)
    # Binary formats announce themselves; text kinds (csv, md, html) are told apart by extension.
    for ld in ordered:
        if ld.priority < 80 and ld.sniff(data):
            return ld.format
    for ld in ordered:
        if ld.priority >= 80 and suffix in ld.extensions and ld.sniff(data):
            return ld.format
    for ld in ordered:
        if ld.priority >= 80 and ld.sniff(data):
            return ld.format
    if data.startswith(b"PK\x03\x04"):
        raise UnsupportedFile(
            f"{name or 'This file'} is a ZIP container but not a readable DOCX or XLSX (damaged or truncated?).",
            hint="Save it again from Office or LibreOffice; for many files use batch with a ZIP.",
        )
    raise UnsupportedFile(
        f"Cannot tell what kind of file {name or 'this'} is.",
        hint="Supported: PDF, DOCX, XLSX, CSV, HTML, TXT/Markdown, PNG, JPEG, TIFF.",
    )


def ingest(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    password: str | None = None,
    ocr: bool = True,
) -> Document:
    """Read a file (path or bytes) into a `Document`. Raises a `ToolboxError` on bad input."""
    settings = get_settings().documents
    limit = settings.max_file_mb * 1024 * 1024
    if isinstance(source, bytes):
        data, label = source, name or "upload"
    else:
        path = Path(source)
        if not path.is_file():
            raise NotFound(f"No such file: {path}", hint="Check the path and try again.")
        size = path.stat().st_size
        if size > limit:
            raise _too_large(size, limit)
        data, label = path.read_bytes(), name or path.name
    if len(data) > limit:
        raise _too_large(len(data), limit)
    if not data:
        raise UnsupportedFile(f"{label} is empty.", hint="Check that the file was saved or uploaded completely.")
    fmt = detect_format(data, label)
    return LOADERS[fmt].load(Source(data=data, name=label, password=password, ocr=ocr))


def _too_large(size: int, limit: int) -> TooLarge:
    return TooLarge(
        f"The file is {size / 1024 / 1024:.0f} MB; the limit is {limit // 1024 // 1024} MB.",
        hint="Split the file, or ask an administrator to raise AITB_DOCUMENTS__MAX_FILE_MB.",
    )


def supported_extensions() -> list[str]:
    _load_modules()
    return sorted({e for ld in LOADERS.values() for e in ld.extensions})
