"""Template extraction: a document in, named fields with value, confidence and source location out.

A template (YAML, validated on load) names each field, its type and the labels it is printed
under in any of the three languages; an optional `line_items` section names table columns. Labels
and text are matched after folding to Simplified and lower case, so one template reads English,
Traditional and Simplified documents. Built-in templates live in `documents/templates/`;
administrators add their own in `<data_dir>/templates/` and they register the same way.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from ai_toolbox.config import get_settings
from ai_toolbox.documents import values
from ai_toolbox.documents.layout import Cell, Row, rows
from ai_toolbox.documents.model import Document
from ai_toolbox.errors import InvalidInput, NotFound

FieldType = Literal["text", "id", "date", "amount", "number", "currency", "email", "phone"]
BUILTIN_DIR = Path(__file__).parent / "templates"
ALIASES = {"memo": "letter", "form": "application_form", "packing": "packing_list"}


class FieldSpec(BaseModel):
    type: FieldType = "text"
    labels: list[str] = Field(default_factory=list)
    pattern: str | None = Field(None, description="regex the value must match; the match is kept")
    search: list[str] = Field(default_factory=list, description="regexes over the whole text (group 1)")
    from_field: str | None = Field(None, description="read this field's source too when not found")
    required: bool = False

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, v: str | None) -> str | None:
        if v is not None:
            re.compile(v)
        return v

    @field_validator("search")
    @classmethod
    def _search(cls, v: list[str]) -> list[str]:
        for rx in v:
            re.compile(rx)
        return v


class LineItemsSpec(BaseModel):
    columns: dict[str, list[str]]
    stop: list[str] = Field(default_factory=list)


class Template(BaseModel):
    name: str
    description: str = ""
    fields: dict[str, FieldSpec]
    line_items: LineItemsSpec | None = None


class FieldValue(BaseModel):
    value: Any = None
    confidence: float = 0.0
    page: int | None = None
    source: str | None = Field(None, description="the text the value was read from")
    bbox: tuple[float, float, float, float] | None = None


class Extraction(BaseModel):
    template: str
    fields: dict[str, FieldValue]
    line_items: list[dict[str, Any]] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="required fields not found")
    audit_id: int | None = None


def load_template(path: Path) -> Template:
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
        return Template.model_validate(raw)
    except (yaml.YAMLError, ValidationError, re.error, TypeError) as exc:
        raise InvalidInput(f"Template {path.name} is not valid: {exc}",
                           hint="Check it against the built-in templates in documents/templates/.") from exc


def template_dirs() -> list[Path]:
    return [BUILTIN_DIR, get_settings().data_dir / "templates"]


def templates() -> dict[str, Template]:
    out: dict[str, Template] = {}
    for d in template_dirs():
        if d.is_dir():
            for p in sorted(d.glob("*.y*ml")):
                t = load_template(p)
                out[t.name] = t
    return out


def get_template(name: str) -> Template:
    if name.endswith((".yaml", ".yml")) and Path(name).is_file():
        return load_template(Path(name))
    all_t = templates()
    name = ALIASES.get(name, name)
    if name not in all_t:
        raise NotFound(f"No extraction template {name!r}.", hint="Templates: " + ", ".join(sorted(all_t)))
    return all_t[name]


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return values.fold(text)


_SEP = r"\s*(?:[:：]|\t|$)\s*"


@lru_cache(maxsize=256)
def _label_rx(labels: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted({_fold(lb) for lb in labels}, key=len, reverse=True)
    return re.compile(r"^\s*(?:" + "|".join(re.escape(a) for a in alts) + r")\.?" + _SEP)


def _after_label(cell: Cell, rx: re.Pattern[str]) -> str | None:
    folded = _fold(cell.text)
    m = rx.match(folded)
    if not m:
        return None
    src = cell.text if len(folded) == len(cell.text) else folded
    return src[m.end():].strip()


def _normalise(spec: FieldSpec, raw: str) -> tuple[Any, bool]:
    raw = raw.strip().strip("。;；,，") if spec.type not in ("amount", "number", "id") else raw.strip()
    if spec.pattern:
        m = re.search(spec.pattern, raw)
        if not m:
            return raw, False
        raw = m.group(0).strip()
    if spec.type == "date":
        iso = values.parse_date(raw)
        return (iso, True) if iso else (raw, False)
    if spec.type == "amount":
        v = values.parse_amount(raw)
        return (v, True) if v is not None else (raw, False)
    if spec.type == "number":
        v2 = values.parse_number(raw)
        return (v2, True) if v2 is not None else (raw, False)
    if spec.type == "currency":
        code = values.parse_currency(raw)
        return (code, True) if code else (raw, False)
    if spec.type == "email":
        m = re.search(r"[\w.%+-]+@[\w.-]+\.[A-Za-z]{2,}", raw)
        return (m.group(0), True) if m else (raw, False)
    if spec.type == "phone":
        digits = re.sub(r"[^\d+]", "", raw)
        return (digits, True) if len(digits) >= 8 else (raw, False)
    return raw, bool(raw)


def _confidence(ok: bool, cell: Cell, base: float) -> float:
    c = base if ok else 0.3
    if cell.block.ocr and cell.block.confidence is not None:
        c *= cell.block.confidence
    return round(c, 3)


def _field(spec: FieldSpec, table: list[Row], text: str) -> tuple[FieldValue, Row | None]:
    if spec.labels:
        rx = _label_rx(tuple(spec.labels))
        for i, row in enumerate(table):
            for j, cell in enumerate(row.cells):
                rest = _after_label(cell, rx)
                if rest is None:
                    continue
                src_cell = cell
                if not rest:  # the value sits in the next cell, or on the next row
                    if j + 1 < len(row.cells):
                        src_cell = row.cells[j + 1]
                    elif i + 1 < len(table):
                        src_cell = table[i + 1].cells[0]
                    rest = src_cell.text if src_cell is not cell else ""
                if not rest:
                    continue
                value, ok = _normalise(spec, rest)
                return FieldValue(value=value, confidence=_confidence(ok, src_cell, 0.95), page=row.page,
                                  source=cell.text if src_cell is cell else f"{cell.text} {src_cell.text}",
                                  bbox=src_cell.block.bbox), row
    for pattern in spec.search:
        m = re.search(_fold(pattern), _fold(text), re.I)
        if m:
            raw = m.group(1)
            value, ok = _normalise(spec, raw)
            return FieldValue(value=value, confidence=0.8 if ok else 0.3, source=m.group(0)), None
    return FieldValue(), None


def extract(doc: Document, template: Template | str) -> Extraction:
    """Fill the template's fields from the document (no audit; see `service.extract`)."""
    t = get_template(template) if isinstance(template, str) else template
    table = rows(doc)
    text = "\n".join(r.text for r in table)
    fields: dict[str, FieldValue] = {}
    rows_of: dict[str, Row | None] = {}
    for name, spec in t.fields.items():
        fields[name], rows_of[name] = _field(spec, table, text)
    for name, spec in t.fields.items():
        if fields[name].value is None and spec.from_field and rows_of.get(spec.from_field):
            row = rows_of[spec.from_field]
            assert row is not None
            value, ok = _normalise(spec, row.text)
            if ok:
                fields[name] = FieldValue(value=value, confidence=_confidence(ok, row.cells[0], 0.85), page=row.page,
                                          source=row.text, bbox=row.cells[0].block.bbox)
    for name, fv in fields.items():
        if fv.page is None and fv.value is not None and fv.source:
            fields[name] = fv.model_copy(update={"page": _page_of(table, fv.source)})
    items = _line_items(t.line_items, table) if t.line_items else []
    missing = [n for n, s in t.fields.items() if s.required and fields[n].value is None]
    return Extraction(template=t.name, fields=fields, line_items=items, missing=missing)


def _page_of(table: list[Row], source: str) -> int | None:
    key = _fold(source)[:20]
    for r in table:
        if key and key in _fold(r.text):
            return r.page
    return table[0].page if table else None


def _line_items(spec: LineItemsSpec, table: list[Row]) -> list[dict[str, Any]]:
    col_rx = {k: re.compile(r"^\s*(?:" + "|".join(re.escape(_fold(a)) for a in sorted(v, key=len, reverse=True))
                            + r")\s*[:：]?\s*$") for k, v in spec.columns.items()}
    stop_rx = _label_rx(tuple(spec.stop)) if spec.stop else None
    items: list[dict[str, Any]] = []
    i = 0
    while i < len(table):
        header = table[i]
        cols: dict[str, Cell] = {}
        for cell in header.cells:
            for key, rx in col_rx.items():
                if key not in cols and rx.match(_fold(cell.text)):
                    cols[key] = cell
                    break
        if len(cols) < 3:
            i += 1
            continue
        i += 1
        while i < len(table) and table[i].page == header.page:
            row = table[i]
            if stop_rx and any(stop_rx.match(_fold(c.text)) for c in row.cells[:1]):
                break
            if len(row.cells) < 2:
                break
            item = _item(row, cols)
            if item:
                items.append(item)
            i += 1
    return items


def _item(row: Row, cols: dict[str, Cell]) -> dict[str, Any]:
    raw: dict[str, str] = {}
    for cell in row.cells:
        key = min(cols, key=lambda k: _distance(cols[k], cell))
        raw[key] = (raw.get(key, "") + " " + cell.text).strip()
    item: dict[str, Any] = {}
    for key, val in raw.items():
        if key in ("quantity", "packages"):
            item[key] = values.parse_number(val)
        elif key in ("unit_price", "amount", "gross_weight", "net_weight"):
            item[key] = values.parse_amount(val)
        elif key == "gtin":
            digits = re.sub(r"\D", "", val)
            item["gtin"] = digits or None
            item["gtin_valid"] = values.gtin_valid(digits)
        elif key == "hs_code":
            item["hs_code"] = values.normalise_hs(val) or val
        else:
            item[key] = val
    if row.cells and row.cells[0].block.ocr:
        item["confidence"] = round(min(c.block.confidence or 1.0 for c in row.cells), 3)
    return item if len(item) >= 2 else {}


def _distance(header: Cell, cell: Cell) -> float:
    if header.block.bbox is None or cell.block.bbox is None:
        return abs(header.x0 - cell.x0)
    overlap = min(header.x1, cell.x1) - max(header.x0, cell.x0)
    return abs(header.x0 - cell.x0) - max(0.0, overlap) * 0.1


# ---- output formats -------------------------------------------------------------------------------------

def to_json(result: Extraction) -> dict[str, Any]:
    return result.model_dump(mode="json")


def to_csv(result: Extraction) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["field", "value", "confidence", "page", "source"])
    for name, fv in result.fields.items():
        w.writerow([name, "" if fv.value is None else fv.value, fv.confidence, fv.page or "", fv.source or ""])
    for n, item in enumerate(result.line_items, start=1):
        for key, val in item.items():
            w.writerow([f"line_items[{n}].{key}", val, "", "", ""])
    return buf.getvalue()


def to_xlsx(result: Extraction) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "fields"
    ws.append(["field", "value", "confidence", "page", "source"])
    for name, fv in result.fields.items():
        ws.append([name, fv.value, fv.confidence, fv.page, fv.source])
    if result.line_items:
        li = wb.create_sheet("line_items")
        keys = list(dict.fromkeys(k for item in result.line_items for k in item))
        li.append(keys)
        for item in result.line_items:
            li.append([item.get(k) for k in keys])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
