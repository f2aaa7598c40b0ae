"""Hybrid retrieval: BM25 on script-folded tokens plus dense e5 cosines, fused by rank.

Each channel is z-scored over the candidates and weighted by how much of the question's vocabulary
the knowledge base knows (its coverage): a same-language question leans on BM25 and on the best
sentence's cosine, a cross-lingual one on the passage cosine and on BM25 over the question's
dictionary translation (`crossling`). Confidence is the calibrated top dense cosine blended
with lexical coverage; thresholds are measured on the shared QA data (see docs/assistant.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ai_toolbox.assistant import crossling
from ai_toolbox.assistant.embed import Embedder
from ai_toolbox.assistant.index import Index, Passage
from ai_toolbox.assistant.textutil import tokenize


@dataclass(frozen=True)
class FusionParams:
    """Tuned on DRCD dev and XQuAD (see docs/assistant.md for the grid and figures)."""

    candidates: int = 50
    # dense score = passage cosine blended with its best sentence cosine; the sentence counts for more
    # when the question shares the knowledge base's vocabulary (same language) than across languages
    sentence_weight_cross: float = 0.5
    sentence_weight_same: float = 0.7
    # weight of BM25 (z-scored over the candidates) relative to dense, scaled by how much of the
    # question's vocabulary the knowledge base knows (near 0 for a cross-lingual question)
    w_lexical: float = 1.0
    # weight of BM25 on the dictionary-translated question, scaled by the vocabulary the base lacks
    w_translated: float = 0.3
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
    coverage = _coverage(index, tokens)
    lexical = index.lexical_scores(tokens)
    translated = _translated_scores(index, tokens) if coverage < 0.9 else None
    dense = index.dense_scores(query_vector)
    cand = _top(dense, params.candidates)
    for scores in (lexical, translated):
        if scores is not None and scores.size and float(scores.max()) > 0:
            top = _top(scores, params.candidates)
            cand = np.unique(np.concatenate([cand, top[scores[top] > 0]]))
    dense_c = np.asarray(dense[cand], dtype=np.float32)
    smax = getattr(index, "sentence_max", lambda *_: None)(query_vector, cand)
    if smax is not None:
        sw = params.sentence_weight_cross + (params.sentence_weight_same - params.sentence_weight_cross) * coverage
        dense_c = (1 - sw) * dense_c + sw * smax
    lex_c = np.asarray(lexical[cand], dtype=np.float32)
    fused = _z(dense_c) + params.w_lexical * coverage * _z(lex_c)
    if translated is not None:
        fused += params.w_translated * (1 - coverage) * _z(np.asarray(translated[cand], dtype=np.float32))
    order = np.argsort(-fused, kind="stable")
    return cand[order], fused[order], dense_c[order], lex_c[order], coverage


def _coverage(index: Index, tokens: list[str]) -> float:
    """IDF-weighted share of the question's tokens that some passage contains."""
    uniq = set(tokens)
    total = sum(index.idf(t) for t in uniq)
    unseen = _max_idf(index)
    return sum(index.idf(t) for t in uniq if index.idf(t) < unseen) / total if total else 0.0


def _translated_scores(index: Index, tokens: list[str]) -> np.ndarray | None:
    """BM25 of the question's words translated to the other language (None when nothing translates)."""
    known = getattr(index, "knows", None)
    if known is None:
        return None
    translated = crossling.translate(tokens, known)
    return index.lexical_scores(translated) if translated else None


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
