"""The Documents page: upload, tools beside the source with page citations, outputs, compare,
batch as a job, bad uploads and other departments."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from ai_toolbox import jobs

pytest.importorskip("ai_toolbox.documents.service", reason="that service is not in this build yet")

HTML = {"accept": "text/html"}
LETTER_EN = [
    "Notice of road works",
    "Our ref: HyD/RW/2025/118. Date: 20 October 2025.",
    "The Highways Department will resurface Nathan Road from 1 December 2025. Traffic will be diverted at night.",
    "Residents may call 2123 4567 for details. Mr Chan Tai Man, HKID A123456(3), lives at the site.",
]
LETTER_ZH = ["道路工程通知", "路政署將於二零二五年十二月一日起重鋪彌敦道路面。晚間交通將會改道。",
             "居民如有查詢，請致電 2123 4567。陳大文先生的身份證號碼是A123456(3)。"]


def pdf(pages: list[list[str]]) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), "\n\n".join(lines), fontsize=11)
    return doc.tobytes()


def docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _open(api, csrf, name, data):
    r = api.post("/documents", data={"csrf_token": csrf}, headers=HTML, files={"file": (name, data)})
    assert r.status_code == 200, r.text[-1500:]
    return str(r.url).rsplit("/", 1)[1], r


@pytest.mark.parametrize(("tag", "heading"), [("en", "Source"), ("zh-Hant", "原文")])
def test_summary_cites_pages_of_the_source(api, officer, sign_in, tag, heading):
    csrf = sign_in("officer", tag)
    file_id, r = _open(api, csrf, "notice.pdf", pdf([LETTER_EN[:2], LETTER_EN[2:]]))
    assert f">{heading}</h2>" in r.text and 'id="page-2"' in r.text
    r = api.post(f"/documents/{file_id}/run", data={"tool": "summarise", "sentences": "2", "csrf_token": csrf},
                 headers=HTML)
    assert r.status_code == 200, r.text[-1500:]
    assert re.search(r'class="citation" href="#page-[12]"', r.text)
    assert 'name="audit_id"' in r.text


def test_redact_then_download_the_output(api, officer, sign_in):
    csrf = sign_in("officer", "zh-Hans")
    file_id, _ = _open(api, csrf, "letter.docx", docx(LETTER_ZH))
    r = api.post(f"/documents/{file_id}/run", data={"tool": "redact", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200, r.text[-1500:]
    assert "已核实" in r.text
    link = re.search(r'href="(/documents/[^"]+/outputs/[^"]+)"', r.text).group(1)
    out = api.get(link.replace("&amp;", "&"), headers=HTML)
    assert out.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(out.content)).paragraphs)
    assert "A123456(3)" not in text and "路政署" in text


def test_extract_letter_fields(api, officer, sign_in):
    csrf = sign_in("officer")
    file_id, _ = _open(api, csrf, "letter.docx", docx(LETTER_EN))
    r = api.post(f"/documents/{file_id}/run", data={"tool": "extract", "template": "letter", "csrf_token": csrf},
                 headers=HTML)
    assert r.status_code == 200 and "<td>reference_number</td>" in r.text


def test_translation_without_a_model_says_so(api, officer, sign_in):
    csrf = sign_in("officer")
    file_id, _ = _open(api, csrf, "letter.docx", docx(LETTER_EN))
    r = api.post(f"/documents/{file_id}/run", data={"tool": "translate", "target": "zh-Hant", "csrf_token": csrf},
                 headers=HTML)
    assert r.status_code == 503 and "The language model is not available." in r.text


def test_compare_two_versions(api, officer, sign_in):
    csrf = sign_in("officer")
    file_id, _ = _open(api, csrf, "v1.docx", docx(LETTER_EN))
    changed = [*LETTER_EN[:2], LETTER_EN[2].replace("1 December", "8 December"), LETTER_EN[3]]
    r = api.post(f"/documents/{file_id}/compare", data={"csrf_token": csrf}, headers=HTML,
                 files={"other": ("v2.docx", docx(changed))})
    assert r.status_code == 200, r.text[-1500:]
    assert "<ins>" in r.text and "8 December" in r.text


@pytest.mark.parametrize(("name", "data", "shown"), [
    ("empty.pdf", b"", "empty"),
    ("broken.pdf", b"%PDF-1.7 truncated garbage", "alert"),
])
def test_bad_document_uploads_are_explained(api, officer, sign_in, name, data, shown):
    csrf = sign_in("officer")
    r = api.post("/documents", data={"csrf_token": csrf}, headers=HTML, files={"file": (name, data)})
    if r.status_code == 200:  # stored; the problem shows when the source is read
        assert 'role="alert"' in r.text
    else:
        assert r.status_code in (413, 415, 422) and 'role="alert"' in r.text and shown in r.text


def test_another_departments_document_is_not_found(api, make_principal, sign_in):
    make_principal("housing", "officer", "amy")
    make_principal("transport", "officer", "tom")
    csrf = sign_in("amy")
    file_id, _ = _open(api, csrf, "letter.docx", docx(LETTER_EN))
    csrf = sign_in("tom")
    assert api.get(f"/documents/{file_id}", headers=HTML).status_code == 404
    r = api.post(f"/documents/{file_id}/run", data={"tool": "summarise", "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 404


def test_batch_runs_as_a_job_with_outputs(api, officer, sign_in):
    csrf = sign_in("officer")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.docx", docx(LETTER_EN))
        z.writestr("b.docx", docx(LETTER_ZH))
    r = api.post("/documents/batch", data={"tool": "summarise", "csrf_token": csrf}, headers=HTML,
                 files={"file": ("letters.zip", buf.getvalue(), "application/zip")})
    assert r.status_code == 200 and "/jobs/" in str(r.url)
    job_id = int(str(r.url).rsplit("/", 1)[1])
    assert 'hx-trigger="every 1s"' in r.text  # the page polls while the job is queued
    jobs.run_job(jobs._claim_next())
    page = api.get(f"/jobs/{job_id}", headers={**HTML, "hx-request": "true"}).text
    assert 'data-status="succeeded"' in page and "hx-trigger" not in page
    assert ".csv" in page  # the report is offered for download


def test_reply_cites_a_knowledge_base_chosen_on_the_form(api, officer, make_principal, sign_in, tmp_path):
    from ai_toolbox.assistant import kb
    from ai_toolbox.documents import generate

    editor = make_principal("default", "kb_editor", "editor")
    kb.create_kb(editor, "tenancy")
    md = tmp_path / "tenancy.md"
    md.write_text("# Tenancy renewal\nTenants who wish to renew their tenancy agreement must return the renewal "
                  "form HD-R1 with proof of income at least three months before the tenancy expires.\n", "utf-8")
    kb.add_source(editor, "tenancy", md)
    csrf = sign_in("officer")
    letter = generate.to_pdf(generate.sample("letter", "en", 0))  # about renewing a tenancy
    file_id, page = _open(api, csrf, "letter.pdf", letter)
    kb_id = re.search(r'<option value="(\d+)">tenancy</option>', page.text).group(1)
    r = api.post(f"/documents/{file_id}/run", data={"tool": "reply", "target": "en", "kb": kb_id,
                                                    "csrf_token": csrf}, headers=HTML)
    assert r.status_code == 200, r.text[-1500:]
    assert "form HD-R1" in r.text and "[1] tenancy: tenancy.md" in r.text and "<blockquote>" in r.text
