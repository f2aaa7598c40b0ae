"""API tokens: list, create (the token is shown once) and revoke."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ai_toolbox import accounts
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.errors import InvalidInput, ToolboxError
from ai_toolbox.storage.db import session_scope
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.render import add_nav, form_error, render

router = APIRouter(include_in_schema=False)
add_nav("/tokens", N_("API tokens"), None, order=95)


def _page(request: Request, p: Principal, **extra: object) -> Response:
    status_code = int(extra.pop("status_code", 200))  # type: ignore[call-overload]
    with session_scope() as s:
        tokens = accounts.list_tokens(s, p)
        users = [u.username for u in accounts.list_users(s, p)] if p.can(Perm.MANAGE_USERS) else []
    notice = N_("The token was revoked.") if request.query_params.get("done") == "revoked" else None
    return render(request, "tokens.html", {"tokens": tokens, "users": users, "notice": notice, **extra},
                  status_code=status_code)


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    return _page(request, p)


@router.post("/tokens", response_class=HTMLResponse)
def tokens_create(
    request: Request,
    name: str = Form(""),
    expires_days: str = Form("90"),
    username: str = Form(""),
    p: Principal = Depends(current_principal),
) -> Response:
    try:
        if not expires_days.strip().isdigit():
            raise InvalidInput("Token lifetime must be a positive number of days.")
        with session_scope() as s:
            new = accounts.create_token(s, p, username or p.username, name.strip(), expires_days=int(expires_days))
    except ToolboxError as exc:
        return _page(request, p, error=form_error(exc), status_code=exc.status_code)
    return _page(request, p, new_token=new)


@router.post("/tokens/{token_id}/revoke")
def tokens_revoke(token_id: int, p: Principal = Depends(current_principal)) -> Response:
    with session_scope() as s:
        accounts.revoke_token(s, p, token_id)
    return RedirectResponse("/tokens?done=revoked", status_code=303)
