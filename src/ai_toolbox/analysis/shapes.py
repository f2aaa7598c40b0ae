"""The shape of the query a question asks for, built from its links: a lookup, a count, a total or
average, a superlative, first/last and next/previous rows, a difference, a choice between two
things, a comparison with another row, a percentage."""

from __future__ import annotations

import re

from ai_toolbox.analysis.comparisons import YES_NO, Comparisons
from ai_toolbox.analysis.conditions import date_column, times_condition, year_column
from ai_toolbox.analysis.linking import Mention, is_averaged
from ai_toolbox.analysis.parts import DID_SUBJECT
from ai_toolbox.analysis.plan import CannotAnswer, Filter, Plan
from ai_toolbox.analysis.rankings import ROWS_ASKED, Rankings
from ai_toolbox.analysis.schema import ColumnInfo, literal
from ai_toolbox.analysis.vocabulary import ASCII, CLASSIFIERS, number_said

# A question, not a request for a breakdown ("enquiries by district").
_QUESTION_WORD = re.compile(
    r"\b(what|which|who|whom|whose|when|where|why|how|did|does|do|is|was|are|were|has|have|had)\b|哪|什么|谁|何|吗|是否|多少|几"
)

# "which channel …", "in which year …", 哪…: the question asks for a thing, not a number
_ASKS_A_THING = re.compile(r"^(?:(?:in|on|at|for|during|from) )?(?:which|what|who)|^哪")
# "how did enquiries change", 變化: a question about how a number moved over time.
_CHANGE = re.compile(r"\b(?:change[sd]?|evolved?|develop(?:ed)?)\b|变化|变动")
# "the first 10 games", "the last three seasons": rows at one end of the table.
_FIRST_N = re.compile(r"\b(?:first|last)\s+(?:\d+|two|three|four|five|ten)\b")
_OTHER = re.compile(r"\s*other\s+")  # "how many other albums …"
# "compare phone and online enquiries", 比較電話和網上的查詢: the two values side by side.
_COMPARE = re.compile(r"\bcompared?\b|\bversus\b|\bvs\.?(?!\w)|比较|对比")


_RATIOS = ("percent", "ratio")
# "are there at least 16 wrestlers on this list", "were there more than 3 draws"
_THERE_ARE = re.compile(r"^(?:are|were|is|was) there (?:(?P<cmp>at least|more than|over|fewer than|less than|at most"
                        r"|exactly) )?(?P<n>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|twenty)\b")
# whole rows asked for by their dates: "the 5 most recent records", 最近的5條記錄, "the earliest entries"
_RECENT_ROWS = re.compile(
    r"\b(?:(?:most recent|latest|newest|last)|(?P<early>earliest|oldest|first))\b(?:\s+\w+)?"
    r"\s+(?:records?|rows?|entries)\b"
    r"|(?:最近|最新)的?\s*\d*\s*[条个]?(?:记录|纪录)"
)
_SORTED = re.compile(r"^(?P<en>(?:sort|rank|order|list)\s+(?:the\s+)?\w+(?:\s+\w+)?\s+by\b)"
                     r"|按[^的]{1,12}?(?:排序|排列|排名)的?")
_RECORDS = re.compile(r"\b(?:records?|rows?|entries)\b|记录|纪录")
_COUNT_SAID = re.compile(r"(?<![\d-])(\d{1,3}|\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty)\b)(?![\d-])")
_ZH_HEAD = re.compile(r"的([^的]{1,8})$")
_LIST_GAP = re.compile(r"\s*(?:,|and|&|和|及|与|、|,\s*and)\s*(?:(?:the|its|their|actual|total)\s+)*")


class Builder(Rankings, Comparisons):
    """A question's links turned into the one plan its words ask for: `build()` tries the shapes in
    order of how specific their cue is. Lookups, counts, totals and breakdowns are here; ranking
    and comparing shapes come from `Rankings` and `Comparisons`, the shared pieces from `Parts`."""

    def build(self) -> Plan:
        plan = self._there_are() or self._shape()
        if plan.intent.startswith(("argmax", "argmin", "most_", "least_")) or plan.intent in ("max", "min"):
            plan.rank = self.nth()
        return self._checked(plan) or plan

    def _there_are(self) -> Plan | None:
        """'are there at least 16 wrestlers on this list?': the rows counted against the number."""
        said = _THERE_ARE.match(self.q.text)
        if said is None:
            return None
        op = {"at least": ">=", "more than": ">", "over": ">", "fewer than": "<", "less than": "<",
              "at most": "<=", "exactly": "="}.get(said.group("cmp") or "", ">=")
        n = number_said(said.group("n").replace(",", ""))
        rest = [f for f in self.filters if not (f.span[0] < said.end() and said.start("n") < f.span[1])]
        sql = f"SELECT CASE WHEN COUNT(*) {op} {n} THEN 'yes' ELSE 'no' END AS answer FROM {self.t.ident}"
        return Plan(sql + self.where(rest), "rows_check", limit=n, order=op, filters=rest, confidence=0.6)

    def _checked(self, plan: Plan) -> Plan | None:
        """'is brandon pettigrew above 250 pounds?', 'was the attendance of that game greater than 1,000?':
        a yes/no question whose comparison is one of the filters is answered yes when a row passes it."""
        if not YES_NO.search(self.q.text) or plan.intent != "lookup":
            return None
        compared = [f for f in plan.filters if f.op in (">", ">=", "<", "<=")]
        named = [f for f in plan.filters if f.op in ("=", "like")]
        if not compared or not named:
            return None
        sql = f"SELECT CASE WHEN (SELECT COUNT(*) FROM ({plan.sql}) AS c) > 0 THEN 'yes' ELSE 'no' END AS answer"
        return Plan(sql, "row_check", target=plan.target, filters=plan.filters, confidence=0.6)

    def _shape(self) -> Plan:
        h = self.has
        two_dates = self.before_or_after() or self.how_long()  # a row's years against another's, or its span
        if two_dates is not None:
            return two_dates
        count_q = bool(h["count"])
        ratio = self.column_ratio()
        if ratio is not None:
            return ratio
        recent = self.recent_rows() or self.sorted_groups()
        if recent is not None:
            return recent
        gap = self.year_gap() or self.change_between_years()
        if gap is not None:
            return gap
        years = self.two_years()
        if years and self.comparative():
            return self.year_choice(*years)
        two_same_col = self.two_values_same_column()
        if h["difference"] and two_same_col:
            return self.difference(*two_same_col)
        if two_same_col and _COMPARE.search(self.q.text):
            return self._by_group(two_same_col[0].column)
        if two_same_col and self.comparative() and not count_q:
            return self.choice(*two_same_col)
        columns = None if two_same_col or count_q else self.column_choice()
        if columns is not None:
            return columns  # "did colombia win more silver or bronze medals"
        than = self.than()
        if than is not None:
            return than
        same = self.same_as()
        if same is not None:
            return same
        if h["percent"]:
            # each group's share; else the share the filters keep (of a log's count, not of its rows)
            plan = self.share_by_group() or self.percent(self._named_amount() or self._counted_by_log())
            if plan:
                return plan
        # "which channel had the highest average satisfaction", "平均等候時間最長的渠道": the thing whose
        # average is the extreme, not the average itself.
        asks_extreme_thing = self.superlative_order() is not None and bool(
            _ASKS_A_THING.match(self.q.text) or re.search(r"最[^的]{0,8}的[^的]+$", self.q.text)
            or self.top_k()
        )
        zh_head = _ZH_HEAD.search(self.q.text)  # 平均滿意度低於3的地區: the districts, named last
        if (h["avg"] or h["sum"]) and (re.match(r"^(which|what|list|show|name|give)\b|^哪|^列出", self.q.text)
                                       or zh_head):
            # "which channels had an average satisfaction above 4", "which districts had a total
            # above 600": the groups whose average (total) passes.
            target = self.target(exclude_numeric=True)
            named = any(m.column is target and (m.start <= 12 or zh_head and m.start >= zh_head.start(1))
                        for m in self.mentions)  # "which channels", …的地區
            passes = self._groups_over(target) if named else None
            if passes is not None:
                return passes
        if (h["first"] or h["last"]) and (h["sum"] or h["avg"]) and _FIRST_N.search(self.q.text):
            # "the total attendance of the first 10 games": the total of those rows only.
            return self.ordinal("asc" if h["first"] else "desc")
        if h["avg"] and not asks_extreme_thing:
            # "the average for kwun tong": of the table's one number column that adds up when none is named
            m = self.metric(None) or self.count_column()
            if m:
                return self.aggregate("median" if self.median_asked() else "avg", m)
        if (h["next"] or h["previous"]) and self.values and not count_q:
            plan = self.neighbour()
            if plan:
                return plan
        superl = self.superlative_order()
        if count_q and superl and not re.search(r"(^|[,;] ?)(how many|how much)\b|^(多少|几)", self.q.text):
            count_q = False
        if count_q and (h["next"] or h["previous"]):
            plan = self.counted_beside()  # "how many teams were listed before the mackay sea eagles"
            if plan:
                return plan
        if count_q:
            return self.count()
        if h["sum"] and not (superl and (_ASKS_A_THING.match(self.q.text) or self.top_k())):
            m = self.metric(None)
            if m:
                return self.aggregate("sum", m)
        if superl:
            return self.superlative(superl)
        if h["first"] or h["last"]:
            return self.ordinal("asc" if h["first"] and (not h["last"] or h["first"][0] < h["last"][0]) else "desc")
        return self._breakdown() or self._change() or self.lookup()

    def recent_rows(self) -> Plan | None:
        """'show the 5 most recent records', 列出最近的5條記錄, 'the earliest 3 entries': whole rows,
        latest (earliest) first by the table's date column."""
        said = _RECENT_ROWS.search(self.q.text)
        dates = date_column(self.t)
        if said is None or dates is None or self.head_kind == "when":
            return None  # "when was the earliest record" asks for a date
        count = _COUNT_SAID.search(self.q.text)
        n = number_said(count.group(1)) if count else 10
        order = "ASC" if said.group("early") else "DESC"
        sql = f"SELECT * FROM {self.t.ident}{self.where()} ORDER BY {dates.ident} {order}, {self.t.rowid} LIMIT {n}"
        return Plan(sql, "earliest_rows" if order == "ASC" else "recent_rows", group=dates.name, limit=n,
                    filters=self.filters, confidence=0.6)

    def sorted_groups(self) -> Plan | None:
        """'sort districts by total enquiries', 'rank the channels by satisfaction', 按查詢數目排序的地區:
        the number column totalled (a rating averaged) per group, largest first ('ascending': smallest)."""
        said = _SORTED.search(self.q.text)
        if said is None:
            return None
        texts = [m for m in self.mentions if m.column.kind == "text" and m.column.name not in self.filter_cols]
        numbers = [m for m in self.mentions if m.column.kind == "number"]
        group = next((m.column for m in texts if said.start() <= m.start), None) if said.group("en") else \
            next((m.column for m in texts if m.start >= said.end()), None)
        measure = next((m.column for m in numbers if m.start >= said.start()), None)
        if group is None:
            return None
        if measure is None:
            return self._count_by(group)
        fn = "avg" if is_averaged(measure) or self.has["avg"] else "sum"
        ascending = re.search(r"\b(?:ascending|smallest first|lowest first)\b|由小至大|由低至高|升序", self.q.text)
        return self.aggregate(fn, measure, group=group, ascending=bool(ascending))

    def column_ratio(self) -> Plan | None:
        """'spending as a percentage of budget by department', 各部門實際支出佔預算的百分比, 'which
        department spent the largest share of its budget': one number column's total over another's,
        overall, for each group, or the group where it is largest (smallest)."""
        said = next((m.column for m in self.mentions if m.column.combined and m.column.combined[0] in _RATIOS), None)
        if said is None or said.combined is None:
            return None
        kind, a, b = said.combined
        percent = kind == "percent"
        value = (f"ROUND(100.0 * SUM({a.numeric}) / NULLIF(SUM({b.numeric}), 0), 2)" if percent
                 else f"ROUND(SUM({a.numeric}) / NULLIF(SUM({b.numeric}), 0), 4)")
        alias = "percent" if percent else "ratio"
        where = self.where()
        order = self.superlative_order()
        group = self.group_column(bare_by=True)
        if group is None and order is not None:
            group = self.target(exclude_numeric=True)
        if group is None or group is a or group is b:
            return Plan(f"SELECT {value} AS {alias} FROM {self.t.ident}{where}", f"{alias}_ratio" if percent else alias,
                        metric=said.name, filters=self.filters, confidence=0.6)
        sql = (f"SELECT {group.selected}, {value} AS {alias} FROM {self.t.ident}{where} GROUP BY {group.ident} "
               f"HAVING SUM({b.numeric}) <> 0 ORDER BY {alias} {'ASC' if order == 'asc' else 'DESC'}")
        if order is None:
            return Plan(sql, "ratio_by", metric=said.name, group=group.name, filters=self.filters, confidence=0.6)
        return Plan(f"{sql}, MIN({self.t.rowid}) LIMIT 1", "argmin_ratio" if order == "asc" else "argmax_ratio",
                    target=group.name, metric=said.name, group=group.name, filters=self.filters, confidence=0.6)

    def share_by_group(self) -> Plan | None:
        """'what share of enquiries came from each channel', 各渠道的查詢數目佔百分比: each group's
        per cent of the total of the number column named (a log's count column; else of the rows)."""
        group = self.group_column(bare_by=True)
        if group is None:
            return None
        nums = [m.column for m in self.mentions if m.column.kind == "number" and m.column is not group
                and not is_averaged(m.column) and not self.identifies(m.column)]
        measure = nums[0] if nums else self._busiest_by(group)
        amount = f"SUM({measure.numeric})" if measure is not None else "COUNT(*)"
        where = self.where()
        sql = (
            f"SELECT {group.selected}, ROUND(100.0 * {amount} / (SELECT {amount} FROM {self.t.ident}{where}), 2) "
            f"AS percent FROM {self.t.ident}{where} GROUP BY {group.ident} ORDER BY percent DESC"
        )
        return Plan(sql, "percent_by", metric=measure.name if measure else None, group=group.name,
                    filters=self.filters, confidence=0.6)

    def _breakdown(self) -> Plan | None:
        """'enquiries by district', 'satisfaction per channel': a request, not a question, for a number
        column totalled per group (rows counted per group when no number column is named)."""
        if _QUESTION_WORD.search(self.q.text):
            return None
        group = self.group_column(bare_by=True)
        return None if group is None else self._by_group(group)

    def _change(self) -> Plan | None:
        """'how did enquiries change from january to april', 查詢數目的變化: the months side by side
        (the group the question names, if any), when the table has a date column."""
        if not _CHANGE.search(self.q.text):
            return None
        month = self.time_bucket(0, unit="month")
        group = self.group_column(bare_by=True)
        if group is not None and not group.expr and month is not None:
            return self._by_group(month, also=group)  # "how did enquiries change by channel": months × channel
        # over a wide table read by year: the years side by side ("how did sha tin change over the years")
        years = year_column(self.t) if self.t.figures is not None else None
        group = group or month or years
        return None if group is None else self._by_group(group)

    def _by_group(self, group: ColumnInfo, also: ColumnInfo | None = None) -> Plan:
        """The number column the question names totalled (a rating averaged) per value of `group`;
        when it names none, a log's count column for what the filters keep, else the rows counted."""
        nums = [
            m
            for m in self.mentions
            if m.column.kind == "number"
            and m.column is not group
            and m.column.name not in self.filter_cols
            and not self.identifies(m.column)
        ]
        if nums:
            measure = max(nums, key=lambda m: m.score).column
            mean = is_averaged(measure) or bool(self.has["avg"])
            return self.aggregate("avg" if mean else "sum", measure, group=group, also=also)
        counted = self._counted_by_log()  # "complaints by district": the enquiries about complaints
        if counted is not None and counted is not group:
            return self.aggregate("sum", counted, group=group, also=also)
        return self._count_by(group, also)

    def lookup(self) -> Plan:
        col = self.subject = self.target()
        having = self._groups_over(col) or self._how_often(col)
        if having is not None:
            return having
        if col.combined:
            return self.aggregate("sum", col)  # "the difference between budget and spending in 2022": in all
        counted = self._counted_by_log()
        dates = date_column(self.t)
        if counted is None and self.filters and dates is not None and self._log_of_records(dates) \
                and col is self.count_column() and not ROWS_ASKED.search(self.q.text):
            counted = col  # "enquiries after 2025-10-01": the dated log's count column, in all
        if counted is not None and (col is counted or not any(m.column is col for m in self.mentions)):
            # "enquiries by phone in january", "complaints by phone" (no column named): a log's
            # count column for what the filters keep, in all, not row by row
            return self.aggregate("sum", counted)
        listed = self._listed_with(col)  # "show budget and spending for 環境保護署": both columns
        distinct = "DISTINCT " if any(f.op == "exclude" for f in self.filters) else ""
        shown = ", ".join(c.selected for c in listed)
        named = col.name not in self.filter_cols and any(m.column is col for m in self.mentions)
        if _RECORDS.search(self.q.text) and not named:
            shown, listed = "*", []  # "list the records after 2025-10-25", "which records have …": whole rows
        sql = f"SELECT {distinct}{shown} FROM {self.t.ident}{self.where()}"
        if not self.filters:
            sql += " LIMIT 100"
        return Plan(sql, "lookup" if listed else "rows", target=", ".join(c.name for c in listed) or None,
                    filters=self.filters,
                    confidence=0.6 if self.filters else 0.3)

    def _listed_with(self, col: ColumnInfo) -> list[ColumnInfo]:
        """`col` and the columns named in one list with it ("budget and spending", "date, channel
        and topic", 預算和實際支出), in the question's order; `col` alone when it is in no list."""
        said = sorted((m for m in self.mentions if m.column.name not in self.filter_cols), key=lambda m: m.start)
        chains: list[list[Mention]] = []
        for m in said:
            if chains and _LIST_GAP.fullmatch(self.q.text, chains[-1][-1].end, m.start):
                chains[-1].append(m)
            elif not chains or m.start >= chains[-1][-1].end:
                chains.append([m])
        for chain in chains:
            columns = list(dict.fromkeys(m.column.name for m in chain))
            if len(columns) > 1 and col.name in columns:
                by_name = {m.column.name: m.column for m in chain}
                return [by_name[n] for n in columns]
        return [col]

    def _how_often(self, col: ColumnInfo, *, counted: bool = False) -> Plan | None:
        """'which teams won more than once', 'did not win more than once', 'at least 3 times': the
        values of `col` on that many rows (`counted`: how many such values there are)."""
        times = times_condition(self.q.text)
        if times is None or col.kind not in ("text", "numtext"):
            return None
        op, n, _ = times
        inner = (
            f"SELECT {col.ident} FROM {self.t.ident}{self.where()} GROUP BY {col.ident} "
            f"HAVING COUNT(*) {op} {n}"
        )
        if counted:
            return Plan(f"SELECT COUNT(*) AS count FROM ({inner})", "count_repeated", target=col.name,
                        filters=self.filters, confidence=0.6)
        return Plan(f"{inner} ORDER BY MIN({self.t.rowid})", "repeated", target=col.name, filters=self.filters,
                    confidence=0.6)

    def _named_amount(self) -> ColumnInfo | None:
        """A number column the question names that adds up ("what share of the 2024 budget went to
        衞生署": the budget), not one it filters on, a rating or a row number."""
        nums = [m.column for m in self.mentions if m.column.kind == "number" and not m.column.expr
                and m.column.name not in self.filter_cols and not is_averaged(m.column)
                and not self.identifies(m.column)]
        return nums[0] if nums else None

    def _counted_by_log(self) -> ColumnInfo | None:
        """The count column of a log of counts whose filters name what is counted ("how many
        complaints": the enquiries about complaints, not the rows that report them)."""
        kept = [c for _, c in self._filtered_columns() if c.kind == "text"]
        return self._busiest_by(kept[0]) if kept else None

    def _filtered_columns(self) -> list[tuple[Filter, ColumnInfo]]:
        """Each filter with the table column it filters on."""
        by_name = {c.name: c for c in self.t.columns}
        return [(f, by_name[f.column]) for f in self.filters if f.column in by_name]

    def _groups_over(self, target: ColumnInfo) -> Plan | None:
        """'which districts had more than 600 enquiries' over a log of records: the districts whose
        total (a rating: average) passes, not the single records that do."""
        if target.kind != "text" or not self._log_of_records(target) or _RECORDS.search(self.q.text):
            return None  # "which records have a wait over 30": the records, not the districts
        passes = [(f, c) for f, c in self._filtered_columns() if f.op in (">", ">=", "<", "<=")
                  and isinstance(f.value, int | float) and c.kind == "number" and c is not target]
        if len(passes) != 1:
            return None
        f, measure = passes[0]
        fn = "AVG" if is_averaged(measure) else "SUM"
        rest = [x for x in self.filters if x is not f]
        sql = (
            f"SELECT {target.selected} FROM {self.t.ident}{self.where(rest)} GROUP BY {target.ident} "
            f"HAVING {fn}({measure.numeric}) {f.op} {literal(f.value)} ORDER BY {fn}({measure.numeric}) DESC"
        )
        intent = "mean_passes" if fn == "AVG" else "total_passes"
        return Plan(sql, intent, target=target.name, metric=measure.name, filters=self.filters, confidence=0.6)

    def count(self) -> Plan:
        """'How many ...': a number column the question names, or a row count."""
        distinct = bool(self.has["count_distinct"])
        pos, phrase = self.has["count"][0]
        # "how many years did he compete": the years, each once
        years = year_column(self.t)
        if years is not None and years.kind != "date" and any(
            x.column is years and 0 <= x.start - (pos + len(phrase)) <= 1 and self.q.text.startswith("years", x.start)
            for x in self.mentions
        ):
            return self._count_distinct(years, confidence=0.6)
        m = self._numeric_after(pos, phrase)
        # "the total number of medals" where the table has a "Total" column: that column, summed.
        before = [
            x
            for x in self.mentions
            if x.column.kind in ("number", "numtext") and x.score >= 3.0 and 0 <= pos - x.end <= 1
        ]
        if m is None and before and before[0].column.name not in self.filter_cols:
            m = before[0].column
        if (
            m is None
            and (not ASCII.match(phrase) or phrase == "how much")
            and not re.search(r"行|记录|条|rows?|records?", self.q.text)
            and not self._things_counted(pos + len(phrase))
        ):
            nums = [x for x in self.mentions if x.column.kind == "number" and x.column.name not in self.filter_cols]
            m = max(nums, key=lambda x: x.score).column if nums else None
        if m is None and not distinct and not self._names_a_column_after(pos + len(phrase)) \
                and not re.search(r"\b(?:rows?|records?|entries|times)\b|行|记录|条|次", self.q.text):
            m = self.quantity_column()  # "how many vessels did jamaica order": its Quantity, added up
        if m is not None and not distinct:
            return self.aggregate("sum", m)
        counted = self._counted_by_log()
        if counted is not None and not distinct:
            return self.aggregate("sum", counted)  # "how many complaints by phone" in a log of enquiries
        group = self.group_column()
        if group is not None:
            return self._count_by(group)
        if distinct:
            return self._count_distinct(self.target(), confidence=0.6)
        if (
            not self.filters
            and not self.mentions
            and not re.search(
                r"\b(rows?|records?|entries|listed|total|table|are there|in all)\b|条|行|记录|总共|一共", self.q.text
            )
        ):
            raise CannotAnswer(
                "Cannot answer this from the table: nothing in the question matches it.",
                hint="Name a column or a value that appears in the table.",
            )
        after = pos + len(phrase)
        listed = self._listed_in_cells(after)
        if listed is not None:
            return listed
        # "how many teams won more than once": the teams on more than one row, counted
        named = [m for m in self.mentions if m.column.kind == "text" and 0 <= m.start - after <= 1]
        often = self._how_often(named[0].column, counted=True) if named else None
        if often is not None:
            return often
        first_text = next((c for c in self.t.columns if c.kind == "text"), None)
        if named and self._log_of_records(named[0].column) and (
                not self.filters or named[0].column is first_text and named[0].column.name not in self.filter_cols):
            # "how many departments are there" in a log that reports on each department over time:
            # each department once; with a condition ("… had a budget over 100 in 2024") only for
            # the thing the log is kept by, its first column of names (an item's rows are items)
            return self._count_distinct(named[0].column, confidence=0.6)
        # "how many other albums are there besides X": the albums, each once, but X.
        other = _OTHER.match(self.q.text, after)
        if other is not None:
            left_out = {f.column for f in self.filters if f.op in ("<>", "not like")}
            named = [m for m in self.mentions if m.start == other.end() and m.column.name in left_out]
            if named:
                return self._count_distinct(named[0].column, confidence=0.6)
        if any(f.op == "exclude" for f in self.filters):
            # "how many rivers do not run through texas": the rivers named after "how many", each once.
            named = [m for m in self.mentions if m.start >= after and m.column.kind == "text"]
            if named:
                self.subject = min(named, key=lambda m: m.start).column
                return self._count_distinct(self.subject, confidence=0.6)
        # "how many states does the mississippi run through": a key column named by the table it
        # points at (`traverse`, states) counts the different things it names.
        keyed = [
            m
            for m in self.mentions
            if m.column.refers and m.start - after in (0, 1) and m.column.name not in self.filter_cols
        ]
        if keyed:
            return self._count_distinct(keyed[0].column, confidence=0.7)
        sql = f"SELECT COUNT(*) AS count FROM {self.t.ident}{self.where()}"
        return Plan(sql, "count", filters=self.filters, confidence=0.7 if self.filters else 0.5)

    def _said_after(self, after: int) -> list[Mention]:
        """The columns named by the words right after position `after` (after "how many")."""
        return [m for m in self.mentions if 0 <= m.start - after <= 1 and m.score >= 1.0]

    def _names_a_column_after(self, after: int, kind: str = "") -> bool:
        """The words right after "how many" name a column ("how many nations …"), of `kind` if given."""
        return any(not kind or m.column.kind == kind for m in self._said_after(after))

    def _names_an_amount_after(self, after: int) -> bool:
        """The words right after "how many" name a number column that adds up ("how many laps …"),
        not one numbering the rows ("how many goals" over a "Goal" 1, 2, 3 … column)."""
        return any(m.column.kind in ("number", "numtext") and not self.identifies(m.column)
                   for m in self._said_after(after))

    def _things_counted(self, after: int) -> bool:
        """多少個部門, 幾間學校: a classifier and a text column named right after the count word
        count those things; the amounts of a number column are not what is asked."""
        said = re.match(f"[{CLASSIFIERS}]?", self.q.text[after:])
        at = after + (said.end() if said else 0)
        return any(m.column.kind == "text" and m.start == at for m in self.mentions)

    def _count_distinct(self, col: ColumnInfo, *, confidence: float) -> Plan:
        sql = f"SELECT COUNT(DISTINCT {col.ident}) FROM {self.t.ident}{self.where()}"
        return Plan(sql, "count_distinct", target=col.name, filters=self.filters, confidence=confidence)

    def _count_by(self, group: ColumnInfo, also: ColumnInfo | None = None) -> Plan:
        also = also or self.second_group(group)
        if also is not None:
            sql = (
                f"SELECT {group.selected}, {also.selected}, COUNT(*) AS n FROM {self.t.ident}{self.where()} "
                f"GROUP BY {group.ident}, {also.ident} ORDER BY {group.ident}, {also.ident}"
            )
            return Plan(sql, "count_by2", group=group.name, group2=also.name, filters=self.filters, confidence=0.6)
        timed = self.in_time_order(group)
        sql = (
            f"SELECT {group.selected}, COUNT(*) AS n FROM {self.t.ident}{self.where()} "
            f"GROUP BY {group.ident} ORDER BY {group.ident if timed else 'n DESC'}"
        )
        return Plan(sql, "count_by_time" if timed else "count_by", group=group.name, filters=self.filters,
                    confidence=0.6)

    def _listed_in_cells(self, after: int) -> Plan | None:
        """'how many world performance cars are there for 2007' over cells listing one car a line: the
        lines of the named rows' cells, counted (blank lines skipped)."""
        named = [m for m in self.mentions if m.column.kind == "text" and m.score >= 2.0 and 0 <= m.start - after <= 7
                 and m.column.name not in self.filter_cols]
        if not named or not self.filters or any(f.op not in ("=", "like") for f in self.filters):
            return None  # the rows named by their values ("for 2007"), not rows that pass a condition
        col = named[0].column
        # lists, not a name with a note on its second line ("Ann Lee\n(captain)"): three lines or more
        lined = [len([x for x in v.split("\n") if x.strip()]) for v in col.values if "\n" in v.strip()]
        if len(lined) < 0.3 * max(1, len(col.values)) or not lined or sum(lined) < 3 * len(lined):
            return None
        lines = f"REGEXP_REPLACE(TRIM({col.ident}), '(\\s*\\n)+\\s*', CHR(10), 'g')"
        counted = f"LENGTH({lines}) - LENGTH(REPLACE({lines}, CHR(10), '')) + 1"
        sql = f"SELECT SUM({counted}) AS count FROM {self.t.ident}{self.where()}"
        return Plan(sql, "count_listed", metric=col.name, filters=self.filters, confidence=0.6)

    def _numeric_after(self, pos: int, phrase: str = "") -> ColumnInfo | None:
        reach = 40
        if phrase in ("how many", "number of"):
            # "how many points did X score" sums points; "how many individuals had ... points" counts rows,
            # as does "the number of sizes that have an inner diameter above 50".
            rest = self.q.words
            after = [w for w in rest if w[1] >= pos + len(phrase)][:3]
            reach = (after[-1][2] - pos) if after else 0
        nums = [
            m
            for m in self.mentions
            if m.column.kind in ("number", "numtext")
            and m.start >= pos
            and m.column.name not in self.filter_cols
            and (m.start - pos <= reach or m.score >= 3.0 and m.start - pos <= 40)
            and not self.identifies(m.column)
            and m.column is not year_column(self.t)  # "how many periods had …" counts periods
            and not (DID_SUBJECT.search(self.q.text, 0, m.start) and not self._names_an_amount_after(pos + len(phrase)))
        ]
        if phrase in ("how many", "number of") and self._names_a_column_after(pos + len(phrase), kind="text"):
            return None  # "how many countries had a box office over …" counts countries
        if not nums:
            return None
        return min(nums, key=lambda m: (m.start, -m.score)).column  # "points ... in the final": Final Points
