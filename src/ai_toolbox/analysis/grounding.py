"""A model's SQL fixed to what the tables hold, before it is checked and run.

Small models invent near-miss column names ("nation" for "Nation", "Top Scorer" for
"LeagueTop scorer"), write values in the question's case ('texas' for the stored 'Texas'),
compare numbers held as text ('1,234', '12 km') as text, and count summary rows ('Total') as
data. `ground_sql()` rewrites those deterministically:

- a column name that is not in the tables becomes the column it folds to (case, spacing and
  punctuation ignored) or, failing that, the one it is closest to;
- a comparison with a text literal (`=`, `<>`, `LIKE`, `IN (...)`) becomes the stored spelling
  when one folds to it (case- and script-insensitively); an `=` whose literal is no stored value
  but is inside some becomes `ILIKE '%...%'`; a `LIKE` without wildcards is compared the same way;
- a text column of numbers used as a number (compared with a number, ordered, summed,
  subtracted) is read through its leading number;
- summary rows are left out of every SELECT over a table that has them, unless the SQL names
  the summary value itself;
- a condition on a column that does not exist and compares it with 'Total' is dropped.

Anything it cannot make sense of is left as it was: the checks and the repair loop see it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from ai_toolbox.analysis.schema import SUMMARY_WORDS, ColumnInfo, TableInfo
from ai_toolbox.analysis.textutil import fold

_NUMERIC_FUNCS = (exp.Sum, exp.Avg, exp.Max, exp.Min)
_ARITH = (exp.Sub, exp.Add, exp.Mul, exp.Div)
_COMPARE = (exp.GT, exp.GTE, exp.LT, exp.LTE)


def _plain(text: str) -> str:
    """Folded (case, width, script) and without accents: 'Côte' and 'cote' are one."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return re.sub(r"\s+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).strip()


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", _plain(text))


def _find_column(name: str, columns: list[ColumnInfo]) -> ColumnInfo | None:
    """The real column a (possibly invented) name stands for."""
    for c in columns:
        if c.name == name:
            return c
    folded = [c for c in columns if fold(c.name) == fold(name)]
    if folded:
        return folded[0]
    compact = [c for c in columns if _compact(c.name) == _compact(name) and _compact(name)]
    if compact:
        return compact[0]
    close = difflib.get_close_matches(_compact(name), [_compact(c.name) for c in columns], n=1, cutoff=0.75)
    if close:
        return next(c for c in columns if _compact(c.name) == close[0])
    # "Top Scorer" for "LeagueTop scorer": every word of the name inside one column's name.
    words = re.findall(r"[a-z0-9]+", fold(name))
    inside = [c for c in columns if words and all(w in fold(c.name) for w in words)]
    return inside[0] if len(inside) == 1 else None


def _stored(value: str, column: ColumnInfo) -> str | None:
    """The stored value `value` stands for (case, width, script and spacing ignored)."""
    if value in column.values:
        return value
    key = _plain(value)
    for v in column.values:
        if _plain(v) == key:
            return v
    compact = _compact(value)
    if compact:
        for v in column.values:
            if _compact(v) == compact:
                return v
    return None


def _contained(value: str, column: ColumnInfo) -> bool:
    key = _plain(value)
    return bool(key) and any(key in _plain(v) for v in column.values)


def _select_tables(select: exp.Select) -> list[exp.Table]:
    """Tables in this SELECT's own FROM and JOINs (not in subqueries)."""
    out = []
    src = select.args.get("from") or select.args.get("from_")
    if src is not None and isinstance(src.this, exp.Table):
        out.append(src.this)
    for j in select.args.get("joins") or []:
        if isinstance(j.this, exp.Table):
            out.append(j.this)
    return out


def ground_sql(sql: str, infos: list[TableInfo]) -> str:
    """`sql` with its names, values, numbers-as-text and summary rows fixed; unchanged if unparsable."""
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except (ParseError, TokenError):
        return sql
    if tree is None:
        return sql
    by_table = {t.name.lower(): t for t in infos}
    columns = [c for t in infos for c in t.columns]
    aliases = {a.alias for a in tree.find_all(exp.Alias) if a.alias}
    aliases |= {c.alias_or_name for c in tree.find_all(exp.CTE)}
    alias_tables: dict[str, TableInfo] = {}
    for t in tree.find_all(exp.Table):
        info = by_table.get(t.name.lower())
        if info is not None:
            alias_tables[(t.alias or t.name).lower()] = info

    def column_info(col: exp.Column) -> ColumnInfo | None:
        pool = columns
        if col.table and col.table.lower() in alias_tables:
            pool = alias_tables[col.table.lower()].columns
        return next((c for c in pool if c.name == col.name), None)

    # 1. Names: invented columns become real ones; a 'Total' test on an invented column goes.
    for col in list(tree.find_all(exp.Column)):
        name = col.name
        if not name or name.lower() == "rowid" or name in aliases or column_info(col) is not None:
            continue
        pool = columns
        if col.table and col.table.lower() in alias_tables:
            pool = alias_tables[col.table.lower()].columns
        real = _find_column(name, pool)
        if real is not None:
            col.set("this", exp.to_identifier(real.name, quoted=True))
            continue
        parent = col.parent
        other = parent.expression if isinstance(parent, exp.Binary) and parent.this is col else None
        if isinstance(other, exp.Literal) and fold(str(other.this)).strip() in SUMMARY_WORDS:
            parent.replace(exp.true())

    # 2. Values: literals compared with text columns take the stored spelling.
    for node in list(tree.find_all(exp.EQ, exp.NEQ, exp.Like, exp.ILike)):
        col, lit = node.this, node.expression
        if isinstance(lit, exp.Column) and isinstance(col, exp.Literal):
            col, lit = lit, col
        if not isinstance(col, exp.Column) or not isinstance(lit, exp.Literal) or not lit.is_string:
            continue
        info = column_info(col)
        if info is None or info.kind not in ("text", "numtext") or not info.values:
            continue
        value = str(lit.this)
        if isinstance(node, exp.Like | exp.ILike) and ("%" in value or "_" in value):
            if isinstance(node, exp.Like):
                node.replace(exp.ILike(this=node.this, expression=node.expression))
            continue
        stored = _stored(value, info)
        negate = isinstance(node, exp.NEQ)
        if stored is not None:
            new: exp.Expression = (exp.NEQ if negate else exp.EQ)(
                this=col.copy(), expression=exp.Literal.string(stored)
            )
        elif _contained(value, info):
            pattern = "%" + value.replace("%", "").replace("_", "").strip() + "%"
            new = exp.ILike(this=col.copy(), expression=exp.Literal.string(pattern))
            if negate:
                new = exp.Not(this=new)
        else:
            continue
        node.replace(new)
    for node in list(tree.find_all(exp.In)):
        info = column_info(node.this) if isinstance(node.this, exp.Column) else None
        if info is None or info.kind not in ("text", "numtext") or not info.values:
            continue
        for lit in node.expressions:
            stored = _stored(str(lit.this), info) if isinstance(lit, exp.Literal) and lit.is_string else None
            if stored is not None:
                lit.replace(exp.Literal.string(stored))

    # 3. Numbers held as text, used as numbers.
    for col in list(tree.find_all(exp.Column)):
        info = column_info(col)
        if info is None or info.kind != "numtext":
            continue
        parent = col.parent
        numeric_use = isinstance(parent, _NUMERIC_FUNCS + _ARITH + _COMPARE + (exp.Ordered,))
        if isinstance(parent, exp.EQ | exp.NEQ):
            other = parent.expression if parent.this is col else parent.this
            numeric_use = isinstance(other, exp.Literal) and not other.is_string
        if not numeric_use:
            continue
        ident = col.sql(dialect="duckdb")
        expr = sqlglot.parse_one(
            f"TRY_CAST(REPLACE(REGEXP_EXTRACT({ident}, '-?[0-9][0-9,]*(\\.[0-9]+)?', 0), ',', '') AS DOUBLE)",
            read="duckdb",
        )
        col.replace(expr)

    # 4. Summary rows stay out unless the SQL asks for them by name.
    literals = {fold(str(lit.this)).strip() for lit in tree.find_all(exp.Literal) if lit.is_string}
    for select in list(tree.find_all(exp.Select)):
        tables = _select_tables(select)
        if len(tables) != 1:
            continue
        info = by_table.get(tables[0].name.lower())
        if info is None or not info.summary:
            continue
        qualifier = tables[0].alias or ""
        for column, value in info.summary:
            if fold(value).strip() in literals:
                continue
            cond = exp.NullSafeNEQ(
                this=exp.column(column, table=qualifier or None, quoted=True), expression=exp.Literal.string(value)
            )
            select.where(cond, append=True, copy=False)
    return tree.sql(dialect="duckdb")
