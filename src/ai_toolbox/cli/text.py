"""`ai-toolbox text ...`: detect, convert, redact, glossaries; and `eval detect|pii|convert`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ai_toolbox.cli.common import JsonOpt, UserOpt, app, emit_json, eval_app, principal, progress_bar, read_input
from ai_toolbox.errors import InvalidInput

text_app = typer.Typer(help="Language detection, Traditional/Simplified conversion, PII redaction.",
                       no_args_is_help=True)
app.add_typer(text_app, name="text")
glossary_app = typer.Typer(help="Your department's conversion glossaries.", no_args_is_help=True)
text_app.add_typer(glossary_app, name="glossary")

FileArg = typer.Argument(None, help="A .txt/.md/.docx/.xlsx file, or '-' (default) for stdin.")
OFFICE = (".docx", ".xlsx")


def _is_office(source: str | None) -> bool:
    return source not in (None, "-") and Path(source).suffix.lower() in OFFICE


def _write_file(result, out: Path | None, source: str) -> Path:  # type: ignore[no-untyped-def]
    target = out or Path(source).with_name(result.filename)
    target.write_bytes(result.content)
    return target


@text_app.command("detect")
def detect(source: str | None = FileArg, per_sentence: bool = typer.Option(False, "--sentences", "-s",
           help="Also print each sentence's language."), json_out: bool = JsonOpt, user: str | None = UserOpt) -> None:
    """Print the language (en, zh-Hant, zh-Hans, mixed, unknown) and a confidence."""
    from ai_toolbox.text import service

    text = read_input(source)
    r = service.detect(principal(user), text, per_sentence)
    if json_out:
        emit_json(r)
        return
    typer.echo(f"{r.language}\t{r.confidence:.2f}")
    for s in r.sentences or []:
        typer.echo(f"{s.language}\t{s.confidence:.2f}\t{s.text}")


def _show_file(target: Path, json_out: bool, **details: object) -> None:
    """Report a converted or redacted file: its path, or one JSON object with the details."""
    if json_out:
        emit_json({"file": str(target), **details})
    else:
        typer.echo(str(target))


def _show_text(result: Any, json_out: bool, out: Path | None) -> None:
    """Print a converted or redacted text: as JSON, into `out`, or to stdout."""
    if json_out:
        emit_json(result)
    elif out:
        out.write_text(result.text, encoding="utf-8")
    else:
        sys.stdout.write(result.text)


@text_app.command("convert")
def convert(source: str | None = FileArg,
            config: str = typer.Option("s2hk", "--config", "-c", help="OpenCC configuration, e.g. s2hk, hk2s, s2twp."),
            glossary: list[int] = typer.Option(None, "--glossary", "-g", help="Glossary id (repeat); default: all "
                                                                               "of your department's"),
            no_builtin: bool = typer.Option(False, "--no-builtin", help="Leave out the built-in government glossary."),
            out: Path | None = typer.Option(None, "--out", "-o", help="Where to write a converted DOCX/XLSX."),
            json_out: bool = JsonOpt, user: str | None = UserOpt) -> None:
    """Convert between Traditional and Simplified Chinese (text to stdout; DOCX/XLSX to a file)."""
    from ai_toolbox.text import service

    p = principal(user)
    if _is_office(source):
        result = service.convert_file(p, Path(source).read_bytes(), Path(source).name, config, glossary or None)
        _show_file(_write_file(result, out, source), json_out, config=config, audit_id=result.audit_id)
        return
    req = service.ConvertRequest(text=read_input(source), config=config, glossary_ids=glossary or None,
                                 use_builtin=not no_builtin)
    r = service.convert_text(p, req)
    _show_text(r, json_out, out)


@text_app.command("redact")
def redact(source: str | None = FileArg,
           operator: str = typer.Option("tag", "--operator", help="tag | mask | pseudonym | hash | remove"),
           types: list[str] = typer.Option(None, "--type", "-t", help="Only these PII types (repeat)."),
           out: Path | None = typer.Option(None, "--out", "-o", help="Where to write a redacted DOCX/XLSX."),
           json_out: bool = JsonOpt, user: str | None = UserOpt) -> None:
    """Find personal data and replace it (text to stdout; DOCX/XLSX to a file)."""
    from ai_toolbox.text import pii, service

    if operator not in pii.OPERATORS:
        raise InvalidInput(f"Unknown operator '{operator}'.", hint=f"Use one of: {', '.join(pii.OPERATORS)}.")
    p = principal(user)
    if _is_office(source):
        result = service.redact_file(p, Path(source).read_bytes(), Path(source).name, operator, types or None)  # type: ignore[arg-type]
        _show_file(_write_file(result, out, source), json_out, operator=operator, audit_id=result.audit_id)
        return
    r = service.redact_text(p, service.RedactRequest(text=read_input(source), operator=operator, types=types or None))  # type: ignore[arg-type]
    _show_text(r, json_out, out)


@text_app.command("configs")
def configs() -> None:
    """List the conversion configurations the installed OpenCC offers."""
    from ai_toolbox.text.convert import CONFIGS

    typer.echo("\n".join(CONFIGS))


@glossary_app.command("list")
def glossary_list(json_out: bool = JsonOpt, user: str | None = UserOpt) -> None:
    """List your department's glossaries."""
    from ai_toolbox.text import service

    items = service.list_glossaries(principal(user))
    if json_out:
        emit_json({"glossaries": [g.model_dump() for g in items]})
        return
    for g in items:
        typer.echo(f"{g.id}\t{g.name}\t{len(g.terms)} terms")


@glossary_app.command("import")
def glossary_import(name: str = typer.Argument(..., help="Glossary name"),
                    csv_file: Path = typer.Argument(..., help="CSV with columns en, zh_hant, zh_hans[, protect]"),
                    json_out: bool = JsonOpt, user: str | None = UserOpt) -> None:
    """Create a glossary from a CSV file."""
    from ai_toolbox.text import service
    from ai_toolbox.text.glossary import read_csv

    g = read_csv(read_input(str(csv_file)), name)
    created = service.create_glossary(principal(user), service.GlossaryIn(name=name, terms=list(g.terms)))
    if json_out:
        emit_json(created)
    else:
        typer.echo(f"{created.id}\t{created.name}\t{len(created.terms)} terms")


# --- evaluations ----------------------------------------------------------------------------------

@eval_app.command("detect")
def eval_detect(hant: list[Path] = typer.Option(None, "--hant", help="QA/passage JSONL in Traditional Chinese"),
                hans: list[Path] = typer.Option(None, "--hans", help="QA/passage JSONL in Simplified Chinese"),
                en: list[Path] = typer.Option(None, "--en", help="QA/passage JSONL in English"),
                min_chars: int = typer.Option(10, "--min-chars", help="Shortest sentence scored"),
                json_out: bool = JsonOpt) -> None:
    """Language detection accuracy on paragraphs and sentences (fields `text` or `context`)."""
    from ai_toolbox.text.evaluate import eval_detect as run

    files = [(str(f), "zh-Hant") for f in hant or []] + [(str(f), "zh-Hans") for f in hans or []] + \
            [(str(f), "en") for f in en or []]
    if not files:
        raise InvalidInput("No data given.", hint="Pass --hant, --hans or --en with JSONL files.")
    with progress_bar("paragraphs", None) as advance:
        r = run(files, min_chars, advance)
    if json_out:
        emit_json(r)
        return
    typer.echo(f"paragraphs {r['paragraphs']}: {r['paragraph_accuracy']:.2%}   "
               f"sentences {r['sentences']}: {r['sentence_accuracy']:.2%}")
    for lang, v in r["per_language"].items():
        typer.echo(f"  {lang:8} paragraphs {v['paragraph_accuracy']:.2%}  sentences {v['sentence_accuracy']:.2%}")


@eval_app.command("pii")
def eval_pii(data: Path = typer.Option(..., "--data", help="JSONL with text and spans (start, end, type)"),
             limit: int | None = typer.Option(None, "--limit"), json_out: bool = JsonOpt) -> None:
    """PII precision, recall and F1 per type, by character overlap."""
    from ai_toolbox.text.evaluate import eval_pii as run

    with progress_bar("documents", None) as advance:
        r = run(data, limit, advance)
    if json_out:
        emit_json(r)
        return
    typer.echo(f"{'type':15} {'P':>7} {'R':>7} {'F1':>7} {'support':>8}")
    for t, v in r["per_type"].items():
        typer.echo(f"{t:15} {v['precision']:7.3f} {v['recall']:7.3f} {v['f1']:7.3f} {v['support']:8d}")
    m = r["micro"]
    typer.echo(f"{'micro':15} {m['precision']:7.3f} {m['recall']:7.3f} {m['f1']:7.3f}   {r['docs_per_s']} docs/s")
    if "decoys" in r:
        typer.echo(f"invalid IDs flagged: {r['invalid_ids_flagged']} of {r['decoys']} decoys")


@eval_app.command("convert")
def eval_convert(data: Path = typer.Option(..., "--data", help="Folder of <config>.jsonl files {input, expected}"),
                 json_out: bool = JsonOpt) -> None:
    """Exact-match accuracy of conversion on OpenCC-style test cases, per configuration."""
    from ai_toolbox.text.evaluate import eval_convert as run

    r = run(data)
    if json_out:
        emit_json(r)
        return
    for cfg, v in r["per_config"].items():
        acc = "n/a" if v["accuracy"] is None else f"{v['accuracy']:.2%}"
        typer.echo(f"{cfg:8} {v['n']:5d} {acc}")
    typer.echo(f"all      {r['n']:5d} {r['accuracy']:.2%}")
