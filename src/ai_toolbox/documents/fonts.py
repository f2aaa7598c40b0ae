"""Find a CJK font file at run time (Noto CJK from Debian's fonts-noto-cjk, or a configured path)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ai_toolbox.config import get_settings
from ai_toolbox.errors import ModelUnavailable

FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
             Path("/Library/Fonts"), Path("C:/Windows/Fonts")]
NAMES = ["NotoSansCJK-Regular.ttc", "NotoSansCJKtc-Regular.otf", "NotoSansCJKsc-Regular.otf",
         "NotoSerifCJK-Regular.ttc", "NotoSansTC-Regular.otf", "NotoSansSC-Regular.otf"]


def find_cjk_font() -> Path:
    """The CJK font file to draw Chinese with; raises with an install hint when there is none."""
    configured = get_settings().documents.font_path
    if configured:
        if configured.is_file():
            return configured
        raise ModelUnavailable(f"The configured font {configured} does not exist.",
                               hint="Fix AITB_DOCUMENTS__FONT_PATH, or unset it to use Noto CJK.")
    found = _search()
    if found is None:
        raise ModelUnavailable(
            "No CJK font found, so Chinese text cannot be drawn.",
            hint="Install Debian's fonts-noto-cjk (scripts/system-deps.sh does it), or set AITB_DOCUMENTS__FONT_PATH.",
        )
    return found


@lru_cache(maxsize=1)
def _search() -> Path | None:
    for name in NAMES:
        for d in FONT_DIRS:
            if not d.is_dir():
                continue
            hits = sorted(d.rglob(name))
            if hits:
                return hits[0]
    return None


@lru_cache(maxsize=8)
def subset_font(chars: str) -> bytes:
    """The CJK font cut down to `chars` (an OpenType file in memory), small enough to embed in a PDF.

    Embedding the whole Noto CJK collection would add ~14 MB and seconds to every generated PDF.
    """
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = find_cjk_font()
    font = None
    if path.suffix.lower() == ".ttc":
        for number in (4, 3, 0):  # Noto CJK collections: HK, TC, then the first face
            try:
                candidate = TTFont(str(path), fontNumber=number, lazy=True)
            except Exception:
                continue
            name = str(candidate["name"].getDebugName(4) or "")
            if number == 0 or "HK" in name or "TC" in name:
                font = candidate
                break
    if font is None:
        font = TTFont(str(path), lazy=True)
    opts = subset.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(text=chars + "".join(chr(c) for c in range(32, 127)))
    sub.subset(font)
    _flatten_cid(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _flatten_cid(font) -> None:  # type: ignore[no-untyped-def]
    """Make a CID-keyed CFF name-keyed: MuPDF draws a subset CID font's glyphs blank otherwise."""
    if "CFF " not in font:
        return
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return
    cff.desubroutinize()
    top.Private = top.FDArray[0].Private
    for key in ("ROS", "FDArray", "FDSelect", "CIDCount"):
        top.rawDict.pop(key, None)
        if hasattr(top, key):
            delattr(top, key)
    top.charset = font.getGlyphOrder()
