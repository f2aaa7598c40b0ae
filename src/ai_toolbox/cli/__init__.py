"""The `ai-toolbox` command line: one module per capability, each adding its own commands.

A capability module defines a Typer app (or commands on the shared `eval_app`) and is listed in
`COMMAND_MODULES`; importing it registers its commands.
"""

from __future__ import annotations

import importlib

from ai_toolbox.cli.common import app, run_app

# Each module adds its commands to `app` (or a sub-app of it) when imported.
COMMAND_MODULES = [
    "ai_toolbox.cli.admin",
    "ai_toolbox.cli.evals",
    "ai_toolbox.cli.doc",
    "ai_toolbox.cli.data",
    "ai_toolbox.cli.llm",
    "ai_toolbox.cli.text",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name)


def main() -> None:
    run_app(app)


__all__ = ["app", "main"]
