import threading

import pytest

from ai_toolbox import jobs
from ai_toolbox.errors import InvalidInput, NotFound
from ai_toolbox.storage import session_scope
from ai_toolbox.storage.models import Job

gate = threading.Event()


@jobs.handler("test.count")
def _count(ctx: jobs.JobContext) -> dict:
    n = ctx.params["n"]
    out = ctx.output_dir() / "numbers.txt"
    with out.open("w") as fh:
        for i in range(n):
            ctx.check_cancelled()
            fh.write(f"{i}\n")
            ctx.progress(i + 1, n, f"{i + 1} of {n}")
            if ctx.params.get("fail_at") == i:
                raise InvalidInput("item 2 is broken")
    return {"file": "numbers.txt", "count": n}


def test_job_runs_reports_progress_and_publishes_output(officer):
    job = jobs.run_now(officer, "test.count", {"n": 5})
    assert job.status == "succeeded" and job.progress == 1.0 and job.result == {"file": "numbers.txt", "count": 5}
    assert (jobs.job_dir(job.id) / "numbers.txt").read_text().count("\n") == 5


def test_failed_job_leaves_no_output_and_can_be_retried(officer):
    job = jobs.run_now(officer, "test.count", {"n": 5, "fail_at": 2})
    assert job.status == "failed" and "item 2" in job.error
    assert not jobs.job_dir(job.id).exists()
    assert not any(p.name.endswith(".staging") for p in jobs.job_dir(job.id).parent.iterdir())
    with session_scope() as s:
        s.get(Job, job.id).params = {"n": 3}
    assert jobs.retry(officer, job.id).status == "queued"
    assert jobs.run_job(jobs._claim_next()).status == "succeeded"
    assert jobs.get(officer, job.id).attempts == 2


def test_job_interrupted_by_a_crash_is_failed_and_retryable(officer):
    job = jobs.submit(officer, "test.count", {"n": 2})
    assert jobs._claim_next() == job.id  # the worker took it, then the process died
    assert jobs.recover_interrupted() == 1
    crashed = jobs.get(officer, job.id)
    assert crashed.status == "failed" and "Interrupted" in crashed.error
    assert jobs.retry(officer, job.id).status == "queued"


def test_cancel_a_queued_job(officer):
    job = jobs.submit(officer, "test.count", {"n": 2})
    assert jobs.cancel(officer, job.id).status == "cancelled"
    assert jobs._claim_next() is None


def test_cancel_a_running_job_stops_it(officer):
    job = jobs.submit(officer, "test.count", {"n": 1000})
    jobs._claim_next()
    jobs.cancel(officer, job.id)
    assert jobs.run_job(job.id).status == "cancelled"
    assert not jobs.job_dir(job.id).exists()


def test_worker_thread_runs_queued_jobs(officer):
    worker = jobs.Worker(poll_s=0.05)
    worker.start()
    try:
        job = jobs.submit(officer, "test.count", {"n": 3})
        for _ in range(200):
            if jobs.get(officer, job.id).status == "succeeded":
                break
            threading.Event().wait(0.05)
        assert jobs.get(officer, job.id).status == "succeeded"
    finally:
        worker.stop()


def test_jobs_are_private_to_their_department(make_principal):
    mine = make_principal("housing", "officer")
    other = make_principal("transport", "dept_admin")
    job = jobs.submit(mine, "test.count", {"n": 1})
    with pytest.raises(NotFound):
        jobs.get(other, job.id)
    assert jobs.list_jobs(other) == []


def test_unknown_job_kind_is_refused(officer):
    with pytest.raises(InvalidInput, match="Unknown job kind"):
        jobs.submit(officer, "nope", {})


def test_job_api_downloads_output_only_for_the_owner(api, make_principal, auth_headers):
    mine = make_principal("housing", "officer")
    other = make_principal("transport", "officer")
    job = jobs.run_now(mine, "test.count", {"n": 2})
    r = api.get(f"/api/v1/jobs/{job.id}/files/numbers.txt", headers=auth_headers(mine))
    assert r.status_code == 200 and r.text == "0\n1\n"
    assert api.get(f"/api/v1/jobs/{job.id}/files/numbers.txt", headers=auth_headers(other)).status_code == 404
    assert api.get(f"/api/v1/jobs/{job.id}/files/..%2F..%2Ftoolbox.db", headers=auth_headers(mine)).status_code == 404
