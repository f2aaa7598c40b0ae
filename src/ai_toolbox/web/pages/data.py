"""Data analysis: upload a table, see its profile, ask questions (SQL, table, chart, explanation), export."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.analysis import answers, datasets
from ai_toolbox.analysis.datasets import DatasetOut
from ai_toolbox.analysis.profile import profile_dataset
from ai_toolbox.api.deps import current_principal
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, TooLarge, ToolboxError, UnsupportedFile
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.render import add_nav, render

router = APIRouter(include_in_schema=False)
add_nav("/data", N_("Data"), Perm.USE_TOOLS, order=40,
        tile=N_("Upload a spreadsheet, ask questions in English or Chinese, get SQL, tables and charts."))

def _list_page(request: Request, p: Principal, status_code: int = 200, **extra: object) -> Response:
    items = datasets.list_datasets(p)
    return render(request, "data/list.html",
                  {"datasets": items, "formats": sorted(datasets.FORMATS), "form": {}, **extra},
                  status_code=status_code)


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.USE_TOOLS)
    notice = N_("The dataset was deleted.") if request.query_params.get("done") == "deleted" else None
    return _list_page(request, p, notice=notice)


@router.post("/data", response_class=HTMLResponse)
async def data_upload(request: Request, file: UploadFile | None = File(None), name: str = Form(""),
                      replace: str | None = Form(None), p: Principal = Depends(current_principal)) -> Response:
    settings = get_settings()
    try:
        if file is None or not file.filename:
            raise InvalidInput("Choose a file to upload.", hint="Use the file field, then press the button again.")
        suffix = Path(file.filename).suffix.lower()
        if suffix not in datasets.FORMATS:
            raise UnsupportedFile(f"Cannot load {suffix or 'this'} files as data.",
                                  hint="Upload CSV, XLSX, Parquet or JSON.")
        name = name.strip() or Path(file.filename).stem
        limit_mb = min(settings.analysis.max_dataset_mb, settings.max_upload_mb)
        with tempfile.TemporaryDirectory(dir=settings.data_dir) as tmp:
            path = Path(tmp) / f"upload{suffix}"
            written = 0
            with path.open("wb") as out:
                while chunk := await file.read(1 << 20):
                    written += len(chunk)
                    if written > limit_mb * 1024 * 1024:
                        raise TooLarge(f"The file is larger than the {limit_mb} MB limit.",
                                       hint="Split the file into smaller parts, or ask the administrator to raise "
                                            "the limit.")
                    out.write(chunk)
            if written == 0:
                raise InvalidInput(f"The file {file.filename} is empty.", hint="Check that you chose the right file.")
            loaded = datasets.load_file(p, path, name, source_name=file.filename, replace=replace == "on")
    except ToolboxError as exc:
        return _list_page(request, p, exc.status_code, error=exc, form={"name": name})
    return RedirectResponse(f"/data/{loaded.name}", status_code=303)


def _dataset_page(request: Request, p: Principal, name: str, status_code: int = 200, **extra: object) -> Response:
    d = DatasetOut.of(datasets.get_dataset(p, name))
    prof = profile_dataset(p, name, mask=True)
    return render(request, "data/dataset.html",
                  {"dataset": d, "profile": prof, "form": {}, "examples": None, **extra}, status_code=status_code)


@router.get("/data/{name}", response_class=HTMLResponse)
def dataset_page(name: str, request: Request, p: Principal = Depends(current_principal)) -> Response:
    return _dataset_page(request, p, name)


@router.post("/data/{name}/ask", response_class=HTMLResponse)
def dataset_ask(name: str, request: Request, question: str = Form(""), mask: str | None = Form(None),
                p: Principal = Depends(current_principal)) -> Response:
    form = {"question": question, "mask": mask == "on"}
    try:
        answer = answers.ask(p, name, question, mask=mask == "on")
    except ToolboxError as exc:
        return _dataset_page(request, p, name, exc.status_code, error=exc, form=form)
    chart = None
    if answer.chart:
        chart = base64.b64encode(answers.export(answer, "svg")).decode("ascii")
    return _dataset_page(request, p, name, answer=answer, chart=chart, form=form, audit_id=answer.audit_id)


@router.post("/data/{name}/export")
def dataset_export(name: str, question: str = Form(""), fmt: str = Form("csv"), mask: str | None = Form(None),
                   p: Principal = Depends(current_principal)) -> Response:
    datasets.get_dataset(p, name)  # another department's dataset is not found, whatever the form holds
    if fmt not in answers.EXPORT_TYPES:
        raise InvalidInput(f"Cannot export as {fmt!r}.", hint="Choose csv, xlsx, png or svg.")
    answer = answers.ask(p, name, question, mask=mask in ("on", "1", "true"))
    return Response(answers.export(answer, fmt), media_type=answers.EXPORT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="answer.{fmt}"'})


@router.post("/data/{name}/delete")
def dataset_delete(name: str, p: Principal = Depends(current_principal)) -> Response:
    datasets.delete_dataset(p, name)
    return RedirectResponse("/data?done=deleted", status_code=303)
