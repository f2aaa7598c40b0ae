"""Prompt templates are files, one per task and language, rendered with every variable given."""

from __future__ import annotations

import pytest

from ai_toolbox.errors import InvalidInput
from ai_toolbox.llm import prompts

LANGS = ["en", "zh-Hant", "zh-Hans"]
VARS = {
    "chat": {"prompt": "Q?"},
    "summarise": {"text": "Body text."},
    "translate": {"text": "Hello", "target": "繁體中文", "glossary": {"Labour Department": "勞工處"}},
    "answer": {"question": "When?", "passages": [{"text": "Open 9am.", "source": "faq.pdf"}, {"text": "Closed Sun."}]},
    "draft_reply": {"enquiry": "Where is my licence?", "facts": "Posted on 3 May.", "sender": "Officer Chan"},
    "nl2sql": {"question": "How many rows?", "schema": "CREATE TABLE t (a INT)"},
    "rewrite": {"text": "pls send form"},
    "extract": {"text": "Invoice 42", "fields": ["invoice_number", "total_amount"]},
}


def test_every_task_exists_in_all_three_languages():
    assert set(prompts.tasks()) >= set(VARS)
    for task in prompts.tasks():
        for lang in LANGS:
            assert (prompts.DIR / f"{task}.{lang}.txt").is_file(), f"{task}.{lang}.txt"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("task", sorted(VARS))
def test_render_fills_every_variable(task, lang):
    messages = prompts.render(task, lang, **VARS[task])
    assert [m.role for m in messages][-1] == "user"
    assert messages[0].role == "system"
    joined = "\n".join(m.content for m in messages)
    assert "{{" not in joined and "{%" not in joined
    for value in VARS[task].values():
        if isinstance(value, str):
            assert value in joined


def test_answer_numbers_passages_for_citation():
    user = prompts.render("answer", "en", **VARS["answer"])[-1].content
    assert "[1] (faq.pdf) Open 9am." in user and "[2] Closed Sun." in user


def test_glossary_terms_reach_the_translate_prompt():
    system = prompts.render("translate", "zh-Hant", **VARS["translate"])[0].content
    assert "Labour Department = 勞工處" in system


@pytest.mark.parametrize(("tag", "expected"), [("zh-HK", "zh-Hant"), ("zh-TW", "zh-Hant"), ("zh-CN", "zh-Hans"),
                                              ("mixed", "en"), (None, "en"), ("zh-Hant", "zh-Hant")])
def test_language_tags_map_to_a_template_language(tag, expected):
    assert prompts.normalise_language(tag) == expected


def test_template_language_follows_the_request():
    assert "繁體中文" in prompts.render("chat", "zh-HK", prompt="x")[0].content
    assert "简体中文" in prompts.render("chat", "zh-CN", prompt="x")[0].content


def test_missing_variable_is_an_error_not_an_empty_prompt():
    with pytest.raises(InvalidInput, match="summarise"):
        prompts.render("summarise", "en")


REQUIRED_ONLY = {
    "translate": {"text": "Hello", "target": "English"},
    "answer": {"question": "When?", "passages": [{"text": "Open 9am."}]},
    "draft_reply": {"enquiry": "Where is my licence?"},
    "nl2sql": {"question": "How many rows?", "schema": "t(a)"},
    "summarise": {"text": "Body."},
    "rewrite": {"text": "pls send"},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("task", sorted(REQUIRED_ONLY))
def test_optional_variables_may_be_left_out(task, lang):
    joined = "\n".join(m.content for m in prompts.render(task, lang, **REQUIRED_ONLY[task]))
    assert "None" not in joined and "{{" not in joined
