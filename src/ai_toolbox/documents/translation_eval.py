"""How well the configured model translates: chrF against parallel reference passages.

The inputs are two JSONL files of passages with the same `id`s (each record has `id` and `text`),
such as XQuAD's English and Chinese passage files; the first `limit` ids of the source file that
the target file also has are translated with `translate.translate` (the same prompt, glossary check
and script conversion as `ai-toolbox doc translate`) and scored with corpus chrF (`chrf.py`).
The target language is read from the target passages, so one pair of files gives either direction.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ai_toolbox.documents import llmbridge
from ai_toolbox.documents.chrf import corpus_chrf, sentence_chrf
from ai_toolbox.documents.ingest.build import block
from ai_toolbox.documents.model import Document, Page
from ai_toolbox.documents.textcore import detect_language
from ai_toolbox.documents.translate import translate
from ai_toolbox.errors import InvalidInput, ModelUnavailable, NotFound


def read_passages(path: Path) -> list[tuple[str, str]]:
    """(id, text) of each record of a JSONL passages file, in file order."""
    if not path.is_file():
        raise NotFound(f"No such file: {path}", hint="Give a JSONL file of passages with `id` and `text`.")
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            out.append((str(rec["id"]), str(rec["text"])))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InvalidInput(f"{path.name} line {n} is not a passage record.",
                               hint='Each line must be a JSON object like {"id": "p1", "text": "..."}.') from exc
    return out


def pairs(source: Path, target: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(id, source text, reference text) for the ids both files hold, in the source file's order."""
    refs = dict(read_passages(target))
    found = [(pid, text, refs[pid]) for pid, text in read_passages(source) if pid in refs]
    if not found:
        raise InvalidInput(f"{source.name} and {target.name} share no passage id.",
                           hint="The two files must be translations of each other with the same ids.")
    return found[:limit] if limit else found


def language_of(texts: list[str]) -> str:
    lang = detect_language("\n".join(texts)[:5000])
    if lang not in ("en", "zh-Hant", "zh-Hans"):
        raise InvalidInput(f"Cannot tell the language of the passages (detected: {lang}).",
                           hint="Use English, Traditional or Simplified Chinese passages.")
    return lang


def evaluate(source: Path, target: Path, *, limit: int | None = None, backend: str | None = None,
             glossary: dict[str, str] | None = None, principal: Any = None,
             progress: Callable[[], None] | None = None, out: Path | None = None) -> dict[str, Any]:
    """chrF of the model's translations of the source passages against the target passages."""
    items = pairs(source, target, limit)
    src_lang = language_of([s for _, s, _ in items])
    tgt_lang = language_of([t for _, _, t in items])
    if backend:
        from ai_toolbox import llm

        llm.get_backend(backend)  # an unknown name is an error of its own, not "unavailable"
    if not llmbridge.available("doc", backend):
        raise ModelUnavailable(
            f"The {backend or 'configured'} language-model backend is not available, so translation cannot be "
            "evaluated.", hint="Use --backend llamacpp (the packaged local model) or configure one; "
                               "`ai-toolbox llm backends` says what is missing.")
    hyps, times, missing = [], [], 0
    rows = []
    # Each translation is written as soon as it is made: a long run on a small machine can be watched.
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(out.open("w", encoding="utf-8")) if out else None
        for pid, text, ref in items:
            doc = Document(name=pid, format="text", pages=[Page(number=1, blocks=[block("paragraph", text)])],
                           language=src_lang)
            t0 = time.perf_counter()
            result = translate(doc, tgt_lang, glossary=glossary, principal=principal, backend=backend)
            times.append(time.perf_counter() - t0)
            hyps.append(result.text)
            missing += len(result.glossary_missing)
            rows.append({"id": pid, "source": text, "reference": ref, "translation": result.text,
                         "chrf": round(sentence_chrf(result.text, ref), 2), "seconds": round(times[-1], 2)})
            if sink:
                sink.write(json.dumps(rows[-1], ensure_ascii=False) + "\n")
                sink.flush()
            if progress:
                progress()
    return {
        "n": len(items),
        "source_language": src_lang,
        "target_language": tgt_lang,
        "backend": backend or "configured",
        "model": llmbridge.model_name("doc", backend),
        "chrf": round(corpus_chrf(hyps, [t for _, _, t in items]), 2),
        "chrf_mean": round(statistics.fmean(r["chrf"] for r in rows), 2),
        "glossary_missing": missing,
        "p50_s": round(statistics.median(times), 2),
        "seconds": round(sum(times), 1),
    }
