"""Helpful / not helpful buttons under any AI result (they reference its audit record)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ai_toolbox import audit
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.web.render import render, safe_next

router = APIRouter(include_in_schema=False)


@router.post("/feedback", response_class=HTMLResponse)
def feedback(request: Request, audit_id: int = Form(...), helpful: str = Form(...), reason: str = Form(""),
             next: str = Form("/"), p: Principal = Depends(current_principal)) -> Response:
    audit.add_feedback(p, audit_id, helpful == "1", reason.strip() or None)
    template = "partials/feedback_done.html" if request.headers.get("hx-request") else "feedback_done.html"
    return render(request, template, {"next": safe_next(next)})
