"""Demo data: a trilingual FAQ knowledge base, a few documents and a dataset.

`load(principal)` is idempotent: what is already there is left alone. Each step reports what it
did, so `ai-toolbox demo load` can show it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ai_toolbox.accounts import Principal
from ai_toolbox.config import get_settings

FILES = Path(__file__).parent / "files"
DOCUMENTS = ["letter-zh-hant.txt", "notice-en.md", "circular-zh-hans.txt"]
KB_NAME = "licensing"
DATASET_NAME = "enquiries_2025"


@dataclass(frozen=True)
class StepResult:
    step: str
    status: str  # "loaded", "present" or "skipped"
    detail: str


Step = Callable[[Principal], StepResult]
STEPS: list[Step] = []


def step(fn: Step) -> Step:
    STEPS.append(fn)
    return fn


def demo_dir() -> Path:
    return get_settings().data_dir / "demo"


@step
def documents(principal: Principal) -> StepResult:
    """Sample documents, copied where the web pages and the tour can find them."""
    target = demo_dir()
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name in DOCUMENTS:
        if not (target / name).exists():
            shutil.copyfile(FILES / name, target / name)
            copied += 1
    status = "loaded" if copied else "present"
    return StepResult("documents", status, f"{len(DOCUMENTS)} sample documents in {target}")


def load(principal: Principal) -> list[StepResult]:
    return [fn(principal) for fn in STEPS]
