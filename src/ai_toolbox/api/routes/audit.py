"""Audit log, efficacy summary and feedback."""

from __future__ import annotations

import io
from datetime import datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from ai_toolbox import audit
from ai_toolbox.accounts import Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.audit import AuditEventOut, AuditFilter, EfficacyRow

router = APIRouter(prefix="/api/v1", tags=["audit"])


def _filter(
    tool: str | None = None,
    action: str | None = None,
    department: str | None = None,
    user: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AuditFilter:
    return AuditFilter(tool=tool, action=action, department=department, user=user, status=status,
                       since=since, until=until)


@router.get("/audit", response_model=list[AuditEventOut])
def list_audit(
    flt: AuditFilter = Depends(_filter),
    limit: int = Query(100, ge=1, le=10_000),
    offset: int = Query(0, ge=0, le=10_000_000),
    p: Principal = Depends(current_principal),
) -> list[AuditEventOut]:
    return audit.list_events(p, flt, limit=limit, offset=offset)


@router.get("/audit/export", summary="Audit log as CSV", response_class=StreamingResponse)
def export_audit(flt: AuditFilter = Depends(_filter), p: Principal = Depends(current_principal)):  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    audit.export_csv(p, buf, flt)
    return StreamingResponse(
        iter([buf.getvalue()]), media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.get("/efficacy", response_model=list[EfficacyRow])
def efficacy(
    group_by: list[str] = Query(["tool"]),
    period: str | None = Query(None, pattern="^(day|week|month)$"),
    flt: AuditFilter = Depends(_filter),
    p: Principal = Depends(current_principal),
) -> list[EfficacyRow]:
    return audit.efficacy(p, tuple(group_by), flt, period)


class FeedbackIn(BaseModel):
    audit_id: int = Field(ge=1, le=2**53)
    helpful: bool
    reason: str | None = Field(None, max_length=2000)


@router.post("/feedback", status_code=201, summary="Rate an AI action helpful or not")
def feedback(body: FeedbackIn, p: Principal = Depends(current_principal)) -> dict[str, int]:
    return {"id": audit.add_feedback(p, body.audit_id, body.helpful, body.reason)}
