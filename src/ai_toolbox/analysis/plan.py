"""What the embedded parser understood: the filters and the plan it renders to SQL, and the error
it raises rather than guess."""

from __future__ import annotations

from dataclasses import dataclass, field

from ai_toolbox.errors import InvalidInput


class CannotAnswer(InvalidInput):
    """The question does not link to this table; the parser will not guess."""


@dataclass
class Filter:
    column: str
    op: str  # = <> > >= < <= like between
    value: object
    sql: str
    span: tuple[int, int] = (-1, -1)


@dataclass
class Plan:
    """What the parser understood; rendered to SQL and to a plain-language explanation."""

    sql: str
    intent: str
    target: str | None = None
    metric: str | None = None
    filters: list[Filter] = field(default_factory=list)
    group: str | None = None
    group2: str | None = None  # the second group of a cross-tabulation ("by district and channel")
    order: str | None = None  # asc | desc
    limit: int | None = None
    confidence: float = 0.5
    coverage: frozenset[int] = frozenset()  # words of the question (by start) the SQL uses
    share: float = 0.0  # the share of the question's content words the SQL uses
    target_named: bool = False  # the question names the column it asks for ("which states")
    table: str = ""  # the table (or the main table of a joined view) the plan reads
    within: list[Filter] = field(default_factory=list)  # a share's base: "what percentage of complaints …"
    rank: int = 1  # "the second highest": the place in the ranking the answer holds
    # read through a wide table's view (see `wide.py`): its period column, then the columns each
    # row is also per (none for a turned view: "Month"; "Year", "District" for a long one)
    read_by: tuple[str, ...] = ()
