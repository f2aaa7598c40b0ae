"""Field-level F1 of extraction on generated documents (digital PDF, DOCX and scanned PDF).

A field counts as a true positive when the value equals the gold value (numbers within 0.01),
a false positive when a wrong value is returned (it is then also a false negative), and a false
negative when nothing is returned. Line items count field by field, matched in order.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ai_toolbox.documents.extract import extract
from ai_toolbox.documents.generate import write_set
from ai_toolbox.documents.ingest import ingest


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 0.01
    return a == b


def score(gold: dict[str, Any], gold_items: list[dict[str, Any]], result: Any) -> tuple[int, int, int]:
    tp = fp = fn = 0
    pairs = [(v, result.fields[k].value if k in result.fields else None) for k, v in gold.items()]
    for i, item in enumerate(gold_items):
        got = result.line_items[i] if i < len(result.line_items) else {}
        pairs.extend((v, got.get(k)) for k, v in item.items())
    extra = max(0, len(result.line_items) - len(gold_items))
    fp += extra * (len(gold_items[0]) if gold_items else 0)
    for want, got in pairs:
        if got is None:
            fn += 1
        elif _same(want, got):
            tp += 1
        else:
            fp += 1
            fn += 1
    return tp, fp, fn


def evaluate(data: Path | None, *, n: int = 2, seed: int = 100, variants: list[str] | None = None,
             on_item: Callable[[], None] | None = None) -> dict[str, Any]:
    variants = variants or ["pdf", "docx", "scanned"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = data or Path(tmp)
        if data is None:
            write_set(folder, n, scanned="scanned" in variants, seed=seed)
        records = [json.loads(line) for line in (folder / "gold.jsonl").read_text("utf-8").splitlines() if line]
        out: dict[str, Any] = {"variants": {}, "per_template": {}}
        for variant in variants:
            tp = fp = fn = docs = 0
            started = time.perf_counter()
            for rec in records:
                if variant not in rec["files"]:
                    continue
                path = folder / rec["files"][variant]
                result = extract(ingest(path), rec["template"])
                a, b, c = score(rec["fields"], rec.get("line_items", []), result)
                tp, fp, fn, docs = tp + a, fp + b, fn + c, docs + 1
                key = f"{variant}/{rec['template']}"
                t = out["per_template"].setdefault(key, [0, 0, 0])
                t[0], t[1], t[2] = t[0] + a, t[1] + b, t[2] + c
                if on_item:
                    on_item()
            elapsed = time.perf_counter() - started
            out["variants"][variant] = {**_prf(tp, fp, fn), "documents": docs,
                                        "docs_per_s": round(docs / elapsed, 3) if elapsed else 0.0}
        out["per_template"] = {k: _prf(*v) for k, v in out["per_template"].items()}
        out["n"] = len(records)
        return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
