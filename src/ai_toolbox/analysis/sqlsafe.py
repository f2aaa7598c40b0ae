"""Safe SQL: one read-only SELECT over known tables, run by a locked-down DuckDB connection.

Two independent fences. `check_sql()` parses with sqlglot and accepts a single query whose every
syntax node is on an allow-list and whose tables are the dataset's own; it returns the SQL
re-generated from the tree, so comments and odd spacing never reach DuckDB. `run_query()` runs it
on a connection with external access disabled, configuration locked, a memory limit, a timeout
(interrupted from a timer thread) and a row limit.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, ToolboxError, UnsafeSQL

_HINT = "Ask a question about the table; only a single read-only SELECT may run."

# Syntax allowed anywhere in the tree (beyond functions, which have their own list).
_ALLOWED_NODES: tuple[type[exp.Expression], ...] = (
    exp.Select,
    exp.Union,
    exp.Intersect,
    exp.Except,
    exp.Subquery,
    exp.With,
    exp.CTE,
    exp.From,
    exp.Join,
    exp.Where,
    exp.Group,
    exp.Having,
    exp.Order,
    exp.Ordered,
    exp.Limit,
    exp.Offset,
    exp.Qualify,
    exp.Distinct,
    exp.Column,
    exp.Identifier,
    exp.Table,
    exp.TableAlias,
    exp.Alias,
    exp.Star,
    exp.Literal,
    exp.Null,
    exp.Boolean,
    exp.Paren,
    exp.Not,
    exp.Neg,
    exp.Connector,
    exp.Binary,
    exp.In,
    exp.Between,
    exp.Case,
    exp.If,
    exp.Cast,
    exp.TryCast,
    exp.DataType,
    exp.DataTypeParam,
    exp.Window,
    exp.WindowSpec,
    exp.Tuple,
    exp.Interval,
    exp.Var,
    exp.Bracket,
    exp.Array,
    exp.Filter,
    exp.Exists,
    exp.All,
    exp.Any,
    exp.Placeholder,
    exp.Escape,
    exp.ColumnDef,
)

# Function names (lower case, as sqlglot or DuckDB spell them) that may be called.
_SAFE_FUNCTIONS = frozenset(
    [
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "median",
        "mode",
        "stddev",
        "stddev_samp",
        "stddev_pop",
        "variance",
        "var_samp",
        "var_pop",
        "quantile",
        "quantile_cont",
        "quantile_disc",
        "percentile_cont",
        "percentile_disc",
        "approx_count_distinct",
        "count_if",
        "countif",
        "first",
        "last",
        "any_value",
        "arg_max",
        "arg_min",
        "argmax",
        "argmin",
        "string_agg",
        "group_concat",
        "list",
        "array_agg",
        "bool_and",
        "bool_or",
        "abs",
        "round",
        "floor",
        "ceil",
        "ceiling",
        "sign",
        "sqrt",
        "power",
        "pow",
        "exp",
        "ln",
        "log",
        "log10",
        "log2",
        "greatest",
        "least",
        "coalesce",
        "case",
        "nullif",
        "ifnull",
        "nvl",
        "if",
        "iif",
        "lower",
        "upper",
        "length",
        "char_length",
        "character_length",
        "trim",
        "ltrim",
        "rtrim",
        "substr",
        "substring",
        "replace",
        "concat",
        "concat_ws",
        "left",
        "right",
        "strpos",
        "instr",
        "position",
        "contains",
        "starts_with",
        "ends_with",
        "prefix",
        "suffix",
        "regexp_matches",
        "regexp_replace",
        "regexp_extract",
        "regexplike",
        "regexp_like",
        "regexp_full_match",
        "lpad",
        "rpad",
        "reverse",
        "repeat",
        "split_part",
        "split",
        "string_split",
        "str_split",
        "strip_accents",
        "unicode",
        "ascii",
        "chr",
        "format",
        "printf",
        "lcase",
        "ucase",
        "year",
        "month",
        "day",
        "quarter",
        "week",
        "weekday",
        "dayofweek",
        "dayofmonth",
        "dayofyear",
        "hour",
        "minute",
        "second",
        "epoch",
        "date_part",
        "datepart",
        "extract",
        "date_trunc",
        "datetrunc",
        "date_diff",
        "datediff",
        "date_sub",
        "date_add",
        "dateadd",
        "strftime",
        "strptime",
        "try_strptime",
        "make_date",
        "to_date",
        "date",
        "tsordstodate",
        "timestrtotime",
        "strtotime",
        "current_date",
        "todate",
        "date_from_parts",
        "row_number",
        "rank",
        "dense_rank",
        "percent_rank",
        "cume_dist",
        "ntile",
        "lag",
        "lead",
        "first_value",
        "last_value",
        "nth_value",
        "cast",
        "try_cast",
        "typeof",
        "round_even",
        "trunc",
        "len",
        "unnest",
        "list_value",
        "array_length",
        "struct_extract",
        "hash",
        "md5",
        "nullifzero",
        "zeroifnull",
        "div",
        "mod",
        "time_to_str",
        "str_to_time",
        "str_to_date",
        "ts_or_ds_to_date",
        "date_str_to_date",
        "time_str_to_time",
        "str_position",
        "array_size",
        "safe_divide",
        "regexp_ilike",
        "current_timestamp",
        "unix_to_time",
        "time_to_unix",
        "ts_or_ds_add",
        "date_to_date_str",
        "array_contains",
        "array_to_string",
        "string_to_array",
        "initcap",
        "lower_hex",
    ]
)


@dataclass(frozen=True)
class CheckedSQL:
    """SQL that passed the allow-list, re-generated from its syntax tree."""

    sql: str
    tables: tuple[str, ...]


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def _normalise(sql: str) -> str:
    # NFKC turns full-width semicolons, quotes and letters into the ASCII a parser expects, so
    # look-alike characters cannot hide a second statement or a keyword from the checks below.
    # Quoted names and strings keep their characters: "金額（港元）" and 'km²' are data, not syntax.
    out: list[str] = []
    quote = ""
    for raw in sql:
        for ch in raw if quote else unicodedata.normalize("NFKC", raw):
            out.append(ch)
            if ch == quote:
                quote = ""
            elif not quote and ch in "'\"":
                quote = ch
    return "".join(out).strip()


def check_sql(sql: str, tables: Iterable[str]) -> CheckedSQL:
    """Accept exactly one read-only query over `tables`, or raise UnsafeSQL / InvalidInput."""
    allowed_tables = {t.lower() for t in tables}
    text = _normalise(sql)
    if not text:
        raise InvalidInput("The SQL is empty.", hint=_HINT)
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except (ParseError, TokenError) as exc:
        raise InvalidInput(f"The SQL does not parse: {str(exc).splitlines()[0][:200]}", hint=_HINT) from exc
    if len(statements) != 1:
        raise UnsafeSQL("Only one statement may run at a time.", hint=_HINT)
    tree = statements[0]
    if not isinstance(tree, exp.Query):
        raise UnsafeSQL(f"Only SELECT queries may run, not {tree.key.upper()}.", hint=_HINT)
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    used: list[str] = []
    for node in tree.walk():
        if isinstance(node, exp.Func) and not isinstance(node, exp.Connector | exp.Binary):
            name = _function_name(node)
            if name not in _SAFE_FUNCTIONS:
                raise UnsafeSQL(f"The function {name}() is not allowed.", hint=_HINT)
            continue
        if not isinstance(node, _ALLOWED_NODES):
            raise UnsafeSQL(f"{node.key.upper()} is not allowed in a question's SQL.", hint=_HINT)
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier) or node.args.get("db") or node.args.get("catalog"):
                raise UnsafeSQL("Only the dataset's own tables may be queried.", hint=_HINT)
            name = node.name.lower()
            if name in cte_names:
                continue
            if name not in allowed_tables:
                raise UnsafeSQL(f"There is no table named {node.name!r} in this dataset.", hint=_HINT)
            used.append(node.name)
    return CheckedSQL(sql=tree.sql(dialect="duckdb", comments=False), tables=tuple(dict.fromkeys(used)))


@dataclass
class QueryResult:
    """Rows of a query: column names, DuckDB type names, values, and whether rows were cut off."""

    sql: str
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    elapsed_ms: float = 0.0
    notes: list[str] = field(default_factory=list)


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the limits to an open connection and lock its configuration."""
    s = get_settings().analysis
    con.execute("SET enable_external_access = false")
    con.execute(f"SET memory_limit = '{_size(s.memory_limit)}'")
    con.execute(f"SET threads = {int(s.threads)}")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")


def _size(value: str) -> str:
    cleaned = value.strip().upper().replace(" ", "")
    if not cleaned or not all(c.isalnum() or c == "." for c in cleaned):
        raise InvalidInput(f"Bad memory limit {value!r}.", hint="Write it like 1GB or 512MB.")
    return cleaned


def run_query(
    con: duckdb.DuckDBPyConnection, checked: CheckedSQL, *, row_limit: int | None = None, timeout_s: float | None = None
) -> QueryResult:
    """Run checked SQL with a timeout and a row limit; errors become ToolboxErrors."""
    s = get_settings().analysis
    limit = row_limit or s.row_limit
    timeout = timeout_s or s.timeout_s
    timer = threading.Timer(timeout, con.interrupt)
    started = time.perf_counter()
    timer.start()
    try:
        cur = con.execute(checked.sql)
        rows = cur.fetchmany(limit + 1)
        desc = cur.description or []
    except duckdb.InterruptException as exc:
        raise ToolboxError(
            f"The query took longer than {timeout:g} seconds and was stopped.",
            hint="Ask about fewer rows, or ask an administrator to raise the analysis timeout.",
        ) from exc
    except duckdb.Error as exc:
        raise InvalidInput(
            f"The query could not run: {str(exc).splitlines()[0][:300]}",
            hint="Rephrase the question, or check the column names.",
        ) from exc
    finally:
        timer.cancel()
    elapsed = (time.perf_counter() - started) * 1000
    truncated = len(rows) > limit
    return QueryResult(
        sql=checked.sql,
        columns=[d[0] for d in desc],
        types=[str(d[1]) for d in desc],
        rows=rows[:limit],
        truncated=truncated,
        elapsed_ms=elapsed,
    )
