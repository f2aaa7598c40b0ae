"""Assistant speed: per-question latency on a large knowledge base, index build vs raw embedder,
our retrieval vs raw bm25s + a raw matrix product on the same data, memory.

    .venv/bin/python -m benchmarks.bench_assistant --passages P1.jsonl [P2.jsonl ...] \
        [--size 100000] [--embed 2000] [--queries 200]

The corpus is synthetic: sentences of the given passage files (shared QA format) shuffled into
`--size` passages of 3-6 sentences. BM25 runs on all of them. Embedding 100,000 passages takes about
an hour on 2 cores, so `--embed` passages (and their sentences) are embedded for real, cached on disk
under benchmarks/.cache, and their vectors are repeated to fill the matrix: the dense timings are for
a full-size matrix, but its vectors are copies. The results say which sizes were used.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from benchmarks.common import percentile, write_result

CACHE = Path(__file__).parent / ".cache" / "assistant"


def _sentences(paths: list[Path]) -> list[str]:
    from ai_toolbox.assistant.textutil import split_sentences

    out = []
    for p in paths:
        for line in p.read_text("utf-8").splitlines():
            out.extend(s.text for s in split_sentences(json.loads(line)["text"]))
    return out


def _corpus(paths: list[Path], size: int, seed: int = 6) -> list[str]:
    rng = random.Random(seed)
    sents = _sentences(paths)
    return ["".join(rng.sample(sents, rng.randint(3, 6))) for _ in range(size)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", nargs="+", type=Path, required=True)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--embed", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--questions", type=Path, help="QA questions file to draw queries from")
    ap.add_argument("--build-sample", type=int, default=48, help="passages embedded per build round")
    ap.add_argument("--rounds", type=int, default=3, help="alternated raw/build rounds")
    args = ap.parse_args()

    from ai_toolbox.assistant.embed import EmbeddingCache, get_embedder
    from ai_toolbox.assistant.index import LocalIndex, Passage, sentence_units
    from ai_toolbox.assistant.retrieve import FusionParams, _top, search
    from ai_toolbox.assistant.textutil import tokenize

    emb = get_embedder()
    texts = _corpus(args.passages, args.size)
    passages = [Passage(id=str(i), text=t) for i, t in enumerate(texts)]
    results: dict = {"size": args.size, "embedded_for_real": min(args.embed, args.size)}

    # 1. raw embedder vs our index build on the same fresh texts (no cache), alternated over rounds so
    #    load changes hit both sides; passages only, and once with sentence vectors
    sample = passages[: min(args.build_sample, args.size)]
    tmp = CACHE / "build-sample"
    raw_s, build_s = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        emb.embed_passages([p.text for p in sample])
        raw_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        LocalIndex.build(tmp, sample, emb, None, sentence_vectors=False)
        build_s.append(time.perf_counter() - t0)
    # With sentence vectors the build embeds each passage's sentences too: compare it with the raw
    # embedder on those same texts (passages and sentences), alternated the same way.
    sample_sentences, _ = sentence_units(sample)
    raw_all_s, build_sent_runs = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        emb.embed_passages([p.text for p in sample] + list(sample_sentences))
        raw_all_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        LocalIndex.build(tmp, sample, emb, None, sentence_vectors=True)
        build_sent_runs.append(time.perf_counter() - t0)
    build_sent_s = statistics.median(build_sent_runs)
    results["index_build_with_sentence_vectors_vs_raw_embedder_same_texts"] = round(
        statistics.median(raw_all_s) / build_sent_s, 3)
    results["sentence_vectors_per_passage"] = round(len(sample_sentences) / len(sample), 2)
    raw, build = statistics.median(raw_s), statistics.median(build_s)
    results["build_sample_passages"] = len(sample)
    results["raw_embed_passages_per_s"] = round(len(sample) / raw, 2)
    results["index_build_passages_per_s"] = round(len(sample) / build, 2)
    results["index_build_vs_raw_embedder"] = round(raw / build, 3)
    results["index_build_vs_raw_embedder_per_round"] = [round(r / b, 3) for r, b in zip(raw_s, build_s, strict=True)]
    results["index_build_with_sentence_vectors_per_s"] = round(len(sample) / build_sent_s, 2)

    # 2. the large index: real vectors for the first --embed passages, repeated to fill the matrix
    real = passages[: args.embed]
    cache = EmbeddingCache(CACHE / "embeddings", emb.name, emb.dim)
    t0 = time.perf_counter()
    pv = cache.get_or_embed([p.text for p in real], emb.embed_passages)
    s_texts, s_ptr = sentence_units(real)
    sv = cache.get_or_embed(s_texts, emb.embed_passages)
    results["embed_real_s"] = round(time.perf_counter() - t0, 1)
    reps = -(-args.size // len(real))
    vectors = np.tile(pv, (reps, 1))[: args.size]
    counts = np.diff(s_ptr)
    all_counts = np.tile(counts, reps)[: args.size]
    ptr = np.concatenate([[0], np.cumsum(all_counts)])
    svecs = np.tile(sv, (reps, 1))[: ptr[-1]]
    t0 = time.perf_counter()
    tokens = [tokenize(t) for t in texts]
    results["tokenize_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    index = LocalIndex.write(CACHE / f"index-{args.size}", passages, vectors, tokens, (svecs, ptr), model=emb.name)
    results["bm25_and_write_s"] = round(time.perf_counter() - t0, 1)
    disk = sum(f.stat().st_size for f in index.directory.rglob("*") if f.is_file())
    results["index_disk_mb"] = round(disk / 2**20, 1)

    # 3. queries: real questions if given, else sentences of the corpus
    if args.questions:
        lines = args.questions.read_text("utf-8").splitlines()
        qs = [json.loads(line)["question"] for line in lines][: args.queries]
    else:
        qs = random.Random(1).sample(_sentences(args.passages), args.queries)
    search(index, emb, qs[0])  # warm the memory maps
    total, ours, raw = [], [], []
    bm = index._bm25
    mat = np.asarray(index.vectors)
    for q in qs:
        t0 = time.perf_counter()
        r = search(index, emb, q, k=5, params=FusionParams())
        total.append((time.perf_counter() - t0) * 1000)
        ours.append(r.timings_ms["tokenize"] + r.timings_ms["search"])
        qv = r.query_vector
        t0 = time.perf_counter()
        toks = [t for t in tokenize(q) if t in bm.vocab_dict]
        if toks:
            _top(bm.get_scores(toks), 50)
        _top(mat @ qv, 50)
        raw.append((time.perf_counter() - t0) * 1000)
    results["queries"] = len(qs)
    results["p50_ms"] = round(percentile(total, 50), 1)
    results["p95_ms"] = round(percentile(total, 95), 1)
    results["retrieval_p50_ms_ours_without_embedding"] = round(percentile(ours, 50), 2)
    results["retrieval_p50_ms_raw_bm25s_plus_matmul"] = round(percentile(raw, 50), 2)
    results["retrieval_vs_raw"] = round(float(np.sum(ours) / np.sum(raw)), 3)
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    write_result("assistant", results)


if __name__ == "__main__":
    main()
