"""Demo data: a trilingual FAQ knowledge base, a few documents and two datasets.

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
DATASETS = ["enquiries_2025", "budget", "library_visits"]


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


@step
def knowledge_base(principal: Principal) -> StepResult:
    """The "licensing" FAQ knowledge base: the trilingual FAQ plus the three sample documents."""
    try:
        from ai_toolbox.assistant import kb
    except ImportError:
        return StepResult("knowledge base", "skipped", "the assistant is not installed (extra 'assistant')")
    from ai_toolbox.errors import NotFound

    try:
        existing = kb.get_kb(principal, KB_NAME)
        detail = f"{KB_NAME}: {existing.sources} sources, {existing.chunks} passages"
        return StepResult("knowledge base", "present", detail)
    except NotFound:
        pass
    kb.create_kb(principal, KB_NAME, "Licensing Office enquiries (demo, fictional)")
    sources = ["faq.csv", *DOCUMENTS]
    for i, name in enumerate(sources):
        kb.add_source(principal, KB_NAME, FILES / name, reindex_now=i == len(sources) - 1)
    return StepResult("knowledge base", "loaded", f"{KB_NAME}: {len(sources)} sources (FAQ in en, zh-Hant, zh-Hans)")


@step
def dataset(principal: Principal) -> StepResult:
    """Weekly enquiries by district, channel and topic, departments' budget lines by year, and
    library visits by district with a column per year (a wide table), for the data tools."""
    try:
        from ai_toolbox.analysis import datasets
    except ImportError:
        return StepResult("dataset", "skipped", "data analysis is not installed (extra 'analysis')")
    present = {d.name for d in datasets.list_datasets(principal)}
    done = []
    for name in DATASETS:
        if name in present:
            done.append(name)
            continue
        out = datasets.load_file(principal, FILES / f"{name}.csv", name)
        done.append(f"{out.name}: {sum(t.rows for t in out.tables)} rows")
    status = "present" if present >= set(DATASETS) else "loaded"
    return StepResult("dataset", status, "; ".join(done))
