"""Rendering pages: one Jinja2 environment with gettext, formats and the page's common context.

`render(request, "page.html", {...})` adds what every page needs: the language, the signed-in
principal, the CSRF token for forms, the navigation and the language switcher's links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.config import get_settings
from ai_toolbox.web import i18n
from ai_toolbox.web.i18n import LANG_COOKIE, N_

HERE = Path(__file__).parent

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
env.filters.update(
    datetime=i18n.format_datetime,
    date=i18n.format_date,
    number=i18n.format_number,
    percent=i18n.format_percent,
)
templates = Jinja2Templates(env=env)


# Navigation entries: (path, label, permission needed or None). Tool pages add theirs through
# `add_nav` when their module is imported, so the menu shows only the tools this server has.
NAV: list[tuple[str, str, Perm | None, int]] = []
TILES: list[dict[str, Any]] = []


def add_nav(path: str, label: str, perm: Perm | None = Perm.USE_TOOLS, *, tile: str | None = None,
            order: int = 50) -> None:
    """Put a page in the menu (and, with `tile`, on the home page) for users holding `perm`."""
    if any(existing == path for existing, _, _, _ in NAV):
        return
    NAV.append((path, label, perm, order))
    NAV.sort(key=lambda item: item[3])
    if tile:
        TILES.append({"path": path, "label": label, "description": tile, "perm": perm, "order": order})
        TILES.sort(key=lambda t: t["order"])


def safe_next(target: str | None) -> str:
    """A local path to go back to, never another site."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def language_of(request: Request) -> str:
    return i18n.negotiate(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def _visible(perm: Perm | None, principal: Principal | None) -> bool:
    if principal is None:
        return False
    return perm is None or principal.can(perm)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200,
    principal: Principal | None = None,
) -> HTMLResponse:
    code = language_of(request)
    i18n.activate(code)
    principal = principal or getattr(request.state, "principal", None)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    ctx: dict[str, Any] = {
        "lang": i18n.current(),
        "languages": list(i18n.LANGUAGES.values()),
        "here": quote(here, safe="/?=&"),
        "principal": principal,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "nav": [(path, label) for path, label, perm, _ in NAV if _visible(perm, principal)],
        "tiles": [t for t in TILES if _visible(t["perm"], principal)],
        "Perm": Perm,
        "max_upload_mb": get_settings().max_upload_mb,
        "hx": request.headers.get("hx-request") == "true",
    }
    ctx.update(context or {})
    for key, value in ctx.items():
        if key.endswith("error") and isinstance(value, Exception):
            ctx[key] = _translated(value)
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)


# Labels used from Python code; marked here so the extractor finds them.
ROLE_LABELS = {
    "officer": N_("Officer"),
    "kb_editor": N_("Knowledge-base editor"),
    "dept_admin": N_("Department administrator"),
    "auditor": N_("Auditor"),
    "sysadmin": N_("System administrator"),
}
STATUS_LABELS = {
    "queued": N_("Queued"),
    "running": N_("Running"),
    "succeeded": N_("Succeeded"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
    "ok": N_("OK"),
    "error": N_("Error"),
}
env.globals.update(ROLE_LABELS=ROLE_LABELS, STATUS_LABELS=STATUS_LABELS)


def form_error(exc: Exception) -> Exception:
    """The error a form shows; `render` turns it into a translated message and hint."""
    return exc


# A translated lead line per kind of error, shown above the service's own message (which may
# name the file or value and so is not always in the catalogue).
ERROR_TITLES = {
    "unsupported_file": N_("This file cannot be used here."),
    "too_large": N_("This is too large."),
    "invalid_input": N_("Please check what you entered."),
    "not_found": N_("Not found."),
    "not_permitted": N_("You are not allowed to do this."),
    "unsafe_sql": N_("This question would need an unsafe query, so it was not run."),
    "model_unavailable": N_("The language model is not available."),
    "already_exists": N_("That name is already taken."),
}


def _translated(exc: Exception) -> dict[str, str | None]:
    message = getattr(exc, "message", str(exc))
    hint = getattr(exc, "hint", None)
    title = ERROR_TITLES.get(getattr(exc, "code", ""))
    return {"title": i18n.gettext(title) if title else None, "message": i18n.gettext(message),
            "hint": i18n.gettext(hint) if hint else None}
