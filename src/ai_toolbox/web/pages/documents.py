"""Documents: upload a file, choose a tool, see the result beside the source (citations link to the
page), download outputs; batches of files as a background job with live progress."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ai_toolbox import jobs
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.config import get_settings
from ai_toolbox.documents import batch, service
from ai_toolbox.documents import extract as extract_mod
from ai_toolbox.documents.ingest import ingest
from ai_toolbox.errors import InvalidInput, ToolboxError
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.render import add_nav, render

router = APIRouter(include_in_schema=False)
add_nav("/documents", N_("Documents"), Perm.USE_TOOLS, order=20,
        tile=N_("Summarise, extract, convert, translate, redact, compare letters and forms; draft replies."))

TOOLS = {
    "summarise": N_("Summarise"),
    "extract": N_("Extract fields"),
    "convert": N_("Convert Traditional ⇄ Simplified"),
    "translate": N_("Translate"),
    "redact": N_("Redact personal data"),
    "reply": N_("Draft a reply"),
}
TARGETS = {"en": N_("English"), "zh-Hant": N_("Traditional Chinese"), "zh-Hans": N_("Simplified Chinese")}


def _upload_limit() -> int:
    return min(get_settings().documents.max_file_mb, get_settings().max_upload_mb) * 1024 * 1024


def _home(request: Request, p: Principal, status_code: int = 200, **extra: object) -> Response:
    return render(request, "documents/index.html",
                  {"batch_tools": batch.TOOLS, "tools": TOOLS, **extra}, status_code=status_code)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.USE_TOOLS)
    return _home(request, p)


@router.post("/documents", response_class=HTMLResponse)
async def documents_upload(request: Request, file: UploadFile | None = File(None),
                           p: Principal = Depends(current_principal)) -> Response:
    try:
        if file is None or not file.filename:
            raise InvalidInput("Choose a file to upload.", hint="Use the file field, then press the button again.")
        stored = service.store(p, file.filename, file.file, limit_bytes=_upload_limit())
    except ToolboxError as exc:
        return _home(request, p, exc.status_code, error=exc)
    return RedirectResponse(f"/documents/{stored.id}", status_code=303)


def _doc_page(request: Request, p: Principal, file_id: str, status_code: int = 200, **extra: object) -> Response:
    data, meta = service.read_file(p, file_id)
    source_error = None
    try:
        source = ingest(data, name=meta.name)
    except ToolboxError as exc:
        source, source_error = None, exc
    from ai_toolbox.assistant.kb import list_kbs

    ctx = {"meta": meta, "source": source, "source_error": source_error, "tools": TOOLS, "targets": TARGETS,
           "templates": sorted(extract_mod.templates()), "kbs": list_kbs(p), "form": {}, **extra}
    return render(request, "documents/document.html", ctx, status_code=status_code)


@router.get("/documents/{file_id}", response_class=HTMLResponse)
def document_page(file_id: str, request: Request, p: Principal = Depends(current_principal)) -> Response:
    return _doc_page(request, p, file_id)


@router.post("/documents/{file_id}/run", response_class=HTMLResponse)
def document_run(file_id: str, request: Request, tool: str = Form("summarise"), template: str = Form("letter"),
                 config: str = Form("s2hk"), target: str = Form("en"), sentences: int = Form(3),
                 kb: str = Form(""), p: Principal = Depends(current_principal)) -> Response:
    form = {"tool": tool, "template": template, "config": config, "target": target, "sentences": sentences,
            "kb": kb}
    data, meta = service.read_file(p, file_id)
    result: dict[str, object] = {"tool": tool}
    try:
        if tool == "summarise":
            result["summary"] = out = service.summarise(p, data, meta.name, sentences=max(1, min(sentences, 20)))
        elif tool == "extract":
            result["extraction"] = out = service.extract(p, data, meta.name, template=template)
            result["extraction_json"] = extract_mod.to_json(out)
        elif tool == "convert":
            out = service.convert(p, data, meta.name, config=config)
            result["output"] = service.save_output(p, file_id, out.output_name, out.data)
        elif tool == "translate":
            result["translation"] = out = service.translate(p, data, meta.name, target=target)
        elif tool == "redact":
            out = service.redact(p, data, meta.name)
            result["report"] = out.report
            result["output"] = service.save_output(p, file_id, out.report.output_name, out.data)
            out = out.report
        elif tool == "reply":
            result["draft"] = out = service.reply(p, data, meta.name, language=target, kb=kb or None)
        else:
            raise InvalidInput(f"Unknown tool {tool!r}.")
    except ToolboxError as exc:
        return _doc_page(request, p, file_id, exc.status_code, error=exc, form=form)
    return _doc_page(request, p, file_id, result=result, form=form, audit_id=getattr(out, "audit_id", None))


@router.post("/documents/{file_id}/compare", response_class=HTMLResponse)
async def document_compare(file_id: str, request: Request, other: UploadFile | None = File(None),
                           p: Principal = Depends(current_principal)) -> Response:
    data, meta = service.read_file(p, file_id)
    try:
        if other is None or not other.filename:
            raise InvalidInput("Choose a file to upload.", hint="Use the file field, then press the button again.")
        new = service.store(p, other.filename, other.file, limit_bytes=_upload_limit())
        new_data, new_meta = service.read_file(p, new.id)
        comparison = service.compare(p, (data, meta.name), (new_data, new_meta.name))
    except ToolboxError as exc:
        return _doc_page(request, p, file_id, exc.status_code, compare_error=exc)
    return _doc_page(request, p, file_id, result={"tool": "compare", "comparison": comparison, "other": new_meta},
                     audit_id=comparison.audit_id)


@router.get("/documents/{file_id}/outputs/{name}")
def document_output(file_id: str, name: str, p: Principal = Depends(current_principal)) -> Response:
    return FileResponse(service.output_path(p, file_id, name), filename=name)


@router.post("/documents/batch", response_class=HTMLResponse)
async def documents_batch(request: Request, file: UploadFile | None = File(None), tool: str = Form("summarise"),
                          template: str = Form("letter"), p: Principal = Depends(current_principal)) -> Response:
    try:
        if file is None or not file.filename:
            raise InvalidInput("Choose a file to upload.", hint="Use the file field, then press the button again.")
        if tool not in batch.TOOLS:
            raise InvalidInput(f"Unknown tool {tool!r}.")
        stored = service.store(p, file.filename, file.file, limit_bytes=_upload_limit())
        source = get_settings().data_dir / "documents" / stored.id / "original"
        options = {"template": template} if tool == "extract" else {}
        job = jobs.submit(p, batch.KIND, {"source": str(source), "tool": tool, "options": options})
    except ToolboxError as exc:
        return _home(request, p, exc.status_code, batch_error=exc)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
