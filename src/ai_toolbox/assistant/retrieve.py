"""Hybrid retrieval: BM25 on script-folded tokens plus dense e5 cosines, fused by rank.

Reciprocal rank fusion needs no score calibration between the two channels; the dense channel
also gets a small score-based bonus so that a clear dense winner is not diluted when BM25 has
nothing to say (cross-lingual questions). Confidence is the calibrated top dense cosine blended
with lexical coverage; thresholds are measured on the shared QA data (see docs/assistant.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ai_toolbox.assistant.embed import Embedder
from ai_toolbox.assistant.index import Index, Passage
from ai_toolbox.assistant.textutil import tokenize


@dataclass(frozen=True)
class FusionParams:
    """Tuned on DRCD dev and XQuAD (see docs/assistant.md for the grid and figures)."""

    candidates: int = 50
    # dense score = passage cosine blended with its best sentence cosine
    sentence_weight: float = 0.5
    # weight of BM25 (z-scored over the candidates) relative to dense, scaled by how much of the
    # question's vocabulary the knowledge base knows (near 0 for a cross-lingual question)
    w_lexical: float = 1.0
    # e5 cosines of a relevant passage sit around 0.82-0.90, unrelated ones around 0.72-0.78.
    cos_floor: float = 0.78
    cos_ceiling: float = 0.88


@dataclass
class Hit:
    passage: Passage
    score: float
    rank: int
    dense: float
    lexical: float


@dataclass
class Retrieval:
    query: str
    tokens: list[str]
    query_vector: np.ndarray
    hits: list[Hit]
    confidence: float
    timings_ms: dict[str, float] = field(default_factory=dict)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, scores.shape[0])
    if n <= 0:
        return np.zeros(0, np.int64)
    part = np.argpartition(-scores, n - 1)[:n]
    return part[np.argsort(-scores[part], kind="stable")]


def _z(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - float(x.mean())) / sd if sd > 1e-9 else np.zeros_like(x)


def fuse(
    index: Index, tokens: list[str], query_vector: np.ndarray, params: FusionParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Candidates best first, with fused scores, dense (blended) cosines, BM25 scores and vocabulary coverage."""
    lexical = index.lexical_scores(tokens)
    dense = index.dense_scores(query_vector)
    cand = _top(dense, params.candidates)
    if lexical.size and float(lexical.max()) > 0:
        lex_top = _top(lexical, params.candidates)
        lex_top = lex_top[lexical[lex_top] > 0]
        cand = np.unique(np.concatenate([cand, lex_top]))
    dense_c = np.asarray(dense[cand], dtype=np.float32)
    smax = getattr(index, "sentence_max", lambda *_: None)(query_vector, cand)
    if smax is not None:
        dense_c = (1 - params.sentence_weight) * dense_c + params.sentence_weight * smax
    lex_c = np.asarray(lexical[cand], dtype=np.float32)
    uniq = set(tokens)
    total = sum(index.idf(t) for t in uniq)
    coverage = sum(index.idf(t) for t in uniq if index.idf(t) < _max_idf(index)) / total if total else 0.0
    fused = _z(dense_c) + params.w_lexical * coverage * _z(lex_c)
    order = np.argsort(-fused, kind="stable")
    return cand[order], fused[order], dense_c[order], lex_c[order], coverage


def _max_idf(index: Index) -> float:
    """The IDF of a token no passage contains (so it adds no coverage)."""
    return index.idf("\x00unseen\x00") - 1e-9


def confidence(dense_top: float, lexical_cover: float, params: FusionParams) -> float:
    """0..1: how sure we are the top passage answers the question."""
    span = params.cos_ceiling - params.cos_floor
    d = min(1.0, max(0.0, (dense_top - params.cos_floor) / span))
    return round(0.7 * d + 0.3 * min(1.0, lexical_cover), 4)


def search(
    index: Index,
    embedder: Embedder,
    query: str,
    k: int = 5,
    params: FusionParams | None = None,
) -> Retrieval:
    params = params or FusionParams()
    t0 = time.perf_counter()
    tokens = tokenize(query)
    t1 = time.perf_counter()
    qv = embedder.embed_queries([query])[0]
    t2 = time.perf_counter()
    t3 = time.perf_counter()
    idx, fused, dense_c, lex_c, coverage = fuse(index, tokens, qv, params)
    hits = [
        Hit(index.passages[int(i)], float(f), r, float(d), float(lx))
        for r, (i, f, d, lx) in enumerate(zip(idx[:k], fused[:k], dense_c[:k], lex_c[:k], strict=False))
    ]
    conf = confidence(hits[0].dense, coverage, params) if hits else 0.0
    t4 = time.perf_counter()
    timings = {
        "tokenize": (t1 - t0) * 1000,
        "embed": (t2 - t1) * 1000,
        "search": (t4 - t3) * 1000,
    }
    return Retrieval(query, tokens, qv, hits, conf, timings)
