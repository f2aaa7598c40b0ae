"""`ai-toolbox doc ...`: every document tool on files, inputs and outputs as paths."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import typer

from ai_toolbox.cli.common import JsonOpt, UserOpt, app, console, emit_json, err_console, eval_app, principal
from ai_toolbox.errors import InvalidInput, NotFound

doc_app = typer.Typer(help="Documents: read any office file, then summarise, extract, redact, compare, reply.",
                      no_args_is_help=True)
app.add_typer(doc_app, name="doc")

PasswordOpt = typer.Option(None, "--password", help="Password of an encrypted PDF.")


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise NotFound(f"No such file: {path}", hint="Check the path.")
    return path.read_bytes()


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    tmp.replace(path)


@doc_app.command("text")
def text_cmd(src: Path, password: str | None = PasswordOpt, as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Print the text of any supported file (OCR for scans and images)."""
    from ai_toolbox.documents import service

    doc = service.text(principal(user), _read(src), src.name, password=password)
    for w in doc.warnings:
        err_console.print(f"[yellow]Note:[/] {w}", highlight=False)
    if as_json:
        emit_json(doc.model_dump(mode="json"))
    else:
        typer.echo(doc.text)


@doc_app.command("summarise")
def summarise_cmd(src: Path, out: Path | None = typer.Argument(None, help="Write the summary here"),
                  sentences: int = typer.Option(3, "--sentences", "-n"),
                  chars: int | None = typer.Option(None, "--chars", help="Length in characters instead"),
                  script: str = typer.Option("auto", "--script", help="auto, en, zh-Hant or zh-Hans"),
                  password: str | None = PasswordOpt, as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Summarise a document; every sentence shows the page it comes from."""
    from ai_toolbox.documents import service

    s = service.summarise(principal(user), _read(src), src.name, sentences=None if chars else sentences,
                          chars=chars, script=script, password=password)
    lines = [f"[p.{x.page}] {x.text}" for x in s.sentences]
    if s.note:
        err_console.print(f"[yellow]Note:[/] {s.note}", highlight=False)
    if out:
        _write(out, "\n".join(lines) + "\n")
    if as_json:
        emit_json(s)
    elif not out:
        typer.echo("\n".join(lines))


@doc_app.command("extract")
def extract_cmd(src: Path, template: str = typer.Option(..., "--template", "-t", help="invoice, packing_list, "
                                                          "letter, application_form, or a YAML file"),
                out: Path | None = typer.Option(None, "--out", "-o", help="Write .json, .csv or .xlsx"),
                password: str | None = PasswordOpt, as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Fill a template's fields from a document (values, confidence, page)."""
    from ai_toolbox.documents import extract, service

    r = service.extract(principal(user), _read(src), src.name, template=template, password=password)
    if out:
        suffix = out.suffix.lower()
        if suffix == ".csv":
            _write(out, extract.to_csv(r))
        elif suffix == ".xlsx":
            _write(out, extract.to_xlsx(r))
        else:
            _write(out, json.dumps(extract.to_json(r), ensure_ascii=False, indent=1))
    if as_json:
        emit_json(extract.to_json(r))
    elif not out:
        for name, fv in r.fields.items():
            console.print(f"{name:18} {fv.value!s:40} {fv.confidence:.2f}  p.{fv.page or '-'}", highlight=False)
        for item in r.line_items:
            console.print(f"  - {item}", highlight=False)


@doc_app.command("templates")
def templates_cmd(as_json: bool = JsonOpt):
    """List extraction templates and their fields."""
    from ai_toolbox.documents.extract import templates

    ts = templates()
    if as_json:
        emit_json({n: list(t.fields) for n, t in ts.items()})
    else:
        for n, t in ts.items():
            console.print(f"[bold]{n}[/]: {', '.join(t.fields)}")


@doc_app.command("redact")
def redact_cmd(src: Path, out: Path, types: str | None = typer.Option(None, "--types", help="e.g. HKID,PHONE"),
               password: str | None = PasswordOpt, as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Remove personal data from a PDF or DOCX (really removed, then checked) and report it."""
    from ai_toolbox.documents import service

    r = service.redact(principal(user), _read(src), src.name, password=password,
                       types=types.split(",") if types else None)
    _write(out, r.data)
    if as_json:
        emit_json(r.report)
    else:
        console.print(f"Removed {len(r.report.removed)} item(s): {r.report.counts or 'none'}; "
                      f"verified: {r.report.verified}. Wrote {out}", highlight=False)


@doc_app.command("convert")
def convert_cmd(src: Path, out: Path, to: str = typer.Option("zh-Hant", "--to", help="zh-Hant (HK) or zh-Hans"),
                config: str | None = typer.Option(None, "--config", help="OpenCC config, e.g. s2hk, t2s, s2twp"),
                password: str | None = PasswordOpt, as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Convert a document between Traditional and Simplified Chinese (DOCX keeps its formatting)."""
    from ai_toolbox.documents import service
    from ai_toolbox.documents.convert import resolve_config

    r = service.convert(principal(user), _read(src), src.name, config=resolve_config(config, to), password=password)
    _write(out, r.data)
    if as_json:
        emit_json({"output": str(out), "config": r.config, "characters": r.characters, "audit_id": r.audit_id})
    else:
        console.print(f"Wrote {out} ({r.config}).", highlight=False)


@doc_app.command("translate")
def translate_cmd(src: Path, out: Path, to: str = typer.Option(..., "--to", help="en, zh-Hant or zh-Hans"),
                  glossary: Path | None = typer.Option(None, "--glossary", help="CSV of source,target terms"),
                  password: str | None = PasswordOpt, as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Translate EN↔ZH with a language model, enforcing glossary terms."""
    from ai_toolbox.documents import service
    from ai_toolbox.documents.translate import load_glossary

    r = service.translate(principal(user), _read(src), src.name, target=to, glossary=load_glossary(glossary),
                          password=password)
    _write(out, r.text + "\n")
    if r.glossary_missing:
        err_console.print("[yellow]Glossary terms not used:[/] " + "; ".join(r.glossary_missing), highlight=False)
    if as_json:
        emit_json(r)


@doc_app.command("compare")
def compare_cmd(old: Path, new: Path, out: Path = typer.Argument(..., help="Write .html or .docx"),
                as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Compare two versions sentence by sentence (Chinese too); changes marked in HTML or DOCX."""
    from ai_toolbox.documents import compare, service

    r = service.compare(principal(user), (_read(old), old.name), (_read(new), new.name))
    title = f"{old.name} → {new.name}"
    _write(out, compare.to_docx(r, title) if out.suffix.lower() == ".docx" else compare.to_html(r, title))
    if as_json:
        emit_json({"counts": r.counts, "similarity": r.similarity, "output": str(out), "audit_id": r.audit_id})
    else:
        console.print(f"{r.counts}; similarity {r.similarity:.0%}. Wrote {out}", highlight=False)


@doc_app.command("reply")
def reply_cmd(src: Path, out: Path | None = typer.Argument(None, help="Write the draft (.txt or .docx)"),
              language: str | None = typer.Option(None, "--language", help="en, zh-Hant or zh-Hans"),
              body: str | None = typer.Option(None, "--body", help="What the reply should say"),
              signatory: str = typer.Option("", "--signatory"), our_ref: str = typer.Option("", "--our-ref"),
              kb: str | None = typer.Option(None, "--kb", help="Quote and cite passages of this knowledge base"),
              password: str | None = PasswordOpt, as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Draft a reply to an incoming letter from its extracted fields (and a knowledge base with --kb)."""
    from ai_toolbox.documents import service

    d = service.reply(principal(user), _read(src), src.name, language=language, body=body, signatory=signatory,
                      our_reference=our_ref, password=password, kb=kb)
    if out:
        if out.suffix.lower() == ".docx":
            import io

            import docx

            document = docx.Document()
            for para in d.text.split("\n"):
                document.add_paragraph(para)
            buf = io.BytesIO()
            document.save(buf)
            _write(out, buf.getvalue())
        else:
            _write(out, d.text)
    if as_json:
        emit_json(d)
    else:
        if d.note:
            typer.echo(d.note, err=True)
        if not out:
            typer.echo(d.text)


@doc_app.command("batch")
def batch_cmd(src: Path = typer.Argument(..., help="A folder or a ZIP of files"),
              out: Path = typer.Argument(..., help="Folder for the outputs and report.csv"),
              tool: str = typer.Option("text", "--tool", help="text, summarise, extract, redact or convert"),
              template: str = typer.Option("invoice", "--template", help="for --tool extract"),
              config: str = typer.Option("s2hk", "--config", help="for --tool convert"),
              as_json: bool = JsonOpt, user: str | None = UserOpt):
    """Run one tool over many files as a resumable job (run it again to resume)."""
    import shutil

    from ai_toolbox import jobs
    from ai_toolbox.cli.common import progress_bar
    from ai_toolbox.documents import batch

    if not src.exists():
        raise NotFound(f"No such folder or ZIP: {src}")
    p = principal(user)
    params = {"source": str(src.resolve()), "tool": tool, "options": {"template": template, "config": config}}
    result: dict[str, jobs.JobOut] = {}
    worker = threading.Thread(target=lambda: result.setdefault("job", jobs.run_now(p, batch.KIND, params)))
    worker.start()
    with progress_bar(f"{tool} {src.name}", 100) as advance:
        shown = 0
        while worker.is_alive():
            worker.join(0.5)
            running = jobs.list_jobs(p, limit=1)
            if running:
                pct = int(running[0].progress * 100)
                if pct > shown:
                    advance(pct - shown)
                    shown = pct
    job = result["job"]
    if job.status != "succeeded":
        raise InvalidInput(f"The batch {job.status}: {job.error}", hint="Run the same command again to resume.")
    out.mkdir(parents=True, exist_ok=True)
    for f in jobs.job_dir(job.id).iterdir():
        shutil.copy2(f, out / f.name)
    if as_json:
        emit_json({"job_id": job.id, **(job.result or {}), "output": str(out)})
    else:
        r = job.result or {}
        console.print(f"{r.get('ok')} of {r.get('files')} file(s) done; report: {out / 'report.csv'}",
                      highlight=False)


@doc_app.command("generate")
def generate_cmd(out: Path, n: int = typer.Option(2, "-n", help="documents per kind and language"),
                 seed: int = typer.Option(0, "--seed"), scanned: bool = typer.Option(True, "--scanned/--no-scanned")):
    """Write seeded sample invoices, letters and forms (PDF, DOCX, scanned PDF) with gold.jsonl."""
    from ai_toolbox.documents.generate import write_set

    records = write_set(out, n, scanned=scanned, seed=seed)
    console.print(f"Wrote {len(records)} samples to {out}", highlight=False)


@eval_app.command("extract")
def eval_extract(data: Path | None = typer.Option(None, "--data", help="Folder from `doc generate` (gold.jsonl)"),
                 n: int = typer.Option(2, "-n", help="samples per kind and language when generating"),
                 seed: int = typer.Option(100, "--seed"),
                 variants: str = typer.Option("pdf,docx,scanned", "--variants", help="pdf, docx, scanned"),
                 as_json: bool = JsonOpt):
    """Field-level precision/recall/F1 of template extraction on generated documents."""
    from ai_toolbox.cli.common import progress_bar
    from ai_toolbox.documents.evaluate import evaluate

    wanted = [v.strip() for v in variants.split(",") if v.strip()]
    with progress_bar("eval extract", None) as advance:
        report = evaluate(data, n=n, seed=seed, variants=wanted, on_item=lambda: advance(1))
    if as_json:
        emit_json(report)
    else:
        for variant, r in report["variants"].items():
            console.print(f"{variant:8} F1 {r['f1']:.3f}  P {r['precision']:.3f}  R {r['recall']:.3f}  "
                          f"n={r['documents']}  {r['docs_per_s']:.2f} docs/s", highlight=False)


@eval_app.command("translate")
def eval_translate(source: Path = typer.Option(..., "--source", help="JSONL passages (id, text) to translate"),
                   target: Path = typer.Option(..., "--target", help="JSONL reference translations, same ids"),
                   limit: int | None = typer.Option(None, "--limit", help="First N passage pairs only"),
                   backend: str | None = typer.Option(None, "--backend",
                                                      help="llamacpp|openai (default: the configured one)"),
                   glossary: Path | None = typer.Option(None, "--glossary", help="CSV of source,target terms"),
                   out: Path | None = typer.Option(None, "--out", help="Write each translation and its chrF (JSONL)"),
                   as_json: bool = JsonOpt, user: str | None = UserOpt):
    """chrF (character 1-6-grams, beta 2) of model translations against parallel reference passages."""
    from ai_toolbox.cli.common import progress_bar
    from ai_toolbox.documents.translate import load_glossary
    from ai_toolbox.documents.translation_eval import evaluate, pairs

    total = len(pairs(source, target, limit))
    terms = load_glossary(glossary) if glossary else None
    with progress_bar("eval translate", total) as advance:
        report = evaluate(source, target, limit=limit, backend=backend, glossary=terms, principal=principal(user),
                          progress=lambda: advance(1), out=out)
    if as_json:
        emit_json(report)
    else:
        console.print(f"{report['source_language']} → {report['target_language']}  chrF {report['chrf']:.2f}  "
                      f"(mean per passage {report['chrf_mean']:.2f})  n={report['n']}  "
                      f"{report['p50_s']:.1f} s/passage  {report['model']}", highlight=False)
