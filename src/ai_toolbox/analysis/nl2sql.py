"""The embedded question parser: English, Traditional and Simplified Chinese questions to SQL.

No model. A question is folded (lower case, Simplified script), then linked to the table: cell
values it quotes (exactly, or as whole words inside a cell), columns it names (by words, synonyms
and script-folded Chinese), numbers with a comparison, years. Intent words (count, total, average,
most/least, first/last, next/previous, difference, A-or-B, percentage, per-group) decide the shape
of the query. Cells are read as people write them: 'no X' is an empty or zero cell, a yes/no
column counts its yes rows, 'first' matches '1st', 'did not finish' matches 'DNF', a year that is
also a cell is a range when compared. When nothing in the question links to the table the parser
says so instead of guessing (`CannotAnswer`).

The parts: `vocabulary` (words), `linking` (columns and values the question names), `conditions`
(filters it states), `shapes` (the query each kind of question asks for); this module reads a
question through them into a `Plan`.
"""

from __future__ import annotations

import re

from ai_toolbox.analysis.conditions import (
    absence_filters,
    budget_filters,
    chart_top_filters,
    column_conditions,
    compared_numbers,
    compared_years,
    date_column,
    flag_filters,
    number_filters,
    relative_date_filters,
    score_filters,
    times_condition,
    top_n_filters,
    value_filter,
)
from ai_toolbox.analysis.dates import month_filters
from ai_toolbox.analysis.linking import (
    ASKED_BEFORE,
    Mention,
    Question,
    Value,
    column_measures,
    column_mentions,
    derived_mentions,
    entity_column,
    follows,
    inside_full_names,
    is_averaged,
    one_column_per_span,
    question_head,
    tokens,
    unit_free,
    value_links,
)
from ai_toolbox.analysis.plan import CannotAnswer, Filter, Plan
from ai_toolbox.analysis.schema import TableInfo
from ai_toolbox.analysis.shapes import Builder
from ai_toolbox.analysis.textutil import fold
from ai_toolbox.analysis.vocabulary import ASCII, STOPWORDS, lexicon, number_said, stem

__all__ = ["CannotAnswer", "Filter", "Plan", "normalise", "parse"]

# A number, also with a unit written on ("240cm"), but not an ordinal ("1st") or part of a code.
_NUM = re.compile(r"(?<![0-9A-Za-z.\-])-?\d[\d,]*(?:\.\d+)?(?![0-9\-])(?!(?:st|nd|rd|th)\b)")


# "do not run through ", "does not border ": a relation denied, up to two words before the value.
_TIME_GROUP = re.compile(
    r"\b(?:by|per|each|every)\s+(?:the\s+)?(?:month|quarter|year|day)s?\b|\b(?:monthly|quarterly|yearly|daily|trends?)\b"
    r"|每[月季年日天]|[月季]度|逐[月季年日]|走势|趋势|变化"
)
_VERB_NOT = re.compile(r"\b(?:do|does|did)(?:\s+not|n't)\s+(?:[a-z]+\s+){1,2}$")


def normalise(question: str) -> str:
    """The question as the parser reads it (folded, one space between words, no end mark, a
    relative clause with its preposition at the end); positions in a plan's `coverage` are
    positions in this text."""
    text = re.sub(r"\s+", " ", fold(question).strip().rstrip("?？。.!！ "))
    # "how may away games did they win": a slip for "how many", unless someone is asking leave.
    text = _HOW_MAY.sub("how many ", text)
    # "which nations won only one medal": a count said in a word after "only" / "exactly" is a number
    text = _ONLY_N.sub(lambda m: f"{m.group(1)} {1 if m.group(2) == 'one' else number_said(m.group(2))}", text)
    # "the states through which the river runs" -> "the states that the river runs through", the
    # order the rest of the parser reads ("which states does the river run through").
    return _PIED_PIPED.sub(lambda m: f"that {m.group(2)} {m.group(1)}", text)


_OUTCOME_WORD = re.compile(r"(?:win|won|lose|lost|draw|drew|tie|tied)")  # a W / L cell already read
_WHICH_PERIOD = re.compile(r"\b(?:which|what) (?:month|quarter|year|week|day)\b|哪一?个?(?:月|季|年|天|日|星期|周)")
_RECENT = re.compile(r"\b(?:most recent|latest|newest|earliest|oldest)\b|最近|最新")
_EXCEPT_AFTER = re.compile(r"\s*(?:以外|除外)")
_HOW_MANY_TIMES = re.compile(r"\b(?:how many|number of) (?=times?\b)")
_ONLY_N = re.compile(r"\b(only|exactly|just) (one|two|three|four|five|six|seven|eight|nine|ten)\b(?= [a-z])(?! of\b)")
_HOW_MAY = re.compile(r"\bhow may (?!(?:i|we|you|one|they|he|she|it)\b)")
_PIED_PIPED = re.compile(r"(?<=[a-z] )(through|across|into|along|over|in|on) which ((?:(?! and | or )[^,;])+)$")


def _drop_hits(has: dict[str, list[tuple[int, str]]], kinds: tuple[str, ...], spans: list[tuple[int, int]]) -> None:
    """Intent words inside `spans` say something else there ("last" in "last month", "more than"
    in "more than once", "top" in "in the top 30"): they are no intent."""
    for kind in kinds:
        has[kind] = [(p, ph) for p, ph in has[kind] if not any(a <= p < b for a, b in spans)]


_HEAD_AT = re.compile(r"\b(?:which|what|how many|name an?|list the|list|(?:the )?(?:most|fewest|least))\s+$")
_NOT_NOUNS = re.compile(r"(?:ed|ing)$|^(?:for|of|in|at|on|to|per|against|by|from|no|#)$")


_UNIT_WORD = re.compile(r"^(?:mm|cm|km|kg|lbs?|ft|in|inches|ml|hrs?|mins?|secs?|pct|c|f)$")


def _names_a_modifier(text: str, m: Mention) -> bool:
    """The word a question asks about ("which hospital") is only the first part of a number
    column's compound name ("Hospital beds": beds of a hospital), not the measure itself."""
    if m.column.kind not in ("number", "numtext") or m.score >= 3.0 or not _HEAD_AT.search(text[: m.start]):
        return False
    said = [stem(w) for w in re.findall(r"[a-z]+", text[m.start : m.end])]
    # a unit in brackets is no head noun: "the most injuries" names "Injuries (US $000)"
    words = re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)", " ", m.column.name.lower())) or list(m.column.words)
    # nor is a unit written after the name: "the most rainfall" names "Rainfall mm"
    words = [w for w in words if not _UNIT_WORD.match(w)] or words
    at = next((i for i, w in enumerate(words) if stem(w) in said), None)
    if at is None or at + 1 >= len(words) or any(stem(w) in said for w in words[at + 1 :]):
        return False  # "the least final points" says the whole name
    return not _NOT_NOUNS.search(words[at + 1])


def _names_the_kind(v: Value) -> bool:
    """Words found inside at least half of a column's (five or more) cells."""
    cells = v.column.values
    if len(cells) < 5:
        return False
    words = [stem(w) for w in re.findall(r"[a-z]+", v.value.lower())]
    if not words:
        return False
    pattern = re.compile(r"\b" + r"\w*\s+".join(re.escape(w) for w in words))
    return sum(1 for c in cells if pattern.search(c.lower())) >= 0.5 * len(cells)


_FREEZING = re.compile(r"\b(?:below|under|above|over|than) (?P<at>freezing)\b|(?:低于|高于)(?P<zh>冰点)")


def _freezing(text: str, table: TableInfo) -> list[tuple[str, int, int]]:
    """ "Record lows below freezing": 32 in a table whose temperatures are in °F first ("Record low
    °F (°C)"), else 0."""
    said = _FREEZING.search(text)
    if said is None:
        return []
    units = [m.group(1) for c in table.columns for m in [re.search(r"°\s*([cf])", c.folded)] if m]
    fahrenheit = units.count("f") > units.count("c")
    at = "at" if said.group("at") else "zh"
    return [("32" if fahrenheit else "0", said.start(at), said.end(at))]


def _not_column_words(text: str, mentions: list[Mention]) -> list[Mention]:
    """The column mentions, less the words that ask about something else there."""
    # "how many times": what is counted, not a loose synonym of a time or year column
    times = {m.end() for m in _HOW_MANY_TIMES.finditer(text)}
    mentions = [m for m in mentions if not (m.start in times and m.score < 1.0)]
    # "which hospital", "how many hospitals" over a "Hospital beds" column: the head noun names
    # the kind of thing asked for, and only a modifier of the number column's name
    mentions = [m for m in mentions if not _names_a_modifier(text, m)]
    numbers = [m for m in mentions if m.column.kind in ("number", "numtext")]
    # "gold medals": "medals" says what the gold column counts; it names no Total column of its own
    mentions = [m for m in mentions if not (m.score < 3.0 and text[m.start : m.end] in ("medal", "medals") and any(
        n.column is not m.column and n.score > m.score and 0 <= m.start - n.end <= 1 for n in numbers))]
    # "預算超過50百萬元": a unit written after a number belongs to it, and names no other column
    # whose name ends in the same unit ("實際支出(百萬元)")
    mentions = [m for m in mentions if not (m.score < 3.0 and m.start > 0 and text[m.start - 1].isdigit()
                                            and re.match(r"[百千万亿元%]", text[m.start]))]
    # "how many total bronze medals": "total" adds up the bronze column; it names no Total column
    return [m for m in mentions if not (text[m.start : m.end] == "total" and any(
        n.column is not m.column and n.score >= 3.0 and 0 <= n.start - m.end <= 1 for n in numbers))]


_NUMBER_NEXT = re.compile(r"\s*[$£€¥]?\d")


def _drop_column_words(
    text: str, has: dict[str, list[tuple[int, str]]], mentions: list[Mention], derived: list[Mention]
) -> None:
    """Intent words that are part of what names a column or a measure ask for nothing of their own."""
    # "how many gold and silver medals", "how many more gold than silver": the words that combine two
    # columns ask for that measure, not for a count, a total or a comparison of their own.
    _drop_hits(has, ("count", "sum", "gt", "lt", "difference", "percent"), [(m.start, m.end) for m in derived])
    # "the season with the most total losses": "total" begins a column's name ("Total Losses"), and
    # the superlative ranks by it
    if has["max"] or has["min"]:
        _drop_hits(has, ("sum",), [(m.start, m.end) for m in mentions if m.score >= 3.0 and len(m.column.words) > 1])
    # "what is the hull number of yukon": "number" ends a column's name ("Hull No."), no count
    numbered = {m.end for m in mentions if any(w in ("no", "number", "num", "nr", "#") for w in m.column.words)}
    # "the gold medal count for brazil": a number column's count is its value, not a count of rows
    counted = {m.end + len(unit) for m in mentions if m.column.kind in ("number", "numtext") and m.score >= 3.0
               for unit in ("", " medal") if text.startswith(unit, m.end)}
    has["count"] = [(p, ph) for p, ph in has["count"]
                    if not (ph.startswith("number") and p - 1 in numbered or ph == "count" and p - 1 in counted)]
    # "drivers with an average speed above 135 mph", "districts with percentage decadal growth above 15%": the
    # word begins a column's name ("Average Speed (mph)") and asks for no average or share of its own
    for kind in ("avg", "percent"):
        has[kind] = [(p, ph) for p, ph in has[kind]
                     if not any(m.start <= p < m.end and m.score >= 1.5 and len(m.column.words) > 1
                                and m.column.words[0] == ph and text.startswith(" ".join(m.column.words[:2]), p)
                                for m in mentions)]
    # "how many records have an average wait over 10", 平均等候時間超過10分鐘的記錄有多少: "average"
    # is part of an averaged column's name, and the question counts rows
    if has["count"]:
        averaged = {m.start for m in mentions if is_averaged(m.column)}
        has["avg"] = [(p, ph) for p, ph in has["avg"] if not any(0 <= a - (p + len(ph)) <= 1 for a in averaged)]


def parse(question: str, table: TableInfo) -> Plan:
    """A query plan for `question` over `table`, or CannotAnswer."""
    text = normalise(question)
    q = Question(text, tokens(text))
    values = value_links(q, table)
    mentions = _not_column_words(text, inside_full_names(unit_free(q, column_mentions(q, table))))
    # "overspent": spending − budget; "budget minus spending", 預算減支出, "spending as a percentage
    # of budget": two columns combined
    derived = derived_mentions(q, table) + column_measures(q, mentions)
    mentions = [m for m in mentions if not any(d.start <= m.start < d.end for d in derived)] + derived
    values = one_column_per_span(q, values, mentions, table)
    # "how many hospitals are in asheville" over hospital names: the noun asked about, inside most
    # of a column's cells, names the kind of thing the rows are, not a condition on them
    values = [v for v in values if v.exact or not (_HEAD_AT.search(text[: v.start]) and _names_the_kind(v))]
    # A word that is a column's whole name ("laps") names that column, not a word inside other cells;
    # nor does a piece of such a name (处理 of 處理日數 is no part of the status 處理中).
    strong = {(m.start, m.end) for m in mentions if m.score >= 3.0}
    values = [v for v in values if v.exact or not any(s <= v.start and v.end <= e for s, e in strong)]
    flags = flag_filters(q, mentions, values)
    values = [v for v in values if not any(a <= v.start < b for a, b in (f.span for f in flags))]
    # Months ("after august", "in october") on the table's dates, unless the words are a whole cell.
    # "before september 2, 2001" compares dates even when "september 2, 2001" is a whole cell,
    # unless the question steps to a neighbouring row ("the next date after june 14, 2010").
    stepping = re.search(r"\b(next|previous|following|preceding)\b|下一|上一", text)
    months = [
        f
        for f in month_filters(text, table)
        if not any(v.exact and v.start < f.span[1] < v.end + 1 for v in values) or f.op != "month" and not stepping
    ]
    relative = relative_date_filters(text, table)  # "last month", 今年: days counted from today
    months = [f for f in months if not any(r.span[0] <= f.span[0] < r.span[1] for r in relative)] + relative
    values = [v for v in values if not any(v.start < f.span[1] and f.span[0] < v.end for f in months)]
    value_spans = [(v.start, v.end) for v in values] + [f.span for f in months]
    mentions = [
        m
        for m in mentions
        if not any(s <= m.start and m.end <= e for s, e in value_spans)
        or m.score >= 3.0
        and not any(v.column is m.column for v in values)
    ]
    has = {
        k: q.has(k)
        for k in (
            "count",
            "count_distinct",
            "sum",
            "avg",
            "max",
            "min",
            "first",
            "last",
            "next",
            "previous",
            "negate",
            "gt",
            "lt",
            "between",
            "contains",
            "percent",
            "difference",
            "group",
            "before_date",
            "after_date",
        )
    }
    _drop_column_words(text, has, mentions, derived)
    # "last month", "the past 30 days", 最近三個月: a date, not the last row or a superlative.
    _drop_hits(has, ("first", "last", "previous", "max", "min"), [r.span for r in relative])
    # "the states next to colorado": beside it, not the row after it.
    has["next"] = [(p, ph) for p, ph in has["next"] if not q.text.startswith("next to ", p)]
    # "the next highest": the second of a superlative, not the row after one
    ranked = {p for p, _ in has["max"] + has["min"]}
    has["next"] = [(p, ph) for p, ph in has["next"] if not (ph == "next" and p + 5 in ranked)]
    # "above 250 pounds", "below 5,000": a comparison with the number, not the row above
    for step in ("next", "previous"):
        has[step] = [(p, ph) for p, ph in has[step]
                     if not (ph in ("above", "below") and _NUMBER_NEXT.match(text, p + len(ph)))]
    # "in the first quarter": a quarter of the year (a date filter), not the first row.
    has["first"] = [(p, ph) for p, ph in has["first"] if not q.text.startswith("first quarter", p)]
    # Years compared ("before 1908", "between 1903-1923") are ranges even where a cell holds the year.
    compared = compared_years(q, values, has) + compared_numbers(q, values, has)
    if compared:
        values = [v for v in values if v not in compared]
        value_spans = [(v.start, v.end) for v in values] + [f.span for f in months]
    absent, mentions = absence_filters(q, mentions)
    tops = top_n_filters(q, table, mentions)  # "in the top 30": a rank filter, not a superlative
    times = times_condition(text)  # "won more than once": a condition on how often, not on a number
    if times is not None:
        _drop_hits(has, ("gt", "lt"), [times[2]])
    _drop_hits(has, ("max",), [f.span for f in tops])
    spending = budget_filters(q, table, has)  # "over budget": spending above budget
    # "more silver than gold": one column against another, unless said as over budget already
    spending += [f for f in column_conditions(q, mentions, has) if not any(f.span[0] < e and s < f.span[1]
                                                                        for s, e in (g.span for g in spending))]
    _drop_hits(has, ("gt", "lt", "previous"), [f.span for f in spending])  # "above" is no row above
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in (f.span for f in spending))]
    absent += flags + chart_top_filters(q, mentions) + tops + spending
    # "free of advertising": "free" is part of the phrase, not the cell "Free".
    values = [v for v in values if not any(a <= v.start < b for a, b in (f.span for f in absent))]
    # "class 1" names the column "Class 1 (e.g. Motorbike)": its number is no filter.
    named_digits = [(m.start, m.end, {w for w in m.column.words if w.isdigit()}) for m in mentions]
    # numbers inside values, "in the top 30" and "3 times" are no filters of their own
    said_spans = value_spans + [f.span for f in tops] + ([times[2]] if times else [])
    numbers = [
        (m.group(0), m.start(), m.end())
        for m in _NUM.finditer(text)
        if not any(s <= m.start() < e for s, e in said_spans)
        and not any(s < m.start() and m.end() <= e and m.group(0) in d for s, e, d in named_digits)
    ] + _freezing(text, table)
    for v in values:
        window = text[max(0, v.start - 14) : v.start]
        if any(
            q_ in window.split() or (not ASCII.match(q_) or " " in q_) and q_ in window for q_ in lexicon()["negate"]
        ) or re.search(r"\bnot (in|from|at|on|by|for)\s*$", window) or _EXCEPT_AFTER.match(text, v.end):
            v.negated = True  # "other than complaint", 不包括投訴, 投訴以外
        if _VERB_NOT.search(text[: v.start]):
            v.negated = v.excluded = True

    head_kind, head_pos = question_head(q)
    filters: list[Filter] = []
    for v in values:
        filters.append(value_filter(v))
    filters += [Filter(f.column, f.op, f.value, f.sql, f.span) for f in months]
    filters += number_filters(q, table, numbers, mentions, has)
    filters += absent
    if not any(v.exact and _OUTCOME_WORD.match(text[v.start : v.end]) for v in values):
        filters += score_filters(q, table)  # "how many games did they lose" over results "0–1"

    rows_word = re.search(r"\b(rows?|records?|entries|lines)\b|行|记录|条", text)
    # "what continent is listed at the top of the table": a position in the table itself.
    # "what was the last book published": a thing the table lists, though no column is named so.
    placed = (has["first"] or has["last"]) and re.search(r"\b(listed|table|list|chart)\b|^(?:what|which|who)\b", text)
    # "cases by month", 每月個案: the date column's months are named, though no column is by name.
    timed = date_column(table) is not None and _TIME_GROUP.search(text) is not None
    recent = rows_word is not None and _RECENT.search(text) is not None  # "the 5 most recent records"
    # "最早的記錄是哪一天", "when was the first record": the date column answers
    dated = (head_kind == "when" or _WHICH_PERIOD.search(text) is not None) and date_column(table) is not None
    if not values and not mentions and not filters and not (has["count"] and rows_word) and not placed and not timed \
            and not recent and not dated:
        raise CannotAnswer(
            "Cannot answer this from the table: the question names none of its columns or values.",
            hint="Use the column names or values shown in the table's profile.",
        )

    builder = Builder(q, table, values, mentions, filters, has, head_kind, head_pos)
    plan = builder.build()
    # Several tables: the one the question names, and the one it links to most, is the likelier.
    spans: list[tuple[int, int]] = []
    for name in (table.name, table.joined):
        table_words = [w for w in re.findall(r"[a-z0-9]+|[\u3400-\u9fff]+", fold(name)) if len(w) > 1]
        named = [(p, p + len(w)) for w in table_words if not ASCII.match(w) for p in q.find(w)]
        named += [(ws, we) for qw, ws, we in q.words if any(stem(qw) == stem(w) for w in table_words)]
        if named:
            plan.confidence += 0.3
            spans += named
    plan.confidence += 0.05 * len(values) + 0.02 * len(mentions)
    # A value that is unique in its column pins down one row: the table is about that thing.
    if any(v.exact and not v.negated and v.column.distinct == table.rows > 1 and not table.joined for v in values):
        plan.confidence += 0.1
    # "what states does the mississippi run through": the states asked for cannot be the state
    # the value pins down; another table (a river's) reads the question better.
    pinned = {f.column for f in filters if f.op == "="}
    if any(m.column.name in pinned and ASKED_BEFORE.search(text[: m.start]) for m in mentions):
        plan.confidence -= 0.5
    # "the population of austin": a value in the column that names the table's rows (the city
    # called austin) is likelier than the same word elsewhere (the state whose capital is austin).
    # In "atlanta georgia" the thing is atlanta; georgia only says which one.
    qualifiers = {v.start for v in values if any(follows(text, o, v) for o in values)}
    if any(v.exact and not v.negated and entity_column(v.column, table) and v.start not in qualifiers for v in values):
        plan.confidence += 0.2
    # What the plan explains: links whose column it reads. Words inside longer cells ("river" in
    # "Riverside") are weak links and do not count.
    spans += [(v.start, v.end) for v in values if v.exact and v.column.ident in plan.sql]
    spans += [(m.start, m.end) for m in mentions if m.column.ident in plan.sql]
    spans += [f.span for f in filters[len(values) :]]
    spans += builder.measured_by  # "the highest point" read as the highest_elevation it names
    # A superlative alone names no column: "the lowest population" does not ask for lowest_point.
    extremes = set(lexicon()["max"]) | set(lexicon()["min"])
    plan.target_named = any(
        m.column.name == plan.target
        and any(w not in extremes for w, ws, we in q.words if m.start <= ws and we <= m.end)
        for m in mentions
    )
    plan.table = table.name
    # Counted in words, so that a long word weighs no more than a short one.
    plan.coverage = frozenset(ws for _, ws, we in q.words if any(a < we and ws < b for a, b in spans if a >= 0))
    content = [ws for w, ws, _ in q.words if w not in STOPWORDS]
    plan.share = sum(1 for ws in content if ws in plan.coverage) / len(content) if content else 0.0
    return plan
