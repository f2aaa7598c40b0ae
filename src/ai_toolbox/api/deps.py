"""Who is calling: bearer token or session cookie, with CSRF and rate limits.

Use `Depends(current_principal)` on every route that is not in `PUBLIC_PATHS`.
Cookie-authenticated requests that change something must carry the session's CSRF token in the
`X-CSRF-Token` header or a `csrf_token` form field; bearer-token requests need none.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request

from ai_toolbox import accounts
from ai_toolbox.accounts import Principal
from ai_toolbox.api.ratelimit import RateLimiter
from ai_toolbox.config import get_settings
from ai_toolbox.errors import NotAuthenticated, NotPermitted
from ai_toolbox.storage.db import session_scope

SESSION_COOKIE = "aitb_session"
MAX_ID = 2**53

# Use for every numeric id in a path: larger numbers cannot name a row (and overflow SQLite).
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, description="Numeric id", examples=[1])]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# Paths anyone may call. Published knowledge bases add their own public prefix.
PUBLIC_PATHS = {"/healthz", "/readyz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc",
                "/login", "/logout", "/api/v1/auth/login", "/static/{path:path}", "/lang/{code}"}
PUBLIC_PREFIXES = ("/public/",)


limiter = RateLimiter()


async def _csrf_from_request(request: Request) -> str | None:
    token = request.headers.get("x-csrf-token")
    if token:
        return token
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/x-www-form-urlencoded") or ctype.startswith("multipart/form-data"):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def current_principal(request: Request) -> Principal:
    """The authenticated caller, or 401. Also enforces CSRF for cookie sessions and rate limits."""
    settings = get_settings()
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        with session_scope() as s:
            principal = accounts.principal_from_token(s, auth[7:].strip())
        limiter.check(f"token:{principal.token_id}", settings.rate_limit_per_minute)
        request.state.principal = principal
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotAuthenticated(
            "Sign in first.", hint="Send 'Authorization: Bearer <token>' or sign in at /login."
        )
    with session_scope() as s:
        principal, csrf = accounts.principal_from_session(s, cookie)
    if request.method not in SAFE_METHODS:
        sent = await _csrf_from_request(request)
        if not sent or sent != csrf:
            raise NotPermitted(
                "The form's security token is missing or out of date.",
                hint="Reload the page and submit again.",
            )
    limiter.check(f"user:{principal.user_id}", settings.rate_limit_per_minute)
    request.state.principal = principal
    request.state.csrf_token = csrf
    return principal


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limit_sign_in(request: Request) -> None:
    """Sign-in attempts per client address, shared by the API and the web form."""
    limiter.check(f"login:{client_key(request)}", get_settings().public_rate_limit_per_minute)
