"""Glossary behaviour pinned by data: every built-in term converts both ways, across scripts."""

import pytest
from sqlalchemy import inspect

from ai_toolbox.text.convert import convert
from ai_toolbox.text.glossary import Glossary, read_csv

BUILTIN = Glossary.builtin()


@pytest.mark.parametrize("term", BUILTIN.terms, ids=lambda t: t.en)
def test_builtin_term_converts_both_ways(term):
    assert convert(term.zh_hans, "s2hk") == term.zh_hant
    assert convert(term.zh_hant, "hk2s") == term.zh_hans
    assert convert(term.zh_hans, "s2t") == term.zh_hant


@pytest.mark.parametrize(("text", "config", "expected"), [
    ("乘港岛线到金钟", "s2hk", "乘港島綫到金鐘"),
    ("乘港島綫到金鐘", "hk2s", "乘港岛线到金钟"),
    ("Take the Island Line 港岛线", "s2t", "Take the Island Line 港島綫"),
])
def test_builtin_glossary_in_sentences(text, config, expected):
    assert convert(text, config) == expected


def test_later_glossary_overrides_earlier():
    a = read_csv("en,zh_hant,zh_hans\nsoftware,軟件,软件\n", "a")
    b = read_csv("en,zh_hant,zh_hans\nsoftware,軟體,软件\n", "b")
    assert convert("软件", "s2hk", Glossary.merged(a, b)) == "軟體"
    assert convert("软件", "s2hk", Glossary.merged(b, a)) == "軟件"


def test_variant_configs_ignore_glossaries():
    assert convert("港島綫", "hk2t") == "港島線"


def test_phrase_configs_translate_vocabulary_despite_keep_rows():
    assert convert("核心", "tw2sp") == "内核"


def test_protected_codes_names_urls_in_three_languages():
    g = read_csv("en,zh_hant,zh_hans,protect\n,,发展局,yes\n", "p")
    assert convert("发展局的网页 https://www.devb.gov.hk/头发 由发展局管理", "s2hk", g) == \
        "发展局的網頁 https://www.devb.gov.hk/头发 由发展局管理"


@pytest.mark.postgres
def test_migration_creates_glossary_tables_on_postgresql(pg_url):
    from ai_toolbox.storage import ensure_storage, get_engine

    ensure_storage()
    tables = set(inspect(get_engine()).get_table_names())
    assert {"text_glossaries", "text_glossary_terms"} <= tables


@pytest.mark.postgres
def test_glossary_service_on_postgresql(pg_url, make_principal):
    from ai_toolbox.text import service

    editor = make_principal("housing", "kb_editor", "pg_editor")
    g = service.create_glossary(editor, service.GlossaryIn(name="IT", terms=[
        {"zh_hant": "資訊科技", "zh_hans": "信息技术"}]))
    req = service.ConvertRequest(text="信息技术", config="s2hk", glossary_ids=[g.id])
    assert service.convert_text(editor, req).text == "資訊科技"


def test_doctor_reports_text_components():
    from ai_toolbox.text import checks

    assert checks.opencc_check().ok and checks.jieba_check().ok and checks.pii_check().ok
