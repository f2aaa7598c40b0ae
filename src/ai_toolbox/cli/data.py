"""`ai-toolbox data ...` (datasets and questions) and `ai-toolbox eval sql`."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import typer
from rich.table import Table

from ai_toolbox.cli.common import (
    JsonOpt,
    UserOpt,
    app,
    console,
    emit_json,
    err_console,
    eval_app,
    principal,
    progress_bar,
)

data_app = typer.Typer(help="Load tables and ask questions about them in English or Chinese.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("load")
def load(
    file: Path = typer.Argument(..., help="CSV, TSV, XLSX, Parquet or JSON file"),
    name: str = typer.Option(..., "--name", help="Dataset name (unique in your department)"),
    replace: bool = typer.Option(False, "--replace", help="Replace a dataset of that name"),
    json_out: bool = JsonOpt,
    user: str | None = UserOpt,
) -> None:
    """Load a file as a dataset."""
    from ai_toolbox.analysis import datasets

    out = datasets.load_file(principal(user), file, name, replace=replace)
    if json_out:
        emit_json(out)
        return
    for t in out.tables:
        cols = ", ".join(f"{c.name} ({c.type})" for c in t.columns)
        console.print(f"[bold]{out.name}[/] table [bold]{t.name}[/]: {t.rows:,} rows; {cols}", highlight=False)
        if t.pii:
            console.print(f"  personal data? {', '.join(t.pii)}", highlight=False)
    if out.encoding:
        console.print(f"encoding: {out.encoding}")


@data_app.command("list")
def list_(json_out: bool = JsonOpt, user: str | None = UserOpt) -> None:
    """List your department's datasets."""
    from ai_toolbox.analysis import datasets

    items = datasets.list_datasets(principal(user))
    if json_out:
        emit_json({"datasets": [d.model_dump(mode="json") for d in items]})
        return
    table = Table("name", "format", "tables", "rows", "loaded by", "loaded at")
    for d in items:
        table.add_row(
            d.name,
            d.format,
            ", ".join(t.name for t in d.tables),
            f"{d.row_count:,}",
            d.created_by,
            d.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


@data_app.command("profile")
def profile(
    name: str,
    mask: bool = typer.Option(False, "--mask", help="Mask personal-data columns"),
    json_out: bool = JsonOpt,
    user: str | None = UserOpt,
) -> None:
    """Types, nulls, distinct values, min/max, top values and example rows of each column."""
    from ai_toolbox.analysis.profile import profile_dataset

    prof = profile_dataset(principal(user), name, mask=mask)
    if json_out:
        emit_json(prof)
        return
    for t in prof.tables:
        table = Table(
            "column",
            "type",
            "nulls",
            "distinct",
            "min",
            "max",
            "top values",
            "personal data",
            title=f"{prof.dataset} / {t.name}: {t.rows:,} rows",
        )
        for c in t.columns:
            top = "; ".join(f"{v} ({n})" for v, n in c.top[:3])
            table.add_row(
                c.name,
                c.type,
                str(c.nulls),
                str(c.distinct),
                _short(c.min),
                _short(c.max),
                _short(top, 50),
                c.pii or "",
            )
        console.print(table)
        if t.read_by:
            console.print(f"Periods as columns: also read as one row per {' and '.join(t.read_by)}.")


def _short(v: object, n: int = 24) -> str:
    s = "" if v is None else str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


@data_app.command("ask")
def ask(
    name: str,
    question: str,
    backend: str | None = typer.Option(None, "--backend", help="none|llamacpp|openai"),
    mask: bool = typer.Option(False, "--mask", help="Mask personal-data columns in the result"),
    chart: Path | None = typer.Option(None, "--chart", help="Write the chart to this .png or .svg"),
    json_out: bool = JsonOpt,
    user: str | None = UserOpt,
) -> None:
    """Ask a question about a dataset in English or Chinese; shows the SQL, rows and an explanation."""
    from ai_toolbox.analysis import answers

    ans = answers.ask(principal(user), name, question, backend=backend, mask=mask)
    if chart is not None and ans.chart:
        chart.write_bytes(answers.export(ans, chart.suffix.lstrip(".") or "png"))
    if json_out:
        emit_json(ans)
        return
    console.print(f"[bold]SQL:[/] {ans.sql}", highlight=False)
    table = Table(*ans.columns)
    for r in ans.rows[:50]:
        table.add_row(*[_short(v, 60) for v in r])
    console.print(table)
    if len(ans.rows) > 50 or ans.truncated:
        console.print(f"… {len(ans.rows):,} rows{' (cut at the row limit)' if ans.truncated else ''}")
    console.print(ans.explanation, highlight=False)
    if ans.chart:
        console.print(f"chart: {ans.chart}" + (f" → {chart}" if chart else " (use --chart FILE.png to draw it)"))


@data_app.command("export")
def export(
    name: str,
    question: str,
    out: Path = typer.Option(..., "--out", help="File .csv, .xlsx, .png or .svg"),
    user: str | None = UserOpt,
) -> None:
    """Answer a question and write its table (CSV/XLSX) or chart (PNG/SVG) to a file."""
    from ai_toolbox.analysis import answers

    ans = answers.ask(principal(user), name, question)
    out.write_bytes(answers.export(ans, out.suffix.lstrip(".")))
    console.print(f"wrote {out}")


@data_app.command("delete")
def delete(name: str, user: str | None = UserOpt) -> None:
    """Delete a dataset and its data."""
    from ai_toolbox.analysis import datasets

    datasets.delete_dataset(principal(user), name)
    console.print(f"deleted {name}")


@eval_app.command("sql")
def eval_sql(
    data: Path = typer.Option(..., "--data", help="Directory with questions.jsonl"),
    backend: str = typer.Option("none", "--backend", help="none|llamacpp|openai"),
    limit: int | None = typer.Option(None, "--limit", help="First N questions only (after --offset)"),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip the first N questions"),
    official: bool = typer.Option(
        False,
        "--official",
        help="Also report accuracy_official: table answers compared after the official WikiTQ evaluator's "
        "clean-up (dashes, quotes, accents, trailing bracketed notes)",
    ),
    details: Path | None = typer.Option(
        None, "--details", help="Also write one JSON line per question (id, question, correct, method, sql) here"
    ),
    json_out: bool = JsonOpt,
) -> None:
    """Accuracy of answers (tables) or of executed results (SQLite databases) on a question set."""
    from ai_toolbox.analysis.evaluate import count_questions, run_eval

    total = count_questions(data, limit, offset)
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(details.open("w", encoding="utf-8")) if details else None
        write = (lambda rec: out.write(json.dumps(rec, ensure_ascii=False) + "\n")) if out else None
        advance = stack.enter_context(progress_bar("eval sql", total))
        result = run_eval(data, backend=backend, limit=limit, offset=offset, official=official, progress=advance,
                          details=write)
    if json_out:
        emit_json(result.as_dict())
        return
    err_console.print(json.dumps(result.as_dict()))
    console.print(
        f"n={result.n} accuracy={result.accuracy:.1%} answered={result.answered:.1%} p50={result.p50_ms:.1f} ms"
    )
