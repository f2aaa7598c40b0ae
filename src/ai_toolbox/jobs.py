"""Persisted background jobs with progress, cancel and retry.

A capability registers a handler for a job kind:

    @jobs.handler("doc.batch")
    def run_batch(ctx: jobs.JobContext) -> dict:
        for i, item in enumerate(items):
            ctx.check_cancelled()
            ...
            ctx.progress(i + 1, len(items), f"{item.name} done")
        out = ctx.output_dir() / "report.csv"   # staged; published only if the job succeeds
        return {"report": "report.csv"}

`submit()` stores a queued job; the worker thread in the server process (or `run_now()` in the
CLI) runs it. Outputs are written to a staging folder and moved into place atomically when the
handler returns, so a failed or interrupted job leaves nothing half-written. A job that was
running when the process died is marked failed on the next start and can be retried.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, NotFound, ToolboxError
from ai_toolbox.storage.base import utcnow
from ai_toolbox.storage.db import session_scope
from ai_toolbox.storage.models import Job

log = logging.getLogger("ai_toolbox.jobs")

Handler = Callable[["JobContext"], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}
ACTIVE = ("queued", "running")


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


class JobOut(BaseModel):
    id: int
    kind: str
    status: str
    progress: float
    message: str
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _out(j: Job) -> JobOut:
    return JobOut(
        id=j.id, kind=j.kind, status=j.status, progress=j.progress, message=j.message, result=j.result,
        error=j.error, attempts=j.attempts, created_at=j.created_at, started_at=j.started_at,
        finished_at=j.finished_at,
    )


class Cancelled(Exception):
    pass


class JobContext:
    """What a handler gets: its parameters, a progress reporter and a staging folder."""

    def __init__(self, job_id: int, kind: str, params: dict[str, Any], principal: Principal) -> None:
        self.job_id = job_id
        self.kind = kind
        self.params = params
        self.principal = principal
        self._staging = job_dir(job_id).with_name(f".{job_id}.staging")

    def progress(self, done: int, total: int, message: str = "") -> None:
        fraction = 0.0 if total <= 0 else min(1.0, done / total)
        with session_scope() as s:
            s.execute(update(Job).where(Job.id == self.job_id).values(progress=fraction, message=message[:500]))

    def check_cancelled(self) -> None:
        with session_scope() as s:
            if s.scalar(select(Job.cancel_requested).where(Job.id == self.job_id)):
                raise Cancelled

    def output_dir(self) -> Path:
        self._staging.mkdir(parents=True, exist_ok=True)
        return self._staging

    def _publish(self) -> None:
        if self._staging.exists():
            final = job_dir(self.job_id)
            if final.exists():
                shutil.rmtree(final)
            self._staging.rename(final)

    def _discard(self) -> None:
        shutil.rmtree(self._staging, ignore_errors=True)


def job_dir(job_id: int) -> Path:
    return get_settings().data_dir / "jobs" / str(job_id)


def submit(principal: Principal, kind: str, params: dict[str, Any]) -> JobOut:
    principal.require(Perm.USE_TOOLS)
    if kind not in _HANDLERS:
        raise InvalidInput(f"Unknown job kind {kind!r}.", hint="Kinds: " + ", ".join(sorted(_HANDLERS)))
    with session_scope() as s:
        job = Job(kind=kind, department_id=principal.department_id, user_id=principal.user_id,
                  params=params, status="queued", progress=0.0, message="", attempts=0,
                  cancel_requested=False)
        s.add(job)
        s.flush()
        return _out(job)


def _visible(s: Any, principal: Principal, job_id: int) -> Job:
    job = s.get(Job, job_id)
    if job is None or not principal.can(Perm.USE_TOOLS, job.department_id) or (
        principal.role.value == "officer" and job.user_id not in (None, principal.user_id)
    ):
        raise NotFound(f"No job {job_id} that you can see.")
    return job


def get(principal: Principal, job_id: int) -> JobOut:
    with session_scope() as s:
        return _out(_visible(s, principal, job_id))


def list_jobs(principal: Principal, *, limit: int = 50, status: str | None = None) -> list[JobOut]:
    principal.require(Perm.USE_TOOLS)
    q = select(Job).order_by(Job.id.desc()).limit(max(1, min(limit, 500)))
    dept = principal.visible_departments()
    if dept is not None:
        q = q.where(Job.department_id == dept)
    if status:
        q = q.where(Job.status == status)
    with session_scope() as s:
        return [_out(j) for j in s.scalars(q)]


def cancel(principal: Principal, job_id: int) -> JobOut:
    with session_scope() as s:
        job = _visible(s, principal, job_id)
        if job.status == "queued":
            job.status, job.finished_at, job.message = "cancelled", utcnow(), "cancelled before it started"
        elif job.status == "running":
            job.cancel_requested = True
        s.flush()
        return _out(job)


def retry(principal: Principal, job_id: int) -> JobOut:
    with session_scope() as s:
        job = _visible(s, principal, job_id)
        if job.status not in ("failed", "cancelled"):
            raise InvalidInput(f"Job {job_id} is {job.status}; only failed or cancelled jobs can be retried.")
        job.status, job.progress, job.error, job.cancel_requested = "queued", 0.0, None, False
        job.message, job.started_at, job.finished_at, job.result = "queued for retry", None, None, None
        s.flush()
        return _out(job)


def recover_interrupted() -> int:
    """Mark jobs left `running` by a crashed process as failed (retryable). Returns how many."""
    with session_scope() as s:
        rows = list(s.scalars(select(Job).where(Job.status == "running")))
        for job in rows:
            job.status, job.finished_at = "failed", utcnow()
            job.error = "Interrupted: the server stopped while this job ran. Retry it to run it again."
        return len(rows)


def _claim_next() -> int | None:
    with session_scope() as s:
        job = s.scalar(select(Job).where(Job.status == "queued").order_by(Job.id).limit(1))
        if job is None:
            return None
        claimed = s.execute(
            update(Job).where(Job.id == job.id, Job.status == "queued")
            .values(status="running", started_at=utcnow(), attempts=Job.attempts + 1)
        ).rowcount
        return job.id if claimed else None


def run_job(job_id: int) -> JobOut:
    """Run one claimed job to completion and record the outcome."""
    from ai_toolbox import accounts
    from ai_toolbox.storage.models import Department, User

    with session_scope() as s:
        job = s.get(Job, job_id)
        assert job is not None
        kind, params = job.kind, dict(job.params or {})
        user = s.get(User, job.user_id) if job.user_id else None
        if user is not None:
            principal = accounts.principal_for(s, user)
        else:
            dept = s.get(Department, job.department_id)
            principal = Principal(username="local-admin", department_id=job.department_id,
                                  role=accounts.Role.SYSADMIN, department_code=dept.code if dept else "")
    ctx = JobContext(job_id, kind, params, principal)
    status, result, error = "succeeded", None, None
    try:
        fn = _HANDLERS.get(kind)
        if fn is None:
            raise InvalidInput(f"No handler for job kind {kind!r} in this server.")
        result = fn(ctx) or {}
        ctx._publish()
    except Cancelled:
        status, error = "cancelled", None
        ctx._discard()
    except ToolboxError as exc:
        status, error = "failed", exc.message
        ctx._discard()
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, kind)
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        ctx._discard()
    with session_scope() as s:
        job = s.get(Job, job_id)
        assert job is not None
        job.status, job.result, job.error, job.finished_at = status, result, error, utcnow()
        if status == "succeeded":
            job.progress, job.message = 1.0, job.message or "done"
        elif status == "cancelled":
            job.message = "cancelled"
        s.flush()
        return _out(job)


def run_now(principal: Principal, kind: str, params: dict[str, Any]) -> JobOut:
    """Submit and run a job in this process (the CLI's way), returning its final state."""
    job = submit(principal, kind, params)
    with session_scope() as s:
        s.execute(update(Job).where(Job.id == job.id)
                  .values(status="running", started_at=utcnow(), attempts=Job.attempts + 1))
    return run_job(job.id)


class Worker:
    """Background threads that run queued jobs inside the server process."""

    def __init__(self, threads: int = 1, poll_s: float = 0.5) -> None:
        self.threads = max(1, threads)
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for i in range(self.threads):
            t = threading.Thread(target=self._loop, name=f"aitb-worker-{i}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job_id = _claim_next()
            except Exception:  # storage hiccup: keep the worker alive
                log.exception("worker could not claim a job")
                job_id = None
            if job_id is None:
                self._stop.wait(self.poll_s)
                continue
            run_job(job_id)
