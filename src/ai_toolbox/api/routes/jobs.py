"""Background jobs: status, progress, cancel, retry, outputs."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse

from ai_toolbox import jobs
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import ObjectId, current_principal
from ai_toolbox.errors import NotFound
from ai_toolbox.jobs import JobOut

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("", response_model=list[JobOut])
def list_jobs(status: str | None = None, p: Principal = Depends(current_principal)) -> list[JobOut]:
    return jobs.list_jobs(p, status=status)


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: ObjectId, p: Principal = Depends(current_principal)) -> JobOut:
    return jobs.get(p, job_id)


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel_job(job_id: ObjectId, p: Principal = Depends(current_principal)) -> JobOut:
    return jobs.cancel(p, job_id)


@router.post("/{job_id}/retry", response_model=JobOut)
def retry_job(job_id: ObjectId, p: Principal = Depends(current_principal)) -> JobOut:
    return jobs.retry(p, job_id)


@router.get("/{job_id}/files/{name}", summary="Download one output file of a finished job")
def job_file(job_id: ObjectId, name: str, p: Principal = Depends(current_principal)) -> FileResponse:
    job = jobs.get(p, job_id)
    folder = jobs.job_dir(job.id).resolve()
    path = (folder / name).resolve()
    if job.status != "succeeded" or folder not in path.parents or not path.is_file():
        raise NotFound(f"Job {job_id} has no output file {name!r}.")
    return FileResponse(path, filename=path.name)
