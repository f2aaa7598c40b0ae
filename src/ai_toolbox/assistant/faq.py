"""FAQ spreadsheets (CSV or XLSX) with question, answer, category and language columns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ai_toolbox.errors import InvalidInput, TooLarge, UnsupportedFile

# Header names accepted for each column, in English, Traditional and Simplified Chinese.
COLUMNS = {
    "question": {"question", "q", "問題", "问题", "提問", "提问"},
    "answer": {"answer", "a", "答案", "回答", "答覆", "答复"},
    "category": {"category", "topic", "類別", "类别", "分類", "分类", "主題", "主题"},
    "language": {"language", "lang", "語言", "语言"},
}


@dataclass(frozen=True)
class FaqEntry:
    question: str
    answer: str
    category: str = ""
    language: str = ""
    row: int = 0


def _map_header(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        key = (h or "").strip().lower()
        for col, names in COLUMNS.items():
            if key in names and col not in found:
                found[col] = i
    if "question" not in found or "answer" not in found:
        raise InvalidInput(
            "The FAQ sheet needs a 'question' and an 'answer' column.",
            hint="Put the headers question, answer, category, language (or 問題, 答案, 類別, 語言) in the first row.",
        )
    return found


def _rows_to_entries(rows: list[list[str]], max_rows: int) -> list[FaqEntry]:
    if not rows:
        raise InvalidInput("The FAQ sheet is empty.", hint="Add a header row and at least one question.")
    cols = _map_header([str(c) if c is not None else "" for c in rows[0]])
    if len(rows) - 1 > max_rows:
        raise TooLarge(f"The FAQ sheet has {len(rows) - 1} rows; the limit is {max_rows}.", hint="Split it.")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        def cell(name: str, row: list[str] = row) -> str:
            i = cols.get(name)
            v = row[i] if i is not None and i < len(row) else ""
            return "" if v is None else str(v).strip()

        q, a = cell("question"), cell("answer")
        if not q and not a:
            continue
        if not q or not a:
            raise InvalidInput(f"Row {n} of the FAQ sheet has a question without an answer or the reverse.",
                               hint="Fill in both cells or delete the row.")
        out.append(FaqEntry(q, a, cell("category"), cell("language"), n))
    if not out:
        raise InvalidInput("The FAQ sheet has no questions.", hint="Add rows below the header.")
    return out


def read_faq(path: Path, data: bytes | None = None, max_rows: int = 20_000) -> list[FaqEntry]:
    """Entries of a CSV (UTF-8, with or without BOM) or XLSX FAQ sheet."""
    data = path.read_bytes() if data is None else data
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput("The FAQ CSV is not UTF-8.", hint="Save it as 'CSV UTF-8'.") from exc
        rows = list(csv.reader(io.StringIO(text)))
        return _rows_to_entries(rows, max_rows)
    if suffix in (".xlsx", ".xlsm"):
        import zipfile

        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnsupportedFile(
                "The FAQ spreadsheet could not be read; it looks damaged or is not an XLSX file.",
                hint="Open it in a spreadsheet program and save it again as .xlsx, or export it as CSV.",
            ) from exc
        ws = wb.worksheets[0]
        rows = [[("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]
        wb.close()
        return _rows_to_entries(rows, max_rows)
    raise UnsupportedFile(f"FAQ sheets must be .csv or .xlsx, not {suffix or 'no extension'}.")
