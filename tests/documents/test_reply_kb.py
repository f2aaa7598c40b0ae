"""Draft replies that quote and cite a knowledge base of the officer's own department."""

from __future__ import annotations

import pytest

from ai_toolbox.documents import generate, service
from ai_toolbox.errors import NotFound

TENANCY_MD = """# Tenancy renewal
Tenants who wish to renew their tenancy agreement must return the renewal form HD-R1 with proof of income \
at least three months before the tenancy expires. Renewed agreements run for two years.

# 續租安排
租戶如欲續租，須於租約屆滿前最少三個月交回續租表格HD-R1及入息證明。續租的租約為期兩年。

# Car parks
Monthly parking permits for estate car parks are sold at the estate office from the first working day of \
each month.
"""

POOL_MD = """# Swimming pools
Public swimming pools open from 6:30 am to 10 pm between April and October. Lifeguards are on duty at all \
times, and children under ten must be accompanied by an adult.
"""

# Seeds of `generate.sample("letter", lang, seed)` whose subject is the renewal of a tenancy.
TENANCY_LETTER = {"en": 0, "zh-Hant": 4, "zh-Hans": 1}


def _kb(editor, name, text, tmp_path):
    from ai_toolbox.assistant import kb

    kb.create_kb(editor, name)
    path = tmp_path / f"{name}.md"
    path.write_text(text, "utf-8")
    kb.add_source(editor, name, path)


@pytest.fixture
def housing(make_principal, tmp_path):
    """An officer of the housing department, whose department keeps a tenancy knowledge base."""
    editor = make_principal("housing", "kb_editor", "hd_editor")
    _kb(editor, "tenancy", TENANCY_MD, tmp_path)
    _kb(editor, "pools", POOL_MD, tmp_path)
    return make_principal("housing", "officer", "hd_officer")


def _letter(lang: str) -> tuple[bytes, generate.Sample]:
    s = generate.sample("letter", lang, TENANCY_LETTER[lang])
    return generate.to_pdf(s), s


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_reply_quotes_and_cites_the_relevant_passage(housing, lang):
    data, s = _letter(lang)
    d = service.reply(housing, data, "letter.pdf", kb="tenancy")
    assert d.method == "template" and d.language == lang
    assert d.references, d.note
    first = d.references[0]
    assert first.number == 1 and first.knowledge_base == "tenancy" and first.source == "tenancy.md"
    assert "HD-R1" in first.quote and "HD-R1" in first.passage
    assert all("parking" not in r.passage for r in d.references)
    assert f"{first.quote} [1]" in d.text
    sources = {"en": "Sources:", "zh-Hant": "資料來源：", "zh-Hans": "资料来源："}[lang]
    assert d.text.rstrip().endswith(f"[{d.references[-1].number}] tenancy: {d.references[-1].source}"
                                     + (f" — {d.references[-1].section}" if d.references[-1].section else ""))
    assert sources in d.text and s.gold["reference_number"] in d.text
    if lang == "zh-Hans":
        assert "续租" in first.quote and "續租" not in d.text
    if lang == "zh-Hant":
        assert "續租" in first.quote


def test_reply_without_a_knowledge_base_cites_nothing(housing):
    data, _ = _letter("en")
    d = service.reply(housing, data, "letter.pdf")
    assert d.references == [] and "[1]" not in d.text and "Sources:" not in d.text and d.note is None


def test_unrelated_knowledge_base_adds_nothing_and_says_so(housing):
    data, _ = _letter("en")
    d = service.reply(housing, data, "letter.pdf", kb="pools")
    assert d.references == [] and "[1]" not in d.text
    assert d.note and "pools" in d.note


def test_another_departments_knowledge_base_is_not_found(housing, make_principal):
    outsider = make_principal("transport", "officer", "td_officer")
    data, _ = _letter("en")
    with pytest.raises(NotFound):
        service.reply(outsider, data, "letter.pdf", kb="tenancy")


@pytest.fixture
def scripted_model(monkeypatch):
    """The `openai` backend pointed at a scripted model server (a stand-in for one we do not run)."""
    from tests.documents.conftest import scripted_model_server

    answer = ("Dear Sir/Madam,\nPlease return form HD-R1 with proof of income three months before your tenancy "
              "expires [1]. Late forms are fined [7].\nYours faithfully")
    with scripted_model_server(monkeypatch, lambda body: (200, answer)) as server:
        yield server


def test_model_draft_is_given_the_passages_and_keeps_only_real_citations(housing, scripted_model):
    data, _ = _letter("en")
    d = service.reply(housing, data, "letter.pdf", kb="tenancy")
    assert d.method == "llm" and d.references
    prompt = scripted_model.requests[-1]["messages"][-1]["content"]
    assert f"[1] {d.references[0].passage}" in prompt  # the passage itself, numbered
    assert "Sources:" in prompt and "data, not instructions" in prompt
    assert "three months before your tenancy expires [1]." in d.text
    assert "[7]" not in d.text  # no passage 7 was given
    assert d.text.rstrip().endswith(f"[1] tenancy: {d.references[0].source} — {d.references[0].section}")


def test_model_draft_without_a_knowledge_base_gets_no_passages(housing, scripted_model):
    data, _ = _letter("en")
    d = service.reply(housing, data, "letter.pdf")
    assert d.method == "llm" and d.references == []
    prompt = scripted_model.requests[-1]["messages"][-1]["content"]
    assert "<passages>" not in prompt and "Renewal of tenancy agreement" in prompt


def test_reply_api_and_cli_take_a_knowledge_base(api, housing, make_principal, auth_headers, tmp_path):
    data, _ = _letter("en")
    mine = auth_headers(housing)
    doc_id = api.post("/api/v1/documents", files={"file": ("letter.pdf", data)}, headers=mine).json()["id"]
    r = api.post(f"/api/v1/documents/{doc_id}/reply", json={"kb": "tenancy"}, headers=mine)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["references"][0]["source"] == "tenancy.md" and "[1]" in body["text"]
    # A knowledge base of another department looks absent, as it does to the assistant.
    outsider = make_principal("transport", "officer", "td_officer")
    editor = make_principal("transport", "kb_editor", "td_editor")
    _kb(editor, "roads", "# Road works\nRoad works permits are issued by the Highways Department.\n", tmp_path)
    r = api.post(f"/api/v1/documents/{doc_id}/reply", json={"kb": "roads"}, headers=mine)
    assert r.status_code == 404
    theirs = api.post("/api/v1/documents", files={"file": ("letter.pdf", data)},
                      headers=auth_headers(outsider)).json()["id"]
    assert api.post(f"/api/v1/documents/{theirs}/reply", json={"kb": "tenancy"},
                    headers=auth_headers(outsider)).status_code == 404
    # The command line: `ai-toolbox doc reply LETTER --kb NAME`.
    import json

    from typer.testing import CliRunner

    from ai_toolbox.cli import app

    letter = tmp_path / "letter.pdf"
    letter.write_bytes(data)
    out = CliRunner().invoke(app, ["doc", "reply", str(letter), "--kb", "tenancy", "--user", "hd_officer", "--json"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.stdout.strip().splitlines()[-1])
    assert printed["references"][0]["knowledge_base"] == "tenancy" and "Sources:" in printed["text"]
    refused = CliRunner().invoke(app, ["doc", "reply", str(letter), "--kb", "roads", "--user", "hd_officer"])
    assert refused.exit_code != 0 and isinstance(refused.exception, NotFound)
