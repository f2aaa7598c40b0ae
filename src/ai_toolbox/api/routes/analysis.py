"""Data analysis: upload a table, list, profile, ask in English or Chinese, chart and export."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ai_toolbox.accounts import Principal
from ai_toolbox.analysis import answers, datasets
from ai_toolbox.analysis.answers import Answer
from ai_toolbox.analysis.datasets import DatasetOut
from ai_toolbox.analysis.profile import DatasetProfile, profile_dataset
from ai_toolbox.api.deps import current_principal
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, TooLarge, UnsupportedFile

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])


class AskRequest(BaseModel):
    question: str = Field(..., examples=["total amount by district", "每個地區的金額總和是多少？"])
    backend: str | None = Field(None, description="none, llamacpp or openai; default: configured")
    mask: bool = Field(False, description="Mask columns that look like personal data")


@router.post("/datasets", response_model=DatasetOut, status_code=201, summary="Upload a CSV/XLSX/Parquet/JSON file")
def upload(
    file: UploadFile = File(...),
    name: str = Form(...),
    replace: bool = Form(False),
    p: Principal = Depends(current_principal),
) -> DatasetOut:
    limit = min(get_settings().analysis.max_dataset_mb, get_settings().max_upload_mb) * 1024 * 1024
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in datasets.FORMATS:
        raise UnsupportedFile(
            f"Cannot load {suffix or 'this'} files as data.", hint="Upload CSV, XLSX, Parquet or JSON."
        )
    with tempfile.TemporaryDirectory(dir=get_settings().data_dir) as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            written = 0
            while chunk := file.file.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise TooLarge(f"The upload is larger than {limit // 2**20} MB.", hint="Split the file.")
                out.write(chunk)
        return datasets.load_file(p, path, name, source_name=file.filename, replace=replace)


@router.get("/datasets", response_model=list[DatasetOut])
def list_datasets(p: Principal = Depends(current_principal)) -> list[DatasetOut]:
    return datasets.list_datasets(p)


@router.get("/datasets/{name}", response_model=DatasetOut)
def get_dataset(name: str, p: Principal = Depends(current_principal)) -> DatasetOut:
    return DatasetOut.of(datasets.get_dataset(p, name))


@router.delete("/datasets/{name}", status_code=204)
def delete_dataset(name: str, p: Principal = Depends(current_principal)) -> Response:
    datasets.delete_dataset(p, name)
    return Response(status_code=204)


@router.get("/datasets/{name}/profile", response_model=DatasetProfile)
def profile(name: str, mask: bool = False, p: Principal = Depends(current_principal)) -> DatasetProfile:
    return profile_dataset(p, name, mask=mask)


@router.post("/datasets/{name}/ask", response_model=Answer, summary="Ask a question; SQL, rows and explanation")
def ask(name: str, body: AskRequest, p: Principal = Depends(current_principal)) -> Answer:
    return answers.ask(p, name, body.question, backend=body.backend, mask=body.mask)


@router.post(
    "/datasets/{name}/chart",
    summary="The answer's chart as PNG or SVG",
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
def chart(name: str, body: AskRequest, fmt: str = "png", p: Principal = Depends(current_principal)) -> Response:
    ans = answers.ask(p, name, body.question, backend=body.backend, mask=body.mask)
    if fmt not in ("png", "svg"):
        raise InvalidInput("Charts come as png or svg.")
    if not ans.chart:
        raise InvalidInput("This answer has no chart (a single value, or no number column).")
    return Response(answers.export(ans, fmt), media_type=answers.EXPORT_TYPES[fmt])


@router.post("/datasets/{name}/export", summary="The answer as CSV, XLSX, PNG or SVG")
def export(name: str, body: AskRequest, fmt: str = "csv", p: Principal = Depends(current_principal)) -> Response:
    ans = answers.ask(p, name, body.question, backend=body.backend, mask=body.mask)
    if fmt not in answers.EXPORT_TYPES:
        raise InvalidInput(f"Cannot export as {fmt!r}.", hint="Choose csv, xlsx, png or svg.")
    return Response(
        answers.export(ans, fmt),
        media_type=answers.EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="answer.{fmt}"'},
    )
