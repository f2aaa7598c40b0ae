"""Answers to questions about a dataset: SQL, result table, explanation, chart, exports, audit.

`ask()` is the service the CLI and API call. Every question writes one audit record (the
question's hash, the SQL's hash, method and row count), whether it was answered or refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ai_toolbox import audit
from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.analysis import charts, datasets
from ai_toolbox.analysis.ask import Generated, generate_sql
from ai_toolbox.analysis.conditions import date_column, year_column
from ai_toolbox.analysis.nl2sql import Plan
from ai_toolbox.analysis.plan import Filter
from ai_toolbox.analysis.profile import mask_value
from ai_toolbox.analysis.schema import ISO_DATE
from ai_toolbox.analysis.textutil import detect_language, fold, to_script
from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput


class Answer(BaseModel):
    """What a question gets back. `chart` names the chart kind chosen for the rows (or null)."""

    dataset: str
    question: str
    language: str
    sql: str
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    explanation: str
    method: str = Field(description="rules (embedded parser) or llm")
    backend: str = "none"
    chart: str | None = None
    masked_columns: list[str] = Field(default_factory=list)
    elapsed_ms: float = 0.0
    note: str | None = Field(None, description="Said when a requested language model was not used")
    audit_id: int | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "dataset": "sales",
                    "question": "total amount by district",
                    "language": "en",
                    "sql": 'SELECT "district", SUM("amount") AS sum FROM "sales" GROUP BY "district" ORDER BY sum DESC',
                    "columns": ["district", "sum"],
                    "rows": [["Sha Tin", 1200.5], ["Wan Chai", 300.0]],
                    "truncated": False,
                    "explanation": "Added up amount for each district.",
                    "method": "rules",
                    "backend": "none",
                    "chart": "bar",
                    "masked_columns": [],
                    "elapsed_ms": 12.3,
                    "audit_id": 42,
                }
            ]
        }
    }


# At most this many tied values are named in an explanation; the rows themselves are all shown.
MAX_LISTED = 10


@lru_cache(maxsize=1)
def _templates() -> dict[str, dict[str, Any]]:
    return tomllib.loads((Path(__file__).parent / "templates" / "explain.toml").read_text("utf-8"))


# Intents that rank rows by a measure, and those whose answer is the row's first column (a name),
# not its last (a number).
_RANKED = ("argmax", "argmin", "argmax_total", "argmin_total", "argmax_mean", "argmin_mean", "total_passes",
           "mean_passes", "argmax_ratio", "argmin_ratio", "most_frequent", "least_frequent")
_NAMES_A_THING = ("lookup", "first", "last", "next", "previous", *_RANKED, "choice", "yes_no", "argmax_change",
                  "argmin_change")


def explain(plan: Plan | None, rows: list[list[Any]], language: str) -> str:
    """A sentence in `language` saying what was computed, from the templates."""
    t = _templates().get(language) or _templates()["en"]
    # A total or average over no rows is NULL: say that nothing matched, not "Added up X: ."
    nothing = plan is not None and plan.intent in ("sum", "avg", "min", "max") and _only_null(rows)
    if not rows or nothing:
        return t["empty"]
    if plan is None:
        return t["llm"].format(rows=len(rows))
    named = plan.intent in _NAMES_A_THING
    # a year named as the answer is written as a year: 2022, not 2,022
    plain = named and bool(_YEARS_SAID.search(fold(plan.target or "")))
    answer = _fmt(rows[0][0] if named else rows[0][-1], plain=plain)
    if plan.intent in _RANKED and len(rows) > 1:
        # A tie, one thing over several rows, or the top N ("前三"): every value listed, once.
        sep = "、" if language.startswith("zh") else ", "
        answer = sep.join(dict.fromkeys(_fmt(r[0], plain=plain) for r in rows[:MAX_LISTED]))
    filters = ""
    if plan.filters:
        # A phrase of the question answered on its own is quoted as the parser read it (folded to
        # Simplified); it is shown in the reader's script.
        filters = t["where"] + t["and"].join(_phrased(plan.filters, t, language))
    template = t.get(plan.intent) or t["lookup"]
    if (plan.limit or 1) > 1 and len(rows) > 1:
        template = t.get(f"{plan.intent}_n", template)
    text = template.format(
        n=plan.limit,
        target=plan.target or "",
        metric=plan.metric or t["count_rows"],
        group=plan.group or "",
        group2=plan.group2 or "",
        filters=filters,
        within=t["and"].join(_phrased(plan.within, t, language)),
        answer=answer,
        rows=len(rows),
    )
    if plan.rank > 1:
        text += t["ranked"].format(n=plan.rank)
    if plan.read_by:
        zh = language.startswith("zh")
        period, *labels = plan.read_by
        english = period.isascii() and not zh
        period = period.lower() if english else period
        each = ("及" if zh else " and ").join([*labels, period])
        text += t["by_period"].format(periods=f"{period}s" if english else period, each=each)
    return text


# Several values of one column (or several months, quarters) are any of them, as Parts.where has
# it; a value and a month of one column are both ("in quarter 2 and in 2025").
_EITHER = {"=": "value", "like": "value", "month": "period", "quarter": "period"}


def _phrased(filters: list[Filter], t: dict[str, Any], language: str) -> list[str]:
    """Each filter as "column op value"; several "=" (or "contains") values of one column are any of
    them, as the SQL has it ("channel is phone or online")."""
    parts: list[str] = []
    first: dict[tuple[str, str], tuple[int, str]] = {}  # (column, kind) -> (its part, the op it was phrased with)
    for f in filters:
        value = to_script(str(f.value), language) if f.op == "in" else str(f.value)
        op = t["ops"].get(f.op, f.op)
        if f.op in ("<", ">") and ISO_DATE.match(value):
            op = t["ops"]["before" if f.op == "<" else "after"]  # "Received after 2025-04-15"
        either = (f.column, _EITHER[f.op]) if f.op in _EITHER else None
        if either in first:
            at, said = first[either]
            parts[at] += f"{t['or']}{value}" if said == op else f"{t['or']}{op} {value}"
            continue
        if either is not None:
            first[either] = (len(parts), op)
        parts.append(f"{f.column} {op}" if f.value is None else f"{f.column} {op} {value}")
    return parts


_DATED = ("month", "quarter", "<", ">", "between", "=")


def _only_null(rows: list[list[Any]]) -> bool:
    """One row holding one NULL: what a total, an average or a bound over no rows gives."""
    return [list(r) for r in rows] == [[None]]


def _dated_range(con, infos, plan: Plan | None, rows: list[list[Any]], language: str) -> str:  # type: ignore[no-untyped-def]
    """When dates kept every row out ("last month" over last year's data), the dates the table
    does cover, so the officer sees why: " The table's date runs from 2025-01-01 to 2025-10-29"."""
    if plan is None or (rows and not _only_null(rows)):
        return ""
    info = next((i for i in infos if i.name == plan.table), None)
    if info is None:
        return ""
    # the table's date column, or its year column when that holds numbers
    dated = {c.name: c for c in (date_column(info), year_column(info))
             if c is not None and (c.kind in ("date", "number") or c.iso_dates)}
    col = next((dated[f.column] for f in plan.filters if f.op in _DATED and f.column in dated), None)
    if col is None:
        return ""
    from ai_toolbox.analysis.sqlsafe import check_sql, run_query
    from ai_toolbox.errors import ToolboxError

    try:
        lo, hi = run_query(con, check_sql(f"SELECT MIN({col.ident}), MAX({col.ident}) FROM {info.ident}",
                                          [info.name])).rows[0]
    except ToolboxError:
        return ""
    if lo is None:
        return ""
    t = _templates().get(language) or _templates()["en"]
    return t["date_range"].format(column=col.name, lo=_jsonable(lo), hi=_jsonable(hi))


_YEARS_SAID = re.compile(r"\b(?:years?|seasons?|fy)\b|年")


def _fmt(v: Any, *, plain: bool = False) -> str:
    if plain and isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v):,}"
    if isinstance(v, int):
        return f"{v:,}"
    return "" if v is None else str(v)


def _jsonable(v: Any) -> Any:
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, float):
        return float(f"{v:.12g}")  # a sum of decimals shows 1592.8, not 1592.8000000000002 (or 1.30000000000002)
    if isinstance(v, dt.date | dt.datetime | dt.time):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    return v


def _masked_columns(d, columns: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    pii = {c for t in d.tables for c in t.get("pii", [])}
    return [c for c in columns if c in pii]


def ask(p: Principal, name: str, question: str, *, backend: str | None = None, mask: bool = False) -> Answer:
    """Answer `question` over dataset `name`; writes an audit record whatever the outcome."""
    p.require(Perm.USE_TOOLS)
    question = question.strip()
    if not question:
        raise InvalidInput("The question is empty.", hint="Ask something about the table, e.g. 'how many rows'.")
    if len(question) > 2000:
        raise InvalidInput("The question is too long (over 2,000 characters).")
    d = datasets.get_dataset(p, name)
    chosen = backend or get_settings().llm.per_tool.get("analysis") or get_settings().llm.backend
    language = detect_language(question)
    with (
        audit.record(p, "analysis", "ask", input_text=question, department_id=d.department_id, backend=chosen) as rec,
        datasets.query_connection(d) as con,
    ):
        infos = datasets.table_infos(con, d)
        generated: Generated = generate_sql(con, infos, question, backend=chosen, principal=p)
        res = generated.result
        rows = [[_jsonable(v) for v in r] for r in res.rows]
        masked = _masked_columns(d, res.columns) if mask else []
        for i, c in enumerate(res.columns):
            if c in masked:
                for r in rows:
                    r[i] = mask_value(r[i])
        answer = Answer(
            dataset=d.name,
            question=question,
            language=language,
            sql=res.sql,
            columns=res.columns,
            rows=rows,
            truncated=res.truncated,
            explanation=explain(generated.plan, rows, language) + _dated_range(con, infos, generated.plan, rows,
                                                                            language),
            method=generated.method,
            backend=chosen if generated.method == "llm" else "none",
            chart=charts.choose(res.columns, res.types, rows, question),
            masked_columns=masked,
            elapsed_ms=round(res.elapsed_ms, 2),
        )
        answer.note = generated.note
        rec.backend = answer.backend
        rec.model = generated.model
        rec.meta = {"dataset_id": d.id, "method": generated.method, "rows": len(rows), "sql": res.sql[:2000]}
        rec.output(res.sql)
    answer.audit_id = rec.id
    return answer


# -- exports ------------------------------------------------------------------------------------------
EXPORT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def export(answer: Answer, fmt: str) -> bytes:
    """The answer's table as CSV or XLSX, or its chart as PNG or SVG."""
    fmt = fmt.lower()
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(answer.columns)
        w.writerows(answer.rows)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "answer"
        ws.append(answer.columns)
        for r in answer.rows:
            ws.append(r)
        ws2 = wb.create_sheet("query")
        ws2.append(["question", answer.question])
        ws2.append(["sql", answer.sql])
        ws2.append(["explanation", answer.explanation])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    if fmt in ("png", "svg"):
        kind = answer.chart or "bar"
        return charts.render(kind, answer.columns, answer.rows, title=answer.question, fmt=fmt)
    raise InvalidInput(f"Cannot export as {fmt!r}.", hint="Choose csv, xlsx, png or svg.")
