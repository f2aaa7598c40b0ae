import io
import zipfile

import docx
import openpyxl
import pytest

from ai_toolbox.errors import InvalidInput, TooLarge, UnsupportedFile
from ai_toolbox.text.convert import convert
from ai_toolbox.text.files import decode_text, markdown, transform_file
from ai_toolbox.text.pii import redact


def s2hk(t: str) -> str:
    return convert(t, "s2hk")


def test_docx_conversion_keeps_runs_formatting_tables_and_headers(sample_docx):
    out = transform_file(sample_docx, "a.docx", s2hk)
    d = docx.Document(io.BytesIO(out.content))
    runs = d.paragraphs[0].runs
    assert [r.text for r in runs] == ["頭髮", "與發展"]
    assert runs[0].bold and runs[1].italic
    cells = [c.text for row in d.tables[0].rows for c in row.cells]
    assert cells == ["港島綫", "核心", "信息", "http://例子.香港/头发"]
    assert d.sections[0].header.paragraphs[0].text == "頁眉：港島綫"


def test_docx_redaction_across_runs_keeps_other_runs(sample_docx):
    out = transform_file(sample_docx, "a.docx", lambda t: redact(t, "tag").text)
    p = docx.Document(io.BytesIO(out.content)).paragraphs[1]
    assert p.text == "联系人：[PERSON]，电话 [PHONE]"
    assert p.runs[1].bold  # the tag sits in the run where the name started


def test_xlsx_converts_cell_text_only(sample_xlsx):
    out = transform_file(sample_xlsx, "a.xlsx", s2hk)
    ws = openpyxl.load_workbook(io.BytesIO(out.content)).active
    assert ws["A2"].value == "頭髮"
    assert ws["B2"].value == 3 and ws["C2"].value == "=B2*2"
    assert ws["A3"].value == "電郵 chan@example.com"


def test_markdown_leaves_code_and_link_targets():
    md = "# 头发\n\n见[头发](http://x.cn/头发)和`头发`。\n\n```\n头发\n```\n"
    assert markdown(md, s2hk) == "# 頭髮\n\n見[頭髮](http://x.cn/头发)和`头发`。\n\n```\n头发\n```\n"


def test_plain_text_file():
    out = transform_file("头发".encode(), "a.txt", s2hk)
    assert out.content.decode() == "頭髮" and out.media_type.startswith("text/plain")


def test_zip_bomb_docx_is_refused(monkeypatch):
    from ai_toolbox.config import reset_settings

    monkeypatch.setenv("AITB_TEXT__MAX_UNPACKED_MB", "5")
    reset_settings()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (20 * 1024 * 1024))
    with pytest.raises(TooLarge, match="unpack"):
        transform_file(buf.getvalue(), "bomb.docx", s2hk)


@pytest.mark.parametrize(("data", "name", "error"), [
    (b"\x00\x01\x02binary", "a.txt", UnsupportedFile),
    ("頭髮".encode("big5") + "頭髮".encode(), "a.txt", InvalidInput),  # mixed encodings
    (b"not a zip", "a.docx", UnsupportedFile),
    (b"PK\x03\x04broken", "a.xlsx", UnsupportedFile),
    (b"x", "a.pdf", UnsupportedFile),
])
def test_bad_files_are_clear_errors(data, name, error):
    with pytest.raises(error):
        transform_file(data, name, s2hk)


def test_file_size_limit(monkeypatch):
    from ai_toolbox.config import reset_settings

    monkeypatch.setenv("AITB_TEXT__MAX_FILE_MB", "1")
    reset_settings()
    with pytest.raises(TooLarge):
        transform_file(b"a" * (2 * 1024 * 1024), "a.txt", s2hk)


def test_utf16_with_bom_is_read():
    assert decode_text("头发".encode("utf-16")) == "头发"


def test_docx_hyperlink_text_is_converted():
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    p = d.add_paragraph("见")
    r_id = d.part.relate_to("http://example.com/头发", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "头发网页"
    run.append(t)
    link.append(run)
    p._p.append(link)
    buf = io.BytesIO()
    d.save(buf)
    out = transform_file(buf.getvalue(), "l.docx", s2hk)
    para = docx.Document(io.BytesIO(out.content)).paragraphs[0]
    assert para.text == "見頭髮網頁"
