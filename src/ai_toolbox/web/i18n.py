"""Interface language: choosing it for a request, translating labels, formatting dates and numbers.

The language comes from the user's choice (the `aitb_lang` cookie), else the browser's
`Accept-Language` (zh-HK/zh-TW/zh-MO/zh-Hant → Traditional Chinese for Hong Kong, other zh →
Simplified Chinese, anything else → English). Catalogues are Babel gettext files under
`web/locales/<locale>/LC_MESSAGES/messages.po`, compiled to `.mo` next to them
(`python -m ai_toolbox.web.catalogue compile`).

Rendering runs in the request's thread, so the active language is a context variable that the
template globals (`gettext`, filters) read.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from babel import Locale, dates, numbers
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locales"
LANG_COOKIE = "aitb_lang"


@dataclass(frozen=True)
class Language:
    code: str  # what the toolbox calls it everywhere: en, zh-Hant, zh-Hans
    locale: str  # Babel / gettext locale
    html: str  # BCP 47 tag for <html lang>
    label: str  # the language's own name, shown in the switcher


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en", "en", "English"),
    "zh-Hant": Language("zh-Hant", "zh_Hant_HK", "zh-Hant-HK", "繁體中文"),
    "zh-Hans": Language("zh-Hans", "zh_Hans_CN", "zh-Hans-CN", "简体中文"),
}
DEFAULT = "en"

_TRADITIONAL_REGIONS = {"hk", "tw", "mo", "hant"}


def normalise(tag: str | None) -> str | None:
    """Map a language tag (zh-HK, zh_Hant, en-GB, zh-Hans…) to one of LANGUAGES, or None."""
    if not tag:
        return None
    if tag in LANGUAGES:
        return tag
    parts = tag.strip().lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] == "zh":
        return "zh-Hant" if _TRADITIONAL_REGIONS.intersection(parts[1:]) else "zh-Hans"
    return None


def from_accept_language(header: str | None) -> str:
    """The best supported language in an Accept-Language header, by q-value then order."""
    choices: list[tuple[float, int, str]] = []
    for i, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = normalise(tag)
        if lang and q > 0:
            choices.append((-q, i, lang))
    return min(choices)[2] if choices else DEFAULT


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    return normalise(cookie) or from_accept_language(accept_language)


@cache
def translations(code: str) -> NullTranslations:
    lang = LANGUAGES[code]
    if code == DEFAULT:
        return NullTranslations()
    return Translations.load(LOCALE_DIR, [lang.locale])


_current: ContextVar[str] = ContextVar("aitb_web_language", default=DEFAULT)


def activate(code: str) -> None:
    _current.set(code if code in LANGUAGES else DEFAULT)


def current() -> Language:
    return LANGUAGES[_current.get()]


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated when rendered)."""
    return message


# -- formats -----------------------------------------------------------------------------------

def _babel_locale() -> Locale:
    return Locale.parse(current().locale)


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return dates.format_datetime(value, fmt, tzinfo=UTC, locale=_babel_locale())


def format_date(value: date | str | None, fmt: str = "medium") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return dates.format_date(value, fmt, locale=_babel_locale())


def format_number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return numbers.format_decimal(int(value), locale=_babel_locale())
    return numbers.format_decimal(round(float(value), digits), format=f"#,##0.{'#' * digits}",
                                  locale=_babel_locale())


def format_percent(value: float | None) -> str:
    if value is None:
        return "—"
    return numbers.format_percent(value, format="#,##0.#%", locale=_babel_locale())
