"""Administration: users, departments, audit log with export, and the efficacy dashboard."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ai_toolbox import accounts, audit
from ai_toolbox.accounts import Perm, Principal, Role
from ai_toolbox.api.deps import current_principal
from ai_toolbox.audit import AuditFilter
from ai_toolbox.errors import InvalidInput, ToolboxError
from ai_toolbox.storage.db import session_scope
from ai_toolbox.web import charts
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.i18n import gettext as _
from ai_toolbox.web.render import add_nav, form_error, render

router = APIRouter(include_in_schema=False)
add_nav("/admin/users", N_("Users"), Perm.MANAGE_USERS, order=90)
add_nav("/admin/audit", N_("Audit log"), Perm.READ_AUDIT, order=92)
add_nav("/admin/efficacy", N_("Efficacy"), Perm.READ_AUDIT, tile=N_("Tasks, minutes saved and feedback per tool."),
        order=93)

NOTICES = {
    "user-created": N_("The user was created."),
    "user-updated": N_("The user was updated."),
    "dept-created": N_("The department was created."),
    "dept-updated": N_("The department settings were saved."),
}


def _notice(request: Request) -> str | None:
    key = request.query_params.get("done")
    return NOTICES.get(key or "")


# -- users ---------------------------------------------------------------------------------------

def _users_page(request: Request, p: Principal, error: dict | None = None, form: dict | None = None,
                status_code: int = 200) -> Response:
    with session_scope() as s:
        users = accounts.list_users(s, p)
        departments = accounts.list_departments(s, p)
    roles = [r.value for r in Role if p.is_sysadmin or r is not Role.SYSADMIN]
    return render(request, "admin/users.html",
                  {"users": users, "departments": departments, "roles": roles, "error": error,
                   "form": form or {}, "notice": _notice(request)}, status_code=status_code)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.MANAGE_USERS)
    return _users_page(request, p)


@router.post("/admin/users", response_class=HTMLResponse)
def users_create(
    request: Request,
    username: str = Form(""),
    display_name: str = Form(""),
    password: str = Form(""),
    department: str = Form(""),
    role: str = Form("officer"),
    p: Principal = Depends(current_principal),
) -> Response:
    try:
        with session_scope() as s:
            accounts.create_user(s, p, username.strip(), password, department=department or p.department_code,
                                 role=role, display_name=display_name.strip())
    except ToolboxError as exc:
        form = {"username": username, "display_name": display_name, "department": department, "role": role}
        return _users_page(request, p, form_error(exc), form, status_code=exc.status_code)
    return RedirectResponse("/admin/users?done=user-created", status_code=303)


@router.post("/admin/users/{username}/active", response_class=HTMLResponse)
def users_set_active(username: str, active: str = Form("0"), p: Principal = Depends(current_principal)) -> Response:
    with session_scope() as s:
        accounts.set_active(s, p, username, active == "1")
    return RedirectResponse("/admin/users?done=user-updated", status_code=303)


# -- departments ----------------------------------------------------------------------------------

add_nav("/admin/departments", N_("Departments"), Perm.MANAGE_USERS, order=91)


def _departments_page(request: Request, p: Principal, error: dict | None = None, form: dict | None = None,
                      status_code: int = 200) -> Response:
    with session_scope() as s:
        departments = accounts.list_departments(s, p)
    return render(request, "admin/departments.html",
                  {"departments": departments, "error": error, "form": form or {}, "notice": _notice(request)},
                  status_code=status_code)


@router.get("/admin/departments", response_class=HTMLResponse)
def departments_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.MANAGE_USERS)
    return _departments_page(request, p)


@router.post("/admin/departments", response_class=HTMLResponse)
def departments_create(request: Request, code: str = Form(""), name: str = Form(""),
                       p: Principal = Depends(current_principal)) -> Response:
    try:
        with session_scope() as s:
            accounts.create_department(s, p, code, name)
    except ToolboxError as exc:
        return _departments_page(request, p, form_error(exc), {"code": code, "name": name}, exc.status_code)
    return RedirectResponse("/admin/departments?done=dept-created", status_code=303)


@router.post("/admin/departments/{code}", response_class=HTMLResponse)
def departments_update(code: str, allow_remote_llm: str | None = Form(None), store_raw_audit: str | None = Form(None),
                       p: Principal = Depends(current_principal)) -> Response:
    with session_scope() as s:
        accounts.update_department(s, p, code, allow_remote_llm=allow_remote_llm == "on",
                                   store_raw_audit=store_raw_audit == "on")
    return RedirectResponse("/admin/departments?done=dept-updated", status_code=303)


# -- audit log ------------------------------------------------------------------------------------

PAGE_SIZE = 50


def _parse_day(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    except ValueError:
        raise InvalidInput(f"{field} is not a date.", hint="Use the date picker or YYYY-MM-DD.") from None


def _audit_filter(request: Request) -> tuple[AuditFilter, dict[str, str]]:
    q = {k: request.query_params.get(k, "").strip() for k in
         ("tool", "action", "department", "user", "status", "since", "until")}
    until = _parse_day(q["until"], "Until")
    flt = AuditFilter(
        tool=q["tool"] or None, action=q["action"] or None, department=q["department"] or None,
        user=q["user"] or None, status=q["status"] or None, since=_parse_day(q["since"], "Since"),
        until=until + timedelta(days=1) if until else None,
    )
    return flt, q


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, page: int = 1, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.READ_AUDIT)
    error = None
    try:
        flt, q = _audit_filter(request)
    except ToolboxError as exc:
        flt, q, error = AuditFilter(), {}, form_error(exc)
    page = max(1, page)
    events = audit.list_events(p, flt, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    query = "&".join(f"{k}={v}" for k, v in q.items() if v)
    return render(request, "admin/audit.html",
                  {"events": events[:PAGE_SIZE], "more": len(events) > PAGE_SIZE, "page": page, "q": q,
                   "query": query, "error": error})


@router.get("/admin/audit/export.csv")
def audit_export(request: Request, p: Principal = Depends(current_principal)) -> Response:
    flt, _q = _audit_filter(request)
    buf = io.StringIO()
    audit.export_csv(p, buf, flt)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


# -- efficacy dashboard -----------------------------------------------------------------------------

PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}


@router.get("/admin/efficacy", response_class=HTMLResponse)
def efficacy_page(request: Request, days: str = "30", p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.READ_AUDIT)
    span = PERIODS.get(days, 30)
    since = datetime.combine(date.today() - timedelta(days=span - 1), datetime.min.time())
    flt = AuditFilter(since=since)
    by_tool = audit.efficacy(p, ("tool",), flt)
    by_dept = audit.efficacy(p, ("department",), flt)
    by_tool_dept = audit.efficacy(p, ("tool", "department"), flt)
    by_day = audit.efficacy(p, (), flt, period="day")
    totals = {
        "tasks": sum(r.tasks for r in by_tool),
        "succeeded": sum(r.succeeded for r in by_tool),
        "minutes": sum(r.minutes_saved for r in by_tool),
        "helpful": sum(r.helpful for r in by_tool),
        "not_helpful": sum(r.not_helpful for r in by_tool),
    }
    totals["success_rate"] = totals["succeeded"] / totals["tasks"] if totals["tasks"] else None
    rated = totals["helpful"] + totals["not_helpful"]
    totals["helpful_rate"] = totals["helpful"] / rated if rated else None
    days_axis = [(since.date() + timedelta(days=i)).isoformat() for i in range(span)]
    per_day = {r.key["period"]: r for r in by_day}
    trend_tasks = [(d, per_day[d].tasks if d in per_day else 0) for d in days_axis]
    trend_minutes = [(d, per_day[d].minutes_saved if d in per_day else 0.0) for d in days_axis]
    return render(request, "admin/efficacy.html", {
        "days": str(span), "periods": list(PERIODS), "totals": totals, "by_tool": by_tool, "by_dept": by_dept,
        "by_tool_dept": by_tool_dept,
        "tasks_chart": charts.bars([(r.key["tool"], r.tasks) for r in by_tool], title=_("Tasks per tool")),
        "minutes_chart": charts.bars([(r.key["tool"], r.minutes_saved) for r in by_tool],
                                     title=_("Minutes saved per tool")),
        "trend_tasks_chart": charts.line(trend_tasks, title=_("Tasks per day")),
        "trend_minutes_chart": charts.line(trend_minutes, title=_("Minutes saved per day")),
    })
