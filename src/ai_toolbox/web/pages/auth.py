"""Sign in, sign out and the language switcher."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ai_toolbox import accounts
from ai_toolbox.api.deps import SESSION_COOKIE, limit_sign_in
from ai_toolbox.api.routes.auth import set_session_cookie
from ai_toolbox.errors import NotAuthenticated, NotPermitted, RateLimited
from ai_toolbox.storage.db import session_scope
from ai_toolbox.web import i18n
from ai_toolbox.web.render import form_error, language_of, render, safe_next

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": safe_next(next)})


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    try:
        limit_sign_in(request)
        with session_scope() as s:
            principal = accounts.authenticate(s, username, password)
            token, _csrf = accounts.start_session(s, principal)
            saved_language = accounts.get_user(s, principal.username).language
    except (NotAuthenticated, RateLimited) as exc:
        return render(request, "login.html",
                      {"next": safe_next(next), "error": form_error(exc), "username": username},
                      status_code=exc.status_code)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, token)
    if saved_language in i18n.LANGUAGES and i18n.LANG_COOKIE not in request.cookies:
        _set_language_cookie(response, saved_language)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        form = await request.form()
        with session_scope() as s:
            try:
                _principal, csrf = accounts.principal_from_session(s, cookie)
            except NotAuthenticated:
                csrf = None
            if csrf is not None and form.get("csrf_token") != csrf:
                raise NotPermitted("The form's security token is missing or out of date.",
                                   hint="Reload the page and submit again.")
            accounts.end_session(s, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _set_language_cookie(response: Response, code: str) -> None:
    response.set_cookie(i18n.LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=False)


@router.get("/lang/{code}")
def choose_language(code: str, request: Request, next: str | None = None) -> Response:
    """Remember the chosen language in a cookie (and on the account when signed in)."""
    chosen = i18n.normalise(code) or language_of(request)
    response = RedirectResponse(safe_next(next), status_code=303)
    _set_language_cookie(response, chosen)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with session_scope() as s:
            try:
                principal, _csrf = accounts.principal_from_session(s, cookie)
            except NotAuthenticated:
                return response
            accounts.set_language(s, principal, chosen)
    return response
