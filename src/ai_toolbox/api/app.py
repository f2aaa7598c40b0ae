"""FastAPI application factory.

Capability routers are listed in `ROUTER_MODULES`; each module exposes `router`. Routes reach
the caller through `deps.current_principal` (bearer token or session cookie); the only routes
without it are listed in `deps.PUBLIC_PATHS`, and a test proves every other route refuses
anonymous callers.
"""

from __future__ import annotations

import importlib
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ai_toolbox import __version__
from ai_toolbox.api.errors import install_error_handlers
from ai_toolbox.api.middleware import BodySizeLimit
from ai_toolbox.config import get_settings

ROUTER_MODULES = [
    "ai_toolbox.api.routes.system",
    "ai_toolbox.api.routes.auth",
    "ai_toolbox.api.routes.accounts",
    "ai_toolbox.api.routes.audit",
    "ai_toolbox.api.routes.jobs",
    "ai_toolbox.api.routes.documents",
    "ai_toolbox.api.routes.analysis",
    "ai_toolbox.api.routes.llm",
    "ai_toolbox.api.routes.text",
    "ai_toolbox.api.routes.assistant",
    "ai_toolbox.web.routes",
]

DESCRIPTION = """
Self-hosted AI tools for public officers: document processing, enquiry answering from knowledge
bases, and data analysis, in English, Traditional Chinese (Hong Kong) and Simplified Chinese.

Authenticate with `Authorization: Bearer <token>` (create one with `ai-toolbox token create`).
Errors are JSON: `{"error": code, "message": ..., "hint": ...}` with a matching status code.
"""


def create_app(*, start_worker: bool = True) -> FastAPI:
    from ai_toolbox import jobs
    from ai_toolbox.storage import ensure_storage

    settings = get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        ensure_storage()
        jobs.recover_interrupted()
        worker = jobs.Worker(threads=settings.worker_threads) if start_worker else None
        if worker:
            worker.start()
        yield
        if worker:
            worker.stop()

    app = FastAPI(
        title="AI Toolbox",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[{"name": "system"}, {"name": "auth"}, {"name": "accounts"}, {"name": "audit"},
                      {"name": "jobs"}, {"name": "llm"}],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_mb * 1024 * 1024)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent.parent / "web" / "static"), name="static")
    for name in ROUTER_MODULES:
        module = importlib.import_module(name)
        app.include_router(module.router)
    return app
