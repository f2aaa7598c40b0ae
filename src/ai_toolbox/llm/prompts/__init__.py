"""Prompt templates as files: `<task>.<language>.txt`, one per task and language (en, zh-Hant, zh-Hans).

A template is Jinja2 text split into messages by lines that read `[system]`, `[user]` or
`[assistant]`. `render("summarise", "zh-Hant", text=...)` returns the messages; a variable the
template needs but the caller did not give is an error, not an empty string.

Tasks and their variables:
  chat(prompt) · summarise(text, length?) · translate(text, target, glossary?: dict) ·
  answer(question, passages: list of {text, source?}) · draft_reply(enquiry, facts?, sender?) ·
  nl2sql(question, schema, dialect?, examples?) · rewrite(text, style?) · extract(text, fields: list)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, Template, UndefinedError

from ai_toolbox.errors import InvalidInput, NotFound
from ai_toolbox.llm.base import Message

DIR = Path(__file__).parent
LANGUAGES = ("en", "zh-Hant", "zh-Hans")
_ALIASES = {"zh-hk": "zh-Hant", "zh-tw": "zh-Hant", "zh-mo": "zh-Hant", "zh-hant": "zh-Hant",
            "zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans": "zh-Hans", "en": "en"}
_SECTION = re.compile(r"^\[(system|user|assistant)\]\s*$", re.M)
_env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)

# Names of languages as each template language writes them, for `target=` in translate.
LANGUAGE_NAMES = {
    "en": {"en": "English", "zh-Hant": "Traditional Chinese (Hong Kong)", "zh-Hans": "Simplified Chinese"},
    "zh-Hant": {"en": "英文", "zh-Hant": "繁體中文（香港）", "zh-Hans": "簡體中文"},
    "zh-Hans": {"en": "英文", "zh-Hant": "繁体中文（香港）", "zh-Hans": "简体中文"},
}


def normalise_language(language: str | None) -> str:
    """en / zh-Hant / zh-Hans from a tag like zh-HK; anything else (mixed, unknown, None) is en."""
    return _ALIASES.get((language or "en").lower(), "en")


def tasks() -> list[str]:
    return sorted({p.name.split(".")[0] for p in DIR.glob("*.txt")})


@lru_cache(maxsize=128)
def _load(task: str, language: str) -> list[tuple[str, Template]]:
    path = DIR / f"{task}.{language}.txt"
    if not path.is_file():
        raise NotFound(f"No prompt template for task '{task}' in {language}.",
                       hint=f"Tasks: {', '.join(tasks())}.")
    source = path.read_text("utf-8")
    parts = _SECTION.split(source)
    if parts[0].strip():
        raise InvalidInput(f"{path.name}: text before the first [system]/[user] line.")
    return [(role, _env.from_string(body.strip("\n"))) for role, body in zip(parts[1::2], parts[2::2], strict=True)]


def render(task: str, language: str | None, **variables: Any) -> list[Message]:
    """The messages of `task` in `language`, with `variables` filled in."""
    lang = normalise_language(language)
    try:
        return [Message(role=role, content=tpl.render(**variables).strip())  # type: ignore[arg-type]
                for role, tpl in _load(task, lang)]
    except UndefinedError as exc:
        raise InvalidInput(f"The '{task}' prompt needs a value: {exc.message}.") from exc


def language_name(target: str, in_language: str | None = "en") -> str:
    """How `in_language` names `target`: language_name("zh-Hant", "en") == "Traditional Chinese (Hong Kong)"."""
    return LANGUAGE_NAMES[normalise_language(in_language)][normalise_language(target)]
