"""Run every benchmark (or those named) and leave JSON results in benchmarks/results/.

    .venv/bin/python -m benchmarks.run            # all
    .venv/bin/python -m benchmarks.run server     # only bench_server
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    here = Path(__file__).parent
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    chosen = [m for m in modules if not names or m.removeprefix("bench_") in names]
    failed = []
    for name in chosen:
        print(f"== {name}", flush=True)
        try:
            importlib.import_module(f"benchmarks.{name}").main()
        except Exception as exc:  # keep going: one broken benchmark must not hide the others
            print(f"!! {name} failed: {type(exc).__name__}: {exc}", flush=True)
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
