"""Images (PNG, JPEG, TIFF with several pages) read by OCR."""

from __future__ import annotations

import io

from ai_toolbox.config import get_settings
from ai_toolbox.documents import ocr
from ai_toolbox.documents.ingest import Source, loader
from ai_toolbox.documents.ingest.build import block, document
from ai_toolbox.documents.model import Document, Page
from ai_toolbox.errors import TooLarge, UnsupportedFile

MAX_PIXELS = 60_000_000


def _sniff(data: bytes) -> bool:
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


@loader("image", ("png", "jpg", "jpeg", "tif", "tiff"), _sniff, priority=30)
def load_image(src: Source) -> Document:
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    ocr.require()
    settings = get_settings().documents
    try:
        img = Image.open(io.BytesIO(src.data))
        img.verify()
        img = Image.open(io.BytesIO(src.data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedFile(f"{src.name} is not a readable image (damaged or truncated).",
                              hint="Export the image again, or scan it to PDF.") from exc
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"{src.name} is too large an image to read safely.") from exc
    pages, warnings = [], []
    dpi = img.info.get("dpi", (settings.ocr_dpi, settings.ocr_dpi))[0] or settings.ocr_dpi
    scale = 72.0 / float(dpi)
    try:
        for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
            if n > settings.max_ocr_pages:
                warnings.append(f"Only the first {settings.max_ocr_pages} pages were read.")
                break
            if frame.width * frame.height > MAX_PIXELS:
                raise TooLarge(f"Page {n} of {src.name} is {frame.width}×{frame.height} pixels, too large to OCR.",
                               hint="Scan at 150–300 dpi.")
            arr = np.asarray(frame.convert("RGB"))
            blocks = [block("paragraph", ln.text, n, tuple(v * scale for v in ln.bbox), ocr=True,  # type: ignore[arg-type]
                            confidence=round(ln.score, 4)) for ln in ocr.recognise(arr)]
            pages.append(Page(number=n, blocks=blocks, width=frame.width * scale, height=frame.height * scale,
                              ocr=True))
    except OSError as exc:
        raise UnsupportedFile(f"{src.name} is damaged or truncated.", hint="Export the image again.") from exc
    if not any(p.blocks for p in pages):
        warnings.append("No text was recognised in this image.")
    return document(src.name, "image", pages, warnings=warnings)
