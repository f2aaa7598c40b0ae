"""Background jobs: the list with live progress (htmx polling), one job, cancel and retry."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ai_toolbox import jobs
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.render import add_nav, render

router = APIRouter(include_in_schema=False)
add_nav("/jobs", N_("Jobs"), Perm.USE_TOOLS, order=80)


def _files(job: jobs.JobOut) -> list[str]:
    folder = jobs.job_dir(job.id)
    if job.status != "succeeded" or not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file())


@router.get("/jobs", response_class=HTMLResponse)
def job_list(request: Request, status: str | None = None, p: Principal = Depends(current_principal)) -> Response:
    items = jobs.list_jobs(p, status=status or None)
    active = any(j.status in jobs.ACTIVE for j in items)
    template = "partials/job_rows.html" if request.headers.get("hx-request") else "jobs.html"
    return render(request, template, {"jobs": items, "active": active, "status": status or ""})


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(job_id: int, request: Request, p: Principal = Depends(current_principal)) -> Response:
    job = jobs.get(p, job_id)
    template = "partials/job_detail.html" if request.headers.get("hx-request") else "job.html"
    return render(request, template, {"job": job, "files": _files(job)})


@router.post("/jobs/{job_id}/cancel")
def job_cancel(job_id: int, p: Principal = Depends(current_principal)) -> Response:
    jobs.cancel(p, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/jobs/{job_id}/retry")
def job_retry(job_id: int, p: Principal = Depends(current_principal)) -> Response:
    jobs.retry(p, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
