"""`ai-toolbox doctor` checks for document processing (cheap: look for packages and files only)."""

from __future__ import annotations

from ai_toolbox.doctor import Finding, check, has_module


@check("documents-ocr")
def _ocr() -> Finding:
    from ai_toolbox.documents import ocr

    ok = ocr.available()
    detail = "installed; scans and images are read" if ok else ocr.INSTALL_HINT
    return Finding("OCR (rapidocr + onnxruntime)", ok, detail)


@check("documents-cjk-font")
def _font() -> Finding:
    from ai_toolbox.documents.fonts import find_cjk_font
    from ai_toolbox.errors import ToolboxError

    try:
        return Finding("CJK font (generated documents)", True, str(find_cjk_font().name))
    except ToolboxError as exc:
        return Finding("CJK font (generated documents)", False, exc.hint or exc.message)


@check("documents-formats")
def _formats() -> Finding:
    from ai_toolbox.documents.ingest import supported_extensions

    ok = has_module("pymupdf") and has_module("docx") and has_module("openpyxl")
    return Finding("document formats", ok, ", ".join(e for e in supported_extensions() if e), optional=False)
