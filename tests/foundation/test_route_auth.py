"""Every route refuses anonymous callers, and every route that names an object hides other
departments' objects.

Routes are enumerated from the app, so a new route is covered the moment it exists: one that
takes a path parameter must have an entry in OBJECT_ROUTES (a factory that creates the object
in one department and returns the path parameters) or the test fails.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from ai_toolbox import accounts, jobs
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import PUBLIC_PATHS, PUBLIC_PREFIXES
from ai_toolbox.storage import session_scope
from tests.foundation import test_jobs  # noqa: F401  (registers the test job kind)

_seq = itertools.count(1)
PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")


def _walk(routes):
    for route in routes:
        nested = getattr(route, "original_router", None)  # FastAPI's included-router wrapper
        if nested is not None:
            prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            for method, path in _walk(nested.routes):
                yield method, prefix + path
        elif isinstance(route, APIRoute | Route):
            for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
                yield method, route.path


def _routes(app) -> list[tuple[str, str]]:
    return sorted(set(_walk(app.routes)))


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _token(owner: Principal) -> dict[str, str]:
    with session_scope() as s:
        return {"token_id": str(accounts.create_token(s, owner, owner.username, "x").info.id)}


def _job(owner: Principal) -> dict[str, str]:
    job = jobs.run_now(owner, "test.count", {"n": 1})
    return {"job_id": str(job.id), "name": "numbers.txt"}


def _glossary(owner: Principal) -> dict[str, str]:
    from ai_toolbox.text import service

    g = service.create_glossary(owner, service.GlossaryIn(name=f"terms {next(_seq)}", terms=[]))
    return {"glossary_id": str(g.id), "_body": {"name": "renamed", "terms": []}}


def _document(owner: Principal) -> dict[str, Any]:
    import io

    from ai_toolbox.documents import service
    from tests.documents.conftest import make_docx

    stored = service.store(owner, "note.docx", io.BytesIO(make_docx("Note", ["Hello."])))
    service.save_output(owner, stored.id, "note.txt", b"Hello.")
    return {"doc_id": stored.id, "file_id": stored.id, "name": "note.txt",
            "_body": {"template": "invoice", "to": "en"}}


def _dataset(owner: Principal) -> dict[str, Any]:
    from ai_toolbox.analysis import datasets
    from ai_toolbox.config import get_settings

    csv = get_settings().data_dir / "tiny.csv"
    csv.write_text("district,count\nShatin,3\n", encoding="utf-8")
    name = f"tiny{next(_seq)}"
    datasets.load_file(owner, csv, name)
    return {"name": name, "_body": {"question": "how many rows"}}


def _kb(owner: Principal) -> dict[str, Any]:
    from ai_toolbox.assistant import kb

    name = f"kb{next(_seq)}"
    kb.create_kb(owner, name, "")
    return {"name": name, "source": "none.txt", "_body": {"question": "When do counters open?", "published": True}}


def _kb_upload(owner: Principal) -> dict[str, Any]:
    return {**_kb(owner), "_files": {"file": ("faq.txt", b"Counters open at 9 am.", "text/plain")}}


# path template -> factory(owner) -> path parameters naming an object owned by `owner`'s
# department, plus an optional valid request body under "_body" (so validation cannot answer first)
OBJECT_ROUTES: dict[str, Callable[[Principal], dict[str, Any]]] = {
    "/api/v1/tokens/{token_id}": _token,
    "/api/v1/jobs/{job_id}": _job,
    "/api/v1/jobs/{job_id}/cancel": _job,
    "/api/v1/jobs/{job_id}/retry": _job,
    "/api/v1/jobs/{job_id}/files/{name}": _job,
    "/api/v1/text/glossaries/{glossary_id}": _glossary,
    **{f"/api/v1/documents/{{doc_id}}{tail}": _document
       for tail in ("", "/text", "/summarise", "/extract", "/redact", "/convert", "/translate", "/reply",
                    "/outputs/{name}")},
    "/api/v1/assistant/kb/{name}": _kb,
    "/api/v1/assistant/kb/{name}/ask": _kb,
    "/api/v1/assistant/kb/{name}/gaps": _kb,
    "/api/v1/assistant/kb/{name}/publish": _kb,
    "/api/v1/assistant/kb/{name}/reindex": _kb,
    "/api/v1/assistant/kb/{name}/sources": _kb_upload,
    "/api/v1/assistant/kb/{name}/sources/{source}": _kb,
    "/api/v1/analysis/datasets/{name}": _dataset,
    "/api/v1/analysis/datasets/{name}/profile": _dataset,
    "/api/v1/analysis/datasets/{name}/ask": _dataset,
    "/api/v1/analysis/datasets/{name}/chart": _dataset,
    "/api/v1/analysis/datasets/{name}/export": _dataset,
    **{f"/api/v1/documents/{{doc_id}}{tail}": _document
       for tail in ("", "/text", "/summarise", "/extract", "/redact", "/convert", "/translate", "/reply",
                    "/outputs/{name}")},
    # web pages
    "/jobs/{job_id}": _job,
    "/jobs/{job_id}/cancel": _job,
    "/jobs/{job_id}/retry": _job,
    "/tokens/{token_id}/revoke": _token,
    "/admin/users/{username}/active": lambda owner: {"username": owner.username},
    "/admin/departments/{code}": lambda owner: {"code": owner.department_code},
    "/admin/glossaries/{glossary_id}/delete": _glossary,
    "/documents/{file_id}": _document,
    "/documents/{file_id}/run": _document,
    "/documents/{file_id}/compare": _document,
    "/documents/{file_id}/outputs/{name}": _document,
    "/data/{name}": _dataset,
    "/data/{name}/ask": _dataset,
    "/data/{name}/export": _dataset,
    "/data/{name}/delete": _dataset,
    "/assistant/{name}": _kb,
    "/assistant/{name}/ask": _kb,
    "/assistant/{name}/manage": _kb,
    "/assistant/{name}/sources": _kb,
    "/assistant/{name}/sources/{source}/delete": _kb,
    "/assistant/{name}/reindex": _kb,
}


def _fill(path: str, params: dict[str, Any]) -> str:
    return PARAM.sub(lambda m: str(params.get(m.group(1), "1")), path)


def test_every_route_rejects_anonymous_callers(api):
    checked = 0
    for method, path in _routes(api.app):
        if _is_public(path):
            continue
        r = api.request(method, _fill(path, {}), headers={"accept": "application/json"}, json={})
        assert r.status_code == 401, f"{method} {path} answered {r.status_code} without credentials"
        checked += 1
    assert checked >= 10


def test_every_object_route_is_covered():
    from ai_toolbox.api.app import create_app

    missing = [p for _, p in _routes(create_app(start_worker=False))
               if PARAM.search(p) and not _is_public(p) and p not in OBJECT_ROUTES]
    assert not missing, f"add these routes to OBJECT_ROUTES: {sorted(set(missing))}"


@pytest.mark.parametrize("role", ["officer", "dept_admin"])
def test_other_departments_objects_are_not_found(api, make_principal, auth_headers, role):
    owner = make_principal("housing", "dept_admin")
    outsider_headers = auth_headers(make_principal("transport", role))
    for method, path in _routes(api.app):
        if path not in OBJECT_ROUTES:
            continue
        params = OBJECT_ROUTES[path](owner)
        url = _fill(path, params)
        if "_files" in params:
            r = api.request(method, url, headers=outsider_headers, files=params["_files"])
        else:
            r = api.request(method, url, headers=outsider_headers, json=params.get("_body", {}))
        assert r.status_code in (403, 404), f"{method} {url} answered {r.status_code} to another department"
