"""Triage: route an enquiry to a topic or team, learned from labelled examples (CSV: text,label).

A k-nearest-neighbour vote over multilingual e5 embeddings, so an example written in English also
routes a Chinese enquiry. Each department keeps its own examples under the data directory.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from ai_toolbox import audit
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.assistant.embed import get_embedder
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, NotFound

K = 5


class TriageRequest(BaseModel):
    text: str = Field(..., examples=["My shop licence expires next month, how do I renew it?"])


class TriageResult(BaseModel):
    label: str
    confidence: float
    scores: dict[str, float] = Field(default_factory=dict)
    audit_id: int | None = None


@dataclass
class TriageModel:
    texts: list[str]
    labels: list[str]
    vectors: np.ndarray

    @classmethod
    def from_examples(cls, rows: list[tuple[str, str]]) -> TriageModel:
        if len({label for _, label in rows}) < 2:
            raise InvalidInput("Triage needs examples of at least two labels.", hint="Add rows: text,label.")
        texts = [t for t, _ in rows]
        return cls(texts, [lab for _, lab in rows], get_embedder().embed_queries(texts))

    def predict(self, text: str) -> tuple[str, float, dict[str, float]]:
        return self.predict_vectors(get_embedder().embed_queries([text]))[0]

    def predict_vectors(self, vecs: np.ndarray) -> list[tuple[str, float, dict[str, float]]]:
        sims = vecs @ self.vectors.T
        out = []
        for row in sims:
            top = np.argsort(-row)[:K]
            votes: Counter[str] = Counter()
            for i in top:
                votes[self.labels[i]] += float(np.exp((row[i] - 1.0) * 20))
            total = sum(votes.values()) or 1.0
            scores = {k: round(v / total, 4) for k, v in votes.most_common()}
            label, conf = next(iter(scores.items()))
            out.append((label, conf, scores))
        return out


def read_examples(path: Path) -> list[tuple[str, str]]:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read {path.name} as UTF-8 CSV.") from exc
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or "text" not in rows[0] or "label" not in rows[0]:
        raise InvalidInput("The triage CSV needs 'text' and 'label' columns.")
    return [(r["text"].strip(), r["label"].strip()) for r in rows if r.get("text") and r.get("label")]


def _examples_path(department_id: int) -> Path:
    return get_settings().data_dir / "assistant" / "triage" / str(department_id) / "examples.csv"


def train(principal: Principal, path: Path) -> int:
    """Replace the department's triage examples with those in `path`; returns their number."""
    principal.require(Perm.MANAGE_KB, principal.department_id)
    rows = read_examples(path)
    TriageModel.from_examples(rows)  # validates
    dest = _examples_path(principal.department_id)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, dest)
    _models.pop(principal.department_id, None)
    return len(rows)


_models: dict[int, TriageModel] = {}


def classify(principal: Principal, text: str) -> TriageResult:
    principal.require(Perm.USE_TOOLS, principal.department_id)
    if not text.strip():
        raise InvalidInput("The enquiry is empty.")
    model = _models.get(principal.department_id)
    if model is None:
        path = _examples_path(principal.department_id)
        if not path.exists():
            raise NotFound("Your department has no triage examples yet.",
                           hint="Upload a CSV of text,label rows with `ai-toolbox kb triage-train FILE`.")
        model = _models[principal.department_id] = TriageModel.from_examples(read_examples(path))
    with audit.record(principal, "assistant", "triage", input_text=text) as rec:
        label, conf, scores = model.predict(text)
        rec.output(label)
    return TriageResult(label=label, confidence=round(conf, 4), scores=scores, audit_id=rec.id)


def evaluate(train_path: Path, test_path: Path) -> dict:
    model = TriageModel.from_examples(read_examples(train_path))
    test = read_examples(test_path)
    preds = model.predict_vectors(get_embedder().embed_queries([t for t, _ in test]))
    correct = [p[0] == gold for p, (_, gold) in zip(preds, test, strict=True)]
    per_label: dict[str, dict[str, float]] = {}
    for label in sorted({g for _, g in test}):
        idx = [i for i, (_, g) in enumerate(test) if g == label]
        per_label[label] = {"support": len(idx), "accuracy": round(sum(correct[i] for i in idx) / len(idx), 4)}
    return {"n": len(test), "accuracy": round(sum(correct) / len(test), 4), "per_label": per_label}
