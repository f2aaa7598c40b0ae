"""Questions to SQL with a language model: schema, real values and solved examples in the prompt.

The model sees each table's columns with sample values, the cell values the question mentions
(matched case- and script-insensitively by the embedded parser's linker, so 'Texas' becomes the
stored 'texas'), and the most similar solved examples. Its SQL must pass the same allow-list as
everything else; when it fails to parse or run, the error goes back to the model for a bounded
number of repairs. If no attempt yields runnable SQL, the caller falls back to the embedded
parser, so invalid SQL never reaches the user.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import duckdb

from ai_toolbox.analysis import linking
from ai_toolbox.analysis.grounding import ground_sql
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, literal
from ai_toolbox.analysis.sqlsafe import check_sql, run_query
from ai_toolbox.analysis.textutil import fold
from ai_toolbox.config import get_settings
from ai_toolbox.errors import ToolboxError

PROMPTS = Path(__file__).parent / "prompts"
SAMPLES = 5


@lru_cache(maxsize=1)
def _examples() -> list[dict[str, str]]:
    return [json.loads(line) for line in (PROMPTS / "examples.jsonl").read_text("utf-8").splitlines() if line.strip()]


def _terms(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+|[\u3400-\u9fff]", fold(text)))


def similar_examples(question: str, k: int = 3) -> list[dict[str, str]]:
    """The solved examples sharing the most words with the question."""
    q = _terms(question)
    return sorted(_examples(), key=lambda e: -len(q & _terms(e["question"])))[:k]


def _sample(c: ColumnInfo) -> str:
    """A few stored values: numbers as numbers, text as quoted literals (long ones cut short)."""
    values = [v for v in c.values if v.strip()][:SAMPLES]
    if c.kind == "number":
        return ", ".join(values)
    return ", ".join(literal(v if len(v) <= 40 else v[:37] + "...") for v in values)


def schema_text(infos: list[TableInfo]) -> str:
    lines = []
    for t in infos:
        cols = []
        for c in t.columns:
            sample = _sample(c) if c.values else ""
            kind = "  -- numbers as text" if c.kind == "numtext" else ""
            cols.append(f'  "{c.name}" {c.type}' + (f"  -- e.g. {sample}" if sample else kind))
        lines.append(f'CREATE TABLE "{t.name}" (  -- {t.rows} rows\n' + ",\n".join(cols) + "\n);")
    return "\n".join(lines)


def grounding_text(infos: list[TableInfo], question: str) -> str:
    """Stored values the question refers to, in their stored spelling."""
    found = []
    for t in infos:
        q = linking.Question(fold(question), linking.tokens(fold(question)))
        for v in linking.value_links(q, t):
            if v.exact:
                found.append(f'"{t.name}"."{v.column.name}" = {literal(v.value)}')
            else:
                found.append(f'"{t.name}"."{v.column.name}" contains {literal(v.value)}')
    return ("Values from the question as stored in the tables:\n" + "\n".join(found[:12]) + "\n") if found else ""


def _clean(text: str) -> str:
    text = text.strip()
    m = re.search(r"```(?:sql)?\s*(.*?)```", text, re.S | re.I)
    if m:
        text = m.group(1)
    text = text.strip().rstrip(";").strip()
    m = re.search(r"\b(SELECT|WITH)\b", text, re.I)
    return text[m.start() :] if m else text


def generate(con: duckdb.DuckDBPyConnection, infos: list[TableInfo], question: str, *, backend: str, principal=None):  # type: ignore[no-untyped-def]
    """Generated SQL and rows from the model, or None when no model is available or none of its SQL ran."""
    from ai_toolbox.analysis.ask import Generated

    try:
        from ai_toolbox import llm
    except ImportError:
        return None
    model = llm.get_backend(backend)
    if not model.available:
        return None
    prompt = (
        (PROMPTS / "nl2sql.txt")
        .read_text("utf-8")
        .format(
            schema=schema_text(infos),
            grounding=grounding_text(infos, question),
            examples="\n".join(f"Question: {e['question']}\nSQL: {e['sql']}" for e in similar_examples(question)),
            question=question,
        )
    )
    messages = [llm.Message(role="user", content=prompt)]
    names = [i.name for i in infos]
    attempts = 1 + max(0, get_settings().analysis.repairs)
    empty: Generated | None = None
    for attempt in range(attempts):
        if principal is not None:
            reply = llm.complete(
                principal, "analysis", messages, action="nl2sql", backend=backend, max_tokens=256, temperature=0.0
            )
        else:
            reply = model.chat(messages, max_tokens=256, temperature=0.0)
        sql = _clean(reply.text)
        try:
            checked = check_sql(ground_sql(sql, infos), names)
            result = run_query(con, checked)
        except ToolboxError as exc:
            messages += [
                llm.Message(role="assistant", content=sql),
                llm.Message(
                    role="user", content=(PROMPTS / "repair.txt").read_text("utf-8").format(sql=sql, error=exc.message)
                ),
            ]
            continue
        generated = Generated(plan=None, result=result, method="llm", model=reply.model)
        if result.rows or attempt == attempts - 1:
            return generated
        # No rows usually means a value written differently from how it is stored: one more try.
        empty = empty or generated
        messages += [
            llm.Message(role="assistant", content=sql),
            llm.Message(role="user", content=(PROMPTS / "empty.txt").read_text("utf-8").format(sql=sql)),
        ]
    return empty
