"""The document tools on generated files, in all three languages."""

from __future__ import annotations

import io
import json

import pytest

from ai_toolbox.documents import compare, generate, redact, values
from ai_toolbox.documents.extract import extract, get_template, load_template, to_csv, to_xlsx
from ai_toolbox.documents.ingest import ingest
from ai_toolbox.documents.reply import draft_reply
from ai_toolbox.documents.summarise import summarise
from ai_toolbox.errors import InvalidInput, ModelUnavailable
from tests.documents.conftest import TEXTS, make_docx, make_pdf

LANGS = ["en", "zh-Hant", "zh-Hans"]


@pytest.mark.parametrize("lang", LANGS)
def test_invoice_fields_and_line_items_from_digital_pdf(lang):
    s = generate.sample("invoice", lang, 7)
    r = extract(ingest(generate.to_pdf(s), name="inv.pdf"), "invoice")
    assert {k: v.value for k, v in r.fields.items()} == s.gold
    assert r.fields["invoice_number"].page == 1 and r.fields["invoice_number"].confidence > 0.9
    got = [{k: v for k, v in it.items() if k != "confidence"} for it in r.line_items]
    assert got == s.gold_items


@pytest.mark.parametrize(("kind", "template"), [("letter", "letter"), ("form", "application_form")])
@pytest.mark.parametrize("lang", LANGS)
def test_letter_and_form_fields_from_docx(kind, template, lang):
    s = generate.sample(kind, lang, 3)
    r = extract(ingest(generate.to_docx(s), name="x.docx"), template)
    assert {k: v.value for k, v in r.fields.items()} == s.gold


def test_contract_shapes_currency_and_gtin():
    assert values.parse_currency("人民幣 1,000") == "CNY" and values.parse_currency("RMB") == "CNY"
    assert values.parse_currency("港幣") == "HKD" and values.parse_currency("HK$12.00") == "HKD"
    assert values.gtin_valid("4006381333931") and not values.gtin_valid("4006381333932")
    assert values.gtin_valid("96385074") and values.gtin_valid("036000291452") and values.gtin_valid("10614141000415")
    assert values.parse_date("2025年10月20日") == "2025-10-20" == values.parse_date("20/10/2025")
    assert values.parse_date("二零二五年十月二十日") == "2025-10-20"
    assert values.parse_date("October 20, 2025") == values.parse_date("20 Oct 2025") == "2025-10-20"


def test_outputs_csv_xlsx():
    s = generate.sample("invoice", "en", 1)
    r = extract(ingest(generate.to_docx(s), name="x.docx"), "invoice")
    assert s.gold["invoice_number"] in to_csv(r)
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(r)))
    assert wb.sheetnames == ["fields", "line_items"] and wb["line_items"].max_row == len(s.gold_items) + 1


def test_invalid_template_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nfields:\n  a:\n    type: colour\n", "utf-8")
    with pytest.raises(InvalidInput, match="not valid"):
        load_template(bad)
    good = tmp_path / "mine.yaml"
    good.write_text("name: mine\nfields:\n  ref:\n    labels: [File No.]\n", "utf-8")
    assert get_template(str(good)).fields["ref"].labels == ["File No."]


@pytest.mark.parametrize("lang", LANGS)
def test_summary_sentences_link_to_their_pages(lang):
    filler = {"en": "Minor point number {i} about the weather.", "zh-Hant": "第{i}點是有關天氣的小事。",
              "zh-Hans": "第{i}点是有关天气的小事。"}[lang]
    pages = [[(TEXTS[lang][0], 18)] + [(filler.format(i=i), 11) for i in range(3)], [(TEXTS[lang][1], 11)]]
    doc = ingest(make_pdf(pages), name="n.pdf")
    s = summarise(doc, sentences=2)
    assert s.method == "extractive" and len(s.sentences) == 2
    for sent in s.sentences:
        page_text = doc.pages[sent.page - 1].text.replace("\n", "")
        assert sent.source.replace(" ", "") in page_text.replace(" ", "")
    assert any(x.page == 2 for x in s.sentences)


def test_summary_in_the_script_asked_for():
    doc = ingest(make_pdf([[(TEXTS["zh-Hant"][1], 11)]]), name="n.pdf")
    s = summarise(doc, sentences=1, script="zh-Hans")
    assert s.language == "zh-Hans" and "将" in s.text or "晚间" in s.text
    short = summarise(doc, chars=40)
    assert sum(len(x.text) for x in short.sentences) <= 40 or len(short.sentences) == 1


PII_LINE = {"en": "Contact Chan Tai Man at chan.tm@example.com or 9123 4567, HKID A123456(3).",
            "zh-Hant": "聯絡電郵 chan.tm@example.com，電話 9123 4567，身份證號碼 A123456(3)。",
            "zh-Hans": "联络电邮 chan.tm@example.com，电话 9123 4567，身份证号码 A123456(3)。"}


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_redaction_really_removes_the_text(lang):
    data = make_pdf([[("Case note", 16), (PII_LINE[lang], 11)]])
    out = redact.redact(data, "case.pdf")
    text = ingest(out.data, name="r.pdf").text
    assert out.report.verified
    assert "chan.tm@example.com" not in text and "A123456" not in text and "9123 4567" not in text
    assert {"EMAIL", "HKID", "PHONE"} <= set(out.report.counts)
    assert "Case note" in text
    import pymupdf

    with pymupdf.open(stream=out.data, filetype="pdf") as pdf:
        raw = b"".join(pdf.xref_stream(x) or b"" for x in range(1, pdf.xref_length()))
    assert b"example.com" not in raw


def test_docx_redaction_replaces_runs_and_keeps_the_rest():
    import docx

    d = docx.Document()
    p = d.add_paragraph("Email: ")
    p.add_run("chan.tm@").bold = True
    p.add_run("example.com please.")
    d.add_paragraph("Nothing personal here.")
    buf = io.BytesIO()
    d.save(buf)
    out = redact.redact(buf.getvalue(), "x.docx")
    text = ingest(out.data, name="r.docx").text
    assert "[EMAIL]" in text and "example.com" not in text and "Nothing personal here." in text
    assert out.report.counts == {"EMAIL": 1} and out.report.removed[0].preview.startswith("c*")


@pytest.mark.parametrize("lang", LANGS)
def test_compare_marks_changes_inside_sentences(lang):
    old = TEXTS[lang][1]
    new = old.replace("2123 4567", "3142 5555").replace("二一二三四五六七", "三一四二五五五五")
    new = new.replace("Nathan Road", "Queen's Road").replace("彌敦道", "皇后大道").replace("弥敦道", "皇后大道")
    r = compare.compare(ingest(make_docx("v1", [old]), name="a.docx"), ingest(make_docx("v1", [new]), name="b.docx"))
    assert r.counts["replace"] >= 1 and r.counts["equal"] >= 1
    changed = [c for c in r.changes if c.op == "replace"]
    deleted = "".join(p.text for c in changed for p in c.pieces if p.op == "delete")
    inserted = "".join(p.text for c in changed for p in c.pieces if p.op == "insert")
    assert "彌敦" in deleted or "弥敦" in deleted or "Nathan" in deleted
    assert "皇后" in inserted or "Queen" in inserted
    html = compare.to_html(r)
    assert "<del>" in html and "<ins>" in html
    d = ingest(compare.to_docx(r), name="c.docx")
    assert d.format == "docx"


@pytest.mark.parametrize("lang", LANGS)
def test_reply_without_a_model_fills_the_template(lang):
    s = generate.sample("letter", lang, 5)
    d = draft_reply(ingest(generate.to_pdf(s), name="in.pdf"))
    assert d.method == "template" and d.language == lang
    assert s.gold["reference_number"] in d.text and s.gold["sender"] in d.text and s.gold["subject"] in d.text


def test_translate_without_a_model_says_one_is_needed():
    from ai_toolbox.documents.translate import translate

    with pytest.raises(ModelUnavailable, match="needs a language model"):
        translate(ingest(make_docx("t", ["Hello"]), name="a.docx"), "zh-Hant")


def test_glossary_check_finds_missing_terms():
    from ai_toolbox.documents.translate import glossary_hits, missing_terms

    hits = glossary_hits("The Lands Department wrote.", {"Lands Department": "地政總署", "Police": "警務處"})
    assert hits == {"Lands Department": "地政總署"}
    assert missing_terms("地政总署来函。", hits, "zh-Hans") == []
    assert missing_terms("土地部门来函。", hits, "zh-Hans") == ["Lands Department → 地政總署"]


def test_convert_docx_keeps_runs():
    from ai_toolbox.documents.convert import convert

    out = convert(make_docx("软件", ["这个软件的信息"]), "a.docx", config="s2hk")
    text = ingest(out.data, name="b.docx").text
    assert "軟件" in text and "資訊" not in text or "信息" in text
    assert json.loads(json.dumps(out.config)) == "s2hk"
