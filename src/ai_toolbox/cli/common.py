"""What every CLI module shares: the root app, error rendering, JSON output, who is acting."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ai_toolbox.errors import ToolboxError

app = typer.Typer(
    name="ai-toolbox",
    help="Self-hosted AI tools for documents, enquiries and data, in English, 繁體中文 and 简体中文.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="Measure each tool on a dataset and print the scores.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

console = Console()
err_console = Console(stderr=True)

JsonOpt = typer.Option(False, "--json", help="Print one JSON object as the last line of stdout.")
UserOpt = typer.Option(None, "--user", envvar="AITB_CLI_USER", help="Act as this user (default: local administrator).")


def run_app(typer_app: typer.Typer) -> None:
    """Run the CLI; a ToolboxError becomes a short message and exit status 2, never a traceback."""
    try:
        typer_app(standalone_mode=False)
    except ToolboxError as exc:
        fail(exc)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("Aborted.")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        # Usage errors ("No such command", a missing argument): click's own message and exit code.
        # Typer may carry its own copy of click, so they are known by their shape, not their class.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise


def fail(exc: ToolboxError) -> None:
    from rich.markup import escape  # messages may hold brackets, e.g. "pip install 'ai-toolbox[llm]'"

    err_console.print(f"[bold red]Error:[/] {escape(exc.message)}", highlight=False)
    if exc.hint:
        err_console.print(f"[yellow]What to do:[/] {escape(exc.hint)}", highlight=False)
    sys.exit(2)


def emit_json(obj: Any) -> None:
    """Print `obj` as one line of JSON (the contract for every `--json` option)."""
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def principal(user: str | None = None):  # type: ignore[no-untyped-def]
    """The principal this command acts as, with storage brought up to date first."""
    from ai_toolbox import accounts
    from ai_toolbox.storage import ensure_storage, session_scope

    ensure_storage()
    with session_scope() as s:
        return accounts.local_principal(s, user)


def read_input(source: str | None) -> str:
    """Text from a file path, or stdin when `source` is None or '-'."""
    from ai_toolbox.errors import InvalidInput, NotFound

    if source in (None, "-"):
        data = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise NotFound(f"No such file: {source}", hint="Check the path, or pass '-' to read stdin.")
        data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "The input is not UTF-8 text.",
            hint="Convert it to UTF-8 first, or give the file to `ai-toolbox doc text`, which detects Big5 and GBK.",
        ) from exc


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Any]:
    """A Rich progress bar on stderr; yields `advance(n=1)`."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal,
    ) as prog:
        task = prog.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            prog.advance(task, n)

        yield advance
