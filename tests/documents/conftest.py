"""Real files for the document tests, generated on the fly (small, so the suite stays fast)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from ai_toolbox.documents.fonts import find_cjk_font, subset_font

TEXTS = {
    "en": ["Notice of road works", "The Highways Department will resurface Nathan Road from 1 December 2025. "
           "Traffic will be diverted at night. Residents may call 2123 4567 for details."],
    "zh-Hant": ["道路工程通知", "路政署將於二零二五年十二月一日起重鋪彌敦道路面。晚間交通將會改道。"
                "居民如有查詢，請致電二一二三四五六七。"],
    "zh-Hans": ["道路工程通知", "路政署将于二零二五年十二月一日起重铺弥敦道路面。晚间交通将会改道。"
                "居民如有查询，请致电二一二三四五六七。"],
}


def cjk_font_bytes() -> bytes:
    """Noto CJK cut down to the characters these tests print."""
    chars = "".join(x for v in TEXTS.values() for x in v) + EXTRA_CHARS
    return subset_font("".join(sorted(set(chars))))


EXTRA_CHARS = "會議紀錄出席者陳大文秘密香港身份證號碼電話電郵地址姓名申請人發票的是一二三四五六七八九十年月日，。：、"


def make_pdf(pages: list[list[tuple[str, float]]], password: str | None = None) -> bytes:
    """A text PDF: each page a list of (text, font size) lines, wrapped in a box."""
    import pymupdf

    font = cjk_font_bytes()
    pdf = pymupdf.open()
    for lines in pages:
        page = pdf.new_page(width=595, height=842)
        page.insert_font(fontname="cjk", fontbuffer=font)
        y = 60.0
        for text, size in lines:
            used = _write_wrapped(page, text, size, y)
            y = used + size
    kwargs = {}
    if password:
        kwargs = {"encryption": pymupdf.PDF_ENCRYPT_AES_256, "user_pw": password, "owner_pw": password + "o"}
    data = pdf.tobytes(**kwargs)
    pdf.close()
    return data


def _write_wrapped(page, text: str, size: float, y: float) -> float:  # type: ignore[no-untyped-def]
    import pymupdf

    from ai_toolbox.documents.generate import _wrap

    font = pymupdf.Font(fontbuffer=cjk_font_bytes())
    for line in _wrap(font, text, size, 495):
        y += size * 1.4
        page.insert_text((50, y), line, fontname="cjk", fontsize=size)
    return y


@pytest.fixture
def text_pdf() -> bytes:
    return make_pdf([[(TEXTS["en"][0], 18), (TEXTS["en"][1], 11)],
                     [(TEXTS["zh-Hant"][0], 18), (TEXTS["zh-Hant"][1], 11)]])


def make_docx(title: str, paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(title, level=1)
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=0, cols=len(table[0]))
        for row in table:
            for c, v in zip(t.add_row().cells, row, strict=True):
                c.text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def text_image(text: str, size: int = 25) -> bytes:
    """A line of text drawn at about 12 pt on a 150-dpi page, as PNG."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(find_cjk_font()), size, index=0)
    w = int(font.getlength(text)) + 80
    img = Image.new("L", (w, size * 3), 255)
    ImageDraw.Draw(img).text((40, size), text, font=font, fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(150, 150))
    return buf.getvalue()


@contextmanager
def scripted_model_server(monkeypatch, handler: Callable) -> Iterator:  # type: ignore[type-arg]
    """The `openai` backend pointed at a scripted OpenAI-compatible server (a stand-in for a remote
    model server we do not run); `handler(body)` returns (status, text)."""
    from ai_toolbox.config import reset_settings
    from ai_toolbox.llm.registry import forget_backends
    from tests.llm.servers import ScriptedServer

    with ScriptedServer(handler) as server:
        for key, value in {"BACKEND": "openai", "BASE_URL": server.url, "MODEL": "scripted",
                           "REMOTE": "false"}.items():
            monkeypatch.setenv(f"AITB_LLM__{key}", value)
        reset_settings()
        forget_backends()
        try:
            yield server
        finally:
            forget_backends()
