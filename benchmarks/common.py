"""Shared benchmark helpers: timing and JSON results under benchmarks/results/."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def machine() -> dict[str, Any]:
    """What the figures were taken on, including how busy the machine was (1-minute load average)."""
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_average_1m": round(os.getloadavg()[0], 2)}


def write_result(name: str, results: dict[str, Any]) -> Path:
    """Write `benchmarks/results/<name>.json` and print it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"name": name, "when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
               "results": results}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(payload, ensure_ascii=False))
    return path


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best wall time in seconds over `repeat` runs (the least disturbed by a noisy machine)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
