"""`ai-toolbox kb ...`, `ai-toolbox ask` and `ai-toolbox eval qa|triage`."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import typer

from ai_toolbox.cli.common import JsonOpt, UserOpt, app, console, emit_json, eval_app, principal, progress_bar

kb_app = typer.Typer(help="Knowledge bases for the enquiry assistant.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


class _Phases:
    """One progress bar per phase of a long job (e.g. indexing, then asking)."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._phase: str | None = None
        self._advance = None
        self._done = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self._phase:
            self._stack.close()
            self._stack = ExitStack()
            self._advance = self._stack.enter_context(progress_bar(phase, total))
            self._phase, self._done = phase, 0
        if self._advance is not None and done > self._done:
            self._advance(done - self._done)
            self._done = done

    def close(self) -> None:
        self._stack.close()


@eval_app.command("qa")
def eval_qa_cmd(
    questions: Path = typer.Option(..., "--questions", help="Questions JSONL (shared QA format)."),
    passages: list[Path] = typer.Option(..., "--passages", help="Passages JSONL; repeat to merge several."),
    limit: int = typer.Option(0, "--limit", help="Only the first N questions (0 = all)."),
    question_script: str | None = typer.Option(
        None, "--question-script", help="Convert the questions to zh-Hans or zh-Hant before asking."
    ),
    json_out: bool = JsonOpt,
) -> None:
    """Passage recall@1/@5, MRR, answer-sentence hits and latency on a QA set."""
    from ai_toolbox.assistant.evaluate import eval_qa

    phases = _Phases()
    try:
        scores = eval_qa(
            questions, list(passages), limit=limit or None, question_script=question_script, progress=phases
        )
    finally:
        phases.close()
    out = scores.model_dump(by_alias=True)
    if json_out:
        emit_json(out)
        return
    for k, v in out.items():
        console.print(f"{k:>13}  {v}")


@kb_app.command("create")
def kb_create(
    name: str = typer.Argument(..., help="Name, unique in your department."),
    description: str = typer.Option("", "--description", "-d"),
    user: str | None = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Create an empty knowledge base in your department."""
    from ai_toolbox.assistant import kb

    out = kb.create_kb(principal(user), name, description)
    if json_out:
        emit_json(out)
    else:
        console.print(f"Created knowledge base [bold]{out.name}[/] (id {out.id}, slug {out.slug}).")


@kb_app.command("add")
def kb_add(
    name: str = typer.Argument(..., help="Knowledge base."),
    files: list[Path] = typer.Argument(..., help="Documents, FAQ sheets (.csv/.xlsx) or text files."),
    kind: str | None = typer.Option(None, "--kind", help="faq | text | document (default: by extension)."),
    user: str | None = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Add sources (a file with the same name replaces the earlier version) and re-index."""
    from ai_toolbox.assistant import kb
    from ai_toolbox.errors import NotFound

    p = principal(user)
    added = []
    for f in files:
        if not f.is_file():
            raise NotFound(f"No such file: {f}")
        added.append(kb.add_source(p, name, f, kind=kind, reindex_now=False))
    with progress_bar("Indexing", None) as advance:
        out = kb.reindex(p, name, progress=advance)
    if json_out:
        emit_json({"kb": out.model_dump(mode="json"), "added": [a.model_dump(mode="json") for a in added]})
        return
    for a in added:
        console.print(f"Added {a.name} ({a.kind}, {a.chunks} passages, version {a.version}).")
    console.print(f"{out.name}: {out.sources} sources, {out.chunks} passages, version {out.version}.")


@kb_app.command("list")
def kb_list(
    name: str | None = typer.Argument(None, help="Show the sources of this knowledge base."),
    user: str | None = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """List knowledge bases, or the sources of one."""
    from ai_toolbox.assistant import kb

    p = principal(user)
    if name:
        sources = kb.list_sources(p, name)
        if json_out:
            emit_json({"sources": [s.model_dump(mode="json") for s in sources]})
            return
        for s in sources:
            console.print(f"{s.id:>5}  {s.kind:<8} {s.name}  ({s.chunks} passages, v{s.version}, {s.language})")
        return
    bases = kb.list_kbs(p)
    if json_out:
        emit_json({"knowledge_bases": [b.model_dump(mode="json") for b in bases]})
        return
    for b in bases:
        pub = " published" if b.published else ""
        console.print(f"{b.id:>4}  {b.name:<24} {b.department:<10} {b.sources} sources, {b.chunks} passages{pub}")


@kb_app.command("delete")
def kb_delete(
    name: str = typer.Argument(...),
    source: str | None = typer.Option(None, "--source", help="Delete only this source (name or id)."),
    user: str | None = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Delete a knowledge base (or one source of it); its text leaves the index."""
    from ai_toolbox.assistant import kb

    p = principal(user)
    if source:
        out = kb.delete_source(p, name, source)
        msg = f"Deleted source {out.name} from {name}."
    else:
        out = kb.delete_kb(p, name)
        msg = f"Deleted knowledge base {out.name}."
    if json_out:
        emit_json(out)
    else:
        console.print(msg)


@kb_app.command("reindex")
def kb_reindex(name: str = typer.Argument(...), user: str | None = UserOpt, json_out: bool = JsonOpt) -> None:
    """Rebuild the search index of a knowledge base."""
    from ai_toolbox.assistant import kb

    with progress_bar("Indexing", None) as advance:
        out = kb.reindex(principal(user), name, progress=advance)
    if json_out:
        emit_json(out)
    else:
        console.print(f"Re-indexed {out.name}: {out.chunks} passages.")


@kb_app.command("publish")
def kb_publish(
    name: str = typer.Argument(...),
    off: bool = typer.Option(False, "--off", help="Stop publishing."),
    user: str | None = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Publish a knowledge base at /public/kb/<slug>/ask (rate-limited, no sign-in)."""
    from ai_toolbox.assistant import kb

    out = kb.set_published(principal(user), name, not off)
    if json_out:
        emit_json(out)
    elif out.published:
        console.print(f"Published: POST /public/kb/{out.slug}/ask")
    else:
        console.print(f"{out.name} is no longer public.")


@app.command("ask")
def ask_cmd(
    question: str = typer.Argument(..., help="The enquiry, in English or Chinese."),
    kb_name: str = typer.Option(..., "--kb", help="Knowledge base to answer from."),
    user: str | None = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Answer an enquiry from a knowledge base, with citations (or hand off)."""
    from ai_toolbox.assistant.answer import ask

    ans = ask(principal(user), kb_name, question)
    if json_out:
        emit_json(ans)
        return
    console.print(ans.answer, highlight=False)
    for i, c in enumerate(ans.citations, 1):
        where = f", p. {c.page}" if c.page else ""
        console.print(f"  [{i}] {c.source}{where}: {c.quote}", highlight=False)
    console.print(f"[dim]confidence {ans.confidence:.2f}{' · handed off' if ans.handoff else ''} · "
                  f"audit {ans.audit_id}[/]")


@kb_app.command("gaps")
def kb_gaps(name: str = typer.Argument(...), user: str | None = UserOpt, json_out: bool = JsonOpt) -> None:
    """FAQ-gap report: handed-off questions grouped by topic, most frequent first."""
    from ai_toolbox.assistant.gaps import faq_gaps

    clusters = faq_gaps(principal(user), name)
    if json_out:
        emit_json({"gaps": [c.model_dump(mode="json") for c in clusters]})
        return
    for c in clusters:
        console.print(f"{c.count:>4}  {c.representative}  ({', '.join(c.languages)})", highlight=False)


@kb_app.command("triage-train")
def kb_triage_train(file: Path = typer.Argument(..., help="CSV with text,label columns."),
                    user: str | None = UserOpt) -> None:
    """Set your department's triage examples."""
    from ai_toolbox.assistant.triage import train

    n = train(principal(user), file)
    console.print(f"Triage now learns from {n} examples.")


@kb_app.command("triage")
def kb_triage(text: str = typer.Argument(...), user: str | None = UserOpt, json_out: bool = JsonOpt) -> None:
    """Route an enquiry to a topic or team."""
    from ai_toolbox.assistant.triage import classify

    out = classify(principal(user), text)
    if json_out:
        emit_json(out)
    else:
        console.print(f"{out.label} ({out.confidence:.2f})")


@eval_app.command("triage")
def eval_triage_cmd(
    train_csv: Path = typer.Option(..., "--train", help="Labelled examples (text,label)."),
    test_csv: Path = typer.Option(..., "--test", help="Held-out labelled enquiries."),
    json_out: bool = JsonOpt,
) -> None:
    """Triage accuracy on a labelled set."""
    from ai_toolbox.assistant.triage import evaluate

    out = evaluate(train_csv, test_csv)
    if json_out:
        emit_json(out)
        return
    console.print(f"accuracy {out['accuracy']} on {out['n']}")
    for label, row in out["per_label"].items():
        console.print(f"  {label:<14} {row['accuracy']}  ({row['support']})")
