"""Maintain the interface catalogues: extract strings, update the .po files, compile the .mo files.

    python -m ai_toolbox.web.catalogue update    # after changing templates or marked strings
    python -m ai_toolbox.web.catalogue compile   # after translating (the .mo files are committed)

Strings come from the templates (`_()`, `{% trans %}`) and from Python files in this package
(`_()`, `gettext()`, `N_()`). Messages raised by the services that the web pages show are listed
in `known_messages.py` so they can be translated too.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from ai_toolbox.web.i18n import LANGUAGES, LOCALE_DIR

HERE = Path(__file__).parent
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                 "lstrip_blocks": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extract() -> Catalog:
    catalog = Catalog(project="AI Toolbox", charset="utf-8")
    for filename, lineno, message, comments, _context in extract_from_dir(
        HERE, METHODS, OPTIONS, KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments)
    return catalog


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def update() -> None:
    template = extract()
    for lang in LANGUAGES.values():
        if lang.code == "en":
            continue
        path = po_path(lang.locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang.locale)
        else:
            catalog = Catalog(locale=lang.locale, project="AI Toolbox", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as fh:
            write_po(fh, catalog, width=120, omit_header=False, sort_output=False)


def compiled(locale: str) -> bytes:
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_all() -> None:
    for lang in LANGUAGES.values():
        if lang.code != "en":
            po_path(lang.locale).with_suffix(".mo").write_bytes(compiled(lang.locale))


def untranslated(locale: str) -> list[str]:
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    def missing(m) -> bool:  # type: ignore[no-untyped-def]
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        return m.fuzzy or not all(strings)

    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and missing(m)]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        sys.exit("usage: python -m ai_toolbox.web.catalogue update|compile")
