"""The home page: the tools as tiles and the user's recent work."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ai_toolbox import audit, jobs
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, p: Principal = Depends(current_principal)) -> Response:
    recent_jobs = jobs.list_jobs(p, limit=5) if p.can(Perm.USE_TOOLS) else []
    recent_actions = audit.recent_for_user(p, limit=8)
    return render(request, "home.html", {"recent_jobs": recent_jobs, "recent_actions": recent_actions})
