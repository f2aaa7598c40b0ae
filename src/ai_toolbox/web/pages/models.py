"""Model backends: which language-model backends this server has, whether each is usable, and
which one each tool uses (set in the configuration, shown here)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.config import get_settings
from ai_toolbox.llm.status import backend_statuses
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.render import add_nav, render

router = APIRouter(include_in_schema=False)
add_nav("/admin/models", N_("Model backends"), Perm.MANAGE_SYSTEM, order=96)


@router.get("/admin/models", response_class=HTMLResponse)
def models_page(request: Request, probe: bool = False, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.MANAGE_SYSTEM)
    settings = get_settings().llm
    return render(request, "admin/models.html", {
        "backends": backend_statuses(probe=probe), "probed": probe, "default": settings.backend,
        "per_tool": sorted(settings.per_tool.items()),
    })
