"""Audit and efficacy: one append-only record per AI action, and what they add up to.

Use `record()` around every AI action:

    with audit.record(principal, "doc", "summarise", input_text=text) as rec:
        summary = ...
        rec.output(summary)

Only sizes and SHA-256 digests of input and output are kept, unless the department opted in to
keeping raw text. A failed action is recorded with its error and re-raised.
"""

from __future__ import annotations

import csv
import hashlib
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel
from sqlalchemy import Select, and_, case, func, select

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, NotFound, ToolboxError
from ai_toolbox.storage.db import session_scope
from ai_toolbox.storage.models import AuditEvent, Department, Feedback

RAW_LIMIT = 20_000


@lru_cache(maxsize=1)
def _default_minutes() -> dict[str, float]:
    path = Path(__file__).parent / "defaults" / "minutes_saved.toml"
    return {k: float(v) for k, v in tomllib.loads(path.read_text("utf-8")).items()}


def minutes_for(tool: str, action: str) -> float:
    table = {**_default_minutes(), **get_settings().minutes_saved}
    for key in (f"{tool}.{action}", f"{tool}.*"):
        if key in table:
            return float(table[key])
    return 0.0


def _measure(data: str | bytes | None) -> tuple[int, str | None]:
    if data is None:
        return 0, None
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return len(data), hashlib.sha256(raw).hexdigest()


@dataclass
class Recorder:
    """Filled in by the caller inside `record()`; written when the block ends."""

    backend: str = "none"
    model: str | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    minutes_saved: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    output_data: str | bytes | None = None
    id: int | None = None

    def output(self, data: str | bytes) -> None:
        self.output_data = data


@contextmanager
def record(
    principal: Principal,
    tool: str,
    action: str,
    *,
    input_text: str | bytes | None = None,
    department_id: int | None = None,
    backend: str = "none",
    model: str | None = None,
) -> Iterator[Recorder]:
    rec = Recorder(backend=backend, model=model)
    started = time.perf_counter()
    status, error = "ok", None
    try:
        yield rec
    except ToolboxError as exc:
        status, error = "error", f"{type(exc).__name__}: {exc.message}"
        raise
    except Exception as exc:
        status, error = "error", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        latency = (time.perf_counter() - started) * 1000
        rec.id = write_event(
            principal,
            tool,
            action,
            input_data=input_text,
            output_data=rec.output_data,
            department_id=department_id,
            backend=rec.backend,
            model=rec.model,
            tokens_in=rec.tokens_in,
            tokens_out=rec.tokens_out,
            latency_ms=latency,
            status=status,
            error=error,
            minutes_saved=(rec.minutes_saved if rec.minutes_saved is not None else minutes_for(tool, action))
            if status == "ok"
            else 0.0,
            meta=rec.meta or None,
        )


def write_event(
    principal: Principal,
    tool: str,
    action: str,
    *,
    input_data: str | bytes | None = None,
    output_data: str | bytes | None = None,
    department_id: int | None = None,
    backend: str = "none",
    model: str | None = None,
    tokens_in: int | None = None,
    tokens_out: int | None = None,
    latency_ms: float = 0.0,
    status: str = "ok",
    error: str | None = None,
    minutes_saved: float = 0.0,
    meta: dict[str, Any] | None = None,
) -> int:
    dept_id = department_id if department_id is not None else principal.department_id
    in_size, in_hash = _measure(input_data)
    out_size, out_hash = _measure(output_data)
    with session_scope() as s:
        dept = s.get(Department, dept_id)
        keep_raw = bool(dept and dept.store_raw_audit) or get_settings().store_raw_audit_default
        event = AuditEvent(
            actor=principal.username,
            user_id=principal.user_id,
            department_id=dept_id,
            tool=tool,
            action=action,
            backend=backend,
            model=model,
            input_size=in_size,
            input_sha256=in_hash,
            output_size=out_size,
            output_sha256=out_hash,
            raw_input=_raw(input_data) if keep_raw else None,
            raw_output=_raw(output_data) if keep_raw else None,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=round(latency_ms, 3),
            status=status,
            error=error[:2000] if error else None,
            minutes_saved=minutes_saved,
            meta=meta,
        )
        s.add(event)
        s.flush()
        return event.id


def _raw(data: str | bytes | None) -> str | None:
    if data is None or isinstance(data, bytes):
        return None
    return data[:RAW_LIMIT]


class AuditEventOut(BaseModel):
    id: int
    ts: datetime
    actor: str
    department: str | None
    tool: str
    action: str
    backend: str
    model: str | None
    input_size: int
    input_sha256: str | None
    output_size: int
    output_sha256: str | None
    tokens_in: int | None
    tokens_out: int | None
    latency_ms: float
    status: str
    error: str | None
    minutes_saved: float


@dataclass(frozen=True)
class AuditFilter:
    tool: str | None = None
    action: str | None = None
    department: str | None = None
    user: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(principal: Principal, flt: AuditFilter) -> Select[Any]:
    principal.require(Perm.READ_AUDIT)
    q = select(AuditEvent, Department.code).outerjoin(Department, Department.id == AuditEvent.department_id)
    conds = []
    visible = principal.visible_departments()
    if visible is not None:
        conds.append(AuditEvent.department_id == visible)
    if flt.department:
        conds.append(Department.code == flt.department)
    if flt.tool:
        conds.append(AuditEvent.tool == flt.tool)
    if flt.action:
        conds.append(AuditEvent.action == flt.action)
    if flt.user:
        conds.append(AuditEvent.actor == flt.user)
    if flt.status:
        conds.append(AuditEvent.status == flt.status)
    if flt.since:
        conds.append(AuditEvent.ts >= flt.since)
    if flt.until:
        conds.append(AuditEvent.ts < flt.until)
    return q.where(and_(*conds)) if conds else q


def _event_out(e: AuditEvent, dept_code: str | None) -> AuditEventOut:
    return AuditEventOut(
        id=e.id, ts=e.ts, actor=e.actor, department=dept_code, tool=e.tool, action=e.action,
        backend=e.backend, model=e.model, input_size=e.input_size, input_sha256=e.input_sha256,
        output_size=e.output_size, output_sha256=e.output_sha256, tokens_in=e.tokens_in,
        tokens_out=e.tokens_out, latency_ms=e.latency_ms, status=e.status, error=e.error,
        minutes_saved=e.minutes_saved,
    )


def list_events(
    principal: Principal, flt: AuditFilter | None = None, *, limit: int = 100, offset: int = 0
) -> list[AuditEventOut]:
    if not 1 <= limit <= 10_000:
        raise InvalidInput("limit must be between 1 and 10000.")
    q = _filtered(principal, flt or AuditFilter()).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    with session_scope() as s:
        return [_event_out(e, code) for e, code in s.execute(q)]


EXPORT_FIELDS = list(AuditEventOut.model_fields)


def export_csv(principal: Principal, out: IO[str], flt: AuditFilter | None = None) -> int:
    """Write every matching event as CSV (oldest first); returns the number of rows."""
    q = _filtered(principal, flt or AuditFilter()).order_by(AuditEvent.id)
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    n = 0
    with session_scope() as s:
        for e, code in s.execute(q.execution_options(yield_per=1000)):
            writer.writerow(_event_out(e, code).model_dump(mode="json"))
            n += 1
    return n


def add_feedback(principal: Principal, audit_id: int, helpful: bool, reason: str | None = None) -> int:
    """Record a user's verdict on an AI action they can see."""
    if not 1 <= audit_id <= 2**53:
        raise NotFound(f"No AI action with id {audit_id}.")
    with session_scope() as s:
        event = s.get(AuditEvent, audit_id)
        if event is None or (
            not principal.is_sysadmin and event.department_id != principal.department_id
        ):
            raise NotFound(f"No AI action with id {audit_id} in your department.")
        fb = Feedback(audit_id=audit_id, user_id=principal.user_id, helpful=helpful,
                      reason=(reason or "")[:2000] or None)
        s.add(fb)
        s.flush()
        return fb.id


class EfficacyRow(BaseModel):
    key: dict[str, str]
    tasks: int
    succeeded: int
    success_rate: float
    minutes_saved: float
    helpful: int
    not_helpful: int
    avg_latency_ms: float


GROUPS = {"tool": AuditEvent.tool, "action": AuditEvent.action, "department": Department.code}


def efficacy(
    principal: Principal,
    group_by: tuple[str, ...] = ("tool",),
    flt: AuditFilter | None = None,
    period: str | None = None,
) -> list[EfficacyRow]:
    """Tasks, success rate, minutes saved and feedback, grouped by tool/action/department/period.

    `period` is "day", "week" or "month" and adds a `period` key (the period's first day).
    """
    for g in group_by:
        if g not in GROUPS:
            raise InvalidInput(f"Cannot group by {g!r}.", hint="Use tool, action or department.")
    base = _filtered(principal, flt or AuditFilter()).subquery()
    ev = base.c
    keys = [ev.tool if g == "tool" else ev.action if g == "action" else ev.code for g in group_by]
    names = list(group_by)
    fb = (
        select(
            Feedback.audit_id,
            func.sum(case((Feedback.helpful.is_(True), 1), else_=0)).label("up"),
            func.sum(case((Feedback.helpful.is_(False), 1), else_=0)).label("down"),
        )
        .group_by(Feedback.audit_id)
        .subquery()
    )
    rows_q = select(
        *keys,
        ev.ts,
        ev.status,
        ev.minutes_saved,
        ev.latency_ms,
        func.coalesce(fb.c.up, 0),
        func.coalesce(fb.c.down, 0),
    ).outerjoin(fb, fb.c.audit_id == ev.id)
    acc: dict[tuple[str, ...], dict[str, float]] = {}
    with session_scope() as s:
        for row in s.execute(rows_q):
            key_vals = [str(v) if v is not None else "" for v in row[: len(keys)]]
            ts, status, minutes, latency, up, down = row[len(keys):]
            if period:
                key_vals.append(_period_start(ts, period))
            a = acc.setdefault(tuple(key_vals), {"tasks": 0, "ok": 0, "min": 0.0, "lat": 0.0, "up": 0, "down": 0})
            a["tasks"] += 1
            a["ok"] += status == "ok"
            a["min"] += minutes or 0.0
            a["lat"] += latency or 0.0
            a["up"] += int(up)
            a["down"] += int(down)
    if period:
        names = [*names, "period"]
    out = []
    for key_vals, a in sorted(acc.items()):
        out.append(
            EfficacyRow(
                key=dict(zip(names, key_vals, strict=True)),
                tasks=int(a["tasks"]),
                succeeded=int(a["ok"]),
                success_rate=round(a["ok"] / a["tasks"], 4) if a["tasks"] else 0.0,
                minutes_saved=round(a["min"], 2),
                helpful=int(a["up"]),
                not_helpful=int(a["down"]),
                avg_latency_ms=round(a["lat"] / a["tasks"], 2) if a["tasks"] else 0.0,
            )
        )
    return out


def _period_start(ts: datetime, period: str) -> str:
    if period == "day":
        return ts.date().isoformat()
    if period == "week":
        return (ts.date().fromordinal(ts.date().toordinal() - ts.weekday())).isoformat()
    if period == "month":
        return ts.date().replace(day=1).isoformat()
    raise InvalidInput(f"Unknown period {period!r}.", hint="Use day, week or month.")


def get_event(principal: Principal, audit_id: int) -> AuditEventOut:
    principal.require(Perm.READ_AUDIT)
    if not 1 <= audit_id <= 2**53:
        raise NotFound(f"No audit event {audit_id}.")
    with session_scope() as s:
        e = s.get(AuditEvent, audit_id)
        if e is None or (not principal.is_sysadmin and e.department_id != principal.department_id):
            raise NotFound(f"No audit event {audit_id}.")
        dept = s.get(Department, e.department_id) if e.department_id else None
        return _event_out(e, dept.code if dept else None)


def recent_for_user(principal: Principal, *, limit: int = 10) -> list[AuditEventOut]:
    """The caller's own latest AI actions (no audit permission needed: they are the caller's)."""
    if principal.user_id is None:
        return []
    q = (
        select(AuditEvent, Department.code)
        .outerjoin(Department, Department.id == AuditEvent.department_id)
        .where(AuditEvent.user_id == principal.user_id)
        .order_by(AuditEvent.id.desc())
        .limit(max(1, min(limit, 100)))
    )
    with session_scope() as s:
        return [_event_out(e, code) for e, code in s.execute(q)]
