"""Tokens/s and time to first token: our `llamacpp` backend vs raw llama-cpp-python, same run.

Both sides drive the same loaded model (the packaged Qwen2.5-Coder-1.5B Q4_K_M) on the same prompt,
streaming, with greedy decoding; the KV cache is reset before every run so neither side reuses the
other's prompt. Runs alternate (ours, raw, ours, raw, ...) so machine noise hits both alike; the
median of each is reported, with the ratio ours/raw (target >= 0.95 for tokens/s).

    .venv/bin/python -m benchmarks.bench_llm [--runs 5] [--max-tokens 64]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from benchmarks.common import write_result

PROMPTS = {
    "en": "Explain in three sentences what a government enquiry hotline does.",
    "zh-Hant": "用三句話解釋政府查詢熱線的工作。",
}


def _raw_run(llama: Any, messages: list[dict[str, str]], max_tokens: int) -> tuple[float, float, int]:
    llama.reset()
    started = time.perf_counter()
    first = None
    n = 0
    for event in llama.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0, stream=True):
        if event["choices"][0].get("delta", {}).get("content"):
            if first is None:
                first = time.perf_counter() - started
            n += 1
    return first or 0.0, time.perf_counter() - started, n


def _ours_run(backend: Any, llama: Any, messages: list[Any], max_tokens: int) -> tuple[float, float, int]:
    llama.reset()
    started = time.perf_counter()
    stream = backend.stream(messages, max_tokens=max_tokens, temperature=0)
    n = sum(1 for _ in stream)
    return stream.first_token_s or 0.0, time.perf_counter() - started, n


def _summary(runs: list[tuple[float, float, int]]) -> dict[str, float]:
    ttft = statistics.median(r[0] for r in runs)
    decode_tps = statistics.median((r[2] - 1) / (r[1] - r[0]) for r in runs if r[2] > 1 and r[1] > r[0])
    total_tps = statistics.median(r[2] / r[1] for r in runs)
    return {"ttft_s": round(ttft, 3), "decode_tokens_per_s": round(decode_tps, 2),
            "tokens_per_s": round(total_tps, 2), "tokens": statistics.median(r[2] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    from ai_toolbox import llm
    from ai_toolbox.config import LlmSettings
    from ai_toolbox.llm.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(LlmSettings(backend="llamacpp", n_ctx=2048, n_threads=args.threads))
    t0 = time.perf_counter()
    llama = backend.load()  # assembles/verifies the packaged model on first use
    load_s = time.perf_counter() - t0
    results: dict[str, Any] = {"model": backend.model, "threads": args.threads, "max_tokens": args.max_tokens,
                               "runs": args.runs, "load_s": round(load_s, 2)}
    for lang, prompt in PROMPTS.items():
        messages = llm.prompts.render("chat", lang, prompt=prompt)
        raw_messages = [m.model_dump() for m in messages]
        _raw_run(llama, raw_messages, 4)  # warm-up
        ours, raw = [], []
        for _ in range(args.runs):
            ours.append(_ours_run(backend, llama, messages, args.max_tokens))
            raw.append(_raw_run(llama, raw_messages, args.max_tokens))
        o, r = _summary(ours), _summary(raw)
        results[lang] = {
            "ours": o, "raw_llama_cpp": r,
            "ratio_tokens_per_s": round(o["tokens_per_s"] / r["tokens_per_s"], 3),
            "ratio_decode_tokens_per_s": round(o["decode_tokens_per_s"] / r["decode_tokens_per_s"], 3),
            "ratio_ttft": round(o["ttft_s"] / r["ttft_s"], 3),
        }
    write_result("llm", results)


if __name__ == "__main__":
    main()
