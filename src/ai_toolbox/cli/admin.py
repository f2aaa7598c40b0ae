"""Administration: init, serve, users, departments, tokens, audit, demo data, doctor."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.table import Table

from ai_toolbox import accounts, audit
from ai_toolbox.audit import AuditFilter
from ai_toolbox.cli.common import JsonOpt, UserOpt, app, console, emit_json, principal
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput
from ai_toolbox.storage import ensure_storage, session_scope

user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
dept_app = typer.Typer(help="Manage departments.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="Read and export the audit log.", no_args_is_help=True)
demo_app = typer.Typer(help="Sample data in all three languages.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(dept_app, name="dept")
app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")
app.add_typer(demo_app, name="demo")

ADMIN_USERNAME = "admin"
INITIAL_PASSWORD_FILE = "initial-admin-password"


@app.command()
def init(json_out: bool = JsonOpt) -> None:
    """Create or upgrade storage and the first administrator (safe to run again)."""
    from ai_toolbox.storage.models import User

    settings = get_settings()
    ensure_storage()
    pw_file = settings.data_dir / INITIAL_PASSWORD_FILE
    with session_scope() as s:
        existing = s.query(User).filter_by(username=ADMIN_USERNAME).one_or_none()
        created = existing is None
        if created:
            password = accounts.generate_password()
            accounts.create_user(s, None, ADMIN_USERNAME, password, role=accounts.Role.SYSADMIN,
                                 display_name="Administrator")
            pw_file.write_text(password + "\n")
            pw_file.chmod(0o600)
    password = pw_file.read_text().strip() if pw_file.exists() else None
    result = {"created": created, "username": ADMIN_USERNAME, "password": password,
              "database": _redact_url(settings.db_url), "data_dir": str(settings.data_dir)}
    if json_out:
        emit_json(result)
        return
    console.print("Storage is ready." if created else "Already initialised; nothing changed.")
    console.print(f"  data directory: {settings.data_dir}")
    console.print(f"  database:       {result['database']}")
    if password:
        console.print(f"  admin login:    [bold]{ADMIN_USERNAME}[/] / [bold]{password}[/]")
        console.print(f"  (change it with `ai-toolbox user password {ADMIN_USERNAME}`; "
                      f"the initial password file {pw_file.name} is then removed)")
    else:
        console.print(f"  admin login:    {ADMIN_USERNAME} (password changed since setup)")


def _redact_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to listen on (default from settings: 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default from settings: 8000)."),
    workers: int = typer.Option(1, help="Uvicorn worker processes."),
) -> None:
    """Start the web server and API."""
    import uvicorn

    settings = get_settings()
    ensure_storage()
    host = host or settings.host
    port = port or settings.port
    if workers > 1 and settings.rate_limit_store == "auto":
        # Several processes: count requests in the database so the limits hold across all of them.
        os.environ["AITB_RATE_LIMIT_STORE"] = "database"
    console.print(f"AI Toolbox on http://{host}:{port}  (API docs at /docs)")
    pw_file = settings.data_dir / INITIAL_PASSWORD_FILE
    if pw_file.exists():
        console.print(f"Sign in as [bold]{ADMIN_USERNAME}[/] / [bold]{pw_file.read_text().strip()}[/]")
    uvicorn.run("ai_toolbox.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=True)


# -- users -------------------------------------------------------------------------------------


@user_app.command("add")
def user_add(
    username: str,
    department: str = typer.Option("default", "--dept", help="Department code."),
    role: str = typer.Option("officer", help="officer, kb_editor, dept_admin, auditor or sysadmin."),
    password: str = typer.Option(None, help="Password (default: generate one and print it)."),
    display_name: str = typer.Option("", "--name"),
    as_user: str = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Add a user; prints the password when one is generated."""
    p = principal(as_user)
    generated = password is None
    password = password or accounts.generate_password()
    with session_scope() as s:
        out = accounts.create_user(s, p, username, password, department=department, role=role,
                                   display_name=display_name)
    if json_out:
        emit_json({**out.model_dump(), "password": password if generated else None})
        return
    console.print(f"Created {out.username} ({out.role}) in {out.department}.")
    if generated:
        console.print(f"Password: [bold]{password}[/]")


@user_app.command("list")
def user_list(as_user: str = UserOpt, json_out: bool = JsonOpt) -> None:
    """List users."""
    p = principal(as_user)
    with session_scope() as s:
        users = accounts.list_users(s, p)
    if json_out:
        emit_json({"users": [u.model_dump() for u in users]})
        return
    table = Table("user", "name", "department", "role", "active")
    for u in users:
        table.add_row(u.username, u.display_name, u.department, u.role, "yes" if u.active else "no")
    console.print(table)


@user_app.command("password")
def user_password(
    username: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    as_user: str = UserOpt,
) -> None:
    """Set a user's password."""
    p = principal(as_user)
    with session_scope() as s:
        accounts.set_password(s, p, username, password)
    if username == ADMIN_USERNAME:
        (get_settings().data_dir / INITIAL_PASSWORD_FILE).unlink(missing_ok=True)
    console.print(f"Password for {username} changed.")


@user_app.command("disable")
def user_disable(username: str, as_user: str = UserOpt) -> None:
    """Disable a user and end their sessions (their tokens stop working too)."""
    p = principal(as_user)
    with session_scope() as s:
        accounts.set_active(s, p, username, False)
    console.print(f"{username} disabled.")


# -- departments -------------------------------------------------------------------------------


@dept_app.command("add")
def dept_add(code: str, name: str = typer.Argument(""), as_user: str = UserOpt, json_out: bool = JsonOpt) -> None:
    """Add a department."""
    p = principal(as_user)
    with session_scope() as s:
        out = accounts.create_department(s, p, code, name or code)
    if json_out:
        emit_json(out)
    else:
        console.print(f"Department {out.code} ({out.name}) created.")


@dept_app.command("list")
def dept_list(as_user: str = UserOpt, json_out: bool = JsonOpt) -> None:
    """List departments."""
    p = principal(as_user)
    with session_scope() as s:
        depts = accounts.list_departments(s, p)
    if json_out:
        emit_json({"departments": [d.model_dump() for d in depts]})
        return
    table = Table("code", "name", "remote LLM allowed", "raw audit text")
    for d in depts:
        table.add_row(d.code, d.name, str(d.allow_remote_llm), str(d.store_raw_audit))
    console.print(table)


@dept_app.command("set")
def dept_set(
    code: str,
    allow_remote_llm: bool = typer.Option(None, "--allow-remote-llm/--forbid-remote-llm"),
    store_raw_audit: bool = typer.Option(None, "--store-raw-audit/--no-raw-audit"),
    as_user: str = UserOpt,
) -> None:
    """Change a department's policies."""
    p = principal(as_user)
    with session_scope() as s:
        out = accounts.update_department(s, p, code, allow_remote_llm=allow_remote_llm,
                                         store_raw_audit=store_raw_audit)
    console.print(f"{out.code}: remote LLM allowed={out.allow_remote_llm}, raw audit text={out.store_raw_audit}")


# -- tokens ------------------------------------------------------------------------------------


@token_app.command("create")
def token_create(
    username: str = typer.Argument(ADMIN_USERNAME, help="Owner of the token."),
    name: str = typer.Option("cli", help="What the token is for."),
    days: int = typer.Option(90, help="Days until it expires (0 for never)."),
    as_user: str = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    p = principal(as_user)
    with session_scope() as s:
        new = accounts.create_token(s, p, username, name, expires_days=days or None)
    if json_out:
        emit_json(new)
        return
    console.print(f"Token {new.info.id} for {username} (shown once, keep it safe):")
    console.print(new.token, highlight=False, soft_wrap=True)


@token_app.command("list")
def token_list(username: str = typer.Argument(None), as_user: str = UserOpt, json_out: bool = JsonOpt) -> None:
    """List API tokens."""
    p = principal(as_user)
    with session_scope() as s:
        tokens = accounts.list_tokens(s, p, username)
    if json_out:
        emit_json({"tokens": [t.model_dump(mode="json") for t in tokens]})
        return
    table = Table("id", "user", "name", "prefix", "expires", "revoked")
    for t in tokens:
        table.add_row(str(t.id), t.username, t.name, t.prefix, str(t.expires_at or "never"),
                      str(t.revoked_at or ""))
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: int, as_user: str = UserOpt) -> None:
    """Revoke an API token by id."""
    p = principal(as_user)
    with session_scope() as s:
        out = accounts.revoke_token(s, p, token_id)
    console.print(f"Token {out.id} ({out.name}) revoked.")


# -- audit -------------------------------------------------------------------------------------


def _audit_filter(tool: str | None, department: str | None, user: str | None, since: str | None) -> AuditFilter:
    from datetime import datetime

    try:
        since_dt = datetime.fromisoformat(since) if since else None
    except ValueError:
        raise InvalidInput(f"--since {since!r} is not a date.", hint="Use YYYY-MM-DD.") from None
    return AuditFilter(tool=tool, department=department, user=user, since=since_dt)


@audit_app.command("list")
def audit_list(
    tool: str = typer.Option(None),
    department: str = typer.Option(None, "--dept"),
    user: str = typer.Option(None, "--by", help="Only actions by this user."),
    since: str = typer.Option(None, help="YYYY-MM-DD"),
    limit: int = typer.Option(50),
    as_user: str = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Show recent AI actions."""
    p = principal(as_user)
    events = audit.list_events(p, _audit_filter(tool, department, user, since), limit=limit)
    if json_out:
        emit_json({"events": [e.model_dump(mode="json") for e in events]})
        return
    table = Table("id", "time", "who", "dept", "tool", "action", "backend", "ms", "status", "min saved")
    for e in events:
        table.add_row(str(e.id), e.ts.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.department or "", e.tool,
                      e.action, e.backend, f"{e.latency_ms:.0f}", e.status, f"{e.minutes_saved:g}")
    console.print(table)


@audit_app.command("export")
def audit_export(
    out: Path = typer.Argument(None, help="CSV file to write (default: stdout)."),
    tool: str = typer.Option(None),
    department: str = typer.Option(None, "--dept"),
    since: str = typer.Option(None, help="YYYY-MM-DD"),
    as_user: str = UserOpt,
) -> None:
    """Export the audit log as CSV."""
    p = principal(as_user)
    flt = _audit_filter(tool, department, None, since)
    if out is None:
        audit.export_csv(p, sys.stdout, flt)
        return
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        n = audit.export_csv(p, fh, flt)
    tmp.replace(out)
    console.print(f"Wrote {n} events to {out}.")


@audit_app.command("efficacy")
def audit_efficacy(
    by: str = typer.Option("tool", help="Comma-separated: tool, action, department."),
    period: str = typer.Option(None, help="day, week or month"),
    as_user: str = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Tasks, success rate, minutes saved and feedback per tool, department or period."""
    p = principal(as_user)
    rows = audit.efficacy(p, tuple(x.strip() for x in by.split(",") if x.strip()), None, period)
    if json_out:
        emit_json({"rows": [r.model_dump() for r in rows]})
        return
    table = Table("group", "tasks", "success", "minutes saved", "helpful", "not helpful")
    for r in rows:
        table.add_row(" / ".join(r.key.values()), str(r.tasks), f"{r.success_rate:.0%}",
                      f"{r.minutes_saved:g}", str(r.helpful), str(r.not_helpful))
    console.print(table)


@app.command()
def doctor(json_out: bool = JsonOpt) -> None:
    """Report which optional components (OCR, embeddings, models, PostgreSQL, fonts) are usable."""
    from ai_toolbox.doctor import run_checks

    findings = run_checks()
    if json_out:
        emit_json({"findings": [f.__dict__ for f in findings],
                   "ok": all(f.ok for f in findings if not f.optional)})
        return
    table = Table("component", "status", "detail")
    for f in findings:
        status = "[green]ok[/]" if f.ok else ("[yellow]missing[/]" if f.optional else "[red]FAIL[/]")
        table.add_row(f.component, status, f.detail)
    console.print(table)


@demo_app.command("load")
def demo_load(as_user: str = UserOpt, json_out: bool = JsonOpt) -> None:
    """Load the sample knowledge base, documents and dataset (safe to run again)."""
    from ai_toolbox import demo

    results = demo.load(principal(as_user))
    if json_out:
        emit_json({"steps": [r.__dict__ for r in results]})
        return
    for r in results:
        colour = {"loaded": "green", "present": "blue"}.get(r.status, "yellow")
        console.print(f"[{colour}]{r.status:>8}[/] {r.step}: {r.detail}")
