"""`ai-toolbox eval qa`: passage recall, MRR, answer-sentence hits and latency on a QA set.

The question and passage files follow the shared QA format (SQuAD-style JSONL: questions with
`question`, `answers`, `passage_id`; passages with `id`, `title`, `text`). Passage titles are kept
as citation sources but not indexed: some sets carry titles in another language than the text,
which would leak the answer across languages.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ai_toolbox.assistant.embed import EmbeddingCache, get_embedder
from ai_toolbox.assistant.index import LocalIndex, Passage
from ai_toolbox.assistant.retrieve import FusionParams, search
from ai_toolbox.assistant.sentences import answer_sentences
from ai_toolbox.assistant.textutil import to_script
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, NotFound


class QaScores(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    n: int
    recall_at_1: float = Field(alias="recall@1")
    recall_at_5: float = Field(alias="recall@5")
    mrr: float
    sentence_hit: float
    # The same without the sentence before that a sentence opening "同年…" / "It…" is quoted with.
    sentence_hit_alone: float = 0.0
    p50_ms: float
    p95_ms: float
    passages: int = 0


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise NotFound(f"No such file: {path}")
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InvalidInput(f"{path.name} line {n} is not JSON.") from exc
    return out


def load_passages(paths: list[Path]) -> list[Passage]:
    """Passages of all files. The same id in two files (XQuAD's parallel English and Chinese
    passages) is kept twice under distinct ids; `meta["qa_id"]` keeps the id the questions use."""
    seen: set[str] = set()
    out = []
    for path in paths:
        for rec in _read_jsonl(path):
            qa_id = str(rec["id"])
            pid = qa_id if qa_id not in seen else f"{qa_id}@{path.stem}"
            if pid in seen:
                continue
            seen.add(pid)
            out.append(Passage(id=pid, text=rec["text"], source=rec.get("title", ""), meta={"qa_id": qa_id}))
    return out


def eval_qa(
    questions_path: Path,
    passages_paths: list[Path],
    *,
    limit: int | None = None,
    params: FusionParams | None = None,
    question_script: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> QaScores:
    """Build a throw-away index of the passages, ask every question, score the results.

    `question_script` ('zh-Hans' or 'zh-Hant') converts the questions first, e.g. to ask
    Simplified questions of a Traditional knowledge base; gold answers stay as written.
    """
    if question_script not in (None, "zh-Hans", "zh-Hant"):
        raise InvalidInput("The question script must be zh-Hans or zh-Hant.")
    questions = _read_jsonl(questions_path)[: limit or None]
    if question_script:
        questions = [{**q, "question": to_script(q["question"], question_script)} for q in questions]
    passages = load_passages(passages_paths)
    if not questions or not passages:
        raise InvalidInput("The question or passage file is empty.")
    known = {p.meta["qa_id"] for p in passages}
    missing = [q["id"] for q in questions if str(q["passage_id"]) not in known]
    if missing:
        raise InvalidInput(f"{len(missing)} questions point at passages not in the passage file, e.g. {missing[0]}.")
    embedder = get_embedder()
    cache = EmbeddingCache(get_settings().data_dir / "assistant" / "eval-embeddings", embedder.name, embedder.dim)
    done = 0

    def tick_build(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("Indexing passages", done, len(passages))

    with tempfile.TemporaryDirectory(dir=get_settings().data_dir) as tmp:
        index = LocalIndex.build(Path(tmp) / "index", passages, embedder, cache, progress=tick_build)
        ranks, hits, alone, times = [], [], [], []
        for i, q in enumerate(questions):
            t0 = time.perf_counter()
            r = search(index, embedder, q["question"], k=20, params=params)
            best = answer_sentences(q["question"], index, r.hits, embedder, r.query_vector)
            times.append((time.perf_counter() - t0) * 1000)
            ids = [h.passage.meta["qa_id"] for h in r.hits]
            gold = str(q["passage_id"])
            ranks.append(ids.index(gold) + 1 if gold in ids else 0)
            hits.append(bool(best) and any(a in best[0][0].text for a in q["answers"]))
            alone.append(bool(best) and any(a in best[0][0].sentence for a in q["answers"]))
            if progress:
                progress("Asking questions", i + 1, len(questions))
    rk = np.array(ranks)
    return QaScores(
        n=len(questions),
        **{"recall@1": round(float(np.mean(rk == 1)), 4), "recall@5": round(float(np.mean((rk >= 1) & (rk <= 5))), 4)},
        mrr=round(float(np.mean(np.where(rk > 0, 1.0 / np.maximum(rk, 1), 0.0))), 4),
        sentence_hit=round(float(np.mean(hits)), 4),
        sentence_hit_alone=round(float(np.mean(alone)), 4),
        p50_ms=round(float(np.percentile(times, 50)), 1),
        p95_ms=round(float(np.percentile(times, 95)), 1),
        passages=len(passages),
    )
