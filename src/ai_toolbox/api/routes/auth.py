"""Sign in and out over the API (session cookie + CSRF token)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from ai_toolbox import accounts
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import SESSION_COOKIE, current_principal, limit_sign_in
from ai_toolbox.config import get_settings
from ai_toolbox.storage.db import session_scope

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginIn(BaseModel):
    username: str = Field(examples=["admin"])
    password: str = Field(examples=["correct horse battery staple"])


class LoginOut(BaseModel):
    username: str
    department: str
    role: str
    csrf_token: str


def set_session_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.secure_cookies,
        max_age=settings.session_hours * 3600,
    )


@router.post("/login", response_model=LoginOut, summary="Sign in; sets the session cookie")
def login(body: LoginIn, request: Request, response: Response) -> LoginOut:
    limit_sign_in(request)
    with session_scope() as s:
        principal = accounts.authenticate(s, body.username, body.password)
        token, csrf = accounts.start_session(s, principal)
    set_session_cookie(response, token)
    return LoginOut(username=principal.username, department=principal.department_code,
                    role=principal.role.value, csrf_token=csrf)


@router.post("/logout", summary="End the current session")
def logout(request: Request, response: Response, _: Principal = Depends(current_principal)) -> dict[str, str]:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with session_scope() as s:
            accounts.end_session(s, cookie)
    response.delete_cookie(SESSION_COOKIE)
    return {"status": "signed out"}
