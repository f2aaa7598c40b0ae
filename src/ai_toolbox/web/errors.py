"""Errors as pages: what went wrong and what to do, in the user's language."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from ai_toolbox.errors import ToolboxError
from ai_toolbox.web import i18n
from ai_toolbox.web.i18n import gettext as _
from ai_toolbox.web.render import language_of, render


def error_page(request: Request, status_code: int, message: str, hint: str | None) -> HTMLResponse:
    """Render an error page. Known messages are translated through the catalogue."""
    return render(request, "error.html", {"status": status_code, "error": ToolboxError(message, hint=hint)},
                  status_code=status_code)


def too_large_page(request: Request, limit_mb: int) -> HTMLResponse:
    """The page for a request refused by the size limit before it was read."""
    i18n.activate(language_of(request))
    return render(
        request, "error.html",
        {"status": 413, "error": {
            "message": _("The file is larger than the {mb} MB limit.").format(mb=limit_mb),
            "hint": _("Split the file into smaller parts, or ask the administrator to raise the limit.")}},
        status_code=413,
    )
