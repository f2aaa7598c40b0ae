"""The interface language: negotiation contract, switcher, formats and complete catalogues."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from ai_toolbox.web import catalogue, i18n

HTML = {"accept": "text/html"}


@pytest.mark.parametrize(
    ("accept_language", "sign_in_word", "html_lang"),
    [
        ("zh-HK,zh;q=0.9,en;q=0.8", "登入", "zh-Hant-HK"),
        ("zh-TW", "登入", "zh-Hant-HK"),
        ("zh-CN,zh;q=0.9", "登录", "zh-Hans-CN"),
        ("en-GB,en;q=0.9", "Sign in", "en"),
        ("fr-FR,fr;q=0.9", "Sign in", "en"),
        ("", "Sign in", "en"),
    ],
)
def test_login_page_follows_accept_language(api, accept_language, sign_in_word, html_lang):
    r = api.get("/login", headers={**HTML, "accept-language": accept_language})
    assert r.status_code == 200
    assert f'<html lang="{html_lang}">' in r.text
    assert f"<h1>{sign_in_word}</h1>" in r.text


def test_cookie_choice_beats_accept_language(api):
    api.cookies.set("aitb_lang", "zh-Hans")
    r = api.get("/login", headers={**HTML, "accept-language": "zh-HK"})
    assert "<h1>登录</h1>" in r.text


def test_switcher_sets_cookie_and_returns_to_page(api):
    r = api.get("/lang/zh-Hant?next=/login", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert "aitb_lang=zh-Hant" in r.headers["set-cookie"]
    assert "<h1>登入</h1>" in api.get("/login", headers=HTML).text


def test_switcher_refuses_to_redirect_elsewhere(api):
    r = api.get("/lang/en?next=https://evil.example/", follow_redirects=False)
    assert r.headers["location"] == "/"


@pytest.mark.parametrize("tag", ["en", "zh-Hant", "zh-Hans"])
def test_wrong_password_message_is_translated(api, officer, tag):
    api.cookies.set("aitb_lang", tag)
    r = api.post("/login", data={"username": "officer", "password": "not the password"}, headers=HTML)
    assert r.status_code == 401
    expected = {"en": "Wrong user name or password.", "zh-Hant": "用戶名稱或密碼錯誤。",
                "zh-Hans": "用户名或密码错误。"}
    assert expected[tag] in r.text


@pytest.mark.parametrize(
    ("code", "expected_date", "expected_number"),
    [("en", "Mar 4, 2026", "12,345.6"), ("zh-Hant", "2026年3月4日", "12,345.6"),
     ("zh-Hans", "2026年3月4日", "12,345.6")],
)
def test_dates_and_numbers_follow_language(code, expected_date, expected_number):
    i18n.activate(code)
    try:
        assert i18n.format_datetime(datetime(2026, 3, 4, 5, 6)).startswith(expected_date)
        assert i18n.format_number(12345.6) == expected_number
    finally:
        i18n.activate("en")


def test_time_of_day_differs_between_languages():
    stamps = {}
    for code in i18n.LANGUAGES:
        i18n.activate(code)
        stamps[code] = i18n.format_datetime(datetime(2026, 3, 4, 17, 6))
    i18n.activate("en")
    assert stamps["en"].endswith("5:06:00\u202fPM") or "PM" in stamps["en"]
    assert "下午" in stamps["zh-Hant"]
    assert len(set(stamps.values())) == 3


@pytest.mark.parametrize("locale", ["zh_Hant_HK", "zh_Hans_CN"])
def test_catalogue_translates_every_string(locale):
    assert catalogue.untranslated(locale) == []


@pytest.mark.parametrize("locale", ["zh_Hant_HK", "zh_Hans_CN"])
def test_catalogue_lists_every_string_in_the_code(locale):
    from babel.messages.pofile import read_po

    with catalogue.po_path(locale).open("rb") as fh:
        known = {m.id for m in read_po(fh, locale=locale) if m.id}
    used = {m.id for m in catalogue.extract() if m.id}
    assert used - known == set(), "run `python -m ai_toolbox.web.catalogue update` and translate"


@pytest.mark.parametrize("locale", ["zh_Hant_HK", "zh_Hans_CN"])
def test_compiled_catalogue_is_current(locale):
    """The committed .mo holds the .po's translations (compared as messages, not bytes: the header
    names the Babel version that compiled it)."""
    from babel.messages.mofile import read_mo

    def messages(catalog) -> dict:  # type: ignore[no-untyped-def]
        flat = lambda v: v if isinstance(v, str) else tuple(v)  # noqa: E731 (plural forms are lists)
        return {flat(m.id): flat(m.string) for m in catalog if m.id}

    with catalogue.po_path(locale).with_suffix(".mo").open("rb") as fh:
        committed = messages(read_mo(fh))
    fresh = messages(read_mo(io.BytesIO(catalogue.compiled(locale))))
    assert committed == fresh, "run `python -m ai_toolbox.web.catalogue compile`"


def test_traditional_and_simplified_catalogues_differ():
    hant = i18n.translations("zh-Hant")
    hans = i18n.translations("zh-Hans")
    assert hant.gettext("Sign in") == "登入"
    assert hans.gettext("Sign in") == "登录"
    assert hant.gettext("Users") != hans.gettext("Users")
