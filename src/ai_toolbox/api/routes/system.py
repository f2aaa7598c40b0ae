"""Health and readiness (public)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ai_toolbox import __version__
from ai_toolbox.errors import StorageUnavailable
from ai_toolbox.storage import db

router = APIRouter(tags=["system"])


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/readyz", summary="Readiness: the database answers and is fully migrated")
def readyz() -> JSONResponse:
    try:
        db.ping()
        pending = db.pending_heads()
    except StorageUnavailable as exc:
        return JSONResponse({"status": "unavailable", "database": exc.message}, status_code=503)
    if pending:
        return JSONResponse(
            {"status": "unavailable", "database": f"migrations pending: {sorted(pending)}"}, status_code=503
        )
    return JSONResponse({"status": "ready", "database": "ok"})
