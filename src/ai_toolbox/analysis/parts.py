"""What every query shape draws on, read from a question's links: the column that answers it
(`target`), the column it measures (`metric`), the group after "by" / 各, the WHERE clause of its
filters, and a total or average over them."""

from __future__ import annotations

import re

from ai_toolbox.analysis.conditions import date_column, year_column
from ai_toolbox.analysis.linking import WH_BEFORE, Mention, Question, is_averaged
from ai_toolbox.analysis.plan import Filter, Plan
from ai_toolbox.analysis.schema import ISO_DATE, ColumnInfo, TableInfo, literal
from ai_toolbox.analysis.textutil import detect_language
from ai_toolbox.analysis.vocabulary import STOPWORDS, lexicon, names_ids, stem

# A date column cut into months, quarters, years, weeks or days: "by month", "by week", "每月",
# "which quarter", "哪一年".
_BUCKET_WORDS = {
    "month": r"months?|monthly|月份?",
    "quarter": r"quarters?|quarterly|季度?",
    "year": r"years?|yearly|annual|年度?|年份",
    "week": r"weeks?|weekly|周|星期",
    "day": r"days?|daily|日|天",
}
_BUCKET_NAMES_ZH = {"month": "月份", "quarter": "季度", "year": "年份", "week": "星期", "day": "日期"}
_BUCKET_AFTER = re.compile(
    r"\s*(?:the\s+|each\s+|个|一个|一)?(?:"
    + "|".join(f"(?P<{unit}>{words})" for unit, words in _BUCKET_WORDS.items())
    + r")(?![a-z])"
)
# "monthly enquiries", "月度查詢數目", "the trend of enquiries" (by month unless a unit is named): the
# date column cut into months (quarters, years) with no "by" / 每 before the unit.
_BUCKET_ALONE = re.compile(r"\b(?=(?:monthly|quarterly|yearly|weekly|daily)\b)|(?<=逐)(?=[月季年日])|(?=月度)")
# "per day", "a month", "daily average", 平均每日, 每月平均: a rate over periods, not a breakdown
# ("for each month" asks for one average per month).
_PER_PERIOD = re.compile(
    r"\b(?:per|a) (?:day|week|month|quarter|year)\b(?! by)|\b(?:daily|monthly|weekly) average\b"
    r"|平均每(?:[日天周月季年]|星期)|每(?:[日天周月季年]|星期)(?:的)?平均"
)
_TREND = re.compile(r"\btrends?\b|趋势|走势|变化|变动")
_AND_BEFORE = re.compile(r"(?:\s+(?:and|&)\s+|\s*[和及与、]\s*)$")
_BUCKET_BEFORE = re.compile(r"(?:month|quarter|year|月份?|季度?|年份?)s?$")
# "how many races did he finish": a column named as the verb after "did he" is no amount asked for
DID_SUBJECT = re.compile(r"\b(?:did|does|do)\s+(?:he|she|they|it|we|you|the\s+[a-z]+|[a-z]+)\s+$")
_CODE = re.compile(r"^\s*\d+[A-Za-z][\w/-]*\s*$")  # "728i", "2P/Encke": digits and letters, no unit apart
_WHICH_BUCKET = re.compile(r"\b(?:which|what)\s+(?=month|quarter|year|week)|哪(?=一?个?(?:月|季|年|天|日|星期|周))")
_BUCKET_SQL = {
    "month": "STRFTIME({d}, '%Y-%m')",
    "quarter": "CAST(YEAR({d}) AS VARCHAR) || '-Q' || CAST(QUARTER({d}) AS VARCHAR)",
    "year": "CAST(YEAR({d}) AS VARCHAR)",
    "week": "STRFTIME({d}, '%G-W%V')",
    "day": "STRFTIME({d}, '%Y-%m-%d')",
}
# Words of two columns of years that open and close a row's period ("Opened" … "Closed").
_SPAN_WORDS = (("opened", "closed"), ("took", "left"), ("beginning", "end"), ("began", "ended"), ("start", "end"),
               ("from", "to"), ("entered", "left"), ("born", "died"))
_ANY_YEAR = re.compile(r"(?<!\d)\d{3,4}(?!\d)")


class Parts:
    """A question's links (values, column mentions, filters, intent words) and the pieces of SQL
    they give; the query shapes (`rankings`, `comparisons`, `shapes`) are built on it."""

    def __init__(self, q: Question, table: TableInfo, values, mentions, filters, has, head_kind, head_pos) -> None:
        self.q, self.t, self.values, self.mentions = q, table, values, mentions
        self.filters, self.has = filters, has
        self.head_kind, self.head_pos = head_kind, head_pos
        self.measured_by: list[tuple[int, int]] = []
        # Columns filtered on are not the answer; a month on a date column leaves it free to be
        # ("what was the airdate of the next episode after january 19").
        self.filter_cols = {f.column for f in filters if f.op not in ("month", "before", "after")}
        # "spending above budget": the column compared with is used too (not the thing asked for)
        names = {c.name for c in self.t.columns}
        self.filter_cols |= {f.value for f in filters if f.op in (">", "<") and isinstance(f.value, str)
                             and f.value in names}
        # The things answered, once known: a denied relation excludes every row of such a thing.
        self.subject: ColumnInfo | None = None

    def where(self, filters: list[Filter] | None = None, *, data_only: bool = True) -> str:
        """WHERE clause of the filters; summary rows ('Total') are left out unless asked for."""
        fs = self.filters if filters is None else filters
        conds: list[str] = []
        by_col: dict[str, list[Filter]] = {}
        for f in fs:
            by_col.setdefault(f.column, []).append(f)
        for col_filters in by_col.values():
            col_filters = [self._excluding(f) for f in col_filters]
            positive = [f for f in col_filters if f.op in ("=", "like")]
            months = [f for f in col_filters if f.op in ("month", "quarter")]
            if len(months) > 1 and len(positive) < 2:
                positive = months  # "in january and february": a row is in one month, so either
            if len(positive) > 1:
                # "barrington, farmington and rochester": any of the values, not all at once.
                conds.append("(" + " OR ".join(f.sql for f in positive) + ")")
                conds += [f.sql for f in col_filters if f not in positive]
            else:
                conds += [f.sql for f in col_filters]
        if data_only and not any(f.value in {v for _, v in self.t.summary} for f in fs):
            conds += self.t.without_summary()
        return (" WHERE " + " AND ".join(conds)) if conds else ""

    def _excluding(self, f: Filter) -> Filter:
        """'rivers that do not run through texas': rivers none of whose rows is in texas, not the
        rows of other states (a river crossing texas has those too)."""
        subject = self.subject
        if f.op != "exclude" or subject is None or subject.name == f.column:
            return f
        col = self.t.column(f.column)
        sql = (
            f"{subject.ident} NOT IN (SELECT {subject.ident} FROM {self.t.ident} "
            f"WHERE {col.ident} = {literal(f.value)} AND {subject.ident} IS NOT NULL)"
        )
        return Filter(f.column, f.op, f.value, sql, f.span)

    def time_bucket(self, at: int, *, unit: str = "") -> ColumnInfo | None:
        """The table's date column cut into the months, quarters or years named at `at` ("by month",
        "每月", "which quarter"), or into `unit`s, when no column of the table is named so."""
        m = None if unit else _BUCKET_AFTER.match(self.q.text, at)
        dates = date_column(self.t)
        if (m is None and not unit) or dates is None:
            return None
        unit = unit or (m.lastgroup if m else "") or ""
        if any(re.fullmatch(_BUCKET_WORDS[unit], w) for c in self.t.columns for w in c.words):
            return None  # the table has such a column ("Year"): the question names it
        sql = _BUCKET_SQL[unit].format(d=dates.as_date)
        chinese = detect_language(self.q.text) != "en"  # "enquiries in 觀塘 by month" is English
        name = _BUCKET_NAMES_ZH[unit] if chinese else unit
        # The number of groups, as an estimate (it only has to say that the groups are few next to
        # the rows): the days the log holds, over the days of a period; the days themselves, counted.
        days = {"month": 30, "quarter": 91, "year": 365, "week": 7}.get(unit)
        groups = dates.distinct if days is None else max(1, min(-(-max(dates.distinct, 1) // days), self.t.rows))
        return ColumnInfo(name=name, type="VARCHAR", kind="text", words=(unit,), folded=unit, expr=sql,
                          distinct=groups)

    def asked_bucket(self) -> ColumnInfo | None:
        """'which month …', '哪一季 …': the months (quarters, years) of the date column answer."""
        which = _WHICH_BUCKET.search(self.q.text)
        return self.time_bucket(which.end()) if which else None

    def target(self, exclude_numeric: bool = False) -> ColumnInfo:
        """The column whose values answer the question."""
        bucket = self.asked_bucket()
        if bucket is not None:
            return bucket
        cols = self.t.columns
        like_only = {f.column for f in self.filters if f.op == "like"} - {
            f.column for f in self.filters if f.op != "like"
        }
        equal = {f.column for f in self.filters if f.op == "="}
        # A column holding one value in every row ("usa") tells nothing, unless named in full.
        cols = [c for c in cols if c.distinct != 1 or self.t.rows <= 1] or cols
        other = self._other_of_negated()
        if other is not None:
            return other
        cands = [
            m
            for m in self.mentions
            if (
                m.column.name not in self.filter_cols
                or (m.score >= 3.0 and m.column.name not in equal)
                or m.column.name in like_only
            )
            and (m.column in cols or m.score >= 3.0)
        ]
        # "cases received after 2025-03-01": the date compared is a condition; the cases answer.
        dated = {f.column for f in self.filters if f.op in ("<", ">", "<=", ">=") and ISO_DATE.match(str(f.value))}
        # "name a hospital with no operating rooms": the column that is empty is a condition too
        dated |= {f.column for f in self.filters if f.op in ("empty", "present")}
        if self.head_kind != "when":  # "when was the last case received before …" asks for the date
            cands = [m for m in cands if m.column.name not in dated] or cands
        # "the population density": in two names side by side the second is the head, the first its
        # modifier; "what states border" asks for states.
        heads = [m for m in cands if not self._modifies_next(m, cands) or WH_BEFORE.search(self.q.text[: m.start])]
        cands = heads or cands
        if exclude_numeric:
            # codes ("728i") name things as text does: "which model was produced the most"
            textual = [m for m in cands if m.column.kind not in ("number", "numtext")
                       or m.column.kind == "numtext" and m.score >= 3.0 and self.identifies(m.column)]
            if not textual and not self.head_kind:
                named = [c for c in cols if c.kind == "text" and c.name not in self.filter_cols]
                if named:
                    return named[0]
            cands = textual
        if self.head_kind:
            syn = lexicon()["synonyms"].get(self.head_kind, [])
            pref = [m for m in cands if any(w in syn for w in m.column.words) or m.column.folded in syn]
            if exclude_numeric:
                pref = [m for m in pref if m.column.kind not in ("number", "numtext")]
            named = [m for m in pref if m.score >= 1.0]
            if self.head_kind == "when" and named:
                # "when did it close": the date column the question names ("Date Closed"), not the first.
                return max(named, key=lambda m: m.score).column
            if self.head_kind == "when":
                ycol = year_column(self.t)
                if ycol is not None and ycol.name not in self.filter_cols:
                    return ycol
            # "who was the first cyclist": the column the question names in full, not the one
            # that "who" alone stands for (Team).
            named_in_full = [
                m
                for m in cands
                if m.score >= 3.0
                and m.start >= self.head_pos
                and m.column.kind == "text"
                and self._word_after(m.end) in STOPWORDS | {""}
            ]
            if named_in_full and pref and all(m.start < self.head_pos for m in pref):
                return max(named_in_full, key=lambda m: m.score).column
            if pref:
                return max(pref, key=lambda m: m.score).column
            by_name = [
                c
                for c in cols
                if (any(w in syn for w in c.words) or c.folded in syn)
                and c.name not in self.filter_cols
                and not (exclude_numeric and c.kind in ("number", "numtext"))
            ]
            if by_name:
                return by_name[0]
        if cands:
            after_head = [m for m in cands if m.start >= self.head_pos - 1]
            pool = after_head or cands
            # Of two columns named alike, the one akin to the column the question's value is in:
            # "the elevation of death valley" (a lowest_point) is its lowest_elevation.
            equal_cols = [c for c in self.t.columns if c.name in equal]
            pinned = {w for c in equal_cols for w in c.words}
            return min(
                pool,
                key=lambda m: (
                    (m.start - self.head_pos if m.start >= self.head_pos else 99) - m.score,
                    -len(pinned & set(m.column.words)),
                ),
            ).column
        for c in cols:
            if c.name not in self.filter_cols and c.kind in ("text",):
                return c
        return next((c for c in cols if c.name not in self.filter_cols), cols[0])

    def span_columns(self) -> tuple[ColumnInfo, ColumnInfo] | None:
        """Two columns of years that open and close each row's period: "Opened" and "Closed", "Took
        Office" and "Left Office", "Beginning of service" and "End of service"."""
        def yearly(c: ColumnInfo) -> bool:
            cells = [v for v in c.values if v.strip()]
            return bool(cells) and sum(1 for v in cells if _ANY_YEAR.search(v)) >= 0.6 * len(cells)

        for a, b in _SPAN_WORDS:
            start = next((c for c in self.t.columns if a in c.words and yearly(c)), None)
            end = next((c for c in self.t.columns if b in c.words and c is not start and yearly(c)), None)
            if start is not None and end is not None:
                return start, end
        return None

    def quantity_column(self) -> ColumnInfo | None:
        """The one number column that says how many things a row stands for ("Quantity", "Qty",
        "Units", 數量): "how many vessels did jamaica order" adds it up."""
        found = [c for c in self.t.columns if c.kind in ("number", "numtext") and not self.identifies(c)
                 and (c.tally or set(c.words) & {"quantity", "qty", "units"}
                      or any(k in c.folded for k in ("数量", "件数")))]
        return found[0] if len(found) == 1 else None

    def identifies(self, col: ColumnInfo) -> bool:
        """A column of identifiers or positions ("Game", "Round", "No."): named so, and with a value
        for most rows. "Championship Game" holding how many teams got there (0, 1, 2) is a count.
        Codes of digits and letters run together ("728i", "2P/Encke"), one per row, name things too."""
        if col.kind == "numtext" and col.values and col.distinct >= 0.5 * self.t.rows and sum(
                1 for v in col.values if _CODE.match(v)) >= 0.8 * len(col.values):
            return True
        if col.kind == "number" and self.t.rows >= 3 and col.values == [str(i) for i in range(1, self.t.rows + 1)]:
            return True  # 1, 2, 3 … down the rows: "Goal" numbering a scorer's goals, one per row
        return names_ids(col.words) and col.distinct >= 0.5 * self.t.rows

    def _word_after(self, end: int) -> str:
        """The question's next word after position `end` ("" at the end)."""
        return next((w for w, s, _ in self.q.words if s >= end), "")

    def _other_of_negated(self) -> ColumnInfo | None:
        """ "besides X, what other team ...": the column left out of X (team) is the answer."""
        negated = {f.column for f in self.filters if f.op in ("<>", "not like")}
        if not negated:
            return None
        for m in re.finditer(r"\bother ([a-z]+)(?: ([a-z]+))?", self.q.text):
            said = {stem(w) for w in m.groups() if w}
            for c in self.t.columns:
                if c.name in negated and said & {stem(w) for w in c.words}:
                    return c
        return None

    def metric(self, target: ColumnInfo | None) -> ColumnInfo | None:
        """A numeric column the question names (for totals, averages, most/least)."""
        nums = [
            m
            for m in self.mentions
            if m.column.kind in ("number", "numtext") and (target is None or m.column is not target)
        ]
        if not nums:
            return None
        # "the largest population density": of two names side by side, the second is measured.
        heads = [m for m in nums if not self._modifies_next(m, nums)] or nums
        # "網上查詢的平均滿意度": the column right after 平均 / average / total is the one measured.
        said = [end for kind in ("avg", "sum") for pos, ph in self.has[kind] for end in [pos + len(ph)]]
        right_after = [m for m in heads if any(0 <= m.start - end <= 1 for end in said)]
        return max(right_after or heads, key=lambda m: (m.score, -m.start)).column

    def _modifies_next(self, m: Mention, others: list[Mention]) -> bool:
        """`m` is the first of two column names side by side ("population" in "population
        density"), which only qualifies the second. A verb after it ("which team played", naming
        "Seasons played" by a word of it) is no such name."""
        return any(
            o.column is not m.column and self.q.text[m.end : o.start] == " "
            and not (o.score < 3.0 and self.q.text[o.start : o.end].endswith("ed"))
            for o in others
        )

    def measure_beside(self, sup: list[tuple[int, int]]) -> ColumnInfo | None:
        """ "the lowest point": a superlative inside a text column's name (lowest_point) measures
        the number column that shares the word (lowest_elevation)."""
        for m in self.mentions:
            if m.score < 3.0 or m.column.kind != "text":
                continue
            for a, b in sup:
                if m.start <= a and b <= m.end:
                    word = self.q.text[a:b]
                    beside = [c for c in self.t.columns if c.kind in ("number", "numtext") and word in c.words]
                    if len(beside) == 1:
                        self.measured_by.append((m.start, m.end))
                        return beside[0]
        return None

    def group_column(self, *, bare_by: bool = False) -> ColumnInfo | None:
        """The column after 'by' / 'per' / 各 / 每. A bare 'by' (no count, total or average asked for)
        names a group only when `bare_by`: in "the album by X" it does not."""
        for pos, phrase in self.has["group"]:
            after = [m for m in self.mentions if m.start >= pos + len(phrase) and m.start - pos <= 12 + len(phrase)]
            before = [m for m in self.mentions if phrase in ("每个", "每", "各个", "各") and m.start >= pos]
            pool = after or before
            if phrase == "by" and not bare_by and not self._agg_word():
                continue
            bucket = self.time_bucket(pos + len(phrase))  # "by month" groups, whatever else is said
            if bucket is not None:
                return bucket
            if phrase == "by" and not bare_by and self.filters and not self._names_column_right_after(after, pos):
                # "the album by X": X is a value the question filters on, not a group; "total
                # enquiries by channel in 油尖旺" names the channel column itself, right after "by".
                continue
            if pool:
                col = min(pool, key=lambda m: (m.start, -m.score)).column
                if col.kind in ("text", "date") or col.distinct <= 50:
                    return col
        alone = _BUCKET_ALONE.search(self.q.text)
        if alone is not None:
            return self.time_bucket(alone.start())
        if _TREND.search(self.q.text):
            return self.time_bucket(0, unit="month")
        return None

    def second_group(self, first: ColumnInfo, measured: ColumnInfo | None = None) -> ColumnInfo | None:
        """The column named right after the group and 'and' / 和 / 及 ("by district and channel",
        "by month and topic", 按地區和渠道), when it can group (text, or few values)."""
        for m in sorted(self.mentions, key=lambda x: x.start):
            col = m.column
            if col is first or col is measured or col.name in self.filter_cols:
                continue
            if col.kind not in ("text", "date") and col.distinct > 50:
                continue
            conj = _AND_BEFORE.search(self.q.text, 0, m.start)
            if conj is None:
                continue
            left = conj.start()
            names_first = any(x.column is first and 0 <= left - x.end <= 1 for x in self.mentions)
            if names_first or (first.expr and _BUCKET_BEFORE.search(self.q.text, 0, left)):
                return col
        # "各類別個案按狀態分佈": a second 按 / by after the first group's own column names the second;
        # "各主題的查詢數目按月", "enquiries for each topic by month": the months of the date column
        first_at = min((x.start for x in self.mentions if x.column is first), default=None)
        for pos, phrase in self.has["group"]:
            if phrase not in ("按", "by") or first_at is None or pos <= first_at:
                continue
            bucket = None if first.expr else self.time_bucket(pos + len(phrase))
            if bucket is not None:
                return bucket
            right = [m for m in self.mentions if 0 <= m.start - (pos + len(phrase)) <= 1 and m.column is not first
                     and m.column is not measured and m.column.name not in self.filter_cols
                     and (m.column.kind in ("text", "date") or m.column.distinct <= 50)]
            if right:
                return right[0].column
        return None

    def in_time_order(self, group: ColumnInfo) -> bool:
        """Whether a breakdown by `group` reads in time order (months, days, "各年度") rather than
        largest first."""
        return bool(group.expr) or (group is year_column(self.t) and group.kind in ("number", "date"))

    def _names_column_right_after(self, after: list[Mention], pos: int) -> bool:
        """Whether the words right after 'by' at `pos` name a column no filter uses."""
        first = min(after, key=lambda m: (m.start, -m.score), default=None)
        return (first is not None and first.start - pos <= len("by ") and first.column.name not in self.filter_cols)

    def median_asked(self) -> bool:
        """'the median waiting time', 中位數: the middle value rather than the mean."""
        return any(ph in ("median", "中位数") for _, ph in self.has["avg"])

    def _agg_word(self) -> bool:
        return bool(self.has["count"] or self.has["sum"] or self.has["avg"])

    def aggregate(self, fn: str, m: ColumnInfo, *, group: ColumnInfo | None = None,
                  also: ColumnInfo | None = None, ascending: bool = False) -> Plan:
        """`fn` of `m` (per `group`, and per `also` within it: a cross-tabulation); groups come
        largest first (`ascending`: smallest first) unless they are periods."""
        group = group or self.group_column()
        if group is not None and group is m:
            # "各年度的預算總額": the year column groups; the other number named is what is added up.
            m = self.metric(group) or m
        alone = _BUCKET_ALONE.search(self.q.text)
        if group is not None and not group.expr and also is None and (alone or _TREND.search(self.q.text)):
            # "the trend of enquiries by channel", "monthly enquiries by channel": months × channel
            period = self.time_bucket(alone.start()) if alone else self.time_bucket(0, unit="month")
            if period is not None:
                group, also = period, group
        if fn == "avg" and group is not None and group.expr and also is None and not is_averaged(m) \
                and _PER_PERIOD.search(self.q.text):
            # "the average number of enquiries per day in 屯門", 平均每日查詢: the total over the days
            # the table covers (in the dates asked about), so a day with no row for 屯門 counts as 0.
            dates = date_column(self.t)
            on_dates = [f for f in self.filters if dates is not None and f.column == dates.name]
            periods = f"(SELECT COUNT(DISTINCT {group.expr}) FROM {self.t.ident}{self.where(on_dates)})"
            sql = f"SELECT ROUND(SUM({m.numeric}) / NULLIF({periods}, 0), 2) AS avg FROM {self.t.ident}{self.where()}"
            return Plan(sql, "avg_per", metric=m.name, group=group.name, filters=self.filters, confidence=0.6)
        agg = f"{fn.upper()}({m.numeric})"
        if fn in ("avg", "median"):
            agg = f"ROUND({fn.upper()}({m.numeric}), 2)"
        if group is not None and group is not m:
            # A month, quarter or year is named in the result (`selected`) and kept in time order (a
            # trend); other groups come largest first.
            order = group.ident if self.in_time_order(group) else f"{fn} {'ASC' if ascending else 'DESC'}"
            also = also or self.second_group(group, m)
            if also is not None:
                # "enquiries by district and channel": a cross-tabulation, each first group together.
                sql = (
                    f"SELECT {group.selected}, {also.selected}, {agg} AS {fn} FROM {self.t.ident}{self.where()} "
                    f"GROUP BY {group.ident}, {also.ident} ORDER BY {group.ident}, {also.ident}"
                )
                return Plan(sql, f"{fn}_by2", metric=m.name, group=group.name, group2=also.name,
                            filters=self.filters, confidence=0.6)
            sql = (
                f"SELECT {group.selected}, {agg} AS {fn} FROM {self.t.ident}{self.where()} "
                f"GROUP BY {group.ident} ORDER BY {order}"
            )
            return Plan(sql, f"{fn}_by", metric=m.name, group=group.name, filters=self.filters, confidence=0.6)
        sql = f"SELECT {agg} FROM {self.t.ident}{self.where()}"
        return Plan(sql, fn, metric=m.name, filters=self.filters, confidence=0.6)
