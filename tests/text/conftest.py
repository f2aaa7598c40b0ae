"""Real DOCX and XLSX files for the text tests, built with python-docx and openpyxl."""

from __future__ import annotations

import io

import pytest


def make_docx(paragraph_runs: list[list[tuple[str, dict]]], table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document()
    for runs in paragraph_runs:
        p = d.add_paragraph()
        for text, fmt in runs:
            r = p.add_run(text)
            r.bold = fmt.get("bold")
            r.italic = fmt.get("italic")
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    d.sections[0].header.paragraphs[0].text = "页眉：港岛线"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def sample_docx() -> bytes:
    return make_docx(
        [[("头发", {"bold": True}), ("与发展", {"italic": True})],
         [("联系人：", {}), ("陈大", {"bold": True}), ("文", {}), ("，电话 9123 4567", {})]],
        table=[["港岛线", "核心"], ["信息", "http://例子.香港/头发"]],
    )


@pytest.fixture
def sample_xlsx() -> bytes:
    return make_xlsx([["名称", "数量", "公式"], ["头发", 3, "=B2*2"], ["电邮 chan@example.com", 4.5, None]])
