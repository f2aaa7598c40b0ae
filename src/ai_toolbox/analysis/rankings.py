"""Query shapes that rank rows: the most / least (a superlative), the first / last, and the row
before or after a named one."""

from __future__ import annotations

import re

from ai_toolbox.analysis.conditions import (
    HAS_YEAR,
    ORDINAL_CELL,
    date_column,
    held_cell,
    year_column,
    year_expr,
    years_between,
)
from ai_toolbox.analysis.dates import month_column
from ai_toolbox.analysis.linking import AFTER_DID_PRONOUN, Mention, is_averaged, names_column
from ai_toolbox.analysis.parts import Parts
from ai_toolbox.analysis.plan import Plan
from ai_toolbox.analysis.schema import ColumnInfo, quote
from ai_toolbox.analysis.vocabulary import (
    ASCII,
    NUMBER_WORDS,
    ORDINALS,
    PLACE_WORDS,
    STOPWORDS,
    lexicon,
    names_ids,
    number_said,
    stem,
)

# "top 3", "前3", "前三", "最多的三个地区" (the question is folded to Simplified)
_TOP_K = re.compile(
    r"\b(?:top|first|bottom)\s+(\d+)\b|前(\d+|[二两三四五六七八九十])|最[^的]{0,8}的(\d+|[二两三四五六七八九十])个"
)

MAX_TOP_K = 10_000
_WHAT_WAS_DONE = re.compile(r"^(?:what|who|which one) (?:was|were|is|are|got|came) [a-z]+ed$")
# Superlatives that rank a day of a log by an amount, not by its date ("the busiest day").
_BY_AMOUNT = ("busiest", "quietest", "least busy", "most", "least", "fewest", "最繁忙", "最忙", "最多", "最少")
# "which channel appears most often": rows are what is counted.
_WHICH_THING = re.compile(r"(?:which|who)\s+")
# "the second highest", "the next most", "3rd largest" (right before the superlative), 第二高
_NTH_BEFORE = re.compile(r"\b(second|third|fourth|fifth|next|2nd|3rd|4th|5th)[\s-]+$")
_TOGETHER = re.compile(r"\s*(?:the\s+|'s\s+|of\s+|,\s*)?")
# Rank and place columns, and the superlatives that read them as better or worse, not larger.
_RANK_WORDS = frozenset({"rank", "ranking", "place", "position", "pos"})
_BETTER_WORSE = frozenset({"highest", "best", "top", "lowest", "worst", "最高", "最好", "最低", "最差"})
# Superlatives of age, which a year or date column measures when the table has no age column.
# "in office for the most amount of time", "the longest serving", "served the shortest time"
_SPAN_SAID = re.compile(r"\b(?:(?:most|least|longest|shortest)(?: amount of)? time|longest[- ]serving|served the "
                        r"(?:longest|shortest)|(?:longest|shortest) (?:tenure|term|reign|period|service))\b")
# the table's own order named: "the last season listed", "next on the list", "the row below"
_ORDER_WORDS = "listed|list|table|chart|row"
_TABLE_ORDER = re.compile(rf"\b(?:{_ORDER_WORDS})\b")
_LIST_SAID = re.compile(rf"\b(?:{_ORDER_WORDS}|rows|below|above)\b")
_AGED = frozenset({"oldest", "youngest", "newest", "earliest", "latest", "most recent",
                   "最早", "最晚", "最新", "最旧", "最老"})
_SPEED_WORDS = frozenset({"speed", "mph", "kmh", "velocity", "qual", "average", "avg", "速度"})
_TIME_ASKED = re.compile(r"^what (?:was|is|were) (?:his|her|their|its|the) .*\btime\??$")
_PLACE_SAID = re.compile(r"\b(?:finish|finishes|finished|placing|placings|place|result|results|position|ranking)\b")
_DURATION = re.compile(r"^\s*\d{1,3}:\d{2}(?::\d{2})?\s*$")


# "what …", "previous to X, which …": the question word that opens what is asked
_WH_WORD = re.compile(r"(?:^|,\s*|\s)(?:what|which)\b")


def _is_place(col: ColumnInfo) -> bool:
    """A rank or place: named so ("Rank", "Position"), or written as ordinals ("5th, Western")."""
    cells = [v for v in col.values if v.strip()]
    return bool(set(col.words) & _RANK_WORDS) or (
        bool(cells) and sum(1 for v in cells if ORDINAL_CELL.match(v)) >= 0.8 * len(cells))


ROWS_ASKED = re.compile(r"\b(?:often|frequent|frequently|times|rows?|records?|entries)\b|次数|出现|记录|纪录")


class Rankings(Parts):
    """Superlatives, first / last and next / previous rows."""

    def top_k(self) -> int | None:
        """N of "top N" / "bottom N" / 前N / 最多的N個, or None when the question names no such N."""
        k = _TOP_K.search(self.q.text)
        if k is None:
            return None
        said = next(g for g in k.groups() if g)
        n = number_said(said)
        return min(max(n, 1), MAX_TOP_K)  # "top 0" is the top one; a huge N is every row anyway

    def nth(self) -> int:
        """2 for "the second highest", "the next highest", "the 2nd most", 第二高 (a phrase of the lexicon); else 1."""
        for p, phrase in self.has["max"] + self.has["min"]:
            said = _NTH_BEFORE.search(self.q.text, 0, p)
            if said is not None:
                word = said.group(1)
                return 2 if word == "next" else ORDINALS.get(word) or int(re.sub(r"\D", "", word) or 1)
            if phrase.startswith("第"):
                return NUMBER_WORDS.get(phrase[1], 1)
        return 1

    def superlative_order(self) -> str | None:
        """'desc' when the question asks for the most, 'asc' for the least, else None."""
        # "over", "at the top of the table": comparisons and positions, not superlatives.
        cmp_spans = [(p, p + len(ph)) for p, ph in self.has["gt"] + self.has["lt"] + self.has["first"]]
        mx = [h for h in self.has["max"] if not any(a <= h[0] < b for a, b in cmp_spans)]
        mn = [h for h in self.has["min"] if not any(a <= h[0] < b for a, b in cmp_spans)]
        if not mx and not mn:
            k = _TOP_K.search(self.q.text)
            return "asc" if k and k.group(0).lower().startswith("bottom") else None  # "bottom 3 districts"
        if mx and mn:
            return "desc" if mx[0][0] < mn[0][0] else "asc"
        return "desc" if mx else "asc"

    def _asks_a_thing_before(self, first: Mention) -> bool:
        """'which hospital has the most hospital beds': "which" asks for a thing named before the
        measure, not for the measure's largest value ("which year had …" names its column)."""
        which = _WHICH_THING.match(self.q.text)
        return which is not None and first.start > which.end()

    def superlative(self, order: str) -> Plan:
        direction = "DESC" if order == "desc" else "ASC"
        # "the biggest city": "biggest" names the measure (population), "city" the answer.
        sup = [(p, p + len(ph)) for p, ph in self.has["max"] + self.has["min"]]

        def says_superlative(m: Mention) -> bool:
            """A column whose whole name holds the superlative: "the lowest elevation"."""
            return m.score >= 3.0 and any(m.start <= a and b <= m.end for a, b in sup)

        first = min(
            (
                m
                for m in self.mentions
                if m.start >= self.head_pos
                and m.column.name not in self.filter_cols
                and (not any(a <= m.start < b for a, b in sup) or says_superlative(m))
            ),
            key=lambda m: m.start,
            default=None,
        )
        if (
            not self.head_kind
            and self.asked_bucket() is None
            and first is not None
            and first.column.kind in ("number", "numtext")
            and not self.identifies(first.column)
            and (
                self.metric(first.column) is None
                or self._measured_right_after(first)
                or says_superlative(first)
                or self._measure_of_superlative(first)
            )
            and not self._names_thing_after(first)
            and not self._asks_a_thing_before(first)
        ):
            return self._extreme_value(first.column.numeric, first.column, self._ranked_order(first.column, order))
        if first is not None and self._best_place_asked(first):
            return self._best_place(first.column, self._ranked_order(first.column, order))
        target = self.subject = self.target(exclude_numeric=True)
        timed = self._lasting(target) if _TIME_ASKED.search(self.q.text) else None
        if timed is not None:
            # "what was his fastest marathon time": the time itself, as the table writes it
            return self._best_place(timed, self._ranked_order(timed, order), shown=quote(timed.name))
        metric = self._spanned() or (self.metric(target) or self.measure_beside(sup) or self._busiest_by(target)
                                     or self._aged_by_year(target) or self._lasting(target))
        if metric is not None and self._periods_counted(metric, sup):
            metric = None  # "which team did he play the most seasons for": seasons are counted
        said_as = [m for m in self.mentions if m.column is metric]
        if said_as and all(AFTER_DID_PRONOUN.search(self.q.text, 0, m.start) for m in said_as):
            metric = None  # "in which competition did he score the most goals": "score" is the verb
        counted = self._counted_after(sup)
        dates = date_column(self.t)
        aged = {ph for _, ph in self.has["max"] + self.has["min"]} & (_AGED | {"最近"})
        if metric is None and target.expr and dates is not None and aged:
            # "最早的記錄是哪一天", 最近的記錄是哪一天 (the latest): the date itself, at its extreme
            return self._extreme_value(dates.ident, dates, "desc" if "最近" in aged else order)
        if metric is None and target.kind in ("number", "numtext", "date") and counted is None:
            # "what was the least amount of points" -> the smallest value itself
            return self._extreme_value(target.numeric if target.kind != "date" else target.ident, target, order)
        if metric is None and self._top_of_list(target):
            return self.ordinal("asc")
        quantity = self.quantity_column() if metric is None and counted is None else None
        if quantity is not None and quantity is not target and {ph for _, ph in self.has["max"] + self.has["min"]} \
                <= {"most", "least", "fewest", "最多", "最少"}:
            # "which nation ordered the most vessels": the rows' quantities added up per nation
            where = self.where()
            sql = (
                f"SELECT {target.selected} FROM {self.t.ident}{where} GROUP BY {target.ident} "
                f"ORDER BY SUM({quantity.numeric}) {direction}, MIN({self.t.rowid}) LIMIT 1"
            )
            return Plan(sql, "argmax_total" if order == "desc" else "argmin_total", target=target.name,
                        metric=quantity.name, filters=self.filters, order=order, limit=1, confidence=0.5)
        if metric is None:
            # "which country had the most cyclists": the most frequent value; "the player with the
            # most mvp's": of the column named in full right after "most", when the thing asked for
            # is only loosely named ("player" in "Defensive Player of the Year").
            if counted is not None and counted.score >= 3.0 and counted.column is not target and not any(
                m.column is target and m.score >= 3.0 for m in self.mentions
            ):
                target = counted.column
            # "which team came in as runners up the most often": the column of the role named
            role = next((m for m in self.mentions if m.score >= 3.0 and m.column.kind == "text"
                         and m.column.name not in self.filter_cols and self.q.text.endswith(" as ", 0, m.start)), None)
            if role is not None and not any(m.column is target and m.score >= 3.0 for m in self.mentions):
                target = role.column
            # Every value tied for the most (least), in table order ("which nationality had the
            # fewest players" where two had one each); when every value ties, there is no most and
            # the first listed answers ("the top placing competitor").
            extreme = "MAX" if order == "desc" else "MIN"
            # a placeholder ('-', 'n/a') says there is none: it is no affiliation with most hospitals
            where = self.where()
            blank = held_cell(target)
            where = f"{where} AND {blank}" if where else f" WHERE {blank}"
            groups = (f"WITH g AS (SELECT {target.ident} AS {quote(target.name)}, COUNT(*) AS n, "
                      f"MIN({self.t.rowid}) AS at FROM {self.t.ident}{where} GROUP BY {target.ident}) "
                      f"SELECT {quote(target.name)} FROM g ")
            k = self.nth()
            if k > 1:  # "the second most common": the next count down
                sql = (f"{groups}WHERE n = (SELECT DISTINCT n FROM g ORDER BY n {direction} LIMIT 1 OFFSET {k - 1}) "
                       "ORDER BY at")
            else:
                sql = (f"{groups}WHERE n = (SELECT {extreme}(n) FROM g) ORDER BY at "
                       "LIMIT CASE WHEN (SELECT MIN(n) FROM g) = (SELECT MAX(n) FROM g) THEN 1 ELSE 100 END")
            return Plan(
                sql,
                "most_frequent" if order == "desc" else "least_frequent",
                target=target.name,
                filters=self.filters,
                order=order,
                limit=1,
                confidence=0.4,
            )
        where = self.where()
        cond = f"{metric.numeric} IS NOT NULL"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        n = self.top_k() or 1
        order = self._ranked_order(metric, order)
        direction = "DESC" if order == "desc" else "ASC"
        if self._log_of_records(target) and metric.kind == "number":
            # A log of records ("district, date, enquiries"): "which district has the most enquiries"
            # means the most in total, not the single largest record; a rating or an average
            # ("satisfaction", "avg_wait_minutes") does not add up, so it compares averages.
            mean = is_averaged(metric) or bool(self.has["avg"])  # or "the highest average X"
            fn = "AVG" if mean else "SUM"
            sql = (
                f"SELECT {target.selected} FROM {self.t.ident}{where} GROUP BY {target.ident} "
                f"ORDER BY {fn}({metric.numeric}) {direction}, MIN({self.t.rowid}) LIMIT {n}"
            )
            if n == 1 and (k := self.nth()) > 1:
                sql += f" OFFSET {k - 1}"
            kind = "mean" if mean else "total"
            intent = f"argmax_{kind}" if order == "desc" else f"argmin_{kind}"
            return Plan(sql, intent, target=target.name, metric=metric.name, filters=self.filters, order=order,
                        limit=n, confidence=0.6)
        if n == 1:
            # Every row that reaches the extreme: a tie, or one thing spread over several rows (a
            # river listed once per state it runs through), is answered in full.
            fn = "MAX" if order == "desc" else "MIN"
            best = f"(SELECT {fn}({metric.numeric}) FROM {self.t.ident}{where})"
            k = self.nth()
            if k > 1:  # "the school with the next highest enrollment": the next value down, ties counted once
                best = (f"(SELECT DISTINCT {metric.numeric} FROM {self.t.ident}{where} ORDER BY {metric.numeric} "
                        f"{direction} LIMIT 1 OFFSET {k - 1})")
            sql = (
                f"SELECT {target.selected} FROM {self.t.ident}{where} AND {metric.numeric} = {best} "
                f"ORDER BY {self.t.rowid}"
            )
        else:
            sql = (
                f"SELECT {target.selected} FROM {self.t.ident}{where} "
                f"ORDER BY {metric.numeric} {direction}, {self.t.rowid} LIMIT {n}"
            )
        return Plan(
            sql,
            "argmax" if order == "desc" else "argmin",
            target=target.name,
            metric=metric.name,
            filters=self.filters,
            order=order,
            limit=n,
            confidence=0.6,
        )

    def _best_place_asked(self, first: Mention) -> bool:
        """'what was his best position', 'their highest finish': a place column (4th, 28th (h))
        named right after the superlative, asked for by "what", not a row asked for by "which"."""
        said = {ph for _, ph in self.has["max"] + self.has["min"]}
        return (
            first.column.kind in ("number", "numtext", "text") and _is_place(first.column)
            and bool(said) and said <= _BETTER_WORSE and self._measured_right_after(first)
            and self.q.text.startswith("what") and not self._names_thing_after(first)
        )

    def _best_place(self, column: ColumnInfo, order: str, shown: str = "") -> Plan:
        """The place itself as the table writes it ("1st"), at its smallest (or largest) number;
        `shown`, the cell to show when `column` is computed from it (a duration's seconds)."""
        fn = "MIN" if order == "asc" else "MAX"
        where = self.where()
        cond = f"{column.numeric} = (SELECT {fn}({column.numeric}) FROM {self.t.ident}{where})"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        sql = f"SELECT DISTINCT {shown or column.ident} FROM {self.t.ident}{where}"
        return Plan(sql, fn.lower(), metric=column.name, filters=self.filters, confidence=0.6)

    def _lasting(self, target: ColumnInfo) -> ColumnInfo | None:
        """'the longest song', 'the shortest call': with no length column, a column of durations
        ("4:24", "1:02:10") measures them, in seconds."""
        said = {ph for _, ph in self.has["max"] + self.has["min"]}
        if not said & {"longest", "shortest", "fastest", "quickest", "slowest", "最长", "最短", "最快", "最慢"}:
            return None
        for col in self.t.columns:
            cells = [v for v in col.values if v.strip()]
            if col is target or not cells or sum(1 for v in cells if _DURATION.match(v)) < 0.6 * len(cells):
                continue
            parts = [f"COALESCE(TRY_CAST(SPLIT_PART(TRIM({col.ident}), ':', {i}) AS DOUBLE), 0)" for i in (1, 2, 3)]
            three = f"LENGTH(TRIM({col.ident})) - LENGTH(REPLACE(TRIM({col.ident}), ':', '')) = 2"
            timed = f"REGEXP_MATCHES(TRIM({col.ident}), '^[0-9]{{1,3}}:[0-9]{{2}}(:[0-9]{{2}})?$')"
            expr = (f"(CASE WHEN NOT {timed} THEN NULL WHEN {three} THEN {parts[0]} * 3600 + {parts[1]} * 60 "
                    f"+ {parts[2]} ELSE {parts[0]} * 60 + {parts[1]} END)")  # "DNF" is no time
            return ColumnInfo(name=col.name, type="DOUBLE", kind="number", words=col.words, folded=col.folded,
                              expr=expr)
        return None

    def _spanned(self) -> ColumnInfo | None:
        """'who was in office for the most amount of time', 'the longest serving': the years between each
        row's opening and closing columns ("Took Office", "Left Office")."""
        cols = self.span_columns() if _SPAN_SAID.search(self.q.text) else None
        if cols is None:
            return None
        a, b = cols
        return ColumnInfo(name=f"{b.name} − {a.name}", type="INTEGER", kind="number", words=("years",),
                          folded="years", expr=years_between(a, b))

    def _aged_by_year(self, target: ColumnInfo) -> ColumnInfo | None:
        """'which church is the oldest', 'the newest stadium': with no age column, the year or date
        that dates the rows measures age."""
        said = {ph for _, ph in self.has["max"] + self.has["min"]}
        ycol = year_column(self.t)
        if not said & _AGED or ycol is None or ycol is target or any("age" in c.words for c in self.t.columns):
            return None
        return ycol if ycol.kind in ("number", "numtext") else None

    def _ranked_order(self, measure: ColumnInfo, order: str) -> str:
        """On a rank or place column the best is the smallest number: "the highest rank", "the top
        preliminary rank" is rank 1 and "the lowest place" the largest number. Measured by a year,
        the oldest is the earliest and the youngest the latest."""
        said = {ph for _, ph in self.has["max"] + self.has["min"]}
        if measure is year_column(self.t) and said & {"oldest", "youngest", "最旧", "最老"}:
            return "asc" if order == "desc" else "desc"
        if said & {"fastest", "quickest", "最快"} and set(measure.words) & _SPEED_WORDS:
            return "desc"  # the fastest speed is the largest; the fastest time the smallest
        if said & {"slowest", "最慢"} and set(measure.words) & _SPEED_WORDS:
            return "asc"
        placed = said <= {"best", "worst"} and _PLACE_SAID.search(self.q.text)  # "her best overall finish"
        if not (_is_place(measure) or placed) or not said <= _BETTER_WORSE:
            return order
        return "asc" if order == "desc" else "desc"

    def _periods_counted(self, measure: ColumnInfo, sup: list[tuple[int, int]]) -> bool:
        """'which team did he play the most seasons for', 'the coach with the most years': the
        years or seasons, named in the plural right after "most", are counted, not the largest."""
        if measure is not year_column(self.t) or measure.kind == "date":
            return False
        plural = {s for w, s, _ in self.q.words if stem(w) != w}
        return any(
            m.column is measure and m.start in plural and any(0 <= m.start - b <= 1 for _, b in sup)
            for m in self.mentions
        )

    def _counted_after(self, sup: list[tuple[int, int]]) -> Mention | None:
        """A text column named as things counted (a plural) right after "most" / "fewest": "which
        year had the most titles" counts titles per year; in "the player with the most mvp's" the
        MVP column, named in full, holds the players (unless the question names its target in
        full too). "The top placing competitor" ranks by placing."""
        plural = {s for w, s, _ in self.q.words if stem(w) != w}
        return next(
            (
                m
                for m in self.mentions
                if m.column.kind == "text" and m.column.name not in self.filter_cols
                and m.start in plural and any(0 <= m.start - b <= 1 for _, b in sup)
            ),
            None,
        )

    def _extreme_value(self, expr: str, column: ColumnInfo, order: str) -> Plan:
        """The largest (order 'desc') or smallest value of `expr`, the SQL of `column`, itself."""
        fn = "max" if order == "desc" else "min"
        sql = f"SELECT {fn.upper()}({expr}) FROM {self.t.ident}{self.where()}"
        k = self.nth()
        if k > 1:  # "the second highest score": the next value down, ties counted once
            where = self.where()
            where += f"{' AND ' if where else ' WHERE '}{expr} IS NOT NULL"
            sql = (f"SELECT DISTINCT {expr} FROM {self.t.ident}{where} "
                   f"ORDER BY {expr} {'DESC' if order == 'desc' else 'ASC'} LIMIT 1 OFFSET {k - 1}")
        return Plan(sql, fn, metric=column.name, filters=self.filters, confidence=0.6)

    def _busiest_by(self, target: ColumnInfo) -> ColumnInfo | None:
        """'the busiest channel', 'the district with the most complaints' of a log of records that
        counts one thing ("enquiries"): the column to total, when the table has exactly one number
        column that adds up. Its rows are reports of counts, so counting rows would count reports."""
        if not self._log_of_records(target) or ROWS_ASKED.search(self.q.text):
            return None
        if (target.kind == "date" or target.expr) and not any(
                ph in _BY_AMOUNT for _, ph in self.has["max"] + self.has["min"]):
            return None  # "the latest date" is the date itself; "the busiest day" is a day's total
        return self.count_column(but=target)

    def count_column(self, but: ColumnInfo | None = None) -> ColumnInfo | None:
        """The one number column of the table that adds up (not a rating, not a row number, not years)."""
        additive = [c for c in self.t.columns if c.kind == "number" and not is_averaged(c)
                    and not self.identifies(c) and c is not but and c is not year_column(self.t)]
        return additive[0] if len(additive) == 1 else None

    def _log_of_records(self, target: ColumnInfo) -> bool:
        """Rows are dated records about `target` (each value on three rows or more; any day of a
        date) rather than entities: there is a date column, or a repeating year column (records per
        year), and no text column names the rows one by one as a city table's city names do."""
        rows = self.t.rows
        # A day's rows are added up whether a day has one row or several ("the busiest day").
        by_day = target.kind == "date" or (bool(target.expr) and "day" in target.words)
        # "which year had the highest total" over a value per district and year: the years' totals
        by_year = target is year_column(self.t) and target.kind == "number"
        spread = by_day or ((target.kind == "text" or by_year) and 0 < target.distinct * 3 <= rows)
        # a wide table read by period (a figure per district and year) is such a log by construction
        by_period = self.t.figures is not None
        dated = any(c.kind == "date" or c.iso_dates for c in self.t.columns) or by_year or by_period \
            or self._yearly(target)
        return (
            spread
            and dated
            # a case number ("Case No") names records, not things: a case log is still a log
            and not any(c.kind == "text" and c.distinct >= 0.9 * rows and not names_ids(c.words)
                        for c in self.t.columns)
        )

    def _yearly(self, target: ColumnInfo) -> bool:
        """Records per year: a number column of years ("年度", "Year") that repeats, and `target`
        repeats within a year too (a budget line per department, item and year)."""
        ycol = year_column(self.t)
        return (ycol is not None and ycol.kind == "number" and 0 < ycol.distinct * 3 <= self.t.rows
                and 0 < target.distinct < self.t.rows / max(ycol.distinct, 1))

    def _top_of_list(self, target: ColumnInfo) -> bool:
        """'which manufacturer did the top racer use': with nothing to measure, 'top' is the first
        row of a ranked table (one whose position column starts at 1), not the most frequent value;
        'the top manufacturer' stays a count."""
        sup = self.has["max"] + self.has["min"]
        if not sup or any(ph != "top" for _, ph in sup):
            return False
        ranked = any(set(c.words) & PLACE_WORDS and c.values[:1] == ["1"] for c in self.t.columns)
        if not ranked:
            return False
        after = [w for w, s, _ in self.q.words if s > sup[0][0]][:1]
        return bool(after) and stem(after[0]) not in {stem(w) for w in target.words}

    def _measured_right_after(self, measure: Mention) -> bool:
        """'the least amount of points': the superlative word itself names what is measured."""
        for pos, phrase in self.has["max"] + self.has["min"]:
            gap = self.q.text[pos + len(phrase) : measure.start]
            if pos < measure.start and re.fullmatch(r"\s*(?:(?:amount|number|total|count) of\s+)?(?:the\s+)?", gap):
                return True
        return False

    def _measure_of_superlative(self, measure: Mention) -> bool:
        """'the area of the largest state': what is asked for is what 'largest' measures here."""
        syn = lexicon()["synonyms"]
        for pos, phrase in self.has["max"] + self.has["min"]:
            if pos < measure.end or not re.fullmatch(r" of (?:the )?", self.q.text[measure.end : pos]):
                continue
            for word in syn.get(phrase, []):
                found = [c for c in self.t.columns if names_column(word, c.folded.strip(), set(map(stem, c.words)))]
                if found:
                    return found[0] is measure.column
        return False

    def _names_thing_after(self, measure: Mention) -> bool:
        """'the most populous city': a text column named right after the measure is what is asked for."""
        return any(
            m.column.kind == "text" and m.column.name not in self.filter_cols and 0 < m.start - measure.end <= 1
            for m in self.mentions
        )

    def ordinal(self, order: str) -> Plan:
        target = self.target()
        direction = "ASC" if order == "asc" else "DESC"
        n = 1
        m = re.search(r"\b(first|last|top)\s+(\d+|two|three|four|five|ten)\b", self.q.text)
        if m:
            n = number_said(m.group(2))
        if n > 1 and (self.has["sum"] or self.has["avg"]):
            metric = self.metric(None) or target
            fn = "SUM" if self.has["sum"] else "AVG"
            sql = (
                f"SELECT {fn}(v) FROM (SELECT {metric.numeric} AS v FROM {self.t.ident}{self.where()} "
                f"ORDER BY {self.t.rowid} {direction} LIMIT {n})"
            )
            return Plan(sql, fn.lower(), metric=metric.name, filters=self.filters, order=order, limit=n)
        by = f"{self.t.rowid} {direction}"
        if self._in_time_order(target):
            by = f"{year_expr(target)} {direction}, {by}"
        # "the first kit manufacturer": the first row that names one, not an empty cell
        where = self.where()
        if target.kind == "text" and not target.expr and n == 1:
            held = held_cell(target)
            where = f"{where} AND {held}" if where else f" WHERE {held}"
        sql = f"SELECT {target.ident} FROM {self.t.ident}{where} ORDER BY {by} LIMIT {n}"
        return Plan(
            sql,
            "first" if order == "asc" else "last",
            target=target.name,
            filters=self.filters,
            order=order,
            limit=n,
            confidence=0.5,
        )

    def _in_time_order(self, target: ColumnInfo) -> bool:
        """'the last year a midfielder won': first and last by the years themselves, as tables are
        often listed newest first; 'the last season listed' keeps the table's own order."""
        if _TABLE_ORDER.search(self.q.text):
            return False
        if target is not year_column(self.t) or target.kind == "date":
            return False
        years = [v for v in target.values if re.search(r"(1[5-9]\d\d|20\d\d)", v)]
        return len(years) >= 0.8 * len(target.values) > 0

    def _newest_first(self) -> bool:
        """The rows run from the latest year down: "next" in time is the row above."""
        ycol = year_column(self.t)
        if ycol is None or ycol.kind == "date":
            return False
        years = [int(m.group(0)) for v in ycol.values if (m := HAS_YEAR.search(v))]
        steps = list(zip(years, years[1:], strict=False))
        return len(steps) >= 3 and sum(1 for a, b in steps if a > b) >= 0.8 * len(steps)

    def _asks_for_stepped_column(self, columns: set[str]) -> ColumnInfo | None:
        """The thing asked for is of the column the row is stepped from: named right after the
        question word ("what single title is listed after X", "previous to X, what is the name of
        the constituency", "after X what was the other competition"), or a date asked for by "when"
        from a row named by its date ("when will the next solar saros be after the may 24, 2199
        solar saros")."""
        cols = [self.t.column(c) for c in sorted(columns)]
        dated = [c for c in cols if c.kind == "date" or c.iso_dates or c is month_column(self.t)]
        if self.head_kind == "when" and dated:
            return dated[0]
        wh = _WH_WORD.search(self.q.text)
        if wh is None:
            return None
        first = min((m for m in self.mentions if m.start >= wh.end()), key=lambda m: m.start, default=None)
        if first is None or first.column.name not in columns or first.score < 2.0:
            return None
        gap = [w for w in self.q.text[wh.end() : first.start].split() if w not in STOPWORDS]
        return None if gap else first.column

    def counted_beside(self) -> Plan | None:
        """'how many places are listed previous to dixon', 'how many medici served after lorenzo the
        magnificent': the rows on one side of the row named (a cell said right after the step word), in
        the table's order."""
        steps = [(p, ph, True) for p, ph in self.has["next"]] + [(p, ph, False) for p, ph in self.has["previous"]]
        for pos, phrase, after in sorted(steps):
            end = pos + len(phrase)
            # "before the mackay sea eagles"; in Chinese the row comes first: 在Mackay Sea Eagles之前
            zh = not ASCII.match(phrase)
            near = [f for f in self.filters if f.op in ("=", "like") and self.t.column(f.column).kind == "text"
                    and (0 <= pos - f.span[1] <= 1 if zh else 0 <= f.span[0] - end <= 8)]
            if not near:
                continue
            anchor = [f for f in self.filters if f.op in ("=", "like") and f.column == near[0].column
                      and (f.span[1] <= pos if zh else f.span[0] >= end)]
            rest = [f for f in self.filters if f not in anchor]
            named = " OR ".join(f.sql for f in anchor)
            row = f"(SELECT MIN({self.t.rowid}) FROM {self.t.ident} WHERE {named})"
            side = f"{self.t.rowid} {'>' if after else '<'} {row}"
            where = self.where(rest)
            sql = f"SELECT COUNT(*) AS count FROM {self.t.ident}{where}{' AND ' if where else ' WHERE '}{side}"
            return Plan(sql, "count_after" if after else "count_before", filters=anchor + rest, confidence=0.6)
        return None

    def neighbour(self) -> Plan | None:
        nh, ph = self.has["next"], self.has["previous"]
        said_next = bool(nh) and (not ph or nh[0][0] < ph[0][0])
        # "after justin rose won in 2011 who won next?" over seasons listed newest first: the row above
        nxt = said_next != (self._newest_first() and not _LIST_SAID.search(self.q.text))
        anchor = [f for f in self.filters if f.op in ("=", "like")]
        if not anchor:
            return None
        # "before john adams": the row stepped from is the value named right after the step word,
        # a whole cell before words found inside cells.
        step_at = (nh[0] if said_next else ph[0])[0]
        anchor.sort(key=lambda f: (not (0 < f.span[0] - step_at <= 25), f.op != "=", f.span[0]))
        # "after the 2001 universiade": values said together right after the step word all name
        # the row stepped from.
        together = anchor[:1]
        for f in sorted(anchor[1:], key=lambda f: f.span[0]):
            last = max(together, key=lambda g: g.span[1])
            if f.op == "=" and f.column != last.column and f.span[0] >= last.span[1] \
                    and _TOGETHER.fullmatch(self.q.text, last.span[1], f.span[0]):
                together.append(f)
        # A month describes the row asked about ("aired on january 19 ... the next episode").
        dated = [f for f in self.filters if f.op in ("month", "before", "after")]
        rest = [f for f in self.filters if f not in anchor and f not in dated]
        # "what was released after paradise city": a verb ("released") says what happened to the
        # thing asked for, which is of the kind named (a song), not the column of that verb.
        others = [
            m
            for m in self.mentions
            if m.column.name != anchor[0].column and not _WHAT_WAS_DONE.match(self.q.text[: m.end])
        ]
        if any(m.column.name == anchor[0].column and m.score >= 3.0 for m in self.mentions):
            # "the next driver after X": the named column is the answer, unless another is named as firmly.
            others = [m for m in others if m.score >= 1.0]
        # "who was picked before jon pratt": "who" names the player column more than any other
        # column it could mean, and that is the column of the row stepped from.
        said = max(self.mentions, key=lambda m: m.score, default=None)
        if said is not None and said.column.name == anchor[0].column and all(m.score < 1.0 for m in others):
            others = []
        # "what competition came after the 2001 universiade": the column named before the step word
        named = [m for m in self.mentions if m.score >= 3.0 and m.end <= step_at
                 and m.column.name in {f.column for f in together[1:]}]
        stepped = None if named else self._asks_for_stepped_column({f.column for f in together})
        target = (named[0].column if named else stepped if stepped is not None else self.target() if others
                  else self.t.column(anchor[0].column))
        at = f"(SELECT MIN({self.t.rowid}) FROM {self.t.ident}{self.where(together + dated)})"
        if len(together) == 1 and target.name == together[0].column:
            # "what team did he play for after dnipro", listed for six seasons in a row: the next
            # row that names another team, not the anchor's own next season.
            other = f"COALESCE(NOT ({together[0].sql}), TRUE)"
            fn, cmp = ("MIN", ">") if nxt else ("MAX", "<")
            at = f"(SELECT {fn}({self.t.rowid}) FROM {self.t.ident} WHERE {self.t.rowid} {cmp} {at} AND {other})"
        else:
            at = f"{at} {'+ 1' if nxt else '- 1'}"
        sql = f"SELECT {target.ident} FROM {self.t.ident} WHERE {self.t.rowid} = {at}"
        if rest:
            sql += " AND " + " AND ".join(f.sql for f in rest)
        return Plan(sql, "next" if nxt else "previous", target=target.name, filters=together, confidence=0.6)
