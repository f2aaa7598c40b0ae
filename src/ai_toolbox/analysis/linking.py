"""Schema linking: the columns a question names (by words, synonyms and script-folded Chinese) and
the cell values it quotes (exactly, or as whole words inside a cell), each with its span in the
question so that no two links claim the same words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai_toolbox.analysis.schema import ColumnInfo, TableInfo
from ai_toolbox.analysis.textutil import fold
from ai_toolbox.analysis.vocabulary import ASCII, ORDINALS, PARTIAL_STOP, PLACE_WORDS, STOPWORDS, YEAR, lexicon, stem

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u9fff]")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and ("a" <= text[i] <= "z" or "0" <= text[i] <= "9")


@dataclass
class Question:
    """A question as the parser reads it: normalised text and its words with their offsets."""

    text: str
    words: list[tuple[str, int, int]]

    def find(self, phrase: str) -> list[int]:
        """Start offsets of `phrase` as whole words (English) or as a substring (Chinese)."""
        out = []
        if ASCII.match(phrase):
            # Not a regular expression per phrase: tables hold thousands of values, and compiling
            # one pattern each was most of the parser's time.
            text, n = self.text, len(phrase)
            start = text.find(phrase) if phrase else -1
            while start >= 0:
                end = start + n
                if not _word_char(text, start - 1) and not _word_char(text, end):
                    out.append(start)
                    start = text.find(phrase, end)
                else:
                    start = text.find(phrase, start + 1)
        else:
            start = self.text.find(phrase)
            while start >= 0:
                out.append(start)
                start = self.text.find(phrase, start + 1)
        return out

    def has(self, kind: str) -> list[tuple[int, str]]:
        hits = []
        for phrase in sorted(lexicon()[kind], key=len, reverse=True):
            for pos in self.find(phrase):
                if not any(p <= pos < p + len(ph) for p, ph in hits):
                    hits.append((pos, phrase))
        return sorted(hits)


def _question_stems(q: Question) -> dict[str, tuple[int, int]]:
    """The question's words by stem; a plural in "-ies" also by its "-ie" singular ("movies": movie),
    and a verb also as its past participle, which names columns ("when did it close": "Date Closed")."""
    out: dict[str, tuple[int, int]] = {}
    for w, s, e in q.words:
        out.setdefault(stem(w), (s, e))
        if len(w) > 4 and w.endswith("ies"):
            out.setdefault(w[:-1], (s, e))
    for w, s, e in q.words:
        if len(w) > 3 and w.isalpha() and w not in STOPWORDS and not w.endswith(("ed", "s")):
            out.setdefault(w + "d" if w.endswith("e") else w + "ed", (s, e))
    return out


@dataclass
class Mention:
    """A column the question names, how strongly (3 and above: by its whole name), and where."""

    column: ColumnInfo
    score: float
    start: int
    end: int
    # The column's reading as the measure a "how …" asks for, used if this one falls inside another
    # column's full name: in "how high is the highest point", "highest" belongs to highest_point,
    # and highest_elevation is named by "how high".
    fallback: Mention | None = None


def column_mentions(q: Question, table: TableInfo) -> list[Mention]:
    """Columns the question names, by whole name, by words, or by a synonym."""
    syn = lexicon()["synonyms"]
    qwords = _question_stems(q)
    extremes_said = {kind for kind in ("max", "min") if q.has(kind)}
    # The synonym groups the question uses, found once for all columns: (group, where, own word said).
    said_groups = []
    for key, targets in syn.items():
        group = [key, *targets]
        spot = _spot(q, qwords, group)
        if spot is not None:
            said_groups.append((group, spot, _spot(q, qwords, [key]) is not None))
    out: list[Mention] = []
    for col in table.columns:
        name = col.folded.strip()
        if not name:
            continue
        best: Mention | None = None
        pos = q.find(name) if len(name) > 1 or not ASCII.match(name) else []
        if not pos and "_" in name:
            pos = q.find(name.replace("_", " "))  # "lowest elevation" names lowest_elevation
        if pos:
            best = Mention(col, 3.0 + len(name) / 20, pos[0], pos[0] + len(name))
        else:
            words = [stem(w) for w in col.words if w not in STOPWORDS or w in ("year", "time", "name")]
            hit = _name_hits(words, _abbreviated(col, q, qwords))
            if not hit and len(col.words) > 1:
                # "airdate" names "Original air date": any run of the name's words written as one
                runs = [
                    "".join(col.words[i:j]) for i in range(len(col.words)) for j in range(i + 2, len(col.words) + 1)
                ]
                joined = next((r for r in runs if stem(r) in qwords), None)
                if joined:
                    hit, words = [qwords[stem(joined)]], [joined]
            if hit and words:
                frac = len(hit) / len(words)
                best = Mention(col, 1.0 + frac, min(h[0] for h in hit), max(h[1] for h in hit))
            elif _HAN.search(name):
                # Chinese column names: the longest run of the name the question contains (not
                # "Première date", whose "re " is no name).
                for size in range(len(name) - 1, 1, -1):
                    grams = [name[i : i + size] for i in range(len(name) - size + 1)]
                    found = [(g, q.text.find(g)) for g in grams if q.text.find(g) >= 0]
                    if found:
                        g, p = found[0]
                        best = Mention(col, 0.8 + size / len(name), p, p + len(g))
                        break
        if best is None or best.score < 3.0:
            by_word, readings = best, []
            col_stems = {stem(w) for w in col.words}
            for group, spot, own_word in said_groups:
                fits = [
                    i
                    for i, t in enumerate(group)
                    if synonym_names(t, name, col_stems)
                ]
                if not fits or _opposite_extreme(extremes_said, col):
                    continue
                score = 0.6 - 0.02 * min(fits[0], 5)
                # Earlier words in a synonym list are the likelier reading ("big": area before population);
                # the question's own word as the group's head reads best of all.
                if own_word:
                    score += 0.01
                readings.append((score, group, spot))
            readings.sort(key=lambda r: -r[0])  # stable: the first group read wins a tie
            if by_word is None:
                best = Mention(col, readings[0][0], *readings[0][2]) if readings else None
            else:
                by_word.fallback = next(
                    (
                        Mention(col, score, p, p + len(w))
                        for score, group, _ in readings
                        for w in group
                        for p in q.find(w)
                        if (p + len(w) <= by_word.start or p >= by_word.end) and q.text.endswith("how ", 0, p)
                    ),
                    None,
                )
        if best is None and _in_money(col):
            # "is the price money for 23 january 1984 more than …": a column of amounts in dollars
            # ("$50,000", named "Category") is what money words name.
            spot = _spot(q, qwords, list(_MONEY_WORDS))
            if spot is not None:
                best = Mention(col, 0.55, *spot)
        if best is None and col.refers:
            # "which states does it run through": a key column is named by the table it points at.
            spot = _spot(q, qwords, [w for w in re.findall(r"[a-z]+", fold(col.refers)) if len(w) > 2])
            if spot is not None:
                best = Mention(col, 1.0, *spot)
        if best is not None:
            out.append(best)
    return out


_MONEY_WORDS = ("money", "prize", "price", "cost", "paid", "earnings", "earned", "purse",
                "金额", "奖金", "价格", "费用")
_CURRENCY = re.compile(r"^\s*(?:[A-Z]{0,3}[$£€¥]|US\$|HK\$)\s*\d")


def _in_money(col: ColumnInfo) -> bool:
    """Most of the column's cells are amounts with a currency sign ("$50,000", "£1.2m")."""
    cells = [v for v in col.values if v.strip()]
    return col.kind in ("text", "numtext") and len(cells) >= 2 and sum(
        1 for v in cells if _CURRENCY.match(v)) >= 0.8 * len(cells)


def derived_mentions(q: Question, table: TableInfo) -> list[Mention]:
    """'which department overspent the most', 超支最多的部門: a measure made of two number columns
    (spending − budget, from the lexicon's `derived` words), named by the one word."""
    syn = lexicon()["synonyms"]
    out: list[Mention] = []
    for word, (plus, minus) in lexicon()["derived"].items():
        found = q.find(word)
        a, b = (_named_by(w, syn, table) for w in (plus, minus)) if found else (None, None)
        if a is None or b is None or a is b:
            continue
        expr = f"({a.numeric} - {b.numeric})"
        col = ColumnInfo(name=f"{a.name} − {b.name}", type="DOUBLE", kind="number", folded=word, expr=expr)
        out += [Mention(col, 3.5, pos, pos + len(word)) for pos in found]
    return out


# Two number columns combined: one taken from the other ("budget minus actual spending", "the
# difference between budget and spending", 預算減實際支出, 實際支出與預算的差額) or one's total over the
# other's ("spending as a percentage of budget", "the largest share of its budget", "the ratio of
# spending to budget", 實際支出佔預算的百分比); folded to Simplified. Each form: the words between
# the two mentions, and the words that must stand before the first or after the second, if any.
_QUALIFIERS = r"(?:(?:the|its|their|actual|real|total|planned|estimated|approved|original|revised)\s+)*"
_EXTREME = r"(?:(?:largest|highest|biggest|greatest|smallest|lowest)\s+)?"
_MEASURE_FORMS: list[tuple[str, re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]] = [
    ("minus", re.compile(r"\s*(?:minus|less|-|−|减去|减|扣除)\s*" + _QUALIFIERS), None, None),
    ("minus", re.compile(r"\s*(?:and|与|和|跟|及)\s*" + _QUALIFIERS),
     re.compile(r"\b(?:the )?(?:difference|gap) (?:between|of) " + _QUALIFIERS + "$"),
     re.compile(r"\s*(?:之间)?(?:的)?(?:差额|差距|差异|相差|差)")),
    ("percent", re.compile(r"\s*(?:as\s+)?(?:(?:a|an|the)\s+)?" + _EXTREME
                           + r"(?:percentage|per cent|percent|share|proportion|fraction)\s+of\s+" + _QUALIFIERS),
     None, None),
    ("percent", re.compile(r"\s*占\s*"), None, re.compile(r"\s*的?(?:百分比|百分率|比例|比重|比率)")),
    ("ratio", re.compile(r"\s*to\s+" + _QUALIFIERS), re.compile(r"\bratio (?:of )?" + _QUALIFIERS + "$"),
     re.compile(r"\s+ratio\b")),
    ("ratio", re.compile(r"\s*/\s*"), None, None),
    # "how many gold and silver medals", "the total of gold and silver", "gold plus silver", 金牌和銀牌的總數
    ("plus", re.compile(r"\s*(?:plus|\+|加上|加)\s*" + _QUALIFIERS), None, None),
    ("plus", re.compile(r"\s*(?:and|&)\s+" + _QUALIFIERS),
     re.compile(r"\b(?:how many|how much|(?:the )?total(?: number)? of|(?:the )?sum of|combined|altogether"
                r"|(?:the )?(?:most|fewest|least))\s+(?:the\s+)?$"), None),
    ("plus", re.compile(r"\s*(?:和|与|及)\s*"), None, re.compile(r"\s*(?:的)?(?:总数|总和|合计|合共|一共|总共)")),
    # "how many more gold than silver medals", "how many fewer …": one less the other
    ("minus", re.compile(r"\s+than\s+" + _QUALIFIERS), re.compile(r"\bhow (?:many|much) more\s+$"), None),
    ("fewer", re.compile(r"\s+than\s+" + _QUALIFIERS), re.compile(r"\bhow (?:many|much) (?:fewer|less)\s+$"), None),
    ("ratio", re.compile(r"\s*(?:与|和|跟)\s*"), None, re.compile(r"\s*(?:之间)?的?(?:比率|比例)")),
]


def number_pairs(mentions: list[Mention]) -> list[tuple[Mention, Mention]]:
    """Two stored number columns the question names, the first said before the second: the sides
    of a measure or a condition made of two columns."""
    numbers = sorted((m for m in mentions if m.column.kind in ("number", "numtext") and not m.column.expr),
                     key=lambda m: (m.start, -m.score))
    return [(a, b) for a in numbers for b in numbers if b.start > a.end and b.column is not a.column]


def column_measures(q: Question, mentions: list[Mention]) -> list[Mention]:
    """Measures said as two number columns combined (see `_MEASURE_FORMS`); each mention spans the
    whole phrase. The column keeps its two columns in `combined`: a ratio divides their totals,
    not each row's."""
    out: list[Mention] = []
    for a, b in number_pairs(mentions):
        for kind, gap, before, after in _MEASURE_FORMS:
            if not gap.fullmatch(q.text, a.end, b.start):
                continue
            said_before = before.search(q.text, 0, a.start) if before else None
            said_after = after.match(q.text, b.end) if after else None
            if (before or after) and not (said_before or said_after):
                continue
            start = said_before.start() if said_before else a.start
            end = said_after.end() if said_after else b.end
            x, y = (b.column, a.column) if kind == "fewer" else (a.column, b.column)
            kind = "minus" if kind == "fewer" else kind
            if kind in ("minus", "plus"):
                sign, op = ("−", "-") if kind == "minus" else ("+", "+")
                name, expr = f"{x.name} {sign} {y.name}", f"({x.numeric} {op} {y.numeric})"
            else:
                scale = "100.0 * " if kind == "percent" else ""
                name, expr = f"{x.name} / {y.name}", f"({scale}{x.numeric} / NULLIF({y.numeric}, 0))"
            col = ColumnInfo(name=name, type="DOUBLE", kind="number", folded=q.text[start:end], expr=expr,
                             combined=(kind, x, y))
            out.append(Mention(col, 3.5, start, end))
            break
    return out


def derived_columns(table: TableInfo) -> tuple[ColumnInfo, ColumnInfo] | None:
    """The spending and the budget columns, as "overspent" names them, or None."""
    plus, minus = lexicon()["derived"]["overspent"]
    syn = lexicon()["synonyms"]
    a, b = _named_by(plus, syn, table), _named_by(minus, syn, table)
    return (a, b) if a is not None and b is not None and a is not b else None


def _named_by(word: str, syn: dict[str, list[str]], table: TableInfo) -> ColumnInfo | None:
    """The number column that `word` or one of its synonyms names."""
    for w in [word, *syn.get(word, [])]:
        for col in table.columns:
            if col.kind not in ("number", "numtext"):
                continue
            name = col.folded.strip()
            if synonym_names(w, name, {stem(x) for x in col.words}):
                return col
    return None


def _opposite_extreme(said: set[str], col: ColumnInfo) -> bool:
    """A column named for one extreme ("lowest_elevation") is not what a synonym means in a question
    that speaks only of the other ("how high is the highest point"); `said` holds the extremes the
    question uses ("max", "min")."""
    lex = lexicon()
    words = set(col.words)
    return any(
        words & set(lex[own]) and own not in said and other in said for own, other in (("max", "min"), ("min", "max"))
    )


def _abbreviated(col: ColumnInfo, q: Question, qwords: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The question's words, with each abbreviation in the column's name ("Reg. Season", "Att.")
    standing for a question word it begins ("regular", "attendance")."""
    cut = [w for w in re.findall(r"([a-z]{3,})\.", col.name.lower()) if w not in qwords]
    if not cut:
        return qwords
    out = dict(qwords)
    for w in cut:
        said = next(((s, e) for word, s, e in q.words if word.startswith(w) and word != w), None)
        if said is not None:
            out[stem(w)] = said
    return out


def _name_hits(words: list[str], qwords: dict[str, tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the question uses the words of a column's name. A number in the name ('Class 1')
    counts only written right after another of its words: the '2' of '2.00' is not 'Class 2'."""
    found = {w: qwords[w] for w in words if w in qwords}
    return [
        span
        for w, span in found.items()
        if not w.isdigit() or any(not o.isdigit() and 0 <= span[0] - other[1] <= 1 for o, other in found.items())
    ]


def inside_full_names(mentions: list[Mention]) -> list[Mention]:
    """'the club play singles list' names 'Club Play Singles' in full; its word 'singles' does not
    also name 'Hot Black Singles'. Another reading of the whole name's own words ('area' as a
    synonym) is left to the scoring."""
    full = [m for m in mentions if m.score >= 3.0]

    def part_of(m: Mention, f: Mention) -> bool:
        return f.start <= m.start and m.end <= f.end and (m.start, m.end) != (f.start, f.end)

    out = []
    for m in mentions:
        if m.score >= 3.0 or not any(f.column is not m.column and part_of(m, f) for f in full):
            out.append(m)
        elif m.fallback is not None and not any(f.column is not m.column and part_of(m.fallback, f) for f in full):
            out.append(m.fallback)
    return out


def unit_free(q: Question, mentions: list[Mention]) -> list[Mention]:
    """'above 50 mm': a short word right after a number is its unit, and names no column alone
    (a 'Pitch [in (mm)]' column is not meant); longer names ('6 hospital beds') still count."""
    units = [
        (s, e)
        for i, (w, s, e) in enumerate(q.words)
        if i and q.words[i - 1][0].isdigit() and len(w) <= 3 and w not in STOPWORDS
    ]
    units = [(s, e) for s, e in units if not any(c.isdigit() for c in q.text[s:e])]
    return [m for m in mentions if m.score >= 3.0 or not any(s <= m.start and m.end <= e for s, e in units)]


def _spot(q: Question, qwords: dict[str, tuple[int, int]], group: list[str]) -> tuple[int, int] | None:
    """Where the question uses any word of a synonym group (English by word, Chinese by substring)."""
    for w in group:
        if ASCII.match(w):
            if " " not in w and stem(w) in qwords:
                return qwords[stem(w)]
        else:
            pos = q.text.find(w)
            if pos >= 0:
                return pos, pos + len(w)
    return None


@dataclass
class Value:
    """A cell value the question quotes: the whole cell (`exact`) or whole words inside one."""

    column: ColumnInfo
    value: str
    start: int
    end: int
    exact: bool
    negated: bool = False
    excluded: bool = False  # "rivers that do not run through texas": no row of the thing holds it
    variants: tuple[str, ...] = ()  # cells that are the value with a note: "Hard (i)" for "Hard"
    prefix: bool = False  # cells that start with the value and a space: "W 42–13" for a win


def _variants(col: ColumnInfo, value: str) -> tuple[str, ...]:
    """Cells holding `value` followed by a bracketed note, or as the first of several lines or
    things ('Professional writer\nWinner of ...', '... writer and 1952 Pulitzer Prize winner'),
    which count as the same value; and cells listing it among others ('American, Spirit, United'
    has United as a carrier)."""
    head = fold(value).strip()
    return tuple(
        v
        for v in col.values
        if fold(v).startswith((head + " (", head + "\n", head + " and "))
        or _joined_lines(v, value.strip())
        or fold(v).strip() != head and head in _LIST_ITEMS.split(fold(v).strip())
    )


# Items of a cell that lists several things: "American, Spirit, United", "Cantonese; English".
_LIST_ITEMS = re.compile(r"\s*[,;\n]\s*")


def _joined_lines(cell: str, value: str) -> bool:
    """'Professional writerWinner of ...': lines of a cell run together, the first being `value`."""
    n = len(value)
    return len(cell) > n and cell[:n].lower() == value.lower() and value[-1:].islower() and cell[n].isupper()


def value_links(q: Question, table: TableInfo) -> list[Value]:
    """Cell values the question quotes: whole cells first, then words found inside cells."""
    cands: list[Value] = []
    for col in table.columns:
        if col.kind not in ("text", "numtext", "number"):
            continue
        for v in col.values:
            fv = fold(v).strip()
            if not fv or fv in STOPWORDS or fv == col.folded:
                continue  # a cell that repeats its column's name is a header row repeated, no value
            digits = fv.replace(",", "").replace(".", "").isdigit()
            if digits and col.kind == "number" and not YEAR.match(fv):
                continue
            if len(fv) < 2 or (digits and len(fv) < 3):
                continue
            for form in (fv, *_plurals(fv, col)):
                for pos in q.find(form):
                    variants = _variants(col, v) if col.kind == "text" else ()
                    cands.append(Value(col, v, pos, pos + len(form), True, variants=variants))
    cands += _ordinal_links(q, table)
    cands += _demonym_links(q, table)
    cands += _cell_word_links(q, table)
    cands += _result_code_links(q, table)
    cands += _ordinal_phrase_links(q, table)
    # Words of the question found inside longer cells ("south korea" in "South Korea (KOR)").
    taken = _resolve(cands)
    covered = [(c.start, c.end) for c in taken]
    content = [(w, s, e) for w, s, e in q.words if w not in STOPWORDS and w not in PARTIAL_STOP and not w.isdigit()]
    partial: list[Value] = []
    # words asked of the table, never quoted from inside a cell: superlatives, one-word column names
    extremes = _extreme_words()
    one_word_names = {stem(c.words[0]) for c in table.columns if len(c.words) == 1}
    for n in (4, 3, 2, 1):
        for i in range(len(content) - n + 1):
            span = content[i : i + n]
            if any(span[k + 1][1] - span[k][2] > 1 for k in range(n - 1)):
                continue
            s, e = span[0][1], span[-1][2]
            if any(a < e and s < b for a, b in covered):
                continue
            phrase = q.text[s:e]
            if len(phrase) < 3 and ASCII.match(phrase) or len(phrase) < 2:
                continue  # "of", or one Chinese character (中 of 電話查詢中 is no part of 中西區)
            if q.text.endswith("how ", 0, s):
                continue  # "how high", "how big": a measure asked for, not part of a cell
            for col in table.columns:
                if col.kind not in ("text", "numtext") or not col.values:
                    continue
                if any(stem(w) in {stem(x) for x in col.words} for w, _, _ in span):
                    continue
                blob = _blob(col)
                if phrase not in blob or _synonym_of(phrase, col):
                    continue
                if n == 1 and (phrase in extremes or stem(phrase) in one_word_names):
                    continue  # "the fastest train", "how many singles": asked of the table, not quoted from it
                if n == 1 and phrase.endswith("ed") and len(blob) > 40 * len(col.values):
                    continue  # "which nation ordered the most": a verb of the question, not words of notes
                if n == 1 and col.kind == "numtext" and AFTER_DID_PRONOUN.search(q.text, 0, s):
                    continue  # "how many seasons did she compete": a verb, not a note ("did not compete") among numbers
                # "the 100 m hurdle" is said of the cell "100 m hurdles": a plural ending may follow
                pat = (
                    re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?:e?s)?(?![a-z0-9])")
                    if ASCII.match(phrase)
                    else None
                )
                hits = [v for v in col.values if (pat.search(fold(v)) if pat else phrase in fold(v))]
                if hits and len(hits) <= max(3, col.distinct // 2):
                    partial.append(_with_number_before(q, Value(col, phrase, s, e, False), hits))
            if any(p.start == s and p.end == e for p in partial):
                covered.append((s, e))
    return _resolve(cands + partial)


def _extreme_words() -> frozenset[str]:
    """The superlatives of the lexicon ("fastest", "最多")."""
    return frozenset(lexicon()["max"]) | frozenset(lexicon()["min"])


# "did he score", "did she compete": the word after is a verb, not a column or a word of a cell
AFTER_DID_PRONOUN = re.compile(r"\b(?:did|does|do)\s+(?:he|she|they|it|we|you)\s+$")


def _with_number_before(q: Question, v: Value, cells: list[str]) -> Value:
    """'the 100 m hurdle': the number said before words found inside cells is part of them when
    some of those cells have it there too ("100 m hurdles", not "60 m hurdles")."""
    before = [(w, s) for w, s, e in q.words if e < v.start and q.text[e : v.start] == " " and w.isdigit()]
    if not before:
        return v
    word, start = before[-1]
    said = f"{word} {v.value}"
    if any(re.search(r"(?<![0-9])" + re.escape(said), fold(c)) for c in cells):
        return Value(v.column, said, start, v.end, False)
    return v


def _plurals(value: str, col: ColumnInfo) -> tuple[str, ...]:
    """'complaints' for a cell 'complaint', 'left wings' for 'left wing', of a text column (English
    words, the last of four letters or more); 'me-109s' for a code 'me-109'."""
    if col.kind == "text" and re.fullmatch(r"[a-z]{1,4}-?\d+[a-z]?", value):
        return (value + "s",)
    if col.kind != "text" or not re.fullmatch(r"(?:[a-z]+ ){0,2}[a-z]{3,}", value) or value == col.folded.strip():
        return ()  # a cell that repeats the column's name is a header row, not a thing counted
    if value.endswith(("s", "x", "ch", "sh")):
        return (value + "es",)
    if value.endswith("y") and value[-2] not in "aeiou":
        return (value[:-1] + "ies",)
    return (value + "s",)


def _synonym_of(word: str, col: ColumnInfo) -> bool:
    """Whether `word` names `col` through the synonym lexicon: in "各區的查詢", 區 names a district
    column and is no value of it, though many districts end in 區."""
    name, stems = col.folded.strip(), {stem(w) for w in col.words}
    for key, targets in lexicon()["synonyms"].items():
        group = [key, *targets]
        if word in group and any(names_column(t, name, stems) for t in group):
            return True
    return False


def names_column(word: str, name: str, stems: set[str]) -> bool:
    """Whether a synonym-list word is the column's folded `name` or one of its word `stems`."""
    return word == name or stem(word) in stems


def synonym_names(word: str, name: str, stems: set[str]) -> bool:
    """`names_column`, or a Chinese synonym inside the column's folded `name` (预算 in 预算(百万元))."""
    return names_column(word, name, stems) or (not ASCII.match(word) and word in name)


def _demonym_links(q: Question, table: TableInfo) -> list[Value]:
    """'belgian riders', 'how many germans': the country cell 'Belgium', 'Germany' (whole cells only)."""
    out: list[Value] = []
    for adjective, country in lexicon().get("demonyms", {}).items():
        for word, pos in [(w, p) for w in (adjective, adjective + "s") for p in q.find(w)]:
            for col in table.columns:
                if col.kind != "text":
                    continue
                stored = next((v for v in col.values if fold(v).strip() == country), None)
                if stored is not None:
                    out.append(Value(col, stored, pos, pos + len(word), True))
    return out


_RESULT_CODES = re.compile(r"(?:w|l|d|t|won|lost|drew|tied) ")


def _cell_word_links(q: Question, table: TableInfo) -> list[Value]:
    """'电话查询' over a channel column of 'phone' cells: a Chinese word for an English cell."""
    out: list[Value] = []
    for word, cells in lexicon().get("cell_words", {}).items():
        for pos in q.find(word):
            for col in table.columns:
                if col.kind not in ("text", "numtext") or _synonym_of(word, col):
                    continue  # numtext: places written "1st", "5th"
                held = {fold(v).strip(): v for v in col.values}
                stored = next((held[c] for c in cells if c in held), None)
                if stored is not None:
                    out.append(Value(col, stored, pos, pos + len(word), True))
                elif held and sum(1 for v in held if _RESULT_CODES.match(v)) >= 0.8 * len(held):
                    # "how many games did they win" over results written "W 42–13", "L 23–24"
                    code = next((c for c in cells if any(v.startswith(c + " ") for v in held)), None)
                    if code is not None:
                        out.append(Value(col, code.upper(), pos, pos + len(word), True, prefix=True))
    return out


def _spelled(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _ordinal_phrase_links(q: Question, table: TableInfo) -> list[Value]:
    """'the first voted out': cells that write the phrase with a numeral ('1st Voted Out, Day 3')."""
    out: list[Value] = []
    words = q.words
    for i, (w, s, _) in enumerate(words):
        n = ORDINALS.get(w)
        if n is None:
            continue
        for size in (3, 2):
            rest = words[i + 1 : i + size]
            if len(rest) < size - 1 or all(x in STOPWORDS for x, _, _ in rest):
                continue
            phrase = " ".join([_spelled(n)] + [x for x, _, _ in rest])
            pat = re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])")
            for col in table.columns:
                if col.kind not in ("text", "numtext") or phrase not in _blob(col):
                    continue
                hits = [v for v in col.values if pat.search(fold(v))]
                if hits and len(hits) <= max(3, col.distinct // 2):
                    out.append(Value(col, phrase, s, rest[-1][2], False))
            if out:
                return out
    return out


def _result_code_links(q: Question, table: TableInfo) -> list[Value]:
    """'did not finish': the cells 'DNF' or 'Ret' of the first column that holds such codes."""
    out: list[Value] = []
    for phrase, codes in lexicon().get("result_codes", {}).items():
        for pos in q.find(phrase):
            for col in table.columns:
                if col.kind != "text":
                    continue
                cells = [v for v in col.values if fold(v).strip().rstrip(".") in codes]
                if cells:
                    out.append(Value(col, cells[0], pos, pos + len(phrase), True, variants=tuple(cells[1:])))
                    break
    return out


def _ordinal_links(q: Question, table: TableInfo) -> list[Value]:
    """'placed first', '1st place': a finishing position, stored as '1st' or as the number 1."""
    out: list[Value] = []
    words = q.words
    for i, (w, s, e) in enumerate(words):
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
        n = int(m.group(1)) if m else ORDINALS.get(w)
        if n is None:
            continue
        near = {x for x, _, _ in words[max(0, i - 1) : i + 2]}
        # "how many times was first listed as the position": a count naming the position column.
        counted = re.search(r"\bhow many times\b", q.text) and {x for x, _, _ in words} & PLACE_WORDS
        if not near & PLACE_WORDS and not counted:
            continue
        spelled = _spelled(n)
        for col in table.columns:
            if col.kind in ("text", "numtext"):
                cell = next((v for v in col.values if fold(v).strip() in (spelled, spelled + ".")), None)
                if cell is not None:
                    out.append(Value(col, cell, s, e, True))
            elif col.kind == "number" and set(col.words) & PLACE_WORDS and str(n) in col.values:
                out.append(Value(col, str(n), s, e, True))
    return out


def one_column_per_span(q: Question, values: list[Value], mentions: list[Mention], table: TableInfo) -> list[Value]:
    """A value found in several columns keeps the column named right next to it ("the colorado
    river") or around it ("the original manobo tribe"), else one the question does not name
    elsewhere (in "rivers in colorado" the rivers are asked for, so colorado is the state they run
    through), else the first.

    In a joined view a value the joined table holds binds to it: on the main table alone the
    question would not need the join.
    """
    named = {m.column.name for m in mentions}

    def beside(v: Value) -> bool:
        return any(
            m.column.name == v.column.name
            and (
                v.end <= m.start and _LABEL_GAP.fullmatch(q.text[v.end : m.start])
                or m.end <= v.start and _NAMING_GAP.fullmatch(q.text[m.end : v.start])
                or m.end <= v.start and q.text[m.end : v.start] == " of " and entity_column(m.column, table)
                or m.start < v.start and v.end < m.end  # "the original manobo tribe": Original Tribe
            )
            for m in mentions
        )

    out: list[Value] = []

    def qualifies(v: Value) -> bool:
        """'seattle washington': a value right after another one names something else of it."""
        before = [o for o in out if follows(q.text, o, v)]
        return bool(before) and all(o.column is not v.column for o in before)

    def rank(v: Value) -> tuple[bool, bool, bool, bool]:
        joined = bool(table.joined) and v.column.table == table.joined
        return beside(v), qualifies(v), v.column.name not in named, joined

    for v in values:
        same = [o for o in out if (o.start, o.end) == (v.start, v.end)]
        if not same:
            out.append(v)
        elif rank(v) > rank(same[0]):
            out[out.index(same[0])] = v
    return out


def is_averaged(col: ColumnInfo) -> bool:
    """A rating, rate, average or duration ("satisfaction", "avg_wait_minutes", 滿意度, "days to
    close"; the lexicon's `averaged` and `durations` words): per group it is averaged, since adding
    it up means nothing."""
    stems = set(map(stem, col.words))
    words = [*lexicon()["averaged"], *lexicon().get("durations", [])]
    return any(stem(w) in stems if ASCII.match(w) else w in col.folded for w in words)


WH_BEFORE = re.compile(r"\b(?:what|which|how many)\s+$")
# Before a noun, what makes it the thing asked for: "which states …", and at the very start of a
# phrase with no question word, "the states that the mississippi runs through".
ASKED_BEFORE = re.compile(r"\b(?:what|which|how many)\s+$|^(?:the\s+)?$")
_QUALIFIER_GAP = re.compile(r" |, ")
# "the colorado river", "ferrari (was) listed as an engine": the value, then the column it is in
_LABEL_GAP = re.compile(r"\s*(?:the\s+|(?:(?:is|are|was|were)\s+)?(?:listed\s+)?as\s+(?:an?\s+|the\s+)?)?")
_NAMING_GAP = re.compile(r"\s*(?:the\s+|(?:(?:is|are|was|were)\s+)?(?:named|called)\s+)?")


def follows(text: str, first: Value, then: Value) -> bool:
    """`then` comes right after `first` ("seattle washington", "austin, texas")."""
    return first.end < then.start and _QUALIFIER_GAP.fullmatch(text[first.end : then.start]) is not None


def entity_column(col: ColumnInfo, table: TableInfo) -> bool:
    """The column that names a table's rows: `city_name` in `city` ("the city of austin")."""
    return stem(fold(col.table or table.name)) in {stem(w) for w in col.words}


def _resolve(cands: list[Value]) -> list[Value]:
    """Keep the longest non-overlapping links; a span matching several columns keeps each."""
    cands.sort(key=lambda c: (-(c.end - c.start), not c.exact, c.start))
    kept: list[Value] = []
    for c in cands:
        clash = [k for k in kept if k.start < c.end and c.start < k.end]
        if (
            not clash
            or all(k.start == c.start and k.end == c.end and k.exact == c.exact for k in clash)
            and all(k.column is not c.column for k in clash)
        ):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


# Keyed by id(); the entry holds the column itself so that the id cannot be reused while cached.
_BLOBS: dict[int, tuple[ColumnInfo, str]] = {}


def _blob(col: ColumnInfo) -> str:
    hit = _BLOBS.get(id(col))
    if hit is None or hit[0] is not col:
        if len(_BLOBS) > 5000:
            _BLOBS.clear()
        hit = _BLOBS[id(col)] = (col, "\n".join(fold(v) for v in col.values))
    return hit[1]


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


_HEADS = [
    ("who", "who"),
    ("whom", "who"),
    ("谁", "who"),
    ("什么人", "who"),
    ("哪位", "who"),
    ("when", "when"),
    ("what year", "when"),
    ("which year", "when"),
    ("what season", "when"),
    ("which season", "when"),
    ("what date", "when"),
    ("哪一年", "when"),
    ("哪年", "when"),
    ("哪一天", "when"),
    ("哪天", "when"),
    ("哪一日", "when"),
    ("what day", "when"),
    ("which day", "when"),
    ("何时", "when"),
    ("什么时候", "when"),
    ("几时", "when"),
    ("where", "where"),
    ("哪里", "where"),
    ("在哪", "where"),
    ("什么地方", "where"),
]


def question_head(q: Question) -> tuple[str | None, int]:
    """The kind of thing asked for (who/when/where), and where the asked-for noun starts."""
    for phrase, kind in _HEADS:
        pos = q.find(phrase)
        if pos:
            return kind, pos[0] + len(phrase)
    for phrase in ("which", "what", "name the", "name a", "哪个", "哪些", "哪一个", "哪", "什么"):
        pos = q.find(phrase)
        if pos:
            return None, pos[0] + len(phrase)
    # Chinese puts the noun asked for last, after its modifiers: "人口最多的地区" asks for a district.
    last = q.text.rfind("的")
    if last > 0 and not ASCII.match(q.text):
        return None, last + 1
    return None, 0
