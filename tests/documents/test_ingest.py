"""Ingest: every format into one Document, encodings, lying extensions and bad input."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from ai_toolbox.config import reset_settings
from ai_toolbox.documents.ingest import detect_format, ingest
from ai_toolbox.errors import ModelUnavailable, NotPermitted, TooLarge, ToolboxError, UnsupportedFile
from tests.documents.conftest import TEXTS, make_docx, make_pdf, text_image


def test_pdf_pages_headings_and_languages(text_pdf):
    doc = ingest(text_pdf, name="notice.pdf")
    assert doc.format == "pdf" and len(doc.pages) == 2
    first, second = doc.pages
    assert first.blocks[0].kind == "heading" and first.blocks[0].text == TEXTS["en"][0]
    assert "Nathan Road" in first.text and first.blocks[1].language == "en"
    assert second.blocks[0].kind == "heading" and second.blocks[0].language == "zh-Hant"
    assert "彌敦道" in second.text and all(b.page == 2 for b in second.blocks)
    assert all(b.bbox is not None for b in doc.blocks)


def _running_text_page(lang: str) -> list[tuple[str, float]]:
    """A heading, one-line paragraphs and a wrapped one: a page PDF ingest reads from the block list."""
    sentences = [x for x in re.split(r"(?<=[。.])\s*", TEXTS[lang][1]) if x]
    return [(TEXTS[lang][0], 18)] + [(x, 11) for x in sentences] + [(TEXTS[lang][1], 11)]


def test_each_pdf_page_keeps_its_own_chinese_script():
    """Traditional pages first must not make a later Simplified page Traditional."""
    import pymupdf

    from ai_toolbox.documents.ingest.pdf import _fast_blocks

    order = ["zh-Hant", "zh-Hant", "zh-Hant", "zh-Hans", "en", "zh-Hant", "zh-Hans"]
    data = make_pdf([_running_text_page(lang) for lang in order])
    with pymupdf.open(stream=data, filetype="pdf") as pdf:  # the pages take the block-list path
        assert all(_fast_blocks(p.get_textpage(flags=0).extractBLOCKS(), 1) is not None for p in pdf)
    doc = ingest(data, name="mixed.pdf")
    assert [{b.language for b in p.blocks} for p in doc.pages] == [{lang} for lang in order]
    assert doc.pages[3].blocks[0].kind == "heading" and len(doc.pages[3].blocks) == 5


@pytest.mark.parametrize(("text", "script"), [
    (TEXTS["zh-Hant"][1], "zh-Hant"),
    (TEXTS["zh-Hans"][1], "zh-Hans"),
    ("道路工程通知", None),  # nothing tells the scripts apart
    (TEXTS["zh-Hant"][1][:40] + TEXTS["zh-Hans"][1][:40], None),  # both
    ("道路工程通知" * 20 + TEXTS["zh-Hans"][1], "zh-Hans"),  # the evidence starts past the short sample
])
def test_chinese_script_of_a_page(text, script):
    from ai_toolbox.documents.textcore import chinese_script

    assert chinese_script(text) == script


@pytest.mark.parametrize("texts", [
    ["Notice", "The road will close at 10 pm.", "1. Bring your card", "2024"],
    ["通知", "運輸署將封閉彌敦道。", "一、請帶同身份證", "Please call 2123 4567 about 彌敦道 works today"],
    ["通知", "运输署将封闭弥敦道。", "Ref\u2011No\u2010 12", "\u2f00\u2f08 radicals", "1\u22122"],
    ["⼈⼝ 普查", "plain text", "12 34"],
])
def test_page_blocks_match_block_by_block(texts):
    """Building a PDF page's blocks at once gives what one `block()` call per block gives."""
    from ai_toolbox.documents.ingest.build import block, page_blocks, page_script

    items = [("heading" if i == 0 else "paragraph", t, (0.0, 10.0 * i, 100.0, 10.0 * i + 9))
             for i, t in enumerate(texts)]
    together = page_blocks(items, 3)
    hint = page_script("\n".join(b.text for b in together))
    assert together == [block(k, t, 3, bb, zh_hint=hint) for k, t, bb in items]
    assert all(b.page == 3 and b.language for b in together)


def test_extension_that_lies_is_read_by_content(text_pdf):
    assert detect_format(text_pdf, "minutes.docx") == "pdf"
    assert ingest(text_pdf, name="minutes.docx").format == "pdf"
    docx = make_docx("Minutes", ["Meeting held."])
    assert ingest(docx, name="minutes.pdf").format == "docx"


def test_docx_headings_paragraphs_and_tables():
    data = make_docx("會議紀錄", ["出席者：陳大文", "- first point"], [["Item", "Qty"], ["Chairs", "12"]])
    doc = ingest(data, name="m.docx")
    kinds = [b.kind for b in doc.blocks]
    assert kinds[0] == "heading" and "table" in kinds
    table = doc.tables[0]
    assert table.rows == [["Item", "Qty"], ["Chairs", "12"]]
    assert doc.blocks[1].language == "zh-Hant"


def test_xlsx_sheets_become_pages():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Item", "HK$"])
    wb.active.append(["Printing", 1200])
    ws = wb.create_sheet("預算")
    ws.append(["項目", "金額"])
    buf = io.BytesIO()
    wb.save(buf)
    doc = ingest(buf.getvalue(), name="b.xlsx")
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.pages[0].blocks[1].rows == [["Item", "HK$"], ["Printing", "1200"]]
    assert doc.pages[1].blocks[0].text == "預算"


def test_csv_and_html():
    csv_doc = ingest("name,amount\n陳大文,100\n".encode("big5"), name="a.csv")
    assert csv_doc.format == "csv" and csv_doc.tables[0].rows[1] == ["陳大文", "100"]
    html = ("<!doctype html><html><head><title>t</title><script>var x=1;</script></head><body>"
            "<h1>Notice</h1><p>Roads <b>closed</b>.</p><ul><li>one</li></ul>"
            "<table><tr><th>A</th><td>1</td></tr></table></body></html>")
    doc = ingest(html.encode(), name="page.txt")
    assert doc.format == "html"
    assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "Notice"), ("paragraph", "Roads closed."),
                                                      ("list", "one"), ("table", "A\t1")]


def test_markdown_blocks():
    doc = ingest(b"# Title\n\nSome text here.\n\n- a\n- b\n", name="n.md")
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "list", "list"]


ENCODED = [
    ("utf-8", "香港特別行政區政府通告：請於月底前遞交表格。".encode()),
    ("utf-8", "香港特別行政區政府通告。".encode("utf-8-sig")),
    ("utf-16-le", "香港特別行政區政府通告。".encode("utf-16")),
    ("utf-16-le", "政府通告：請於月底前遞交申請表格。".encode("utf-16-le")),
    ("big5", "香港特別行政區政府通告：請於月底前遞交申請表格，逾期恕不受理。".encode("big5")),
    ("big5hkscs", "我哋嘅大廈𨋢壞咗，請盡快派人嚟維修，唔該晒。".encode("big5hkscs")),
    ("gbk", "香港特别行政区政府通告：请于月底前递交申请表格，逾期恕不受理。".encode("gbk")),
    ("gb18030", "请于月底前递交申请表格𠀀，逾期恕不受理。".encode("gb18030")),
]


@pytest.mark.parametrize(("encoding", "data"), ENCODED, ids=[f"{e}-{i}" for i, (e, _) in enumerate(ENCODED)])
def test_text_encodings_are_detected(encoding, data):
    doc = ingest(data, name="notice.txt")
    assert doc.encoding == encoding
    assert "\ufffd" not in doc.text and ("申請" in doc.text or "申请" in doc.text or "維修" in doc.text
                                         or "通告" in doc.text)


def test_encrypted_pdf_needs_the_password():
    data = make_pdf([[("Secret minutes of the meeting.", 11)]], password="s3cret")
    with pytest.raises(NotPermitted, match="password"):
        ingest(data, name="locked.pdf")
    with pytest.raises(NotPermitted, match="wrong"):
        ingest(data, name="locked.pdf", password="nope")
    assert "Secret minutes" in ingest(data, name="locked.pdf", password="s3cret").text


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_an_error_or_a_partial_document(text_pdf, cut):
    data = text_pdf[: int(len(text_pdf) * cut)]
    try:
        doc = ingest(data, name="cut.pdf")
    except ToolboxError as exc:
        assert exc.message
    else:
        assert doc.format == "pdf"


def test_garbage_and_empty_files_are_refused():
    with pytest.raises(UnsupportedFile):
        ingest(b"%PDF-1.7\n" + bytes(range(256)) * 20, name="bad.pdf")
    with pytest.raises(UnsupportedFile, match="empty"):
        ingest(b"", name="x.txt")
    with pytest.raises(UnsupportedFile, match="Cannot tell"):
        ingest(b"\x00\x01\x02\x03" * 100 + b"\x00" * 10, name="blob.bin")
    with pytest.raises(UnsupportedFile, match="damaged"):
        ingest(b"PK\x03\x04" + b"\x00" * 100, name="x.docx")


def test_old_binary_office_files_say_how_to_convert():
    with pytest.raises(UnsupportedFile, match="old binary Office") as err:
        ingest(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, name="report.doc")
    assert "docx" in (err.value.hint or "")


def test_zip_bomb_docx_is_refused():
    docx = make_docx("t", ["x"])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/media/bomb.bin", b"\x00" * 60_000_000)
    with pytest.raises(TooLarge, match="ZIP bomb"):
        ingest(buf.getvalue(), name="bomb.docx")


def test_file_over_the_size_limit_is_refused_before_parsing(monkeypatch, tmp_path):
    monkeypatch.setenv("AITB_DOCUMENTS__MAX_FILE_MB", "1")
    reset_settings()
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2 * 1024 * 1024))
    with pytest.raises(TooLarge, match="limit is 1 MB"):
        ingest(big)


def many_page_pdf(n: int) -> bytes:
    """A PDF of n pages sharing one content stream, written by hand so it takes no time to make."""
    content = b"BT /F1 12 Tf 20 50 Td (Same page) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (5 + i) for i in range(n)) + b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> "
             b"/Contents 4 0 R >>"] * n
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


@pytest.mark.slow
def test_very_long_pdf_is_bounded(monkeypatch):
    monkeypatch.setenv("AITB_DOCUMENTS__MAX_PAGES", "300")
    reset_settings()
    doc = ingest(many_page_pdf(5000), name="long.pdf")
    assert len(doc.pages) == 300 and "300 of 5000" in doc.warnings[0]


def test_scanned_pdf_without_ocr_says_how_to_install(monkeypatch):
    from ai_toolbox.documents import generate, ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    scan = generate.to_scanned_pdf(make_pdf([[("Scanned page", 12)]]))
    with pytest.raises(ModelUnavailable, match="OCR is not installed") as err:
        ingest(scan, name="scan.pdf")
    assert "ai-toolbox[ocr]" in (err.value.hint or "")


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "line"), [
    ("en", "Please reply by 30 November 2025."),
    ("zh-Hant", "請於二零二五年十一月三十日前回覆。"),
    ("zh-Hans", "请于二零二五年十一月三十日前回复。"),
])
def test_image_ocr_reads_each_script(lang, line):
    doc = ingest(text_image(line), name=f"{lang}.png")
    assert doc.format == "image" and doc.pages[0].ocr
    assert doc.text.replace(" ", "") == line.replace(" ", "")
    assert doc.language == lang


@pytest.mark.slow
def test_noise_image_gives_a_bounded_result():
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(1)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (400, 400), dtype=np.uint8), mode="L").save(buf, format="PNG")
    doc = ingest(buf.getvalue(), name="noise.png")
    assert len(doc.pages) == 1 and len(doc.text) < 200
