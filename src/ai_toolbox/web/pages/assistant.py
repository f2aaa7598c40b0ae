"""Assistant: chat over a chosen knowledge base with citations that open the source passage,
feedback and hand-off; knowledge-base management for editors (sources, re-index, FAQ gaps)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.assistant import kb
from ai_toolbox.assistant.answer import ask
from ai_toolbox.assistant.gaps import faq_gaps
from ai_toolbox.errors import InvalidInput, ToolboxError
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.render import add_nav, render
from ai_toolbox.web.uploads import read_upload

router = APIRouter(include_in_schema=False)
add_nav("/assistant", N_("Assistant"), Perm.USE_TOOLS, order=30,
        tile=N_("Answer enquiries from your department's knowledge bases, with citations."))

NOTICES = {"created": N_("The knowledge base was created."), "added": N_("The source was added and indexed."),
           "removed": N_("The source was removed from the index."), "reindexed": N_("The index was rebuilt.")}


def _list_page(request: Request, p: Principal, status_code: int = 200, **extra: object) -> Response:
    notice = NOTICES.get(request.query_params.get("done") or "")
    return render(request, "assistant/list.html", {"kbs": kb.list_kbs(p), "form": {}, "notice": notice, **extra},
                  status_code=status_code)


@router.get("/assistant", response_class=HTMLResponse)
def assistant_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.USE_TOOLS)
    return _list_page(request, p)


@router.post("/assistant", response_class=HTMLResponse)
def assistant_create(request: Request, name: str = Form(""), description: str = Form(""),
                     p: Principal = Depends(current_principal)) -> Response:
    try:
        created = kb.create_kb(p, name.strip(), description.strip())
    except ToolboxError as exc:
        return _list_page(request, p, exc.status_code, error=exc, form={"name": name, "description": description})
    return RedirectResponse(f"/assistant/{created.name}/manage?done=created", status_code=303)


@router.get("/assistant/{name}", response_class=HTMLResponse)
def chat_page(name: str, request: Request, p: Principal = Depends(current_principal)) -> Response:
    return render(request, "assistant/chat.html", {"kb": kb.get_kb(p, name), "exchange": None, "form": {}})


@router.post("/assistant/{name}/ask", response_class=HTMLResponse)
def chat_ask(name: str, request: Request, question: str = Form(""),
             p: Principal = Depends(current_principal)) -> Response:
    base = kb.get_kb(p, name)
    htmx = request.headers.get("hx-request") == "true"
    try:
        if not question.strip():
            raise InvalidInput("Enter some text first.")
        answer = ask(p, name, question)
    except ToolboxError as exc:
        if htmx:
            return render(request, "partials/form_error.html", {"error": exc}, status_code=200)
        return render(request, "assistant/chat.html", {"kb": base, "exchange": None, "error": exc,
                                                       "form": {"question": question}}, status_code=exc.status_code)
    exchange = {"question": question, "answer": answer}
    if htmx:
        return render(request, "partials/exchange.html", {"kb": base, "exchange": exchange,
                                                          "audit_id": answer.audit_id})
    return render(request, "assistant/chat.html", {"kb": base, "exchange": exchange, "form": {},
                                                   "audit_id": answer.audit_id})


def _manage_page(request: Request, p: Principal, name: str, status_code: int = 200, **extra: object) -> Response:
    base = kb.get_kb(p, name)
    p.require(Perm.MANAGE_KB, None)
    return render(request, "assistant/manage.html", {
        "kb": base, "sources": kb.list_sources(p, name), "gaps": faq_gaps(p, name),
        "notice": NOTICES.get(request.query_params.get("done") or ""), **extra}, status_code=status_code)


@router.get("/assistant/{name}/manage", response_class=HTMLResponse)
def manage_page(name: str, request: Request, p: Principal = Depends(current_principal)) -> Response:
    return _manage_page(request, p, name)


@router.post("/assistant/{name}/sources", response_class=HTMLResponse)
async def manage_add_source(name: str, request: Request, file: UploadFile | None = File(None),
                            kind: str = Form(""), p: Principal = Depends(current_principal)) -> Response:
    try:
        data, filename = await read_upload(file)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(filename).name
            path.write_bytes(data)
            kb.add_source(p, name, path, data=data, kind=kind or None)
    except ToolboxError as exc:
        return _manage_page(request, p, name, exc.status_code, error=exc)
    return RedirectResponse(f"/assistant/{name}/manage?done=added", status_code=303)


@router.post("/assistant/{name}/sources/{source}/delete")
def manage_delete_source(name: str, source: str, p: Principal = Depends(current_principal)) -> Response:
    kb.delete_source(p, name, source)
    return RedirectResponse(f"/assistant/{name}/manage?done=removed", status_code=303)


@router.post("/assistant/{name}/reindex")
def manage_reindex(name: str, p: Principal = Depends(current_principal)) -> Response:
    kb.reindex(p, name)
    return RedirectResponse(f"/assistant/{name}/manage?done=reindexed", status_code=303)
