"""The text tools page: detect, convert and redact from a browser (a thin face over `service`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.errors import ToolboxError
from ai_toolbox.text import service
from ai_toolbox.text.convert import CONFIGS
from ai_toolbox.text.pii import OPERATORS

templates = Jinja2Templates(directory=[Path(__file__).parent / "templates",
                                       Path(__file__).parent.parent / "web" / "templates"])
router = APIRouter(include_in_schema=False)


def _page(request: Request, **ctx) -> Response:  # type: ignore[no-untyped-def]
    base = {"configs": CONFIGS, "operators": OPERATORS, "text": "", "action": "convert", "config": "s2hk",
            "operator": "tag", "result": None, "error": None,
            "csrf_token": getattr(request.state, "csrf_token", "")}
    status = ctx.pop("status_code", 200)
    return templates.TemplateResponse(request, "text_tools.html", {**base, **ctx}, status_code=status)


@router.get("/text", response_class=HTMLResponse)
def text_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    return _page(request)


@router.post("/text", response_class=HTMLResponse)
def text_run(request: Request, text: str = Form(""), action: str = Form("convert"), config: str = Form("s2hk"),
             operator: str = Form("tag"), p: Principal = Depends(current_principal)) -> Response:
    ctx = {"text": text, "action": action, "config": config, "operator": operator}
    try:
        if action == "detect":
            result = service.detect(p, text, per_sentence=True)
        elif action == "redact":
            result = service.redact_text(p, service.RedactRequest(text=text, operator=operator))  # type: ignore[arg-type]
        else:
            result = service.convert_text(p, service.ConvertRequest(text=text, config=config))
    except ToolboxError as exc:
        return _page(request, **ctx, error=exc.message + (f" {exc.hint}" if exc.hint else ""),
                     status_code=exc.status_code)
    except ValueError as exc:  # pydantic: an operator not in the list
        return _page(request, **ctx, error=str(exc).splitlines()[0], status_code=422)
    return _page(request, **ctx, result=result)
