"""Query shapes that compare: the difference between two named things, the choice between them,
rows beyond a named row's measure ("more than austria"), rows the same as a named one, the years
between two rows, and a percentage of rows."""

from __future__ import annotations

import re

from ai_toolbox.analysis.conditions import (
    any_year_expr,
    date_column,
    value_filter,
    year_column,
    year_expr,
    years_between,
)
from ai_toolbox.analysis.linking import Value, tokens
from ai_toolbox.analysis.parts import Parts
from ai_toolbox.analysis.plan import Filter, Plan
from ai_toolbox.analysis.schema import ColumnInfo, literal, quote
from ai_toolbox.analysis.vocabulary import ASCII, YEAR, lexicon, stem

# A change asked for between two years: "increase", "grow", "drop", "how much more", 增加, 多多少.
_CHANGE = re.compile(
    r"\b(?:increase[sd]?|decrease[sd]?|grow|grew|grown|growth|rise|rose|risen|fall|fell|fallen|drop(?:ped)?|"
    r"change[sd]?|go(?:ne)? up|went up|go(?:ne)? down|went down|how (?:much|many) (?:more|less|fewer))\b"
    r"|增加|减少|增长|下降|上升|回落|变化|变动|多多少|少多少|相差|差额"
)
_ASKS_WHICH = re.compile(r"^(?:which|what)\b|^哪")  # "which department …": one group answers
_YEARS = re.compile(r"(?<![\d-])(1[5-9]\d\d|20\d\d)(?![\d-])")


# "more silver or bronze medals", 銀牌還是銅牌: two columns offered as a choice
# A question answered yes or no, and the word that compares its two values.
YES_NO = re.compile(r"^(?:did|does|do|is|was|were|are|has|have|had)\b|是否|吗$")
_THAN = re.compile(r"\bthan\b|比")
_BEFORE_OR_AFTER = re.compile(r"\b(?:before or after|after or before|earlier or later|later or earlier)\b"
                              r"|(?:之前|以前)还是(?:之后|以后)|(?:之后|以后)还是(?:之前|以前)")
# "how long did it operate", "how many years did he serve": the years of a row's period
_HOW_LONG = re.compile(r"^(?:(?P<long>how long)\b|how many years (?:did|was|were|has|had)\b)"
                       r"|(?P<zh_long>多久|多长时间)|了多少年")
_OR_GAP = re.compile(r"\s+or\s+(?:(?:the|in|on)\s+)?|\s*还是\s*|\s*或\s*")


class Comparisons(Parts):
    """Differences, choices, "more than X", "the same as X", year gaps and percentages."""

    def comparative(self) -> bool:
        return bool(
            re.search(
                r"\b(more|most|less|fewer|higher|lower|better|worse|longer|shorter|faster|slower|"
                r"larger|bigger|smaller|greater|earlier|later|older|younger|taller|heavier|best|"
                r"highest|lowest|largest|biggest|smallest|greatest|longest|fastest|slowest|"
                r"first|last|least|top)\b|更|较|比较|最|比[^，,。]{0,20}(?:多|少|高|低|大|小|长|短|早|晚)",
                self.q.text,
            )
        )

    def column_choice(self) -> Plan | None:
        """'did colombia win more silver or bronze medals': which of two number columns the row
        asked about holds more (less) of, by the columns' names."""
        if not self.comparative() or not self.filters:
            return None
        numbers = sorted((m for m in self.mentions if m.column.kind in ("number", "numtext") and not m.column.expr),
                         key=lambda m: m.start)
        pair = next(((a, b) for a, b in zip(numbers, numbers[1:], strict=False)
                     if a.column is not b.column and _OR_GAP.fullmatch(self.q.text, a.end, b.start)), None)
        if pair is None:
            return None
        a, b = (m.column for m in pair)
        fewer = re.search(r"\b(?:less|fewer|lower|smaller|least|fewest)\b|少", self.q.text)
        op = "<" if fewer else ">"
        sql = (f"SELECT CASE WHEN SUM({a.numeric}) {op} SUM({b.numeric}) THEN {literal(a.name)} "
               f"WHEN SUM({b.numeric}) {op} SUM({a.numeric}) THEN {literal(b.name)} ELSE 'same' END "
               f"AS answer FROM {self.t.ident}{self.where()}")
        return Plan(sql, "choice", metric=f"{a.name}, {b.name}", filters=self.filters, confidence=0.6)

    def two_values_same_column(self):
        exact = [v for v in self.values if not v.negated]
        for i, a in enumerate(exact):
            for b in exact[i + 1 :]:
                if a.column is b.column and a.value != b.value:
                    between = self.q.text[a.end : b.start]
                    if re.search(r"\b(or|and|vs|versus|than|compared (?:with|to))\b|或|还是|和|与|比|跟", between):
                        return a, b
        return None

    def year_gap(self) -> Plan | None:
        """'how many years after X was Y built': the distance between the years of two named rows."""
        asks = r"\bhow (?:many|much) (?:years|time)\b|\b(?:years|time) (?:between|apart|separate)"
        if not re.search(asks, self.q.text):
            return None
        named = [v for v in self.values if v.exact and not v.negated]
        pair = next(((a, b) for i, a in enumerate(named) for b in named[i + 1 :] if a.value != b.value), None)
        ycol = year_column(self.t)
        if pair is None or ycol is None or any(v.column is ycol for v in pair):
            return None
        expr = year_expr(ycol)
        subs = [f"(SELECT MIN({expr}) FROM {self.t.ident} WHERE {value_filter(v).sql})" for v in pair]
        sql = f"SELECT ABS({subs[0]} - {subs[1]})"
        filters = [value_filter(v) for v in pair]
        return Plan(sql, "difference", metric=ycol.name, filters=filters, confidence=0.5)

    def change_between_years(self) -> Plan | None:
        """'how much did the budget increase from 2023 to 2024', '預算由2023年至2024年增加了多少',
        'what is the percentage change in enquiries from 2024 to 2025': a measure (or the rows) in
        each of two years and the change, later minus earlier, or the first named minus the second
        after 'than' / 比 ("2024年的預算比2023年多多少")."""
        text = self.q.text
        if not _CHANGE.search(text):
            return None
        said = list(dict.fromkeys(int(y) for y in _YEARS.findall(text)))
        dcol = date_column(self.t)
        ycol = dcol or year_column(self.t)
        if len(said) != 2 or ycol is None:
            return None
        if re.search(r"\bthan\b|比", text):
            other, base = said  # the first named minus the second
        else:
            base, other = sorted(said)  # later minus earlier
        # none named: a wide table's figures read by year (its tally column), else the rows counted
        metric = self.metric(ycol) or self.quantity_column()
        measure = "COUNT(*)" if metric is None else f"SUM({metric.numeric})"
        expr = f"YEAR({ycol.as_date})" if ycol is dcol else year_expr(ycol)
        others = [f for f in self.filters if f.column != ycol.name]
        percent = re.search(r"\bpercent(?:age)?\b|%|百分", text)
        group = self._changed_per(ycol, metric)
        if group is not None:
            return self._change_per_group(group, ycol, expr, measure, metric, others, base, other, bool(percent))

        def total(year: int) -> str:
            where = self.where([*others, Filter(ycol.name, "=", year, f"{expr} = {year}", (-1, -1))])
            return f"(SELECT {measure} FROM {self.t.ident}{where})"

        a, b = total(base), total(other)
        cols = f"{a} AS {quote(str(base))}, {b} AS {quote(str(other))}, {b} - {a} AS change"
        intent = "change_between"
        if percent:
            cols += f", ROUND(100.0 * ({b} - {a}) / NULLIF({a}, 0), 2) AS percent"
            intent = "percent_change"
        return Plan(f"SELECT {cols}", intent, metric=metric.name if metric else None, group=ycol.name,
                    filters=others, confidence=0.6)

    def _changed_per(self, ycol: ColumnInfo, metric: ColumnInfo | None) -> ColumnInfo | None:
        """The groups a change is compared across: "which department …" or "… by department", 各部門."""
        group = self.group_column(bare_by=True)
        if group is None and _ASKS_WHICH.match(self.q.text):
            group = self.target(exclude_numeric=True)
            if not any(m.column is group for m in self.mentions):
                return None
        if group is None or group is ycol or group is metric or group.kind not in ("text", "date"):
            return None
        return group

    def _change_per_group(self, group: ColumnInfo, ycol: ColumnInfo, expr: str, measure: str,
                          metric: ColumnInfo | None, others: list[Filter], base: int, other: int,
                          percent: bool) -> Plan:
        """'which department had the largest budget increase from 2023 to 2024': each group's two
        years and change, the largest change first (the smallest for a drop or "least"); one row when
        the question asks "which"."""
        a = f"{measure} FILTER (WHERE {expr} = {base})"
        b = f"{measure} FILTER (WHERE {expr} = {other})"
        change = f"ROUND(100.0 * ({b} - {a}) / NULLIF({a}, 0), 2)" if percent else f"{b} - {a}"
        falls = re.search(r"\b(?:decrease|drop|fall|fell|least|smallest|lowest)|减少|下降|最少|最小|最低", self.q.text)
        direction = "ASC" if falls else "DESC"
        which = _ASKS_WHICH.match(self.q.text) is not None
        sql = (
            f"SELECT {group.selected}, {a} AS {quote(str(base))}, {b} AS {quote(str(other))}, {change} AS "
            f"{'percent' if percent else 'change'} FROM {self.t.ident}{self.where(others)} GROUP BY {group.ident} "
            f"ORDER BY {'percent' if percent else 'change'} {direction} NULLS LAST" + (" LIMIT 1" if which else "")
        )
        intent = ("argmax_change" if direction == "DESC" else "argmin_change") if which else "change_by"
        return Plan(sql, intent, target=group.name, metric=metric.name if metric else None, group=group.name,
                    filters=others, order=direction.lower(), limit=1 if which else None, confidence=0.6)

    def two_years(self) -> tuple[Filter, Filter] | None:
        """'in 1967 or 1968': two single years of the same column, joined by 'or'."""
        years = [f for f in self.filters if f.op == "=" and isinstance(f.value, int) and YEAR.match(str(f.value))]
        for i, a in enumerate(years):
            for b in years[i + 1 :]:
                if a.column == b.column and a.value != b.value:
                    lo, hi = sorted((a, b), key=lambda f: f.span)
                    if re.search(r"\b(or|vs|versus)\b|或|还是", self.q.text[lo.span[1] : hi.span[0]]):
                        return lo, hi
        return None

    def before_or_after(self) -> Plan | None:
        """'was the cathedral built before or after harnham bridge?': the first named row's year against
        the second's (their order in the table where no column dates the rows)."""
        said = _BEFORE_OR_AFTER.search(self.q.text)
        named = sorted((f for f in self.filters if f.op in ("=", "like")), key=lambda f: f.span)
        first = [f for f in named if f.span[1] <= said.start()] if said else []
        second = [f for f in named if f.span[0] >= said.end()] if said else []
        if said and not ASCII.match(said.group(0)) and len(first) >= 2:
            first, second = first[:-1], first[-1:]  # X是在Y之前還是之後建成的: both named before the words
        if not first or not second:
            return None
        a, b = max(first, key=lambda f: (f.op == "=", f.span)), min(second, key=lambda f: (f.op != "=", f.span))
        ycol = year_column(self.t)
        key = f"MIN({self.t.rowid})" if ycol is None else f"MIN({any_year_expr(ycol)})"  # 1220 too
        when_a = f"(SELECT {key} FROM {self.t.ident} WHERE {a.sql})"
        when_b = f"(SELECT {key} FROM {self.t.ident} WHERE {b.sql})"
        sql = (f"SELECT CASE WHEN {when_a} < {when_b} THEN 'before' WHEN {when_a} > {when_b} THEN 'after' "
               f"END AS answer")
        intent = "before_or_after" if ycol is not None else "before_or_after_listed"
        return Plan(sql, intent, target=ycol.name if ycol else None, filters=[a, b], confidence=0.6)

    def how_long(self) -> Plan | None:
        """'how long was pilzbach's period of service?', 'how many years did the station operate?': the
        years between the row's opening and closing columns ("4 years")."""
        said = _HOW_LONG.search(self.q.text)
        cols = self.span_columns() if said and self.filters else None
        if cols is None:
            return None
        a, b = cols
        years = years_between(a, b)
        if said.group("long"):
            years = f"CAST({years} AS VARCHAR) || CASE WHEN {years} = 1 THEN ' year' ELSE ' years' END"
        elif said.group("zh_long"):
            years = f"CAST({years} AS VARCHAR) || '年'"
        sql = f"SELECT {years} AS years FROM {self.t.ident}{self.where()}"
        return Plan(sql, "span", target=a.name, metric=b.name, filters=self.filters, confidence=0.6)

    def year_choice(self, a: Filter, b: Filter) -> Plan:
        """'were more episodes aired in 1967 or 1968': the year with more rows (or more of a measure)."""
        low = re.search(r"\b(less|fewer|lower|smaller|least|fewest)\b|少|低|小", self.q.text)
        direction = "ASC" if low else "DESC"
        col = self.t.column(a.column)
        expr = col.ident if col.kind == "number" else year_expr(col)
        others = [f for f in self.filters if f is not a and f is not b]
        where = self.where(others)
        cond = f"({a.sql} OR {b.sql})"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        metric = self.metric(col)
        measure = "COUNT(*)" if metric is None else f"SUM({metric.numeric})"
        sql = f"SELECT {expr} AS year FROM {self.t.ident}{where} GROUP BY year ORDER BY {measure} {direction} LIMIT 1"
        return Plan(
            sql,
            "choice",
            target=col.name,
            metric=metric.name if metric else None,
            filters=[a, b],
            order=direction.lower(),
            limit=1,
            confidence=0.5,
        )

    def difference(self, a: Value, b: Value) -> Plan:
        metric = self.metric(a.column)
        others = [f for f in self.filters if f.span not in ((a.start, a.end), (b.start, b.end))]
        fa, fb = value_filter(a), value_filter(b)
        expr = "COUNT(*)" if metric is None else f"SUM({metric.numeric})"
        sub_a = f"(SELECT {expr} FROM {self.t.ident}{self.where(others + [fa])})"
        sub_b = f"(SELECT {expr} FROM {self.t.ident}{self.where(others + [fb])})"
        sql = f"SELECT ABS({sub_a} - {sub_b})"
        return Plan(sql, "difference", metric=metric.name if metric else None, filters=[fa, fb], confidence=0.5)

    def choice(self, a: Value, b: Value) -> Plan:
        low = re.search(
            r"\b(less|fewer|lower|worse|shorter|slower|smaller|earlier|younger|least)\b|少|低|小|短|早", self.q.text
        )
        # Rank positions: a "better" rank is a smaller number.
        metric = self.metric(a.column)
        better = re.search(r"\b(better|best|faster|first)\b", self.q.text)
        if (
            metric is not None
            and better
            and any(w in ("rank", "ranking", "position", "place", "pos", "time") for w in metric.words)
        ):
            low = True
        direction = "ASC" if low else "DESC"
        col = a.column
        others = [f for f in self.filters if f.span not in ((a.start, a.end), (b.start, b.end))]
        # "between january, october and december": a third value of the same column is one more choice
        more = [f for f in others if f.column == col.name and f.op == "="] if a.exact and b.exact else []
        others = [f for f in others if f not in more]
        where = self.where(others)
        listed = ", ".join(literal(v) for v in (a.value, *(f.value for f in more), b.value))
        either = f"({value_filter(a).sql} OR {value_filter(b).sql})"
        cond = f"{col.ident} IN ({listed})" if a.exact and b.exact else either
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        # A tie goes to the row listed first, so the same question always gets the same answer.
        if metric is None:
            sql = (
                f"SELECT {col.ident} FROM {self.t.ident}{where} GROUP BY {col.ident} "
                f"ORDER BY COUNT(*) {direction}, MIN({self.t.rowid}) LIMIT 1"
            )
        else:
            sql = (
                f"SELECT {col.ident} FROM {self.t.ident}{where} GROUP BY {col.ident} "
                f"ORDER BY SUM({metric.numeric}) {direction}, MIN({self.t.rowid}) LIMIT 1"
            )
        intent = "choice"
        if YES_NO.search(self.q.text) and _THAN.search(self.q.text[a.end : b.start]):
            # "did niall english score more than kevin broderick?": yes when the first named wins.
            first_wins = f"(SELECT COUNT(*) FROM ({sql}) AS c WHERE {value_filter(a).sql}) > 0"
            sql = f"SELECT CASE WHEN {first_wins} THEN 'yes' ELSE 'no' END AS answer"
            intent = "yes_no"
        return Plan(
            sql,
            intent,
            target=col.name,
            metric=metric.name if metric else None,
            filters=[value_filter(a), value_filter(b)],
            order=direction.lower(),
            limit=1,
            confidence=0.5,
        )

    def than(self) -> Plan | None:
        """'which nation won more medals than austria': rows whose measure beats the named row's."""
        m = re.search(
            r"\b(more|greater|higher|larger|bigger|longer|less|fewer|lower|smaller|shorter)\b[^?]*?\bthan\b",
            self.q.text,
        )
        if not m or any(c.column.combined and c.start <= m.start() < c.end for c in self.mentions):
            return None  # "how many more gold than silver": one measure, gold − silver
        anchor = next((v for v in self.values if v.start >= m.end() - 1 and v.exact), None)
        if anchor is None:
            return None
        sup = [(p, p + len(ph)) for p, ph in self.has["max"] + self.has["min"]]
        metric = (
            self.metric(anchor.column)
            or self.measure_beside(sup)
            or next(
                (
                    c
                    for c in self.t.columns
                    if c.kind == "number" and any(w in ("total", "points", "score") for w in c.words)
                ),
                None,
            )
        )
        if metric is None:
            return None
        op = ">" if m.group(1) in ("more", "greater", "higher", "larger", "bigger", "longer") else "<"
        col = anchor.column
        where = self.where([f for f in self.filters if f.span != (anchor.start, anchor.end)])
        named = f"FROM {self.t.ident} WHERE {col.ident} = {literal(anchor.value)}"
        # "higher than the highest point in colorado": the extreme of the named rows, not one of them.
        extreme = [kind for kind in ("max", "min") for p, _ in self.has[kind] if m.end() <= p < anchor.start]
        if extreme:
            sub = f"(SELECT {extreme[0].upper()}({metric.numeric}) {named})"
        else:
            sub = f"(SELECT {metric.numeric} {named} LIMIT 1)"
        cond = f"{metric.numeric} {op} {sub}"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        if self.has["count"]:
            sql = f"SELECT COUNT(*) AS count FROM {self.t.ident}{where}"
            return Plan(sql, "count", metric=metric.name, filters=[value_filter(anchor)], confidence=0.55)
        sql = f"SELECT {col.ident} FROM {self.t.ident}{where}"
        return Plan(
            sql, "lookup", target=col.name, metric=metric.name, filters=[value_filter(anchor)], confidence=0.55
        )

    def same_as(self) -> Plan | None:
        """'who has the same number as greg foster': other rows whose value in a column equals the named row's."""
        m = re.search(r"\bsame\b(.{0,40}?)\bas\b|和(.{1,12}?)(?:一样|相同)", self.q.text)
        if not m:
            return None
        anchor = next((v for v in self.values if v.exact and not v.negated), None)
        if anchor is None:
            return None
        measured = [
            x
            for x in self.mentions
            if x.column is not anchor.column and x.column.name not in self.filter_cols and x.score >= 1.0
        ]
        inside = [x for x in measured if m.start() <= x.start < m.end()]
        pool = inside or measured
        col = max(pool, key=lambda x: (x.score, -x.start)).column if pool else self._abbreviated(m.group(0))
        if col is None or col is anchor.column:
            return None
        key = anchor.column
        others = [f for f in self.filters if f.span != (anchor.start, anchor.end)]
        where = self.where(others)
        sub = f"(SELECT {col.ident} FROM {self.t.ident} WHERE {key.ident} = {literal(anchor.value)} LIMIT 1)"
        cond = f"{col.ident} = {sub} AND {key.ident} <> {literal(anchor.value)}"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        sql = f"SELECT {key.ident} FROM {self.t.ident}{where}"
        return Plan(sql, "same", target=key.name, metric=col.name, filters=[value_filter(anchor)], confidence=0.55)

    def _abbreviated(self, phrase: str) -> ColumnInfo | None:
        """A column whose name abbreviates a word of `phrase` ('number': 'No.', '#')."""
        short = lexicon().get("abbreviations", {})
        for w, _, _ in tokens(phrase):
            forms = short.get(stem(w), [])
            for c in self.t.columns:
                if c.folded.strip(" .:") in forms:
                    return c
        return None

    def _base_of_share(self, f: Filter) -> bool:
        """'what percentage of complaints came by phone', 電話查詢中投訴佔多少: the filter named as
        what the share is taken of (complaints; phone enquiries), not as the part."""
        before, after = self.q.text[: f.span[0]], self.q.text[f.span[1] :]
        return bool(
            re.search(r"\b(?:percent(?:age)?|share|proportion|fraction) of (?:the |all )?$", before)
            or re.match(r"[^\s，,。？?]{0,4}?(?:当中|之中|中)", after)
        )

    def _share_within(self, within: list[Filter], weight: ColumnInfo | None) -> Plan:
        """The share of the rows (or of `weight`'s total) kept by `within` that the other filters keep."""
        part = [f for f in self.filters if f not in within]
        num = " AND ".join(f.sql for f in self.filters)
        base = " AND ".join(f.sql for f in within)
        amount = f"SUM({weight.numeric})" if weight is not None else "COUNT(*)"
        sql = (f"SELECT ROUND(100.0 * {amount} FILTER (WHERE {num}) / {amount} FILTER (WHERE {base}), 2) "
               f"AS percent FROM {self.t.ident}")
        return Plan(sql, "percent_within", metric=weight.name if weight else None, filters=part, within=within,
                    confidence=0.6)

    def percent(self, weight: ColumnInfo | None = None) -> Plan | None:
        """The share of rows the filters keep; of `weight`'s total when given (a log of counts: the
        share of enquiries, not of the rows that report them)."""
        if not self.filters:
            return None
        within = [f for f in self.filters if self._base_of_share(f)]
        if within and len(within) < len(self.filters):
            return self._share_within(within, weight)
        num = " AND ".join(f.sql for f in self.filters)
        if weight is not None:
            w = weight.numeric
            sql = (f"SELECT ROUND(100.0 * SUM({w}) FILTER (WHERE {num}) / SUM({w}), 2) AS percent "
                   f"FROM {self.t.ident}")
            return Plan(sql, "percent_of", metric=weight.name, filters=self.filters, confidence=0.6)
        sql = f"SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE {num}) / COUNT(*), 2) AS percent FROM {self.t.ident}"
        return Plan(sql, "percent", filters=self.filters, confidence=0.6)
