"""Conditions read from a question: number comparisons, ranges, dates, years, empty cells, yes/no
flags and chart positions, each a `Filter` with the span of the words that said it."""

from __future__ import annotations

import datetime as dt
import re

from ai_toolbox.analysis.linking import Mention, Question, Value, derived_columns, number_pairs
from ai_toolbox.analysis.plan import CannotAnswer, Filter
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, literal
from ai_toolbox.analysis.textutil import fold
from ai_toolbox.analysis.vocabulary import ASCII, CLASSIFIERS, NUMBER_WORDS, PLACE_WORDS, YEAR, number_said

_ISO_DATE = re.compile(r"(?<![A-Za-z0-9_-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")  # also beside Chinese: 由2025-03-01至
# "15/04/2025" (day first, as Hong Kong writes it) and "2025/04/15".
_SLASHED_DATE = re.compile(
    r"(?<![A-Za-z0-9/])(?:(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})|(?P<y2>\d{4})/(?P<m2>\d{1,2})/(?P<d2>\d{1,2}))"
    r"(?![A-Za-z0-9/])"
)
_ISO_MONTH = re.compile(r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])\b(?!-\d)")  # "2025-03", as a month group shows it
_QUARTER = re.compile(r"\b(?:q|quarter )([1-4])\b|第([一二三四1-4])季|\b(first|second|third|fourth) quarter\b")
_QUARTER_NUMBER = {"一": "1", "二": "2", "三": "3", "四": "4", "first": "1", "second": "2", "third": "3", "fourth": "4"}


_BETWEEN = re.compile(r"(?:between|介于|在)\s*(-?[\d,.]+)\s*(?:and|to|-|和|与|至|到)\s*(-?[\d,.]+)")
_AGGREGATE = ("count", "sum", "avg", "max", "min")


_ZH_BEFORE = re.compile(r"年?(?:以前|之前|前)")
_ZH_AFTER = re.compile(r"年?(?:以后|之后|后)")
# "which teams …", 哪些球隊 …: every row that passes is asked for
_MANY_ASKED = re.compile(r"^(?:which|what|list|name|show)(?: all)?(?: the)? (?!(?:was|is|has|does|as)\b)[a-z]+s\b"
                         r"|^(?:哪些|列出)")


def compared_years(q: Question, values: list[Value], has) -> list[Value]:
    """Year cells the question compares against rather than names.

    "How many wins before 1908" counts the seasons up to 1908, though "1908" is a whole cell; the
    year is left to the number filters, which read it as a range. A plain lookup ("who came after
    1908") keeps the cell, so that it can step to the neighbouring row.
    """
    btw = _BETWEEN.search(q.text) or _YEAR_SPAN.search(q.text)
    decade = _DECADE.search(q.text)
    # "which teams were founded after 1990" asks for every such row, as a count would
    aggregate = any(has[k] for k in _AGGREGATE) or _MANY_ASKED.match(q.text) is not None
    out: list[Value] = []
    for v in values:
        if not v.exact or not YEAR.match(fold(v.value).strip()):
            continue
        inside = btw is not None and btw.start() <= v.start < btw.end() or decade is not None and (
            decade.start() <= v.start < decade.end())
        compared = any(p < v.start and v.start - p < 12 for p, _ in has["before_date"] + has["after_date"]) or bool(
            _ZH_BEFORE.match(q.text, v.end) or _ZH_AFTER.match(q.text, v.end))
        if inside or (aggregate and compared):
            out.append(v)
    return out


# "did not receive 25% or more", "never more than 3": the comparison turned round
_COMPARISON_NOT = re.compile(r"(?:\bnot|\bnever|n't)\s+(?:(?!and\b|or\b)[a-z]+\s+)?$")
_NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}
_NUMBER_CELL = re.compile(r"[$£€¥]?\s*\d[\d,]*(?:\.\d+)?\s*%?")


def compared_numbers(q: Question, values: list[Value], has) -> list[Value]:
    """Number cells the question compares against: "more than 25%", "25% or more" where a row holds
    "25%" is a bound for the number filters, not that cell."""
    out: list[Value] = []
    for v in values:
        if not v.exact or not _NUMBER_CELL.fullmatch(fold(v.value).strip()):
            continue
        for p, phrase in has["gt"] + has["lt"]:
            if p < v.start and v.start - (p + len(phrase)) <= 2 or phrase.startswith("or ") and 0 <= p - v.end <= 1:
                out.append(v)
                break
    return out


# "no laps led", "without a publisher", "do not have an associated publication"
_ABSENT = re.compile(
    r"\b(?:no|zero|without|free of|(?:do|does|did)(?: not|n't) (?:have|win|get|earn|receive|score)|never had"
    r"|never won|has no|have no|had no)(?: (?:a|an|any|the|a single))? $"
)
# "nations that won at least one gold medal": the named number column above 0
_PRESENT = re.compile(r"\b(?:at least one|one or more|(?:won|win|received|receive|got|get|earned|earn) (?:a|an))"
                      r"(?: single)? $")
# "seasons they made the playoffs": a stage reached, its column holding the round or nothing
_REACHED = re.compile(r"\b(?:make|made|reach|reached|qualify for|qualified for|advance to|advanced to)(?: the)? $")
_DENIED = re.compile(r"\b(?:not|never)\s+$|n't\s+$")  # "did not qualify for the playoffs"
_MISSED = ("did not", "didn't", "dnq", "not ", "no ", "failed")
# "how many players scored in the fa cup": the rows whose FA Cup column is above zero
_SCORED_IN = re.compile(r"\b(?:(?:scored|played|appeared|featured|competed) in(?: the)?"
                        r"|(?:scored|earned|gained|received|got|won|recorded)(?: any)?) $")
_AMOUNTS = ("times", "goals", "points", "medals", "votes", "runs", "wins", "games", "matches", "caps", "tries")
_HOW_MANY_NOUN = re.compile(r"\bhow many ([a-z]+)")


def _inside_longer(m: Mention, mentions: list[Mention]) -> bool:
    """`m` ("league") is the start of a longer name read at the same spot ("league cup")."""
    return any(o.start == m.start and (o.end - o.start, o.score) > (m.end - m.start, m.score) for o in mentions)


def _counts_things(q: Question, mentions: list[Mention]) -> bool:
    """'how many players …' counts rows: its noun names no number column (goals, points)."""
    noun = _HOW_MANY_NOUN.search(q.text)
    return noun is not None and noun.group(1) not in _AMOUNTS and not any(
        m.column.kind in ("number", "numtext") and m.start <= noun.start(1) < m.end for m in mentions)


# cells that say there is no value
EMPTY_CELLS = ("", "-", "—", "–", "n/a", "none", "?")


def empty_cell(col: ColumnInfo) -> str:
    """SQL true where `col` holds no value: NULL, or a placeholder ('-', 'n/a') of EMPTY_CELLS."""
    empty = ", ".join(literal(x) for x in EMPTY_CELLS)
    return f"({col.ident} IS NULL OR LOWER(TRIM(CAST({col.ident} AS VARCHAR))) IN ({empty}))"


def held_cell(col: ColumnInfo) -> str:
    """SQL true where `col` holds a value: neither NULL nor a placeholder."""
    empty = ", ".join(literal(x) for x in EMPTY_CELLS)
    return f"{col.ident} IS NOT NULL AND LOWER(TRIM(CAST({col.ident} AS VARCHAR))) NOT IN ({empty})"


def absence_filters(q: Question, mentions: list[Mention]) -> tuple[list[Filter], list[Mention]]:
    """'drivers with no laps led': rows where the named column is empty or zero ('at least one
    gold medal': above zero).

    Mentions that only the negating word made ("no" naming a "No." column) are dropped.
    """
    out: list[Filter] = []
    for m in mentions:
        before = q.text[max(0, m.start - 30) : m.start]
        numeric = m.column.kind in ("number", "numtext")
        present = _PRESENT.search(before) if numeric and not _ABSENT.search(before) else None
        if present is None and numeric and _counts_things(q, mentions) and not _inside_longer(m, mentions):
            present = _SCORED_IN.search(before)  # "how many players scored in the fa cup", "… scored points"
        if present is not None and m.score >= 1.5:
            sql = f"COALESCE({m.column.numeric}, 0) > 0"
            out.append(Filter(m.column.name, "present", None, sql, (m.start - len(present.group(0)), m.end)))
            continue
        reached = _REACHED.search(before) if m.column.kind == "text" else None
        if reached is not None and m.score >= 1.5 and not _DENIED.search(before[: reached.start()]):
            # "how many years did they make the playoffs": a round reached, not "Did not qualify"
            missed = " OR ".join(f"LOWER(TRIM({m.column.ident})) LIKE {literal(w + '%')}" for w in _MISSED)
            sql = f"NOT ({empty_cell(m.column)} OR {missed})"
            out.append(Filter(m.column.name, "present", None, sql, (m.start - len(reached.group(0)), m.end)))
            continue
        hit = _ABSENT.search(before)
        if hit is None or m.score < 1.5:
            continue
        if _inside_longer(m, mentions):  # "no laps led" names "Laps Led", not "Laps"
            continue
        col = m.column
        if _is_flag(col):
            sql = f"LOWER(TRIM({col.ident})) LIKE 'no%'"
        elif col.kind in ("number", "numtext"):
            sql = f"COALESCE({col.numeric}, 0) = 0"
        else:
            sql = empty_cell(col)
        start = m.start - (len(hit.group(0)))
        out.append(Filter(col.name, "empty", None, sql, (start, m.end)))
    if not out:
        return out, mentions
    spans = [f.span for f in out]
    named = {f.column for f in out}
    kept = [m for m in mentions if m.column.name in named or not any(a <= m.start < b for a, b in spans)]
    return out, kept


_TOPPED = re.compile(r"\b(?:topped|tops|reached number (?:one|1)|hit number (?:one|1)|went to number (?:one|1))\b")
_CHART_TOP = ("1", "#1", "no. 1", "no.1", "1st")


def chart_top_filters(q: Question, mentions: list[Mention]) -> list[Filter]:
    """'which song topped the club play singles chart': the named chart column holds '1' or '#1'."""
    hit = _TOPPED.search(q.text)
    if hit is None:
        return []
    for m in sorted(mentions, key=lambda m: (m.start < hit.end(), -m.score)):
        cells = [v for v in m.column.values if fold(v).strip() in _CHART_TOP]
        if m.score >= 1.5 and cells:
            listed = ", ".join(literal(c) for c in cells)
            sql = f"CAST({m.column.ident} AS VARCHAR) IN ({listed})"
            return [Filter(m.column.name, "=", cells[0], sql, (m.start, m.end))]
    return []


# "placed in the top 30", "finished within the top ten", "a top-10 finish": a rank of N or better.
_IN_TOP = re.compile(
    r"\b(?:in|within|inside|into|made|make|reach(?:ed)?)\s+(?:the\s+)?top\s+(\d+|three|five|ten|twenty)\b"
    r"|\btop[\s-](\d+|three|five|ten|twenty)\s+finish(?:es)?\b"
)


def top_n_filters(q: Question, table: TableInfo, mentions: list[Mention]) -> list[Filter]:
    """'how many times did she place in the top 30 in the overall standings': the rank column the
    question names (else the table's place column) at N or better. Not a superlative: "the top 3
    districts" ranks groups instead."""
    hit = _IN_TOP.search(q.text)
    if hit is None:
        return []
    said = hit.group(1) or hit.group(2)
    n = number_said(said)
    named = [m for m in mentions if m.column.kind in ("number", "numtext") and m.score >= 1.5]
    col = min(named, key=lambda m: abs(m.start - hit.end())).column if named else None
    if col is None:
        places = [
            c for c in table.columns
            if set(c.words) & PLACE_WORDS and c.values
            and sum(1 for v in c.values if re.match(r"\s*\d", v)) >= 0.6 * len(c.values)
        ]
        col = places[0] if places else None
    if col is None:
        return []
    return [Filter(col.name, "<=", n, f"{col.numeric} <= {n}", hit.span())]


# "which items were over budget", 超出預算, "how many items overspent": spending above budget (a
# condition, unless a size is asked: "overspent the most", "how much did it overspend", 各部門的超支).
_OVER_BUDGET = re.compile(
    r"\b(?:(?P<over>over|above|exceeded|exceeding|went over|gone over)(?: the| its| their)? budget|"
    r"(?P<under>under|within|below)(?: the| its| their)? budget)\b"
    r"|(?P<zover>超出预算)|(?P<zunder>预算之内|预算以内|未超支)"
)
_OVERSPENT = re.compile(r"\b(?P<over>overspen[dt]s?|overspending)\b|(?P<under>\bunderspen[dt]s?\b)|(?P<zover>超支)")
_SIZE_ASKED = re.compile(rf"\bhow much\b|多少(?![{CLASSIFIERS}])|\bby\b|各|每")  # 多少個部門 counts departments


def budget_filters(q: Question, table: TableInfo, has) -> list[Filter]:
    """Rows whose spending is above (or within) their budget, when the question states it as a
    condition; the two columns are the ones the lexicon's `derived` words name."""
    pair = derived_columns(table)
    if pair is None:
        return []
    spent, budget = pair
    found = list(_OVER_BUDGET.finditer(q.text))
    if not (has["max"] or has["min"] or _SIZE_ASKED.search(q.text)):
        found += list(_OVERSPENT.finditer(q.text))
    out = []
    for m in found:
        op = ">" if (m.group("over") or m.group("zover")) else "<="
        sql = f"{spent.numeric} {op} {budget.numeric}"
        out.append(Filter(spent.name, op, budget.name, sql, m.span()))
    return out


# One number column compared with another on each row: "which nation won more silver than gold",
# "the items whose spending exceeded the budget", 銀牌多於金牌的地區 (folded to Simplified).
_THE = re.compile(r"(?:\s+(?:the|its|their))?")
_MORE_BEFORE = re.compile(r"\b(?P<gt>more|greater|higher|larger|bigger)\s+$|\b(?P<lt>fewer|less|lower|smaller)\s+$")
_THAN_GAP = re.compile(r"\s+than\s+(?:(?:the|its|their)\s+)?")
_COMPARED_GAP = re.compile(
    r"\s+(?:(?:is|was|were|are|has been|had been)\s+)?(?:(?P<gt>more than|greater than|higher than|larger than|above"
    r"|over|exceeds|exceeded|exceeding)|(?P<lt>less than|fewer than|lower than|smaller than|below|under)"
    r"|(?P<eq>equal to|the same as|equals|equalled|equaled))\s+(?:(?:the|its|their)\s+)?"
    r"|\s*(?:(?P<zgt>多于|高于|大于|超过)|(?P<zlt>少于|低于|小于)|(?P<zeq>等于))\s*"
)


def column_conditions(q: Question, mentions: list[Mention], has) -> list[Filter]:
    """Rows where one number column the question names is above (below, equal to) another: the
    words between them, or any of the lexicon's comparison phrases ("older than", "at least")."""
    phrases = [(">" if kind == "gt" else "<", ph) for kind in ("gt", "lt") for _, ph in has[kind]]
    out: list[Filter] = []
    for a, b in number_pairs(mentions):
        gap = _COMPARED_GAP.fullmatch(q.text, a.end, b.start)
        start, op = a.start, None
        if gap is None and _THAN_GAP.fullmatch(q.text, a.end, b.start):
            gap = _MORE_BEFORE.search(q.text, 0, a.start)  # "more silver than gold"
            start = gap.start() if gap else start
        if gap is None:
            said = q.text[a.end : b.start].strip()  # "spending above the budget", 實際支出超過預算
            op = next((sym for sym, ph in phrases if said.startswith(ph) and _THE.fullmatch(said[len(ph):])), None)
            if op is None:
                continue
        if op is None:
            kinds = {k for k, v in gap.groupdict().items() if v}
            op = ">" if kinds & {"gt", "zgt"} else "<" if kinds & {"lt", "zlt"} else "="
        sql = f"{a.column.numeric} {op} {b.column.numeric}"
        out.append(Filter(a.column.name, op, b.column.name, sql, (start, b.end)))
    return out


# "won more than once", "at least 3 times", "only once", "twice": how often a thing appears.
_TIMES = re.compile(
    r"\b(?:(?P<cmp>more than|over|at least|at most|no more than|fewer than|less than|only|exactly|just)\s+)?"
    r"(?P<n>once|twice|(?:\d+|two|three|four|five|six|ten) times)\b"
)
_TIMES_OP = {"more than": ">", "over": ">", "at least": ">=", "at most": "<=", "no more than": "<=",
             "fewer than": "<", "less than": "<"}
_NEGATED_OP = {">": "<=", ">=": "<", "<=": ">", "<": ">=", "=": "<>"}
_NOT_BEFORE = re.compile(r"\b(?:did|does|do|has|have|had)(?: not|n't)\b|\bnever\b")


def times_condition(text: str) -> tuple[str, int, tuple[int, int]] | None:
    """'which teams did not win more than once': how often each thing may appear (`op`, `n`) and
    where the question says so; "how many times" asks a count and is not one."""
    m = _TIMES.search(text)
    if m is None:
        return None
    said = m.group("n").split()[0]
    n = number_said(said)
    op = _TIMES_OP.get(m.group("cmp") or "", "=")
    if _NOT_BEFORE.search(text, 0, m.start()):
        op = _NEGATED_OP[op]
    return op, n, m.span()


def _is_flag(col: ColumnInfo) -> bool:
    """A column of yes/no answers ('Yes', 'No', 'Yes (>=i686)')."""
    if col.kind != "text" or not col.values:
        return False
    flags = sum(1 for v in col.values if re.match(r"(yes|no)\b", fold(v).strip()))
    return flags >= 0.6 * len(col.values) and any(fold(v).strip().startswith("yes") for v in col.values)


def flag_filters(q: Question, mentions: list[Mention], values: list[Value]) -> list[Filter]:
    """'how many distributions support the x86 architecture': a count naming a yes/no column counts
    its yes rows, unless the question gives the column a value of its own or says 'no X'."""
    if not q.has("count"):
        return []
    out: list[Filter] = []
    for m in mentions:
        col = m.column
        if m.score < 3.0 or not _is_flag(col) or any(f.column == col.name for f in out):
            continue
        if _ABSENT.search(q.text[max(0, m.start - 30) : m.start]):
            continue
        if any(v.column is col and not (v.start >= m.start and v.end <= m.end) for v in values):
            continue
        sql = f"LOWER(TRIM({col.ident})) LIKE 'yes%'"
        out.append(Filter(col.name, "flag", True, sql, (m.start, m.end)))
    return out


def value_filter(v: Value) -> Filter:
    col = v.column
    if v.exact and v.excluded:
        return Filter(col.name, "exclude", v.value, f"{col.ident} <> {literal(v.value)}", (v.start, v.end))
    if v.prefix:
        sql = f"{col.ident} {'NOT ' if v.negated else ''}ILIKE {literal(v.value + ' %')}"
        return Filter(col.name, "not like" if v.negated else "like", v.value, sql, (v.start, v.end))
    if v.exact:
        if col.kind == "number":
            num = float(v.value)
            val: object = int(num) if num.is_integer() else num
            op = "<>" if v.negated else "="
            return Filter(col.name, op, val, f"{col.ident} {op} {literal(val)}", (v.start, v.end))
        op = "<>" if v.negated else "="
        if v.variants:
            listed = ", ".join(literal(x) for x in (v.value, *v.variants))
            sql = f"{col.ident} {'NOT ' if v.negated else ''}IN ({listed})"
            return Filter(col.name, op, v.value, sql, (v.start, v.end))
        return Filter(col.name, op, v.value, f"{col.ident} {op} {literal(v.value)}", (v.start, v.end))
    pattern = "%" + v.value.replace("%", "").replace("_", "") + "%"
    if ASCII.match(v.value):
        # words said without accents ("ingrid kramer") inside cells written with them ("Ingrid Krämer (EUA)")
        cell = f"STRIP_ACCENTS({col.ident})" if col.accented else col.ident
        sql = f"{cell} {'NOT ' if v.negated else ''}ILIKE {literal(pattern)}"
    else:
        sql = f"{col.ident} {'NOT ' if v.negated else ''}LIKE {literal(pattern)}"
    return Filter(col.name, "not like" if v.negated else "like", v.value, sql, (v.start, v.end))


def _num(text: str) -> float | int:
    n = float(text.replace(",", ""))
    return int(n) if n.is_integer() else n


_YEAR_WORDS = ("year", "season", "date", "年", "年份", "年度", "日期")
_MEASURES = {"m", "ft", "km", "mi", "elevation", "height", "altitude", "length", "area", "capacity", "population",
             "pop", "points", "pts", "score", "votes", "attendance", "total", "no", "number", "rank", "sales",
             "metres", "meters", "feet", "miles", "amount", "count"}
ORDINAL_CELL = re.compile(r"^\s*\d+(?:st|nd|rd|th)\b")  # a place written "5th" or "22nd (h)"
HAS_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")  # a year inside a cell ("1947–1954")


def year_column(table: TableInfo) -> ColumnInfo | None:
    """The column that dates the rows: a DATE column, else one named for years or dates ("Season",
    年份; not a rate "per year"), else one whose cells are years or spans of years ("Period":
    "1950-1955")."""
    for col in table.columns:
        if col.kind == "date":
            return col
    for col in table.columns:
        words = col.words[: col.words.index("per")] if "per" in col.words else col.words
        named = any(w in _YEAR_WORDS for w in words) or any(k in col.folded for k in ("年", "日期"))
        # "Season #" numbering a show's seasons (1, 2, 3) is no year
        if named and not _numbers_not_years(col):
            return col
    for col in table.columns:
        if col.kind in ("text", "numtext") and col.values and sum(
            1 for v in col.values if HAS_YEAR.search(v)
        ) >= 0.8 * len(col.values):
            return col
    for col in table.columns:
        # "Founded", "Opened", "Built": whole numbers that are all years, and no measure ("Elevation (m)")
        if col.kind == "number" and len(col.values) >= 2 and all(HAS_YEAR.fullmatch(v) for v in col.values) \
                and not set(col.words) & _MEASURES:
            return col
    return None


# Results written as scores, the team's own first ("2–1"): "how many games did they win / lose / draw".
_OUTCOME_SAID = re.compile(r"\b(?:(?P<win>win|wins|won|winning)|(?P<lose>lose|loses|lost|losing|defeated)"
                           r"|(?P<draw>draw|draws|drew|drawn|tie|ties|tied))\b")
# "2–1", "W 3-0" is a match score; "69-70-68-71=278", a golfer's rounds, is none
_SCORE_CELL = re.compile(r"^\s*\d+\s*[–—-]\s*\d+(?!\d|\s*[–—-]\s*\d)")


def score_filters(q: Question, table: TableInfo) -> list[Filter]:
    """'how many games did they lose': the result column's first score below its second, when the
    table writes its results as scores (and has no W / L or Won / Lost cells for the word)."""
    said = _OUTCOME_SAID.search(q.text)
    col = next((c for c in table.columns if c.kind in ("text", "numtext") and set(c.words) & {"result", "score"}
                and c.values and sum(1 for v in c.values if _SCORE_CELL.match(v)) >= 0.8 * len(c.values)), None)
    if said is None or col is None:
        return []
    first = f"TRY_CAST(REGEXP_EXTRACT({col.ident}, '^ *([0-9]+)', 1) AS INT)"
    second = f"TRY_CAST(REGEXP_EXTRACT({col.ident}, '^ *[0-9]+ *[–—-] *([0-9]+)', 1) AS INT)"
    op = ">" if said.group("win") else "<" if said.group("lose") else "="
    if _DENIED.search(q.text[: said.start()]):
        op = {">": "<=", "<": ">=", "=": "<>"}[op]  # "the episodes in which the iron chef did not win"
    return [Filter(col.name, "score", said.group(0), f"{first} {op} {second}", said.span())]


_YEARS_OLD = re.compile(r"\s*-?\s*(?:years?|yrs?)[\s-]+old\b|\s*岁")


def _age_column(table: TableInfo) -> ColumnInfo | None:
    """The table's number column of ages ("Age", 年齡)."""
    return next((c for c in table.columns if c.kind in ("number", "numtext")
                 and ("age" in c.words or any(k in c.folded for k in ("年龄", "岁")))), None)


_NUMBER_SAID = re.compile(r"\b(?:number|no\.?)\s*$|#\s*$")


def _numbered_column(table: TableInfo) -> ColumnInfo | None:
    """The one column that numbers the rows' people or things ("No.", "#", "Number", "Jersey")."""
    found = [c for c in table.columns if c.kind in ("number", "numtext")
             and (set(c.words) & {"no", "number", "num", "nr", "jersey"} or c.name.strip() == "#")]
    return found[0] if len(found) == 1 else None


def _numbers_not_years(col: ColumnInfo) -> bool:
    """Most cells are small numbers, none of them a year."""
    cells = [v for v in col.values if v.strip()]
    return bool(cells) and not any(HAS_YEAR.search(v) for v in cells) and sum(
        1 for v in cells if v.strip().isdigit() and int(v) < 1000) >= 0.8 * len(cells)


def date_column(table: TableInfo) -> ColumnInfo | None:
    """The table's date column: a DATE column, else a text column of ISO dates."""
    return next((c for c in table.columns if c.kind == "date"), None) or next(
        (c for c in table.columns if c.iso_dates), None
    )


def _iso(m: re.Match[str]) -> str | None:
    """The ISO date a matched ISO or slashed date names, or None when it names no real day."""
    if m.re is _ISO_DATE:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        y, mo, d = (int(m.group(a) or m.group(b)) for a, b in (("y", "y2"), ("m", "m2"), ("d", "d2")))
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


# Dates said relative to today: "last month", "this year", "in the past 30 days", 上個月, 今年,
# 最近三個月 (folded to Simplified). Each names a span of days, both ends included.
_RELATIVE = re.compile(
    r"\b(?P<this>this|current|previous|last) (?P<unit>week|month|quarter|year)\b"
    r"|\b(?P<day>today|yesterday)\b"
    r"|\b(?:in |during |over )?(?:the )?(?:last|past|previous) (?P<n>\d+|two|three|four|five|six|seven|ten|twelve) "
    r"(?P<units>days|weeks|months|years)\b"
    r"|(?P<zh>本周|这周|这个星期|上周|上个星期|本月|这个月|上个月|上月|本季|这个季度|上季|上个季度|今年|本年|去年|上年"
    r"|今天|今日|昨天|昨日)"
    r"|(?:最近|过去|近)(?P<zn>\d+|[一二两三四五六七八九十]+|十[一二])(?:个)?(?P<zunits>天|日|星期|周|个?月|年)"
)
_ZH_RELATIVE = {
    "本周": ("this", "week"), "这周": ("this", "week"), "这个星期": ("this", "week"),
    "上周": ("last", "week"), "上个星期": ("last", "week"),
    "本月": ("this", "month"), "这个月": ("this", "month"), "上个月": ("last", "month"), "上月": ("last", "month"),
    "本季": ("this", "quarter"), "这个季度": ("this", "quarter"), "上季": ("last", "quarter"),
    "上个季度": ("last", "quarter"), "今年": ("this", "year"), "本年": ("this", "year"),
    "去年": ("last", "year"), "上年": ("last", "year"),
    "今天": ("this", "day"), "今日": ("this", "day"), "昨天": ("last", "day"), "昨日": ("last", "day"),
}


def today() -> dt.date:
    """The day relative dates are counted from (a function, so that tests can fix it)."""
    return dt.date.today()


def _period(which: str, unit: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar `unit` holding `day` ("this"), or the one before it ("last")."""
    back = which in ("last", "previous")
    if unit == "day":
        d = day - dt.timedelta(days=1) if back else day
        return d, d
    if unit == "week":
        start = day - dt.timedelta(days=day.weekday()) - dt.timedelta(weeks=1 if back else 0)
        return start, start + dt.timedelta(days=6)
    if unit == "year":
        y = day.year - 1 if back else day.year
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    months = 3 if unit == "quarter" else 1
    first = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    if back:
        first = _shift_months(first, -months)
    return first, _shift_months(first, months) - dt.timedelta(days=1)


def relative_date_filters(text: str, table: TableInfo) -> list[Filter]:
    """'enquiries last month', 'cases in the past 30 days', 今年的預算: the days they name, counted
    from today, on the table's date column (a year column for years). The value shown is the span
    itself ("2026-11-01 – 2026-11-30"), so the answer says which days were meant."""
    dcol, ycol = date_column(table), year_column(table)
    out: list[Filter] = []
    for m in _RELATIVE.finditer(text):
        own = re.match(r"'s\b|,|$", text[m.end() :])  # "last month's enquiries", "last year, …"
        if m.group("this") in ("last", "previous") and (
            text.endswith("the ", 0, m.start()) or m.start() == 0 and own is None
        ):
            continue  # "the last year he played", "last year a mf won": the latest such year, an ordinal
        found = _relative_span(m, today())
        if found is None:
            continue
        lo, hi, unit = found
        if dcol is not None:
            shown = f"{lo.isoformat()} – {hi.isoformat()}" if lo != hi else lo.isoformat()
            sql = f"{dcol.as_date} BETWEEN DATE '{lo.isoformat()}' AND DATE '{hi.isoformat()}'"
            out.append(Filter(dcol.name, "month", shown, sql, m.span()))
        elif ycol is not None and unit == "year" and ycol.kind in ("number", "numtext"):
            shown = str(lo.year) if lo.year == hi.year else f"{lo.year}–{hi.year}"
            sql = f"{year_expr(ycol)} BETWEEN {lo.year} AND {hi.year}"
            out.append(Filter(ycol.name, "month", shown, sql, m.span()))
    return out


def _relative_span(m: re.Match[str], now: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """The first and last day a relative date names, and its unit (day, week, month, quarter, year)."""
    if m.group("zh"):
        which, unit = _ZH_RELATIVE[m.group("zh")]
    elif m.group("day"):
        which, unit = ("last" if m.group("day") == "yesterday" else "this"), "day"
    elif m.group("this"):
        which, unit = m.group("this"), m.group("unit")
    else:
        said = m.group("n") or m.group("zn")
        n = int(said) if said.isdigit() else NUMBER_WORDS.get(said, 0)
        unit = {"天": "day", "日": "day", "星期": "week", "周": "week", "月": "month", "年": "year"}.get(
            (m.group("units") or m.group("zunits")).lstrip("个"), (m.group("units") or "").rstrip("s"))
        if n < 1:
            return None
        # "the past 3 months": the days back to the same date 3 months ago, today included
        if unit in ("month", "year"):
            start = _shift_months(now, -n * (12 if unit == "year" else 1)) + dt.timedelta(days=1)
        else:
            start = now - dt.timedelta(days=n * (7 if unit == "week" else 1) - 1)
        return start, now, unit
    lo, hi = _period(which, unit, now)
    return lo, hi, unit


def _shift_months(day: dt.date, n: int) -> dt.date:
    """`day` moved by `n` months, on the same day of the month where it exists (else the last)."""
    index = day.year * 12 + day.month - 1 + n
    y, mo = index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, mo, d)
        except ValueError:
            continue
    return dt.date(y, mo, 28)


_DATE_TO = re.compile(r"\s*(?:and|to|until|till|through|至|到|-|–)\s*")
_FROM_BEFORE = re.compile(r"\b(?:between|from)\s+$|(?:由|从|自)\s*$")


def _date_filters(q: Question, table: TableInfo, has) -> list[Filter]:
    """ISO dates with before/after, and quarters, on the table's date column."""
    out: list[Filter] = []
    dcol = date_column(table)
    if dcol is None:
        return out
    dates = sorted([*_ISO_DATE.finditer(q.text), *_SLASHED_DATE.finditer(q.text)], key=lambda m: m.start())
    for m in dates:
        if _iso(m) is None:
            raise CannotAnswer(f"{m.group(0)} is not a real date.",
                               hint="Check the day and the month: dates with slashes are read day first (15/04/2025).")
    # "between 2025-03-01 and 2025-03-31", "from … to …", 2025-03-01至2025-03-31: both days included
    ranged: set[int] = set()
    for m1, m2 in zip(dates, dates[1:], strict=False):
        if _DATE_TO.fullmatch(q.text, m1.end(), m2.start()):
            lo, hi = sorted((_iso(m1), _iso(m2)))
            start = m1.start()
            before = _FROM_BEFORE.search(q.text, 0, start)
            span = (before.start() if before else start, m2.end())
            out.append(Filter(dcol.name, "between", f"{lo} – {hi}",
                              f"{dcol.as_date} BETWEEN DATE '{lo}' AND DATE '{hi}'", span))
            ranged |= {m1.start(), m2.start()}
    for m in dates:
        if m.start() in ranged:
            continue
        iso = _iso(m)
        s = m.start()
        op = (
            "<"
            if any(p < s and s - p < 12 for p, _ in has["before_date"])
            else (">" if any(p < s and s - p < 12 for p, _ in has["after_date"]) else "=")
        )
        out.append(Filter(dcol.name, op, iso, f"{dcol.as_date} {op} DATE '{iso}'", m.span()))
    for m in _ISO_MONTH.finditer(q.text):
        sql = f"STRFTIME({dcol.as_date}, '%Y-%m') = '{m.group(0)}'"
        out.append(Filter(dcol.name, "month", m.group(0), sql, m.span()))
    for m in _QUARTER.finditer(q.text):
        said = m.group(1) or m.group(2) or m.group(3)
        n = _QUARTER_NUMBER.get(said, said)
        out.append(Filter(dcol.name, "quarter", int(n), f"QUARTER({dcol.as_date}) = {int(n)}", m.span()))
    return out


def number_filters(q: Question, table: TableInfo, numbers, mentions: list[Mention], has) -> list[Filter]:
    out: list[Filter] = _date_filters(q, table, has)
    decade = decade_filter(q, table, mentions)
    if decade is not None and not any(a < decade.span[1] and decade.span[0] < b for a, b in (f.span for f in out)):
        out.append(decade)
    taken = [f.span for f in out]
    numbers = [n for n in numbers if not any(a <= n[1] < b for a, b in taken)]
    # "a final position above 20" over "22nd", "DNF": places written as ordinals compare as numbers
    numeric_cols = [c for c in table.columns if c.kind in ("number", "numtext") or c.kind == "text" and c.values
                    and sum(1 for v in c.values if ORDINAL_CELL.match(v)) >= 0.5 * len(c.values)]
    btw = _BETWEEN.search(q.text) or _year_span(q, table)
    if btw and any(a < btw.end() and btw.start() < b for a, b in taken):
        btw = None  # "between 2025-03-01 and 2025-03-31" is a range of dates, read above
    if btw:
        lo, hi = _num(btw.group(1)), _num(btw.group(2))
        years = all(isinstance(v, int) and YEAR.match(str(v)) for v in (lo, hi))
        ycol = year_column(table) if years else None
        if ycol is not None:
            out.append(Filter(ycol.name, "between", f"{lo}-{hi}", _years_within(ycol, lo, hi), btw.span()))
            numbers = [n for n in numbers if not (btw.start() <= n[1] < btw.end())]
        col = (
            None
            if ycol is not None
            else _nearest_numeric(q, mentions, numeric_cols, btw.start(), btw.end(), None, "", "")
        )
        if col is not None:
            out.append(Filter(col.name, "between", f"{lo}-{hi}", f"{col.numeric} BETWEEN {lo} AND {hi}", btw.span()))
            numbers = [n for n in numbers if not (btw.start() <= n[1] < btw.end())]
    # a long view of figures by year (wide.py): a bound that is no year compares the figures
    view_years = year_column(table) if table.figures is not None else None
    for raw, s, e in numbers:
        value = _num(raw)
        before = q.text[max(0, s - 20) : s]
        after = q.text[e : e + 12]
        op = None
        for kind, sym in (("gt", ">"), ("lt", "<")):
            for pos, phrase in has[kind]:
                if (
                    (pos < s and s - (pos + len(phrase)) <= 2)
                    or (phrase.startswith("or ") and 0 <= pos - e - q.text.startswith("%", e) <= 1)
                    or (phrase in ("以上", "以下") and 0 <= pos - e <= 2)
                ):
                    op = sym
                    if phrase in ("at least", "or more", "no less than", "至少", "不少于", "以上"):
                        op = ">="
                    if phrase in ("at most", "or less", "no more than", "不超过", "至多", "以下"):
                        op = "<="
                    if _COMPARISON_NOT.search(q.text, 0, min(pos, s)):
                        op = _NEGATED[op]  # "did not receive 25% or more": under 25%
        aged = _age_column(table) if _YEARS_OLD.match(after) else None
        if aged is not None:
            # "candidates who were 18 years old", "over 30 years old": the Age column
            sym = op or "="
            out.append(Filter(aged.name, sym, value, f"{aged.numeric} {sym} {literal(value)}", (s, e)))
            continue
        is_year = isinstance(value, int) and YEAR.match(str(value)) is not None
        if is_year and op is None:
            ycol = year_column(table)
            if ycol is None or any(c.folded == raw for c in table.columns):
                continue
            # "before 1990"; in Chinese the word follows the year: 1990年以前, 1990年後
            is_before = any(p < s and s - p < 12 for p, _ in has["before_date"]) or bool(_ZH_BEFORE.match(q.text, e))
            is_after = any(p < s and s - p < 12 for p, _ in has["after_date"]) or bool(_ZH_AFTER.match(q.text, e))
            # a year no row holds is still a bound: "churches built before 1900"
            if ycol.kind != "date" and not (is_before or is_after) and not any(str(value) in v for v in ycol.values) \
                    and not _within_spans(ycol, value):
                continue
            ref = year_expr(ycol)
            if is_before:
                out.append(Filter(ycol.name, "<", value, f"{ref} < {value}", (s, e)))
            elif is_after:
                # "played after 1953": a span of years ("1947–1954") that ends after it
                out.append(Filter(ycol.name, ">", value, f"{_last_year(ycol)} > {value}", (s, e)))
            else:
                out.append(Filter(ycol.name, "=", value, f"{ref} = {value}", (s, e)))
            continue
        if op is None:
            # "6 hospital beds", "episode 8": a bare number next to a numeric column's name.
            near = [
                m
                for m in mentions
                if m.column.kind in ("number", "numtext")
                and (0 <= m.start - e <= 2 or 0 <= s - m.end <= 2 or q.text[m.end : s] in (" of ", " was ", " = "))
            ]  # "prize money of 200,000"
            numbered = _numbered_column(table) if _NUMBER_SAID.search(before) else None
            if not near and numbered is not None:
                # "which player wore number 30": the table's "No." or "#" column
                out.append(Filter(numbered.name, "=", value, f"{numbered.numeric} = {literal(value)}", (s, e)))
            elif near and not any(c.folded == raw for c in table.columns):
                col = near[0].column
                out.append(Filter(col.name, "=", value, f"{col.numeric} = {literal(value)}", (s, e)))
            continue
        col = _nearest_numeric(q, mentions, numeric_cols, s, e, value, before, after)
        if col is not None and col is view_years and not is_year:
            col = table.figures  # "how many years did sha tin have more than 130": the figures, not the years
        if col is None:
            continue
        out.append(Filter(col.name, op, value, f"{col.numeric} {op} {literal(value)}", (s, e)))
    return out


# "from 1950-1960", "1950 to 1960", "from 1950 through 1960": the years between, both included.
_YEAR_SPAN = re.compile(
    r"(?:\bfrom\s+)?(?<![\d-])(1[5-9]\d\d|20\d\d)\s*(?:-|\bto\b|\bthrough\b|\buntil\b|至|到)\s*(1[5-9]\d\d|20\d\d)(?![\d-])"
)


def _year_span(q: Question, table: TableInfo) -> re.Match[str] | None:
    """A span of years the question bounds rows by, unless it is a whole cell of the year column
    (a row named "1950-1955")."""
    m = _YEAR_SPAN.search(q.text)
    ycol = year_column(table)
    if m is None or ycol is None:
        return None
    said = q.text[m.start(1) : m.end(2)]
    return None if any(fold(v).strip() == said for v in ycol.values) else m


# "in the 1970s", "the 70's", "'90s", 1990年代, 70年代: ten years
_DECADE = re.compile(r"(?<![\w'])(?:(?P<full>1[5-9]\d0|20\d0)|'?(?P<short>\d0))(?:['’]?s\b|年代)")


def decade_filter(q: Question, table: TableInfo, mentions: list[Mention]) -> Filter | None:
    """The years of a decade said, on the column that dates the rows; "the 20s" in the century of its years
    (but "an overall rank in the 30s" is 30 to 39 of the number column named before it)."""
    m = _DECADE.search(q.text)
    if m is None:
        return None
    ycol = year_column(table)
    counted = [x.column for x in mentions if x.column.kind in ("number", "numtext") and x.column is not ycol
               and x.end <= m.start()]
    if m.group("short") and "'" not in m.group(0) and counted:
        n, col = int(m.group("short")), counted[-1]  # "the overall rank in the 30s": 30 to 39
        return Filter(col.name, "between", f"{n}-{n + 9}", f"{col.numeric} BETWEEN {n} AND {n + 9}", m.span())
    if ycol is None:
        return None
    if m.group("full"):
        lo = int(m.group("full"))
    else:
        years = [int(y) for v in ycol.values for y in HAS_YEAR.findall(v)]
        late = 2000 + int(m.group("short"))
        lo = late if years and min(years) <= late <= max(years) and late - 100 < min(years) else late - 100
    return Filter(ycol.name, "between", f"{lo}–{lo + 9}", _years_within(ycol, lo, lo + 9), m.span())


def _years_within(col: ColumnInfo, lo: int, hi: int) -> str:
    """Rows dated from `lo` to `hi`: a cell holding a span of years ("1955-1960") must lie inside."""
    last = _last_year(col)
    if last == year_expr(col):
        return f"{last} BETWEEN {lo} AND {hi}"
    return f"{year_expr(col)} >= {lo} AND {last} <= {hi}"


def _within_spans(col: ColumnInfo, year: int) -> bool:
    """`year` falls inside one of the column's spans of years ("1949–1953" holds 1951)."""
    for v in col.values:
        years = [int(y) for y in HAS_YEAR.findall(v)]
        if len(years) > 1 and min(years) <= year <= max(years):
            return True
    return False


def _last_year(col: ColumnInfo) -> str:
    """The year a row ends in: the last year of a cell holding a span ("1947–1954"), else its year."""
    if col.kind in ("date", "number") or not any(len(HAS_YEAR.findall(v)) > 1 for v in col.values):
        return year_expr(col)
    return f"TRY_CAST(REGEXP_EXTRACT({col.ident}, '.*(1[5-9][0-9][0-9]|20[0-9][0-9])', 1) AS INTEGER)"


def any_year_expr(col: ColumnInfo) -> str:
    """The year a cell holds, any year ("1220" too), as an integer: the column itself when it is numbers."""
    if col.kind == "number":
        return col.ident
    if col.kind == "date":
        return f"YEAR({col.ident})"
    return f"TRY_CAST(REGEXP_EXTRACT({col.ident}, '(^|[^0-9])([0-9]{{3,4}})([^0-9]|$)', 2) AS INT)"


def years_between(start: ColumnInfo, end: ColumnInfo) -> str:
    """The whole years from a row's `start` column to its `end` column ("Took Office" to "Left Office")."""
    return f"({any_year_expr(end)} - {any_year_expr(start)})"


def year_expr(col: ColumnInfo) -> str:
    if col.kind == "date":
        return f"YEAR({col.ident})"
    if col.kind == "number":
        return col.ident
    return f"TRY_CAST(REGEXP_EXTRACT({col.ident}, '(1[5-9][0-9][0-9]|20[0-9][0-9])', 0) AS INTEGER)"


def _nearest_numeric(q: Question, mentions, numeric_cols, s, e, value, before, after) -> ColumnInfo | None:
    named = [m for m in mentions if m.column.kind in ("number", "numtext") or m.column in numeric_cols]
    if named:
        return min(named, key=lambda m: min(abs(m.start - e), abs(s - m.end)) - m.score).column
    # An unnamed column: the one whose values bracket the number and whose name a unit matches.
    unit = after.split()[0] if after.strip() else ""
    for col in numeric_cols:
        if unit and any(unit.startswith(w[:4]) if len(w) >= 3 else unit == w for w in col.words):  # "ft", "km"
            return col
    if len(numeric_cols) == 1:
        return numeric_cols[0]
    return None
