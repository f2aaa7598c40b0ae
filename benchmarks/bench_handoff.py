"""Where to set the assistant's hand-off threshold: confidence of questions the demo knowledge base
answers against questions it does not.

    .venv/bin/python -m benchmarks.bench_handoff [--out-of-scope Q.jsonl ...] [--per-file 60]

The demo knowledge base (the trilingual licensing FAQ and documents `make run` loads) is built in a
throw-away data directory. In scope: paraphrases of what it answers, in English, Traditional and
Simplified Chinese, none copied from its FAQ. Out of scope: hand-written everyday questions, plus
`--per-file` random questions of each shared QA file given (Wikipedia trivia in three languages).
For each threshold the result says how many out-of-scope questions would still get an answer and
how many in-scope ones would be handed off.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.common import write_result

IN_SCOPE = [
    "How much does renewal cost?", "When must I renew my licence?",
    "What are the opening hours of the licensing office?",
    "How do I renew my business licence?", "I lost my licence, what should I do?", "Can I pay by credit card?",
    "What documents do I need to renew?", "How long is a licence valid?", "Where can I renew?",
    "續牌需要甚麼文件？", "遺失牌照點算？", "辦事處幾點開門？", "牌照有效期多久？", "可以網上續牌嗎？",
    "我可以用什么方式缴费？", "续期费用是多少？",
]
OUT_OF_SCOPE = [
    "今天天氣如何？", "What's the weather like today?", "明天会下雨吗？", "Who won the football match?", "我想訂機票",
    "How do I apply for a passport?", "點樣申請公屋？", "What is the speed limit on highways?", "我可以在哪裡打疫苗？",
    "Can you recommend a restaurant?",
]
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)


def _demo_index():  # type: ignore[no-untyped-def]
    """The demo knowledge base's index, built from the packaged demo files in a fresh data dir
    (the caller's settings are put back afterwards: nothing is written to the real data dir)."""
    from ai_toolbox import accounts, demo
    from ai_toolbox.assistant import kb as kb_service
    from ai_toolbox.config import reset_settings
    from ai_toolbox.storage import ensure_storage, session_scope

    saved = {k: os.environ.get(k) for k in ("AITB_DATA_DIR", "AITB_DATABASE_URL")}
    os.environ["AITB_DATA_DIR"] = tempfile.mkdtemp(prefix="aitb-handoff-")
    os.environ.pop("AITB_DATABASE_URL", None)
    reset_settings()
    try:
        ensure_storage()
        with session_scope() as s:
            accounts.create_user(s, None, "bench", "a good long password for the bench", role=accounts.Role.SYSADMIN)
            principal = accounts.principal_for(s, accounts.get_user(s, "bench"))
        demo.load(principal)
        kb = kb_service.get_kb(principal, demo.KB_NAME)
        return kb_service.load_index(kb.id, kb.version)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_settings()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out-of-scope", type=Path, nargs="*", default=[], help="shared-QA question files")
    ap.add_argument("--per-file", type=int, default=60)
    args, _ = ap.parse_known_args()  # benchmarks.run passes its own arguments
    from ai_toolbox.assistant.embed import get_embedder
    from ai_toolbox.assistant.retrieve import search
    from ai_toolbox.config import get_settings

    index = _demo_index()
    emb = get_embedder()
    rng = random.Random(1)
    out_of_scope = list(OUT_OF_SCOPE)
    for path in args.out_of_scope:
        questions = [json.loads(line)["question"] for line in path.read_text("utf-8").splitlines() if line.strip()]
        out_of_scope += rng.sample(questions, min(args.per_file, len(questions)))

    def confidence(q: str) -> float:
        return search(index, emb, q, k=5).confidence

    inside = [confidence(q) for q in IN_SCOPE]
    outside = [confidence(q) for q in out_of_scope]
    write_result("handoff", {
        "in_scope": len(inside),
        "out_of_scope": len(outside),
        "threshold_now": get_settings().assistant.handoff_threshold,
        "in_scope_confidence_min_p50": [round(min(inside), 3), round(float(np.median(inside)), 3)],
        "out_of_scope_confidence_p50_p95_max": [round(float(np.percentile(outside, p)), 3) for p in (50, 95, 100)],
        "per_threshold": {
            str(t): {"out_of_scope_answered": sum(c >= t for c in outside),
                     "in_scope_handed_off": sum(c < t for c in inside)}
            for t in THRESHOLDS
        },
        "lowest_in_scope": sorted(zip(inside, IN_SCOPE, strict=True))[:2],
        "highest_out_of_scope": sorted(zip(outside, out_of_scope, strict=True), reverse=True)[:5],
    })


if __name__ == "__main__":
    main()
