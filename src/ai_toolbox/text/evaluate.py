"""Evaluations of the text core: language detection, PII detection, OpenCC conversion cases.

PII is scored by character overlap per type: for each document and type, the characters a
prediction covers are compared with the characters the gold spans cover. Gold types of other
datasets are mapped onto ours (`TYPE_MAP`); gold spans of types we do not cover (dates in
general, organisations, ...) are "don't care" regions, so predictions inside them count neither
way. `decoys` (IDs with a wrong check digit, from `text.synth`) must never be flagged.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ai_toolbox.errors import InvalidInput, NotFound
from ai_toolbox.text import pii
from ai_toolbox.text.detect import detect_language
from ai_toolbox.text.segment import split_sentences

# Presidio research data (and Presidio's own output) onto our canonical types.
TYPE_MAP = {
    "PERSON": "PERSON", "PER": "PERSON", "NAME": "PERSON",
    "STREET_ADDRESS": "ADDRESS", "ADDRESS": "ADDRESS", "LOCATION": "ADDRESS",
    "PHONE_NUMBER": "PHONE", "PHONE": "PHONE",
    "EMAIL_ADDRESS": "EMAIL", "EMAIL": "EMAIL",
    "CREDIT_CARD": "CREDIT_CARD",
    "IP_ADDRESS": "IP_ADDRESS",
    "IBAN_CODE": "BANK_ACCOUNT", "BANK_ACCOUNT": "BANK_ACCOUNT", "US_BANK_NUMBER": "BANK_ACCOUNT",
    **{t: t for t in pii.ENTITY_TYPES},
}
ID_TYPES = ("HKID", "CN_ID", "PASSPORT", "TRAVEL_PERMIT", "MACAO_ID")


def read_jsonl(path: str | Path) -> Iterator[dict]:
    p = Path(path)
    if not p.is_file():
        raise NotFound(f"No such file: {path}", hint="Give the path of a JSONL file.")
    with p.open(encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidInput(f"{path}:{i} is not JSON: {exc.msg}") from exc


# --- detection ----------------------------------------------------------------------------------

def eval_detect(files: Iterable[tuple[str, str]], min_sentence_chars: int = 10,
                progress: Callable[[int], None] | None = None) -> dict:
    """Accuracy on paragraphs and on sentences of `min_sentence_chars`+ characters.

    `files` pairs a JSONL path (QA questions with `context`, or passages with `text`) with the
    language all its text is in.
    """
    per: dict[str, Counter] = defaultdict(Counter)
    errors: list[dict] = []
    started = time.perf_counter()
    for path, expected in files:
        seen: set[str] = set()
        for rec in read_jsonl(path):
            para = rec.get("text") or rec.get("context") or ""
            if not para or para in seen:
                continue
            seen.add(para)
            c = per[expected]
            got = detect_language(para).language
            c["paragraphs"] += 1
            c["paragraphs_ok"] += got == expected
            for sent in split_sentences(para):
                if len(sent.text) < min_sentence_chars:
                    continue
                got_s = detect_language(sent.text).language
                c["sentences"] += 1
                c["sentences_ok"] += got_s == expected
                if got_s != expected and len(errors) < 20:
                    errors.append({"expected": expected, "got": got_s, "text": sent.text[:120]})
            if progress:
                progress(1)
    total = sum(per.values(), Counter())

    def rate(c: Counter, k: str) -> float:
        return round(c[f"{k}_ok"] / c[k], 4) if c[k] else 0.0

    return {
        "paragraphs": total["paragraphs"], "paragraph_accuracy": rate(total, "paragraphs"),
        "sentences": total["sentences"], "sentence_accuracy": rate(total, "sentences"),
        "per_language": {k: {"paragraphs": c["paragraphs"], "paragraph_accuracy": rate(c, "paragraphs"),
                             "sentences": c["sentences"], "sentence_accuracy": rate(c, "sentences")}
                         for k, c in sorted(per.items())},
        "seconds": round(time.perf_counter() - started, 2),
        "errors": errors,
    }


# --- PII ----------------------------------------------------------------------------------------

Predictor = Callable[[str], list[tuple[int, int, str]]]


def our_predictor(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.type) for s in pii.detect_pii(text)]


def score_pii(records: list[dict], predict: Predictor = our_predictor,
              progress: Callable[[int], None] | None = None) -> dict:
    """The CONTRACTS object: n, per_type {precision, recall, f1, support}, micro, docs_per_s."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    support: Counter = Counter()
    decoys_flagged = decoys = 0
    elapsed = 0.0
    for rec in records:
        text = rec["text"]
        gold: dict[str, set[int]] = defaultdict(set)
        dont_care: set[int] = set()
        for s in rec.get("spans", []):
            t = TYPE_MAP.get(s["type"])
            chars = range(s["start"], s["end"])
            if t is None:
                dont_care.update(chars)
            else:
                gold[t].update(chars)
                support[t] += 1
        t0 = time.perf_counter()
        predicted = predict(text)
        elapsed += time.perf_counter() - t0
        pred: dict[str, set[int]] = defaultdict(set)
        for start, end, t in predicted:
            t = TYPE_MAP.get(t)
            if t is not None:
                pred[t].update(i for i in range(start, end) if i not in dont_care)
        for t in set(gold) | set(pred):
            tp[t] += len(gold[t] & pred[t])
            fp[t] += len(pred[t] - gold[t])
            fn[t] += len(gold[t] - pred[t])
        for d in rec.get("decoys", []):
            decoys += 1
            if any(t in ID_TYPES + ("CREDIT_CARD",) and s < d["end"] and e > d["start"] for s, e, t in predicted):
                decoys_flagged += 1
        if progress:
            progress(1)

    def prf(a: int, b: int, c: int) -> dict[str, float]:
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    types = sorted(t for t in set(tp) | set(fp) | set(fn) | set(support) if tp[t] + fp[t] + fn[t] or support[t])
    per_type = {t: {**prf(tp[t], fp[t], fn[t]), "support": support[t]} for t in types}
    out = {
        "n": len(records),
        "per_type": per_type,
        "micro": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "docs_per_s": round(len(records) / elapsed, 1) if elapsed else 0.0,
    }
    if decoys:
        out["decoys"] = decoys
        out["invalid_ids_flagged"] = decoys_flagged
    return out


def eval_pii(path: str | Path, limit: int | None = None, progress: Callable[[int], None] | None = None) -> dict:
    records = list(read_jsonl(path))[:limit]
    pii.recognisers()  # load before timing
    return score_pii(records, our_predictor, progress)


# --- conversion ---------------------------------------------------------------------------------

def eval_convert(folder: str | Path) -> dict:
    """Exact-match accuracy on OpenCC-style cases: `<config>.jsonl` files of {input, expected}."""
    from ai_toolbox.text.convert import CONFIGS, convert

    folder = Path(folder)
    if not folder.is_dir():
        raise NotFound(f"No such folder: {folder}")
    per: dict[str, dict] = {}
    failures = []
    for f in sorted(folder.glob("*.jsonl")):
        config = f.stem
        if config not in CONFIGS:
            per[config] = {"n": 0, "accuracy": None, "note": "config not in the installed OpenCC"}
            continue
        n = ok = 0
        for rec in read_jsonl(f):
            n += 1
            got = convert(rec["input"], config)
            ok += got == rec["expected"]
            if got != rec["expected"] and len(failures) < 20:
                failures.append({"config": config, "input": rec["input"], "got": got, "expected": rec["expected"]})
        per[config] = {"n": n, "accuracy": round(ok / n, 4) if n else None}
    n = sum(v["n"] for v in per.values())
    ok = sum(round(v["n"] * (v["accuracy"] or 0)) for v in per.values())
    return {"n": n, "accuracy": round(ok / n, 4) if n else 0.0, "per_config": per, "failures": failures}
