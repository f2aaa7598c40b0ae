"""What a question parser knows about a table: columns, their kinds, and the values they hold."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import duckdb

from ai_toolbox.analysis.textutil import fold

MAX_VALUES = 3000
_NUMBER = re.compile(r"^\s*[-+]?[$€£¥]?\s*\d[\d,]*(\.\d+)?\s*%?\s*$")
# Spaces that separate thousands: plain, no-break, narrow no-break and thin.
_GAP = "[ \u00a0\u202f\u2009]"
_SPACED_THOUSANDS = re.compile(r"^-?\d{1,3}(?:" + _GAP + r"\d{3})+(?:\.\d+)?$")
_LEADING_NUMBER = re.compile(r"[^\w]*[-−]?\d[\d,]*(\.\d+)?")
_MINUS_SIGN = re.compile(r"−\d")
_SCALE = re.compile(r"\b(?:thousand|million|billion|trillion)\b", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # a whole cell (or value) that is an ISO date
_HAS_WORD = re.compile(r"[^\W_]")  # a letter or digit: "—" and "-" are placeholders, not text
SUMMARY_WORDS = {"total", "totals", "sum", "overall", "world", "合计", "总计", "总数", "小计", "共计"}
NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "REAL",
)


def quote(name: str) -> str:
    """A DuckDB identifier, quoted: column names are kept exactly as the user wrote them."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass
class ColumnInfo:
    name: str
    type: str
    kind: str  # number | numtext | date | text
    values: list[str] = field(default_factory=list)  # distinct values as text (text columns)
    distinct: int = 0
    folded: str = ""
    words: tuple[str, ...] = ()
    iso_dates: bool = False  # a text column whose values are mostly ISO dates
    spaced_thousands: bool = False  # numbers written with spaces between thousands: "139 000"
    minus_sign: bool = False  # negative numbers written with the minus sign "−5" (U+2212), not "-5"
    table: str = ""  # set in a joined view: the table the column belongs to (qualifies it in SQL)
    stored: str = ""  # set in a joined view when `name` was made unique: the column's own name
    refers: str = ""  # the table whose rows this column's values name, by a key (`traverse` → `state`)
    unheld: frozenset[str] = frozenset()  # values of that table no row here holds (`values` lists them too)
    expr: str = ""  # set for a column computed from another (a date column's months): its SQL expression
    # set for a measure said as two columns combined: "minus" (budget minus spending), "percent" or
    # "ratio" (one's total over the other's), and the two columns
    combined: tuple[str, ColumnInfo, ColumnInfo] | None = None
    tally: bool = False  # a wide table's figures read by period (see `wide.py`): "how many" adds them up
    accented: bool = False  # some values carry accents ("Krämer"): matched with the accents stripped

    @property
    def as_date(self) -> str:
        """An expression giving this column as a DATE."""
        return self.ident if self.kind == "date" else f"TRY_CAST({self.ident} AS DATE)"

    @property
    def ident(self) -> str:
        if self.expr:
            return self.expr
        if self.table:
            return f"{quote(self.table)}.{quote(self.stored or self.name)}"
        return quote(self.name)

    @property
    def selected(self) -> str:
        """`ident` as a SELECT item: a computed column is named, so the result says "month"."""
        return f"{self.expr} AS {quote(self.name)}" if self.expr else self.ident

    @property
    def numeric(self) -> str:
        """An expression giving this column as a number (text columns: the leading number)."""
        if self.kind == "number":
            return self.ident
        cell = f"REPLACE({self.ident}, '−', '-')" if self.minus_sign else self.ident
        plain = f"TRY_CAST(REPLACE(REGEXP_EXTRACT({cell}, '-?[0-9][0-9,]*(\\.[0-9]+)?', 0), ',', '') AS DOUBLE)"
        if self.spaced_thousands:
            # "139 000" is one number; read as the leading number it would be 139.
            found = f"REGEXP_EXTRACT({cell}, '-?[0-9]{{1,3}}(?:{_GAP}[0-9]{{3}})+(\\.[0-9]+)?', 0)"
            spaced = f"TRY_CAST(REGEXP_REPLACE({found}, '{_GAP}', '', 'g') AS DOUBLE)"
            return f"COALESCE({spaced}, {plain})"
        return plain


@dataclass
class TableInfo:
    name: str
    columns: list[ColumnInfo]
    rows: int
    summary: list[tuple[str, str]] = field(default_factory=list)  # (column, value) of "Total" rows
    # Declared foreign keys: (column, referenced table, referenced column).
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)
    # A joined view (see `joins.py`): the FROM clause, and the table joined in beside `name`.
    source: str = ""
    joined: str = ""
    # A view of the table turned another way (see `wide.py`): the SELECT that gives its rows, said
    # as `WITH name AS (body)` before the query; and the views a wide table offers.
    body: str = ""
    views: list[TableInfo] = field(default_factory=list)
    turned: bool = False  # a view with a row per period and a column per measure
    periods: tuple[str, ...] = ()  # in a view, the table's columns that became its rows

    def without_summary(self) -> list[str]:
        """Conditions that leave out summary rows ('Total') so they are not counted as data."""
        return [f"{self.column(c).ident} IS DISTINCT FROM {literal(v)}" for c, v in self.summary]

    @property
    def ident(self) -> str:
        """What goes after FROM: the table, or the join of a joined view."""
        return self.source or quote(self.name)

    @property
    def rowid(self) -> str:
        """Row order of the main table (qualified in a joined view, where both tables have one)."""
        return f"{quote(self.name)}.rowid" if self.joined else "rowid"

    def column(self, name: str) -> ColumnInfo:
        return next(c for c in self.columns if c.name == name)

    @property
    def figures(self) -> ColumnInfo | None:
        """A long view's column of figures by period (see `wide.py`); None in any other table."""
        return next((c for c in self.columns if c.tally), None)


def _mostly_number(value: str) -> bool:
    m = _LEADING_NUMBER.match(value.strip())
    if not m:
        return False
    rest = _SCALE.sub("", value.strip()[m.end() :])  # "$10.8 billion" is a number
    return sum(ch.isalpha() for ch in rest) <= 6


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[^0-9a-z\u3400-\u9fff]+", text) if w)


def describe(con: duckdb.DuckDBPyConnection, table: str, *, body: str = "") -> TableInfo:
    """Read a table's columns, kinds and (for text columns) distinct values; with `body`, those of
    the rows that SELECT gives (a view read as `table`, whose `rowid` column orders its rows)."""
    src = f"({body}) AS {quote(table)}" if body else quote(table)
    cols = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    cols = [c for c in cols if not (body and c[0] == "rowid")]
    rows = con.execute(f"SELECT COUNT(*) FROM {src}").fetchone()[0]
    infos: list[ColumnInfo] = []
    rows_of: dict[str, dict[str, int]] = {}  # each column's values and how many rows hold each
    for name, ctype, *_ in cols:
        ctype = str(ctype).upper()
        base = ctype.split("(")[0]
        if base in NUMERIC_TYPES:
            kind = "number"
        elif base.startswith("DATE") or base.startswith("TIMESTAMP"):
            kind = "date"
        else:
            kind = "text"
        info = ColumnInfo(name=name, type=ctype, kind=kind, folded=fold(name))
        # "FinalPoints" and "LeagueTop scorer" are words run together: split them before folding.
        info.words = _words(fold(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)))
        counts: dict[str, int] = {}
        rows_of[name] = counts
        if kind in ("text", "number"):
            vals = con.execute(
                f"SELECT CAST({quote(name)} AS VARCHAR) AS v, COUNT(*) FROM {src} "
                f"WHERE {quote(name)} IS NOT NULL GROUP BY v ORDER BY MIN(rowid) LIMIT {MAX_VALUES}"
            ).fetchall()
            counts.update((v, n) for v, n in vals if v is not None and str(v).strip())
            info.values = list(counts)
            info.distinct = len(info.values)
            info.accented = any(not v.isascii() and unicodedata.normalize("NFD", v) != v for v in info.values)
        elif kind == "date":  # how many days it covers: the size of its day groups ("daily", 每日)
            info.distinct = con.execute(f"SELECT COUNT(DISTINCT {quote(name)}) FROM {src}").fetchone()[0]
        if kind == "text" and info.values:
            numberish = sum(1 for v in info.values if _mostly_number(v))
            dates = sum(1 for v in info.values if ISO_DATE.match(v.strip()))
            # Rows, not distinct values: a column of small counts with a few notes ("No team") is numeric.
            rows_numberish = sum(n for v, n in counts.items() if _mostly_number(v) or not _HAS_WORD.search(v))
            if dates >= 0.8 * len(info.values):
                info.iso_dates = True
            elif numberish >= 0.8 * len(info.values) or rows_numberish >= 0.85 * sum(counts.values()):
                info.kind = "numtext"
                spaced = sum(1 for v in info.values if _SPACED_THOUSANDS.match(v.strip()))
                info.spaced_thousands = spaced >= 0.5 * len(info.values)
                info.minus_sign = any(_MINUS_SIGN.search(v) for v in info.values)
        infos.append(info)
    # A summary row's label is on one row, or one row a section ("Total" under each season); on a
    # fifth of the rows or more it is a category (eclipses of type "Total"), which is data.
    summary = [
        (c.name, v)
        for c in infos
        if c.kind in ("text", "numtext")
        for v in c.values
        if _is_summary(v) and not (rows_of[c.name].get(v, 1) >= max(3, 0.2 * rows))
    ]
    if not summary:
        summary = _totals_row(con, src, infos, rows)
    if body:
        return TableInfo(name=table, columns=infos, rows=rows, summary=summary[:3], body=body)
    info = TableInfo(name=table, columns=infos, rows=rows, summary=summary[:3], foreign_keys=_foreign_keys(con, table))
    from ai_toolbox.analysis.wide import wide_views  # wide.py builds on describe

    info.views = wide_views(con, info)
    return info


def _totals_row(
    con: duckdb.DuckDBPyConnection, src: str, infos: list[ColumnInfo], rows: int
) -> list[tuple[str, str]]:
    """A last row that totals the rows above is a summary row, whatever its label says ('Totaal').

    Either its numbers are the sums of the rows above, or (a career total that also counts rows not
    listed) its first cell is empty and each of its numbers is larger than any above it. One summed
    column could agree by chance on a short table, so that takes five rows or two columns. The label
    is a text cell of that row found nowhere else in its column.
    """
    nums = [c for c in infos if c.kind == "number"]
    if rows < 3 or not nums:
        return []
    last = f"(SELECT MAX(rowid) FROM {src})"
    parts = [
        f"SUM({quote(c.name)}) FILTER (WHERE rowid < {last}), MAX({quote(c.name)}) FILTER (WHERE rowid < {last}), "
        f"MAX({quote(c.name)}) FILTER (WHERE rowid = {last})"
        for c in nums
    ]
    got = con.execute(f"SELECT {', '.join(parts)} FROM {src}").fetchone()
    filled = [got[3 * i : 3 * i + 3] for i in range(len(nums)) if got[3 * i + 2] is not None]
    if not filled or all(v == 0 for _, _, v in filled):
        return []
    summed = (len(filled) >= 2 or rows >= 5) and all(
        total is not None and abs(float(total) - float(v)) <= 1e-6 * max(1.0, abs(float(v))) for total, _, v in filled
    )
    first = con.execute(f"SELECT CAST({quote(infos[0].name)} AS VARCHAR) FROM {src} WHERE rowid = {last}")
    blank_first = not str(first.fetchone()[0] or "").strip()
    largest = blank_first and all(top is not None and float(v) > float(top) for _, top, v in filled)
    if not summed and not largest:
        return []
    for c in infos:
        if c.kind not in ("text", "numtext"):
            continue
        label = con.execute(
            f"SELECT CAST({quote(c.name)} AS VARCHAR) FROM {src} WHERE rowid = {last}"
        ).fetchone()[0]
        if label is None or not str(label).strip():
            continue
        same = con.execute(
            f"SELECT COUNT(*) FROM {src} WHERE CAST({quote(c.name)} AS VARCHAR) = ?", [label]
        ).fetchone()[0]
        if same == 1:
            return [(c.name, str(label))]
    return []


def _is_summary(value: str) -> bool:
    """'Total', 'Totals:', 'Totals: 105 seasons', 'Total (5 events)', '合计': a summary row's label."""
    text = fold(value).strip(" :.")
    if text in SUMMARY_WORDS:
        return True
    m = re.match(r"^(totals?|overall|合计|总计)\s*[:(]", text)
    return m is not None


def _foreign_keys(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    """Single-column FOREIGN KEY constraints declared on `table` (DuckDB keeps them in its catalogue)."""
    try:
        found = con.execute(
            "SELECT constraint_column_names, referenced_table, referenced_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'FOREIGN KEY' AND table_name = ?",
            [table],
        ).fetchall()
    except duckdb.Error:
        return []
    return [(cols[0], ref, refcols[0]) for cols, ref, refcols in found if len(cols) == 1 and len(refcols) == 1]
