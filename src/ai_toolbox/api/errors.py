"""The one place where error types become HTTP responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ai_toolbox.errors import ToolboxError

log = logging.getLogger("ai_toolbox.api")


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ToolboxError)
    async def toolbox_error(request: Request, exc: ToolboxError):  # type: ignore[no-untyped-def]
        if exc.status_code == 401 and _wants_html(request):
            from fastapi.responses import RedirectResponse

            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if _wants_html(request):
            from ai_toolbox.web.errors import error_page

            return error_page(request, exc.status_code, exc.message, exc.hint)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse(
            {
                "error": "invalid_input",
                "message": "The request is not valid.",
                "hint": "; ".join(f"{p['field']}: {p['problem']}" for p in problems)[:1000],
                "problems": problems,
            },
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        messages = {404: "No such page or endpoint.", 405: "That method is not allowed here."}
        if _wants_html(request) and exc.status_code in messages:
            from ai_toolbox.web.errors import error_page

            return error_page(request, exc.status_code, messages[exc.status_code], None)
        return JSONResponse(
            {"error": "http_error", "message": messages.get(exc.status_code, str(exc.detail))},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError):  # type: ignore[no-untyped-def]
        log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc.orig)
        return JSONResponse(
            {"error": "conflict", "message": "That conflicts with data already stored, or refers to something "
             "that does not exist; nothing was changed.", "hint": "Check the names and ids in the request."},
            status_code=409,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"error": "internal", "message": "Something went wrong on the server; nothing was changed.",
             "hint": "Try again; if it keeps happening, give the administrator the time of the error."},
            status_code=500,
        )
