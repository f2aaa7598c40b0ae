"""Fixtures for the web pages: a signed-in browser-like client (TestClient) and, for the
`browser` tests, a real server and headless Chromium (see `browser_support.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

PASSWORD = "a good long password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = CSRF.search(html)
    assert m, "page has no form with a CSRF token"
    return m.group(1)


@pytest.fixture
def sign_in(api) -> Callable[..., str]:
    """Sign `username` in on the shared TestClient (cookie jar); returns the page's CSRF token."""

    def do(username: str, language: str = "en") -> str:
        api.cookies.clear()
        api.cookies.set("aitb_lang", language)
        r = api.post("/login", data={"username": username, "password": PASSWORD},
                     headers={"accept": "text/html"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        return csrf_of(api.get("/tokens", headers={"accept": "text/html"}).text)

    return do
