"""Fixtures for the web pages: a signed-in browser-like client (TestClient) and, for the
`browser` tests, a real server and headless Chromium (see `browser_support.py`)."""

from __future__ import annotations

import json
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


# -- browser tests ----------------------------------------------------------------------------------

USERS = [  # username, department, role
    ("root", "default", "sysadmin"),
    ("amy", "housing", "officer"),
    ("ken", "housing", "kb_editor"),
    ("tom", "transport", "officer"),
    ("hilda", "housing", "dept_admin"),
]


SETUP_USERS = """
import json, sys
from ai_toolbox import accounts
from ai_toolbox.storage import session_scope
from ai_toolbox.storage import ensure_storage
users, password = json.loads(sys.argv[1]), sys.argv[2]
ensure_storage()
with session_scope() as s:
    admin = accounts.local_principal(s)
    for code, name in (("housing", "Housing Department"), ("transport", "Transport Department")):
        accounts.create_department(s, admin, code, name)
    for username, dept, role in users:
        accounts.create_user(s, admin, username, password, department=dept, role=role)

# Some work done through the services, so home pages and the dashboard have something to show.
from ai_toolbox import audit
from ai_toolbox.text import service
from ai_toolbox.text.service import ConvertRequest, RedactRequest
with session_scope() as s:
    people = {u: accounts.principal_for(s, accounts.get_user(s, u)) for u in ("amy", "ken", "tom")}
for i, (user, text) in enumerate([("amy", "港岛线的核心站点"), ("ken", "软件和网络"), ("tom", "信息科技"),
                                  ("amy", "公共图书馆")]):
    result = service.convert_text(people[user], ConvertRequest(text=text, config="s2hk"))
    audit.add_feedback(people[user], result.audit_id, i != 2)
service.redact_text(people["amy"], RedactRequest(text="陳大文先生的身份證號碼是A123456(3)。"))
service.detect(people["ken"], "This is English.")
"""


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`ai-toolbox serve` on a free port with its own data, the users above and some work."""
    from tests.web.browser_support import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("web-live"))
    server.python(SETUP_USERS, json.dumps(USERS), PASSWORD)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.web.browser_support import CHROMIUM, CHROMIUM_ARGS, chromium_available

    assert chromium_available(), "Debian chromium is missing: run scripts/system-deps.sh"
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture(scope="session")
def _signed_in_states() -> dict:
    return {}


@pytest.fixture
def open_page(live_server, chromium, _signed_in_states):
    """Open a browser page as `user` (None = signed out) with the browser set to `locale`.

    Each user signs in through the form once per test session; later pages reuse the session
    cookie (never the language cookie, so each test's browser language applies).
    """
    contexts = []

    def new_context(locale: str, viewport: tuple[int, int], state: dict | None = None):
        ctx = chromium.new_context(base_url=live_server.url, locale=locale, storage_state=state,
                                   viewport={"width": viewport[0], "height": viewport[1]})
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx

    def open_(user: str | None = None, locale: str = "en-GB", viewport: tuple[int, int] = (1280, 900)):
        if user and user not in _signed_in_states:
            page = new_context(locale, viewport).new_page()
            page.goto("/login")
            page.fill("#username", user)
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_url(lambda url: "/login" not in url)
            state = page.context.storage_state()
            state["cookies"] = [c for c in state["cookies"] if c["name"] != "aitb_lang"]
            _signed_in_states[user] = state
        return new_context(locale, viewport, _signed_in_states.get(user) if user else None).new_page()

    yield open_
    for ctx in contexts:
        ctx.close()
