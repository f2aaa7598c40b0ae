"""Keys between the tables of one dataset, and joined views the question parser can read as one table.

A key is declared (a FOREIGN KEY in the database) or inferred: the same column name in both tables,
a `<table>_id` column pointing at that table's `id`, or a text column whose values are (almost all)
values of a key-like column of the other table (`border` → `state_name`). A joined view is the main
table with the other table's columns beside it; the parser answers over it exactly as over one
table, and the SQL says `FROM main JOIN other ON main.a = other.b`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, quote
from ai_toolbox.analysis.textutil import fold

# Share of the smaller column's distinct values that must appear in the other for a value key.
VALUE_OVERLAP = 0.6
# A key column must tell rows apart: distinct values at least this share of its rows (on one side).
KEY_LIKE = 0.5
# Or at least this many distinct values on both sides (two lists naming the same things).
MANY = 5


@dataclass(frozen=True)
class Key:
    """`table.column` holds values of `ref_table.ref_column`; `source` says how we know."""

    table: str
    column: str
    ref_table: str
    ref_column: str
    source: str  # declared | name | table_id | values


# Keyed by id(); the entry holds the column itself so that the id cannot be reused while cached.
_FOLDED: dict[int, tuple[ColumnInfo, frozenset[str]]] = {}


def _value_set(col: ColumnInfo) -> frozenset[str]:
    hit = _FOLDED.get(id(col))
    if hit is None or hit[0] is not col:
        if len(_FOLDED) > 5000:
            _FOLDED.clear()
        hit = _FOLDED[id(col)] = (col, frozenset(fold(v).strip() for v in col.values))
    return hit[1]


def _key_like(col: ColumnInfo, table: TableInfo) -> bool:
    """Values that tell rows apart, or enough of them to join two lists of the same things."""
    return col.distinct >= MANY or (col.distinct >= 2 and col.distinct >= KEY_LIKE * max(1, table.rows))


def _overlap(a: ColumnInfo, b: ColumnInfo) -> float:
    va, vb = _value_set(a), _value_set(b)
    if not va or not vb:
        return 0.0
    return len(va & vb) / min(len(va), len(vb))


def _comparable(a: ColumnInfo, b: ColumnInfo) -> bool:
    numeric = ("number",)
    return (a.kind in numeric) == (b.kind in numeric) and a.kind != "date" and b.kind != "date"


def find_keys(infos: list[TableInfo]) -> list[Key]:
    """Declared keys first, then inferred ones; at most one key per pair of columns."""
    by_name = {t.name.lower(): t for t in infos}
    keys: list[Key] = []
    seen: set[frozenset[tuple[str, str]]] = set()

    def add(key: Key) -> None:
        pair = frozenset({(key.table, key.column.lower()), (key.ref_table, key.ref_column.lower())})
        if key.table != key.ref_table and pair not in seen:
            seen.add(pair)
            keys.append(key)

    for t in infos:
        for col, ref_table, ref_col in t.foreign_keys:
            ref = by_name.get(ref_table.lower())
            if ref is not None and any(c.name == ref_col for c in ref.columns):
                add(Key(t.name, col, ref.name, ref_col, "declared"))
    for i, a in enumerate(infos):
        for b in infos[i + 1 :]:
            for ca in a.columns:
                for cb in b.columns:
                    if not _comparable(ca, cb) or not (ca.values and cb.values):
                        continue
                    # A named key needs one side that tells rows apart; a key read from values alone, both.
                    one, both = _key_like(ca, a) or _key_like(cb, b), _key_like(ca, a) and _key_like(cb, b)
                    if not one:
                        continue
                    same = ca.folded.strip() == cb.folded.strip()
                    overlap = _overlap(ca, cb)
                    if same and overlap > 0:
                        add(Key(a.name, ca.name, b.name, cb.name, "name"))
                    elif _points_at(ca, b, cb) or _points_at(cb, a, ca):
                        src, dst = (ca, cb) if _points_at(ca, b, cb) else (cb, ca)
                        st, dt = (a, b) if src is ca else (b, a)
                        if overlap > 0:
                            add(Key(st.name, src.name, dt.name, dst.name, "table_id"))
                    elif both and ca.kind != "number" and overlap >= VALUE_OVERLAP:
                        add(Key(a.name, ca.name, b.name, cb.name, "values"))
    return keys


def _points_at(col: ColumnInfo, other: TableInfo, other_col: ColumnInfo) -> bool:
    """`city_id` (or `city id`) names table `city`, whose `id` column is `other_col`."""
    words = col.words
    target = fold(other.name).strip()
    return (
        len(words) >= 2
        and words[-1] == "id"
        and "_".join(words[:-1]) in (target, target.rstrip("s"))
        and other_col.folded.strip() == "id"
    )


def _sides(main: TableInfo, key: Key) -> tuple[str, str]:
    """(main table's key column, other table's key column)."""
    return (key.column, key.ref_column) if key.table == main.name else (key.ref_column, key.column)


def uses_join(sql: str, view: TableInfo, key: Key) -> bool:
    """Whether SQL over `view` reads the joined table, and does not only filter the key itself.

    `main.key = 'x'` through a join is the other table's own `key = 'x'`: one table answers that.
    """
    body = sql.replace(view.source, "")
    mine, theirs = _sides(view, key)
    ends = [c for c in view.columns if (c.table, c.stored or c.name) in ((view.name, mine), (view.joined, theirs))]
    keyed = any(re.search(re.escape(c.ident) + r" (=|IN|ILIKE|LIKE) ", body) for c in ends)
    return f"{quote(view.joined)}." in body and not keyed


def joined_view(main: TableInfo, other: TableInfo, key: Key) -> TableInfo:
    """`main` with `other`'s columns beside it, joined on `key`, read by the parser as one table.

    The other table's key column is left out when it has the main key's name (it holds the same
    values; a differently named one stays, as the question may name it: "the capital of texas");
    its columns whose names clash with the main table's are named `other.column`.
    """
    mine, theirs = _sides(main, key)
    names = {c.name.lower() for c in main.columns}
    columns = [replace(c, table=main.name) for c in main.columns]
    for c in other.columns:
        if c.name == theirs and c.name.lower() == mine.lower():
            continue
        unique = f"{other.name}.{c.name}" if c.name.lower() in names else c.name
        columns.append(replace(c, name=unique, table=other.name, stored=c.name))
    on = f"{quote(main.name)}.{quote(mine)} = {quote(other.name)}.{quote(theirs)}"
    return TableInfo(
        name=main.name,
        columns=columns,
        rows=main.rows,
        summary=main.summary,
        source=f"{quote(main.name)} JOIN {quote(other.name)} ON {on}",
        joined=other.name,
    )


_KEYS: dict[tuple[int, ...], tuple[list[TableInfo], list[Key]]] = {}


def keys_for(infos: list[TableInfo]) -> list[Key]:
    """`find_keys`, remembered for the same list of table descriptions (a dataset asked again)."""
    ident = tuple(id(i) for i in infos)
    hit = _KEYS.get(ident)
    if hit is None or any(a is not b for a, b in zip(hit[0], infos, strict=True)):
        if len(_KEYS) > 64:
            _KEYS.clear()
        hit = _KEYS[ident] = (list(infos), find_keys(infos))
    return hit[1]


def key_ends(infos: list[TableInfo]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Each key read both ways: `((table, column), (table, column))` from one end to the other."""
    return [
        end
        for key in keys_for(infos)
        for end in (
            ((key.table, key.column), (key.ref_table, key.ref_column)),
            ((key.ref_table, key.ref_column), (key.table, key.column)),
        )
    ]
