"""Web pages: sign-in and the home page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ai_toolbox import accounts
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import SESSION_COOKIE, client_key, current_principal, limiter
from ai_toolbox.api.routes.auth import set_session_cookie
from ai_toolbox.errors import NotAuthenticated, RateLimited
from ai_toolbox.storage.db import session_scope

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parsed = urlparse(target)
    return target if not parsed.scheme and not parsed.netloc and target.startswith("/") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return templates.TemplateResponse(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    try:
        limiter.check(f"login:{client_key(request)}", 20)
        with session_scope() as s:
            principal = accounts.authenticate(s, username, password)
            token, _csrf = accounts.start_session(s, principal)
    except (NotAuthenticated, RateLimited) as exc:
        return templates.TemplateResponse(
            request, "login.html", {"next": _safe_next(next), "error": exc.message}, status_code=exc.status_code
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, token)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with session_scope() as s:
            accounts.end_session(s, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, p: Principal = Depends(current_principal)) -> Response:
    return templates.TemplateResponse(request, "home.html", {"principal": p})
