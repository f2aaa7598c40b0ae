import pytest

from ai_toolbox.assistant.chunking import chunk_pages, chunk_text
from ai_toolbox.assistant.faq import read_faq
from ai_toolbox.errors import InvalidInput, UnsupportedFile


def test_chunks_keep_headings_and_sentence_boundaries():
    text = "# Fees\n" + "The fee is HK$100. " * 60 + "\n\n# 續期\n續期須於兩個月前申請。逾期須重新申請。"
    chunks = chunk_text(text)
    assert {c.section for c in chunks} == {"Fees", "續期"}
    assert len([c for c in chunks if c.section == "Fees"]) >= 2
    for c in chunks:
        assert c.text.endswith((".", "。"))


def test_pages_are_kept_and_headings_carry_over():
    chunks = chunk_pages([(1, "## Opening hours\nWe open at 9 am."), (2, "We close at 5 pm.")])
    assert [(c.page, c.section) for c in chunks] == [(1, "Opening hours"), (2, "Opening hours")]


@pytest.mark.parametrize("header", ["question,answer,category,language", "問題,答案,類別,語言", "问题,答案,类别,语言"])
def test_faq_csv_headers_in_three_languages(tmp_path, header):
    p = tmp_path / "faq.csv"
    p.write_text(header + "\n如何續牌？,網上申請。,licensing,zh-Hant\n", "utf-8")
    [entry] = read_faq(p)
    assert (entry.question, entry.answer, entry.category) == ("如何續牌？", "網上申請。", "licensing")


def test_faq_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Question", "Answer", "Category", "Language"])
    ws.append(["When do you open?", "At 9 am.", "hours", "en"])
    p = tmp_path / "faq.xlsx"
    wb.save(p)
    assert read_faq(p)[0].answer == "At 9 am."


def test_corrupt_faq_spreadsheet_is_a_clear_error(tmp_path):
    p = tmp_path / "faq.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(UnsupportedFile, match="damaged"):
        read_faq(p)


def test_faq_without_answer_column_is_refused(tmp_path):
    p = tmp_path / "faq.csv"
    p.write_text("question,notes\nWhy?,none\n", "utf-8")
    with pytest.raises(InvalidInput, match="answer"):
        read_faq(p)
