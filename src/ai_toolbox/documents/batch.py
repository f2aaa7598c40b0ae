"""Batch: a folder or ZIP of files through one tool, outputs plus a CSV report, as a resumable job.

The work folder is keyed by the source, tool and options, so running the same batch again (or
retrying the failed job) skips files already done. Outputs reach the job's folder only when the
whole batch finishes (the job system publishes them atomically).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from ai_toolbox import jobs
from ai_toolbox.config import get_settings
from ai_toolbox.documents import extract as extract_mod
from ai_toolbox.documents import service
from ai_toolbox.documents.ingest import supported_extensions
from ai_toolbox.errors import InvalidInput, NotFound, TooLarge, ToolboxError

TOOLS = ("text", "summarise", "extract", "redact", "convert")
KIND = "doc.batch"


def _work_dir(params: dict[str, Any]) -> Path:
    key = json.dumps({k: params.get(k) for k in ("source", "tool", "options")}, sort_keys=True)
    return get_settings().data_dir / "jobs" / "doc-batch-work" / hashlib.sha256(key.encode()).hexdigest()[:16]


def _unzip(src: Path, dest: Path) -> None:
    settings = get_settings().documents
    try:
        zf = zipfile.ZipFile(src)
        infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{src.name} is not a readable ZIP file.") from exc
    if sum(i.file_size for i in infos) > settings.max_unzipped_mb * 1024 * 1024:
        raise TooLarge(f"{src.name} unpacks to more than {settings.max_unzipped_mb} MB.")
    for info in infos:
        parts = PurePosixPath(info.filename).parts
        if info.is_dir() or ".." in parts or info.filename.startswith("/") or parts[0] == "__MACOSX":
            continue
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as fh, target.open("wb") as out:
            shutil.copyfileobj(fh, out)


def list_inputs(source: Path, work: Path) -> list[Path]:
    if not source.exists():
        raise NotFound(f"No such folder or ZIP: {source}")
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise InvalidInput(f"{source.name} is neither a folder nor a ZIP file.")
        unpacked = work / "input"
        if not unpacked.exists():
            tmp = work / ".input.part"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            _unzip(source, tmp)
            tmp.rename(unpacked)
        source = unpacked
    exts = set(supported_extensions())
    return sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.suffix.lower().lstrip(".") in exts)


class Incomplete(Exception):
    """The tool ran and wrote its output, but the result lacks something the user should check."""

    def __init__(self, outputs: list[str], audit_id: int | None, note: str) -> None:
        super().__init__(note)
        self.outputs, self.audit_id, self.note = outputs, audit_id, note


def _run_one(ctx: jobs.JobContext, path: Path, rel: str, tool: str, opts: dict[str, Any],
             out_dir: Path) -> tuple[list[str], int | None]:
    p, data, stem = ctx.principal, path.read_bytes(), rel.replace("/", "__")
    if tool == "text":
        doc = service.text(p, data, path.name)
        (out_dir / f"{stem}.txt").write_text(doc.text, "utf-8")
        return [f"{stem}.txt"], None
    if tool == "summarise":
        s = service.summarise(p, data, path.name, sentences=opts.get("sentences", 3), script=opts.get("script", "auto"))
        lines = [f"[p.{x.page}] {x.text}" for x in s.sentences]
        (out_dir / f"{stem}.summary.txt").write_text("\n".join(lines) + "\n", "utf-8")
        return [f"{stem}.summary.txt"], s.audit_id
    if tool == "extract":
        r = service.extract(p, data, path.name, template=opts.get("template", "invoice"))
        (out_dir / f"{stem}.json").write_text(json.dumps(extract_mod.to_json(r), ensure_ascii=False, indent=1),
                                              "utf-8")
        if r.missing:
            raise Incomplete([f"{stem}.json"], r.audit_id, "required fields not found: " + ", ".join(r.missing))
        return [f"{stem}.json"], r.audit_id
    if tool == "redact":
        red = service.redact(p, data, path.name)
        name = f"{stem}.redacted{Path(red.report.output_name).suffix}"
        (out_dir / name).write_bytes(red.data)
        return [name], red.report.audit_id
    if tool == "convert":
        conv = service.convert(p, data, path.name, config=opts.get("config", "s2hk"))
        name = f"{stem}.{conv.output_name.rsplit('.', 1)[-1]}"
        (out_dir / name).write_bytes(conv.data)
        return [name], conv.audit_id
    raise InvalidInput(f"Batch cannot run {tool!r}.", hint="Tools: " + ", ".join(TOOLS))


@jobs.handler(KIND)
def run_batch(ctx: jobs.JobContext) -> dict[str, Any]:
    params = ctx.params
    tool = params.get("tool", "text")
    if tool not in TOOLS:
        raise InvalidInput(f"Batch cannot run {tool!r}.", hint="Tools: " + ", ".join(TOOLS))
    opts = params.get("options") or {}
    source = Path(params["source"])
    work = _work_dir(params)
    outputs = work / "outputs"
    outputs.mkdir(parents=True, exist_ok=True)
    state_path = work / "state.json"
    state: dict[str, dict[str, Any]] = json.loads(state_path.read_text("utf-8")) if state_path.exists() else {}
    files = list_inputs(source, work)
    root = work / "input" if source.is_file() else source
    if not files:
        raise InvalidInput(f"No supported files in {source.name}.",
                           hint="Supported: " + ", ".join(supported_extensions()))
    for i, path in enumerate(files):
        ctx.check_cancelled()
        rel = path.relative_to(root).as_posix()
        if state.get(rel, {}).get("status") in ("ok", "incomplete"):
            ctx.progress(i + 1, len(files), f"{rel} already done")
            continue
        t0 = time.perf_counter()
        try:
            names, audit_id = _run_one(ctx, path, rel, tool, opts, outputs)
            state[rel] = {"status": "ok", "outputs": names, "error": "", "audit_id": audit_id}
        except Incomplete as inc:
            state[rel] = {"status": "incomplete", "outputs": inc.outputs, "error": inc.note, "audit_id": inc.audit_id}
        except ToolboxError as exc:
            state[rel] = {"status": "error", "outputs": [], "error": exc.message, "audit_id": None}
        state[rel]["seconds"] = round(time.perf_counter() - t0, 3)
        tmp = state_path.with_suffix(".part")
        tmp.write_text(json.dumps(state, ensure_ascii=False), "utf-8")
        tmp.replace(state_path)
        ctx.progress(i + 1, len(files), f"{rel}: {state[rel]['status']}")
    final = ctx.output_dir()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["file", "status", "outputs", "error", "seconds", "audit_id"])
    for path in files:
        rel = path.relative_to(root).as_posix()
        st = state[rel]
        w.writerow([rel, st["status"], ";".join(st["outputs"]), st["error"], st.get("seconds", ""),
                    st.get("audit_id") or ""])
        for name in st["outputs"]:
            shutil.copy2(outputs / name, final / name)
    (final / "report.csv").write_text(buf.getvalue(), "utf-8")
    ok = sum(1 for s in state.values() if s["status"] == "ok")
    incomplete = sum(1 for s in state.values() if s["status"] == "incomplete")
    shutil.rmtree(work, ignore_errors=True)
    result = {"files": len(files), "ok": ok, "failed": len(files) - ok - incomplete, "report": "report.csv"}
    if incomplete:
        result["incomplete"] = incomplete
    return result
