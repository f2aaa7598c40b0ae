"""The settings the README and the docs name exist: documentation that cannot drift from the code."""

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from ai_toolbox.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOT_SETTINGS = {"CONFIG"}  # the path of the settings file itself


def _named(path: Path) -> set[str]:
    names = re.findall(r"AITB_([A-Z0-9_]+[A-Z0-9])", path.read_text(encoding="utf-8"))
    return set(names) - NOT_SETTINGS


def _exists(name: str) -> bool:
    model: type[BaseModel] | None = Settings
    for part in name.lower().split("__"):
        if model is None or part not in model.model_fields:
            return False
        annotation = model.model_fields[part].annotation
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return True


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_setting_a_doc_names_exists(doc):
    missing = sorted(n for n in _named(doc) if not _exists(n))
    assert not missing, f"{doc.name} names settings that do not exist: {missing}"
