"""End-to-end flows in headless Chromium against a real server, with axe-core checks.

Set WEB_SCREENSHOTS=1 to (re)write the screenshots in docs/screenshots/.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.browser_support import AXE

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)  # a loaded 2-core machine: first imports and OCR models take a while

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.x A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def shoot(page, name: str) -> None:
    if os.environ.get("WEB_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("locale", "sign_in", "sign_out"),
    [("zh-HK", "登入", "登出"), ("zh-CN", "登录", "退出登录"), ("en-GB", "Sign in", "Sign out")],
)
def test_sign_in_follows_browser_language(open_page, locale, sign_in, sign_out):
    page = open_page(locale=locale)
    page.goto("/login")
    assert page.locator("h1").inner_text() == sign_in
    page.get_by_label({"登入": "用戶名稱", "登录": "用户名"}.get(sign_in, "User name")).fill("amy")
    page.locator("#password").fill("a good long password")
    page.get_by_role("button", name=sign_in).click()
    page.wait_for_url("**/")
    assert page.get_by_role("button", name=sign_out).is_visible()


def test_language_switcher_changes_labels_and_formats(open_page):
    page = open_page("root", locale="en-GB")
    page.goto("/admin/efficacy")
    assert page.locator("h1").inner_text() == "Efficacy"
    page.get_by_role("link", name="繁體中文").click()
    assert page.locator("h1").inner_text() == "成效"
    assert page.get_by_role("link", name="審計記錄").is_visible()
    page.get_by_role("link", name="简体中文").click()
    assert page.get_by_role("link", name="审计日志").is_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-Hans-CN"


def test_keyboard_only_sign_in_and_skip_link(open_page):
    page = open_page(locale="en-GB")
    page.goto("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.locator("#username").focus()
    page.keyboard.type("amy")
    page.keyboard.press("Tab")
    page.keyboard.type("a good long password")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert "amy" in page.locator("h1").inner_text()


def test_admin_creates_a_user_who_can_then_sign_in(open_page):
    page = open_page("root", locale="zh-HK")
    page.goto("/lang/zh-Hant?next=/admin/users")  # root may have chosen another language earlier
    page.get_by_label("用戶名稱").fill("may.wong")
    page.get_by_label("初始密碼").fill("short")
    page.get_by_role("button", name="新增用戶").click()
    assert page.get_by_role("alert").is_visible()  # too-short password, explained
    assert page.get_by_label("用戶名稱").input_value() == "may.wong"
    page.get_by_label("初始密碼").fill("may has a long passphrase")
    page.get_by_label("部門").select_option("transport")
    page.get_by_role("button", name="新增用戶").click()
    assert page.get_by_role("status").inner_text() == "已建立用戶。"
    other = open_page(locale="zh-CN")
    other.goto("/login")
    other.fill("#username", "may.wong")
    other.fill("#password", "may has a long passphrase")
    other.press("#password", "Enter")
    other.wait_for_url("**/")
    assert "欢迎" in other.locator("h1").inner_text()


def test_token_is_shown_once(open_page):
    page = open_page("amy", locale="en-GB")
    page.goto("/tokens")
    page.get_by_label("Name").fill("nightly export")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("aitb_")
    page.goto("/tokens")
    assert page.locator("#new-token").count() == 0 and token not in page.content()
    page.get_by_role("button", name="Revoke nightly export").click()
    assert page.get_by_role("status").is_visible()


def test_officer_cannot_open_admin_pages(open_page):
    page = open_page("tom", locale="en-GB")
    response = page.goto("/admin/audit")
    assert response.status == 403
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_role("link", name="Audit log").count() == 0


def test_pages_fit_a_phone(open_page):
    page = open_page("hilda", locale="zh-HK", viewport=(375, 740))
    for path in ("/", "/admin/users", "/admin/efficacy"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways on a phone by {overflow}px"
    page.goto("/")
    shoot(page, "home-phone-zh-Hant")


MAIN_PAGES = [
    ("login", None, "/login"),
    ("home", "hilda", "/"),
    ("jobs", "hilda", "/jobs"),
    ("tokens", "hilda", "/tokens"),
    ("admin-users", "root", "/admin/users"),
    ("admin-departments", "root", "/admin/departments"),
    ("audit", "root", "/admin/audit"),
    ("efficacy", "root", "/admin/efficacy"),
]


# Every main page in English; the pages with the most text also in Traditional Chinese.
AXE_CASES = [(*m, "en-GB") for m in MAIN_PAGES] + [
    (*m, "zh-HK") for m in MAIN_PAGES if m[0] in ("login", "home", "admin-users", "efficacy")
]


@pytest.mark.parametrize(("name", "user", "path", "locale"), AXE_CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in AXE_CASES])
def test_main_pages_have_no_serious_accessibility_violations(open_page, name, user, path, locale):
    page = open_page(user, locale=locale)
    response = page.goto(path)
    assert response.status == 200
    assert axe_violations(page) == []
    shoot(page, f"{name}-{'en' if locale == 'en-GB' else 'zh-Hant'}")


@pytest.mark.parametrize(("locale", "button", "found"),
                         [("zh-HK", "遮蓋", "找到的內容"), ("en-GB", "Redact", "What was found")])
def test_text_redact_flow(open_page, locale, button, found):
    page = open_page("amy", locale=locale)
    page.goto("/text?tool=redact")
    page.locator("#text").fill("陳大文先生的身份證號碼是A123456(3)，電話 9123 4567。")
    page.get_by_role("button", name=button, exact=True).click()
    assert "[HKID]" in page.locator("#redacted").inner_text()
    assert page.get_by_role("heading", name=found).is_visible()
    page.get_by_role("button", name={"zh-HK": "有用", "en-GB": "Helpful"}[locale], exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(  # swapped in by htmx
        {"zh-HK": "多謝", "en-GB": "Thank you"}[locale])
    shoot(page, f"text-redact-{'zh-Hant' if locale == 'zh-HK' else 'en'}")
    assert axe_violations(page) == []


def test_text_convert_and_bad_upload(open_page, tmp_path):
    page = open_page("amy", locale="zh-CN")
    page.goto("/lang/zh-Hans?next=/text")
    page.locator("#text").fill("港岛线的核心站点")
    page.get_by_role("button", name="转换", exact=True).click()
    assert page.locator("#converted").inner_text() == "港島綫的核心站點"
    bad = tmp_path / "scan.pdf.exe"
    bad.write_bytes(b"MZ\x00\x01 not a document")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="转换文件").click()
    alert = page.get_by_role("alert")
    assert "这里不能使用这个文件。" in alert.inner_text()


@pytest.mark.parametrize(("locale", "run", "source"), [("en-GB", "Run", "Source"), ("zh-HK", "執行", "原文")])
def test_documents_summary_with_citations_and_batch_progress(open_page, tmp_path, locale, run, source):
    pytest.importorskip("ai_toolbox.documents.service", reason="the documents service is not in this build")
    from tests.web.test_document_pages import LETTER_EN, docx, pdf

    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf([LETTER_EN[:2], LETTER_EN[2:]]))
    page = open_page("amy", locale=locale)
    page.goto(f"/lang/{'zh-Hant' if locale == 'zh-HK' else 'en'}?next=/documents")
    page.set_input_files("#doc-file", str(path))
    page.locator("#doc-file").evaluate("el => el.form.requestSubmit()")
    expect(page.get_by_role("heading", name=source, exact=True)).to_be_visible()
    page.locator("#tool-summarise").check()
    page.get_by_role("button", name=run, exact=True).click()
    citation = page.locator("a.citation").first
    target = citation.get_attribute("href")
    citation.click()
    assert page.evaluate("location.hash") == target
    shoot(page, f"documents-{'zh-Hant' if locale == 'zh-HK' else 'en'}")
    assert axe_violations(page) == []

    archive = tmp_path / "letters.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(3):
            z.writestr(f"letter{i}.docx", docx(LETTER_EN))
    page.goto("/documents")
    page.set_input_files("#batch-file", str(archive))
    page.locator("#batch-tool").select_option("summarise")
    page.locator("#batch-file").evaluate("el => el.form.requestSubmit()")
    page.wait_for_url("**/jobs/*")
    # htmx polls the job until the worker in the server finishes it; no reload needed
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "succeeded", timeout=60_000)
    assert page.locator("#job-detail a[download]").count() >= 1
    shoot(page, f"job-{'zh-Hant' if locale == 'zh-HK' else 'en'}")


@pytest.mark.parametrize(("locale", "ask", "answer"), [("en-GB", "Ask", "Answer"), ("zh-HK", "提問", "答案")])
def test_data_upload_ask_and_other_department(open_page, tmp_path, locale, ask, answer):
    pytest.importorskip("ai_toolbox.analysis.answers", reason="the analysis service is not in this build")
    name = f"sales-{locale.lower()}"
    csv = tmp_path / f"{name}.csv"
    csv.write_text("date,district,amount\n2024-01-15,Sha Tin,120\n2024-02-03,Wan Chai,300.5\n"
                   "2024-04-20,Sha Tin,80\n2024-05-11,Kwun Tong,410\n", encoding="utf-8")
    page = open_page("amy", locale=locale)
    page.goto(f"/lang/{'zh-Hant' if locale == 'zh-HK' else 'en'}?next=/data")
    page.set_input_files("#ds-file", str(csv))
    page.locator("#ds-name").fill(name)
    page.locator("#ds-name").press("Enter")
    page.wait_for_url(f"**/data/{name}")
    page.locator("#question").fill("total amount by district")
    page.get_by_role("button", name=ask, exact=True).click()
    expect(page.get_by_role("heading", name=answer, exact=True)).to_be_visible()
    assert "Kwun Tong" in page.locator("#answer-table").inner_text()
    assert page.locator("img.chart").count() == 1
    page.locator("details summary").first.click()
    assert "SELECT" in page.locator("#sql").inner_text()
    shoot(page, f"data-{'zh-Hant' if locale == 'zh-HK' else 'en'}")
    assert axe_violations(page) == []
    other = open_page("tom", locale=locale)
    assert other.goto(f"/data/{name}").status == 404


@pytest.mark.parametrize(("locale", "question", "expected"), [
    ("zh-HK", "牌照續期要提前多久申請？", "兩個月"),
    ("en-GB", "How early must I apply to renew my licence?", "two months"),
])
def test_assistant_answer_with_citation_and_other_department(open_page, tmp_path, locale, question, expected):
    pytest.importorskip("ai_toolbox.assistant.answer", reason="the assistant service is not in this build")
    from tests.web.test_assistant_pages import LICENSING

    name = f"licensing-{locale.lower()}"
    source = tmp_path / "licensing.md"
    source.write_bytes(LICENSING)
    tag = "zh-Hant" if locale == "zh-HK" else "en"
    editor = open_page("ken", locale=locale)
    editor.goto(f"/lang/{tag}?next=/assistant")
    editor.locator("#kb-name").fill(name)
    editor.locator("#kb-name").press("Enter")
    editor.wait_for_url(f"**/assistant/{name}/manage*")
    editor.set_input_files("#src-file", str(source))
    editor.locator("#src-file").evaluate("el => el.form.requestSubmit()")
    expect(editor.get_by_role("status")).to_be_visible()

    page = open_page("amy", locale=locale)
    page.goto(f"/lang/{tag}?next=/assistant/{name}")
    page.locator("#question").fill(question)
    page.locator("#question").evaluate("el => el.form.requestSubmit()")
    expect(page.locator("#chat .answer")).to_contain_text(expected)  # appended by htmx, no reload
    page.locator("#chat details summary").first.click()
    expect(page.locator("#chat details blockquote mark").first).to_be_visible()  # the cited sentence in its passage
    shoot(page, f"assistant-{tag}")
    assert axe_violations(page) == []
    assert open_page("tom", locale=locale).goto(f"/assistant/{name}").status == 404
