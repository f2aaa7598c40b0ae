"""The embedded question parser: English, Traditional and Simplified Chinese questions to SQL.

No model. A question is folded (lower case, Simplified script), then linked to the table: cell
values it quotes (exactly, or as whole words inside a cell), columns it names (by words, synonyms
and script-folded Chinese), numbers with a comparison, years. Intent words (count, total, average,
most/least, first/last, next/previous, difference, A-or-B, percentage, per-group) decide the shape
of the query. Cells are read as people write them: 'no X' is an empty or zero cell, a yes/no
column counts its yes rows, 'first' matches '1st', 'did not finish' matches 'DNF', a year that is
also a cell is a range when compared. When nothing in the question links to the table the parser
says so instead of guessing (`CannotAnswer`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ai_toolbox.analysis.dates import month_filters
from ai_toolbox.analysis.schema import ColumnInfo, TableInfo, literal
from ai_toolbox.analysis.textutil import fold
from ai_toolbox.errors import InvalidInput


class CannotAnswer(InvalidInput):
    """The question does not link to this table; the parser will not guess."""


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return tomllib.loads((Path(__file__).parent / "lexicon" / "words.toml").read_text("utf-8"))


STOPWORDS = set(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "did",
        "do",
        "does",
        "has",
        "have",
        "had",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "his",
        "her",
        "their",
        "they",
        "he",
        "she",
        "them",
        "there",
        "than",
        "then",
        "as",
        "into",
        "about",
        "listed",
        "list",
        "name",
        "names",
        "total",
        "number",
        "numbers",
        "amount",
        "value",
        "table",
        "chart",
        "one",
        "ones",
        "only",
        "all",
        "any",
        "after",
        "before",
        "first",
        "last",
        "next",
        "previous",
        "more",
        "most",
        "less",
        "least",
        "not",
        "other",
        "each",
        "per",
        "get",
        "got",
        "made",
        "make",
        "please",
        "show",
        "tell",
        "me",
        "give",
        "find",
        "same",
        "also",
        "ever",
        "both",
        "either",
        "between",
        "over",
        "under",
        "above",
        "below",
        "same",
        "time",
        "times",
        "year",
        "years",
        "s",
    ]
)
# Common words that say what is asked, not which row: never linked as part of a cell value.
PARTIAL_STOP = set(
    [
        "place",
        "places",
        "played",
        "play",
        "took",
        "take",
        "book",
        "books",
        "home",
        "location",
        "locations",
        "finish",
        "finished",
        "won",
        "win",
        "wins",
        "winning",
        "scored",
        "score",
        "scores",
        "game",
        "games",
        "team",
        "teams",
        "season",
        "seasons",
        "released",
        "release",
        "episode",
        "episodes",
        "people",
        "player",
        "players",
        "title",
        "titles",
        "event",
        "events",
        "race",
        "races",
        "album",
        "albums",
        "song",
        "songs",
        "record",
        "records",
        "number",
        "total",
        "amount",
        "name",
        "names",
        "city",
        "country",
        "years",
        "game",
        "round",
        "rounds",
        "group",
        "member",
        "members",
        "medal",
        "medals",
        "point",
        "points",
        "goal",
        "goals",
        "vote",
        "votes",
        "top",
        "times",
        "time",
        "date",
        "day",
        "days",
        "week",
        "month",
        "months",
        "old",
        "new",
        "first",
        "last",
        "next",
        "same",
        "different",
        "other",
        "only",
    ]
)

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
# Words that make an ordinal a finishing position ("placed first") rather than row order.
PLACE_WORDS = {
    "place",
    "placed",
    "placing",
    "position",
    "pos",
    "finish",
    "finished",
    "finishing",
    "rank",
    "ranked",
    "ranking",
}

# Columns that name or order rows rather than measure them: "how many seasons" counts rows.
ID_WORDS = {
    "year",
    "season",
    "no",
    "number",
    "rank",
    "position",
    "pos",
    "place",
    "id",
    "date",
    "round",
    "pick",
    "episode",
    "series",
    "week",
    "game",
    "match",
    "code",
    "district",
    "年",
    "年份",
    "编号",
    "排名",
}
_ASCII = re.compile(r"^[\x00-\x7f]+$")
# A question, not a request for a breakdown ("enquiries by district").
_QUESTION_WORD = re.compile(
    r"\b(what|which|who|whom|whose|when|where|why|how|did|does|do|is|was|are|were|has|have|had)\b|哪|什么|谁|何|吗|是否|多少|几"
)
# A number, also with a unit written on ("240cm"), but not an ordinal ("1st") or part of a code.
_NUM = re.compile(r"(?<![0-9A-Za-z.\-])-?\d[\d,]*(?:\.\d+)?(?![0-9\-])(?!(?:st|nd|rd|th)\b)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_QUARTER = re.compile(r"\b(?:q|quarter )([1-4])\b|第([一二三四1-4])季")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u9fff]")


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
    order: str | None = None  # asc | desc
    limit: int | None = None
    confidence: float = 0.5
    coverage: frozenset[int] = frozenset()  # words of the question (by start) the SQL uses
    share: float = 0.0  # the share of the question's content words the SQL uses
    target_named: bool = False  # the question names the column it asks for ("which states")
    table: str = ""  # the table (or the main table of a joined view) the plan reads


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and ("a" <= text[i] <= "z" or "0" <= text[i] <= "9")


@dataclass
class _Q:
    text: str
    words: list[tuple[str, int, int]]

    def find(self, phrase: str) -> list[int]:
        """Start offsets of `phrase` as whole words (English) or as a substring (Chinese)."""
        out = []
        if _ASCII.match(phrase):
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


def stem(word: str) -> str:
    """A plural's singular, roughly: "cities" → city, "rivers" → river."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _question_stems(q: _Q) -> dict[str, tuple[int, int]]:
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
class _Mention:
    column: ColumnInfo
    score: float
    start: int
    end: int
    # The column's reading as the measure a "how …" asks for, used if this one falls inside another
    # column's full name: in "how high is the highest point", "highest" belongs to highest_point,
    # and highest_elevation is named by "how high".
    fallback: _Mention | None = None


def _column_mentions(q: _Q, table: TableInfo) -> list[_Mention]:
    """Columns the question names, by whole name, by words, or by a synonym."""
    syn = lexicon()["synonyms"]
    qwords = _question_stems(q)
    extremes_said = {kind for kind in ("max", "min") if q.has(kind)}
    out: list[_Mention] = []
    for col in table.columns:
        name = col.folded.strip()
        if not name:
            continue
        best: _Mention | None = None
        pos = q.find(name) if len(name) > 1 or not _ASCII.match(name) else []
        if not pos and "_" in name:
            pos = q.find(name.replace("_", " "))  # "lowest elevation" names lowest_elevation
        if pos:
            best = _Mention(col, 3.0 + len(name) / 20, pos[0], pos[0] + len(name))
        else:
            words = [stem(w) for w in col.words if w not in STOPWORDS or w in ("year", "time", "name")]
            hit = _name_hits(words, qwords)
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
                best = _Mention(col, 1.0 + frac, min(h[0] for h in hit), max(h[1] for h in hit))
            elif not _ASCII.match(name):
                # Chinese column names: the longest run of the name the question contains.
                for size in range(len(name) - 1, 1, -1):
                    grams = [name[i : i + size] for i in range(len(name) - size + 1)]
                    found = [(g, q.text.find(g)) for g in grams if q.text.find(g) >= 0]
                    if found:
                        g, p = found[0]
                        best = _Mention(col, 0.8 + size / len(name), p, p + len(g))
                        break
        if best is None or best.score < 3.0:
            by_word, readings = best, []
            for key, targets in syn.items():
                group = [key, *targets]
                spot = _spot(q, qwords, group)
                if spot is None:
                    continue
                col_stems = {stem(w) for w in col.words}
                fits = [
                    i
                    for i, t in enumerate(group)
                    if _names_column(t, name, col_stems) or (not _ASCII.match(t) and t in name)
                ]
                if not fits or _opposite_extreme(extremes_said, col):
                    continue
                score = 0.6 - 0.02 * min(fits[0], 5)
                # Earlier words in a synonym list are the likelier reading ("big": area before population);
                # the question's own word as the group's head reads best of all.
                if _spot(q, qwords, [key]) is not None:
                    score += 0.01
                readings.append((score, group, spot))
            readings.sort(key=lambda r: -r[0])  # stable: the first group read wins a tie
            if by_word is None:
                best = _Mention(col, readings[0][0], *readings[0][2]) if readings else None
            else:
                by_word.fallback = next(
                    (
                        _Mention(col, score, p, p + len(w))
                        for score, group, _ in readings
                        for w in group
                        for p in q.find(w)
                        if (p + len(w) <= by_word.start or p >= by_word.end) and q.text.endswith("how ", 0, p)
                    ),
                    None,
                )
        if best is None and col.refers:
            # "which states does it run through": a key column is named by the table it points at.
            spot = _spot(q, qwords, [w for w in re.findall(r"[a-z]+", fold(col.refers)) if len(w) > 2])
            if spot is not None:
                best = _Mention(col, 1.0, *spot)
        if best is not None:
            out.append(best)
    return out


def _opposite_extreme(said: set[str], col: ColumnInfo) -> bool:
    """A column named for one extreme ("lowest_elevation") is not what a synonym means in a question
    that speaks only of the other ("how high is the highest point"); `said` holds the extremes the
    question uses ("max", "min")."""
    lex = lexicon()
    words = set(col.words)
    return any(
        words & set(lex[own]) and own not in said and other in said for own, other in (("max", "min"), ("min", "max"))
    )


def _name_hits(words: list[str], qwords: dict[str, tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the question uses the words of a column's name. A number in the name ('Class 1')
    counts only written right after another of its words: the '2' of '2.00' is not 'Class 2'."""
    found = {w: qwords[w] for w in words if w in qwords}
    return [
        span
        for w, span in found.items()
        if not w.isdigit() or any(not o.isdigit() and 0 <= span[0] - other[1] <= 1 for o, other in found.items())
    ]


def _inside_full_names(mentions: list[_Mention]) -> list[_Mention]:
    """'the club play singles list' names 'Club Play Singles' in full; its word 'singles' does not
    also name 'Hot Black Singles'. Another reading of the whole name's own words ('area' as a
    synonym) is left to the scoring."""
    full = [m for m in mentions if m.score >= 3.0]

    def part_of(m: _Mention, f: _Mention) -> bool:
        return f.start <= m.start and m.end <= f.end and (m.start, m.end) != (f.start, f.end)

    out = []
    for m in mentions:
        if m.score >= 3.0 or not any(f.column is not m.column and part_of(m, f) for f in full):
            out.append(m)
        elif m.fallback is not None and not any(f.column is not m.column and part_of(m.fallback, f) for f in full):
            out.append(m.fallback)
    return out


def _unit_free(q: _Q, mentions: list[_Mention]) -> list[_Mention]:
    """'above 50 mm': a short word right after a number is its unit, and names no column alone
    (a 'Pitch [in (mm)]' column is not meant); longer names ('6 hospital beds') still count."""
    units = [
        (s, e)
        for i, (w, s, e) in enumerate(q.words)
        if i and q.words[i - 1][0].isdigit() and len(w) <= 3 and w not in STOPWORDS
    ]
    units = [(s, e) for s, e in units if not any(c.isdigit() for c in q.text[s:e])]
    return [m for m in mentions if m.score >= 3.0 or not any(s <= m.start and m.end <= e for s, e in units)]


def _spot(q: _Q, qwords: dict[str, tuple[int, int]], group: list[str]) -> tuple[int, int] | None:
    """Where the question uses any word of a synonym group (English by word, Chinese by substring)."""
    for w in group:
        if _ASCII.match(w):
            if " " not in w and stem(w) in qwords:
                return qwords[stem(w)]
        else:
            pos = q.text.find(w)
            if pos >= 0:
                return pos, pos + len(w)
    return None


@dataclass
class _Value:
    column: ColumnInfo
    value: str
    start: int
    end: int
    exact: bool
    negated: bool = False
    excluded: bool = False  # "rivers that do not run through texas": no row of the thing holds it
    variants: tuple[str, ...] = ()  # cells that are the value with a note: "Hard (i)" for "Hard"


def _variants(col: ColumnInfo, value: str) -> tuple[str, ...]:
    """Cells holding `value` followed by a bracketed note, or as the first of several lines or
    things ('Professional writer\nWinner of ...', '... writer and 1952 Pulitzer Prize winner'),
    which count as the same value."""
    head = fold(value).strip()
    return tuple(
        v
        for v in col.values
        if fold(v).startswith((head + " (", head + "\n", head + " and ")) or _joined_lines(v, value.strip())
    )


def _joined_lines(cell: str, value: str) -> bool:
    """'Professional writerWinner of ...': lines of a cell run together, the first being `value`."""
    n = len(value)
    return len(cell) > n and cell[:n].lower() == value.lower() and value[-1:].islower() and cell[n].isupper()


def _value_links(q: _Q, table: TableInfo) -> list[_Value]:
    """Cell values the question quotes: whole cells first, then words found inside cells."""
    cands: list[_Value] = []
    for col in table.columns:
        if col.kind not in ("text", "numtext", "number"):
            continue
        for v in col.values:
            fv = fold(v).strip()
            if not fv or fv in STOPWORDS:
                continue
            digits = fv.replace(",", "").replace(".", "").isdigit()
            if digits and col.kind == "number" and not _YEAR.match(fv):
                continue
            if len(fv) < 2 or (digits and len(fv) < 3):
                continue
            for pos in q.find(fv):
                variants = _variants(col, v) if col.kind == "text" else ()
                cands.append(_Value(col, v, pos, pos + len(fv), True, variants=variants))
    cands += _ordinal_links(q, table)
    cands += _demonym_links(q, table)
    cands += _result_code_links(q, table)
    cands += _ordinal_phrase_links(q, table)
    # Words of the question found inside longer cells ("south korea" in "South Korea (KOR)").
    taken = _resolve(cands)
    covered = [(c.start, c.end) for c in taken]
    content = [(w, s, e) for w, s, e in q.words if w not in STOPWORDS and w not in PARTIAL_STOP and not w.isdigit()]
    partial: list[_Value] = []
    for n in (4, 3, 2, 1):
        for i in range(len(content) - n + 1):
            span = content[i : i + n]
            if any(span[k + 1][1] - span[k][2] > 1 for k in range(n - 1)):
                continue
            s, e = span[0][1], span[-1][2]
            if any(a < e and s < b for a, b in covered):
                continue
            phrase = q.text[s:e]
            if len(phrase) < 3 and _ASCII.match(phrase):
                continue
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
                pat = (
                    re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])") if _ASCII.match(phrase) else None
                )
                hits = [v for v in col.values if (pat.search(fold(v)) if pat else phrase in fold(v))]
                if hits and len(hits) <= max(3, col.distinct // 2):
                    partial.append(_Value(col, phrase, s, e, False))
            if any(p.start == s and p.end == e for p in partial):
                covered.append((s, e))
    return _resolve(cands + partial)


def _synonym_of(word: str, col: ColumnInfo) -> bool:
    """Whether `word` names `col` through the synonym lexicon: in "各區的查詢", 區 names a district
    column and is no value of it, though many districts end in 區."""
    name, stems = col.folded.strip(), {stem(w) for w in col.words}
    for key, targets in lexicon()["synonyms"].items():
        group = [key, *targets]
        if word in group and any(_names_column(t, name, stems) for t in group):
            return True
    return False


def _names_column(word: str, name: str, stems: set[str]) -> bool:
    """Whether a synonym-list word is the column's folded `name` or one of its word `stems`."""
    return word == name or stem(word) in stems


def _demonym_links(q: _Q, table: TableInfo) -> list[_Value]:
    """'belgian riders', 'how many germans': the country cell 'Belgium', 'Germany' (whole cells only)."""
    out: list[_Value] = []
    for adjective, country in lexicon().get("demonyms", {}).items():
        for word, pos in [(w, p) for w in (adjective, adjective + "s") for p in q.find(w)]:
            for col in table.columns:
                if col.kind != "text":
                    continue
                stored = next((v for v in col.values if fold(v).strip() == country), None)
                if stored is not None:
                    out.append(_Value(col, stored, pos, pos + len(word), True))
    return out


def _spelled(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _ordinal_phrase_links(q: _Q, table: TableInfo) -> list[_Value]:
    """'the first voted out': cells that write the phrase with a numeral ('1st Voted Out, Day 3')."""
    out: list[_Value] = []
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
                    out.append(_Value(col, phrase, s, rest[-1][2], False))
            if out:
                return out
    return out


def _result_code_links(q: _Q, table: TableInfo) -> list[_Value]:
    """'did not finish': the cells 'DNF' or 'Ret' of the first column that holds such codes."""
    out: list[_Value] = []
    for phrase, codes in lexicon().get("result_codes", {}).items():
        for pos in q.find(phrase):
            for col in table.columns:
                if col.kind != "text":
                    continue
                cells = [v for v in col.values if fold(v).strip().rstrip(".") in codes]
                if cells:
                    out.append(_Value(col, cells[0], pos, pos + len(phrase), True, variants=tuple(cells[1:])))
                    break
    return out


def _ordinal_links(q: _Q, table: TableInfo) -> list[_Value]:
    """'placed first', '1st place': a finishing position, stored as '1st' or as the number 1."""
    out: list[_Value] = []
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
                    out.append(_Value(col, cell, s, e, True))
            elif col.kind == "number" and set(col.words) & PLACE_WORDS and str(n) in col.values:
                out.append(_Value(col, str(n), s, e, True))
    return out


def _one_column_per_span(q: _Q, values: list[_Value], mentions: list[_Mention], table: TableInfo) -> list[_Value]:
    """A value found in several columns keeps the column named right next to it ("the colorado
    river"), else one the question does not name elsewhere (in "rivers in colorado" the rivers
    are asked for, so colorado is the state they run through), else the first.

    In a joined view a value the joined table holds binds to it: on the main table alone the
    question would not need the join.
    """
    named = {m.column.name for m in mentions}

    def beside(v: _Value) -> bool:
        return any(
            m.column.name == v.column.name
            and (
                v.end <= m.start and _LABEL_GAP.fullmatch(q.text[v.end : m.start])
                or m.end <= v.start and _NAMING_GAP.fullmatch(q.text[m.end : v.start])
                or m.end <= v.start and q.text[m.end : v.start] == " of " and entity_column(m.column, table)
            )
            for m in mentions
        )

    out: list[_Value] = []

    def qualifies(v: _Value) -> bool:
        """'seattle washington': a value right after another one names something else of it."""
        before = [o for o in out if _follows(q.text, o, v)]
        return bool(before) and all(o.column is not v.column for o in before)

    def rank(v: _Value) -> tuple[bool, bool, bool, bool]:
        joined = bool(table.joined) and v.column.table == table.joined
        return beside(v), qualifies(v), v.column.name not in named, joined

    for v in values:
        same = [o for o in out if (o.start, o.end) == (v.start, v.end)]
        if not same:
            out.append(v)
        elif rank(v) > rank(same[0]):
            out[out.index(same[0])] = v
    return out


# "do not run through ", "does not border ": a relation denied, up to two words before the value.
_VERB_NOT = re.compile(r"\b(?:do|does|did)(?:\s+not|n't)\s+(?:[a-z]+\s+){1,2}$")


def _averaged(col: ColumnInfo) -> bool:
    """A rating, rate or average ("satisfaction", "avg_wait_minutes", 滿意度; the lexicon's
    `averaged` words): per group it is averaged, since adding it up means nothing."""
    stems = set(map(stem, col.words))
    return any(stem(w) in stems if _ASCII.match(w) else w in col.folded for w in lexicon()["averaged"])


_WH_BEFORE = re.compile(r"\b(?:what|which|how many)\s+$")
# Before a noun, what makes it the thing asked for: "which states …", and at the very start of a
# phrase with no question word, "the states that the mississippi runs through".
_ASKED_BEFORE = re.compile(r"\b(?:what|which|how many)\s+$|^(?:the\s+)?$")
_QUALIFIER_GAP = re.compile(r" |, ")
_LABEL_GAP = re.compile(r"\s*(?:the\s+)?")
_NAMING_GAP = re.compile(r"\s*(?:the\s+|(?:(?:is|are|was|were)\s+)?(?:named|called)\s+)?")


def _follows(text: str, first: _Value, then: _Value) -> bool:
    """`then` comes right after `first` ("seattle washington", "austin, texas")."""
    return first.end < then.start and _QUALIFIER_GAP.fullmatch(text[first.end : then.start]) is not None


def entity_column(col: ColumnInfo, table: TableInfo) -> bool:
    """The column that names a table's rows: `city_name` in `city` ("the city of austin")."""
    return stem(fold(col.table or table.name)) in {stem(w) for w in col.words}


def _resolve(cands: list[_Value]) -> list[_Value]:
    """Keep the longest non-overlapping links; a span matching several columns keeps each."""
    cands.sort(key=lambda c: (-(c.end - c.start), not c.exact, c.start))
    kept: list[_Value] = []
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


def _tokens(text: str) -> list[tuple[str, int, int]]:
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
    ("what date", "when"),
    ("哪一年", "when"),
    ("哪年", "when"),
    ("何时", "when"),
    ("什么时候", "when"),
    ("几时", "when"),
    ("where", "where"),
    ("哪里", "where"),
    ("在哪", "where"),
    ("什么地方", "where"),
]


def _head(q: _Q) -> tuple[str | None, int]:
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
    if last > 0 and not _ASCII.match(q.text):
        return None, last + 1
    return None, 0


def is_ascii(text: str) -> bool:
    return bool(_ASCII.match(text))


def normalise(question: str) -> str:
    """The question as the parser reads it (folded, one space between words, no end mark, a
    relative clause with its preposition at the end); positions in a plan's `coverage` are
    positions in this text."""
    text = re.sub(r"\s+", " ", fold(question).strip().rstrip("?？。.!！ "))
    # "the states through which the river runs" -> "the states that the river runs through", the
    # order the rest of the parser reads ("which states does the river run through").
    return _PIED_PIPED.sub(lambda m: f"that {m.group(2)} {m.group(1)}", text)


_PIED_PIPED = re.compile(r"(?<=[a-z] )(through|across|into|along|over|in|on) which ((?:(?! and | or )[^,;])+)$")


def parse(question: str, table: TableInfo) -> Plan:
    """A query plan for `question` over `table`, or CannotAnswer."""
    text = normalise(question)
    q = _Q(text, _tokens(text))
    values = _value_links(q, table)
    mentions = _inside_full_names(_unit_free(q, _column_mentions(q, table)))
    values = _one_column_per_span(q, values, mentions, table)
    # A word that is a column's whole name ("laps") names that column, not a word inside other cells.
    strong = {(m.start, m.end) for m in mentions if m.score >= 3.0}
    values = [v for v in values if v.exact or (v.start, v.end) not in strong]
    flags = _flag_filters(q, mentions, values)
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
    # "the states next to colorado": beside it, not the row after it.
    has["next"] = [(p, ph) for p, ph in has["next"] if not q.text.startswith("next to ", p)]
    # Years compared ("before 1908", "between 1903-1923") are ranges even where a cell holds the year.
    compared = _compared_years(q, values, has)
    if compared:
        values = [v for v in values if v not in compared]
        value_spans = [(v.start, v.end) for v in values] + [f.span for f in months]
    absent, mentions = _absence_filters(q, mentions)
    absent += flags + _chart_top_filters(q, mentions)
    # "free of advertising": "free" is part of the phrase, not the cell "Free".
    values = [v for v in values if not any(a <= v.start < b for a, b in (f.span for f in absent))]
    # "class 1" names the column "Class 1 (e.g. Motorbike)": its number is no filter.
    named_digits = [(m.start, m.end, {w for w in m.column.words if w.isdigit()}) for m in mentions]
    numbers = [
        (m.group(0), m.start(), m.end())
        for m in _NUM.finditer(text)
        if not any(s <= m.start() < e for s, e in value_spans)
        and not any(s < m.start() and m.end() <= e and m.group(0) in d for s, e, d in named_digits)
    ]
    for v in values:
        window = text[max(0, v.start - 14) : v.start]
        if any(
            q_ in window.split() or (not _ASCII.match(q_) and q_ in window) for q_ in lexicon()["negate"]
        ) or re.search(r"\bnot (in|from|at|on|by|for)\s*$", window):
            v.negated = True
        if _VERB_NOT.search(text[: v.start]):
            v.negated = v.excluded = True

    head_kind, head_pos = _head(q)
    filters: list[Filter] = []
    for v in values:
        filters.append(_value_filter(v))
    filters += [Filter(f.column, f.op, f.value, f.sql, f.span) for f in months]
    filters += _number_filters(q, table, numbers, mentions, has)
    filters += absent

    rows_word = re.search(r"\b(rows?|records?|entries|lines)\b|行|记录|条", text)
    # "what continent is listed at the top of the table": a position in the table itself.
    placed = (has["first"] or has["last"]) and re.search(r"\b(listed|table|list|chart)\b", text)
    if not values and not mentions and not filters and not (has["count"] and rows_word) and not placed:
        raise CannotAnswer(
            "Cannot answer this from the table: the question names none of its columns or values.",
            hint="Use the column names or values shown in the table's profile.",
        )

    builder = _Builder(q, table, values, mentions, filters, has, head_kind, head_pos)
    plan = builder.build()
    # Several tables: the one the question names, and the one it links to most, is the likelier.
    spans: list[tuple[int, int]] = []
    for name in (table.name, table.joined):
        table_words = [w for w in re.findall(r"[a-z0-9]+|[\u3400-\u9fff]+", fold(name)) if len(w) > 1]
        named = [(p, p + len(w)) for w in table_words if not _ASCII.match(w) for p in q.find(w)]
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
    if any(m.column.name in pinned and _ASKED_BEFORE.search(text[: m.start]) for m in mentions):
        plan.confidence -= 0.5
    # "the population of austin": a value in the column that names the table's rows (the city
    # called austin) is likelier than the same word elsewhere (the state whose capital is austin).
    # In "atlanta georgia" the thing is atlanta; georgia only says which one.
    qualifiers = {v.start for v in values if any(_follows(text, o, v) for o in values)}
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


_BETWEEN = re.compile(r"(?:between|介于|在)\s*(-?[\d,.]+)\s*(?:and|to|-|和|与|至|到)\s*(-?[\d,.]+)")
_AGGREGATE = ("count", "sum", "avg", "max", "min")


def _compared_years(q: _Q, values: list[_Value], has) -> list[_Value]:
    """Year cells the question compares against rather than names.

    "How many wins before 1908" counts the seasons up to 1908, though "1908" is a whole cell; the
    year is left to the number filters, which read it as a range. A plain lookup ("who came after
    1908") keeps the cell, so that it can step to the neighbouring row.
    """
    btw = _BETWEEN.search(q.text)
    aggregate = any(has[k] for k in _AGGREGATE)
    out: list[_Value] = []
    for v in values:
        if not v.exact or not _YEAR.match(fold(v.value).strip()):
            continue
        inside = btw is not None and btw.start() <= v.start < btw.end()
        compared = any(p < v.start and v.start - p < 12 for p, _ in has["before_date"] + has["after_date"])
        if inside or (aggregate and compared):
            out.append(v)
    return out


# "no laps led", "without a publisher", "do not have an associated publication"
_ABSENT = re.compile(
    r"\b(?:no|without|free of|(?:do|does|did)(?: not|n't) have|never had|has no|have no|had no)"
    r"(?: (?:a|an|any|the))? $"
)
_EMPTY_CELLS = ("", "-", "—", "–", "n/a", "none")


def _absence_filters(q: _Q, mentions: list[_Mention]) -> tuple[list[Filter], list[_Mention]]:
    """'drivers with no laps led': rows where the named column is empty or zero.

    Mentions that only the negating word made ("no" naming a "No." column) are dropped.
    """
    out: list[Filter] = []
    for m in mentions:
        hit = _ABSENT.search(q.text[max(0, m.start - 30) : m.start])
        if hit is None or m.score < 1.5:
            continue
        # "no laps led" names "Laps Led", not "Laps": the longest name read at that spot.
        if any(o.start == m.start and (o.end - o.start, o.score) > (m.end - m.start, m.score) for o in mentions):
            continue
        col = m.column
        if _is_flag(col):
            sql = f"LOWER(TRIM({col.ident})) LIKE 'no%'"
        elif col.kind in ("number", "numtext"):
            sql = f"COALESCE({col.numeric}, 0) = 0"
        else:
            empty = ", ".join(literal(x) for x in _EMPTY_CELLS)
            sql = f"({col.ident} IS NULL OR LOWER(TRIM(CAST({col.ident} AS VARCHAR))) IN ({empty}))"
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


def _chart_top_filters(q: _Q, mentions: list[_Mention]) -> list[Filter]:
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


def _is_flag(col: ColumnInfo) -> bool:
    """A column of yes/no answers ('Yes', 'No', 'Yes (>=i686)')."""
    if col.kind != "text" or not col.values:
        return False
    flags = sum(1 for v in col.values if re.match(r"(yes|no)\b", fold(v).strip()))
    return flags >= 0.6 * len(col.values) and any(fold(v).strip().startswith("yes") for v in col.values)


def _flag_filters(q: _Q, mentions: list[_Mention], values: list[_Value]) -> list[Filter]:
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


def _value_filter(v: _Value) -> Filter:
    col = v.column
    if v.exact and v.excluded:
        return Filter(col.name, "exclude", v.value, f"{col.ident} <> {literal(v.value)}", (v.start, v.end))
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
    if _ASCII.match(v.value):
        sql = f"{col.ident} {'NOT ' if v.negated else ''}ILIKE {literal(pattern)}"
    else:
        sql = f"{col.ident} {'NOT ' if v.negated else ''}LIKE {literal(pattern)}"
    return Filter(col.name, "not like" if v.negated else "like", v.value, sql, (v.start, v.end))


def _num(text: str) -> float | int:
    n = float(text.replace(",", ""))
    return int(n) if n.is_integer() else n


def _year_column(table: TableInfo) -> ColumnInfo | None:
    for col in table.columns:
        if col.kind == "date":
            return col
    for col in table.columns:
        if any(w in ("year", "season", "date", "年", "年份", "年度", "日期") for w in col.words) or any(
            k in col.folded for k in ("年", "日期")
        ):
            return col
    return None


def _date_filters(q: _Q, table: TableInfo, has) -> list[Filter]:
    """ISO dates with before/after, and quarters, on the table's date column."""
    out: list[Filter] = []
    dcol = next((c for c in table.columns if c.kind == "date"), None) or next(
        (c for c in table.columns if c.iso_dates), None
    )
    if dcol is None:
        return out
    for m in _ISO_DATE.finditer(q.text):
        s = m.start()
        op = (
            "<"
            if any(p < s and s - p < 12 for p, _ in has["before_date"])
            else (">" if any(p < s and s - p < 12 for p, _ in has["after_date"]) else "=")
        )
        out.append(Filter(dcol.name, op, m.group(0), f"{dcol.as_date} {op} DATE '{m.group(0)}'", m.span()))
    for m in _QUARTER.finditer(q.text):
        n = m.group(1) or {"一": "1", "二": "2", "三": "3", "四": "4"}.get(m.group(2), m.group(2))
        out.append(Filter(dcol.name, "quarter", int(n), f"QUARTER({dcol.as_date}) = {int(n)}", m.span()))
    return out


def _number_filters(q: _Q, table: TableInfo, numbers, mentions: list[_Mention], has) -> list[Filter]:
    out: list[Filter] = _date_filters(q, table, has)
    taken = [f.span for f in out]
    numbers = [n for n in numbers if not any(a <= n[1] < b for a, b in taken)]
    numeric_cols = [c for c in table.columns if c.kind in ("number", "numtext")]
    btw = _BETWEEN.search(q.text)
    if btw:
        lo, hi = _num(btw.group(1)), _num(btw.group(2))
        years = all(isinstance(v, int) and _YEAR.match(str(v)) for v in (lo, hi))
        ycol = _year_column(table) if years else None
        if ycol is not None:
            out.append(
                Filter(ycol.name, "between", f"{lo}-{hi}", f"{_year_expr(ycol)} BETWEEN {lo} AND {hi}", btw.span())
            )
            numbers = [n for n in numbers if not (btw.start() <= n[1] < btw.end())]
        col = (
            None
            if ycol is not None
            else _nearest_numeric(q, mentions, numeric_cols, btw.start(), btw.end(), None, "", "")
        )
        if col is not None:
            out.append(Filter(col.name, "between", f"{lo}-{hi}", f"{col.numeric} BETWEEN {lo} AND {hi}", btw.span()))
            numbers = [n for n in numbers if not (btw.start() <= n[1] < btw.end())]
    for raw, s, e in numbers:
        value = _num(raw)
        before = q.text[max(0, s - 20) : s]
        after = q.text[e : e + 12]
        op = None
        for kind, sym in (("gt", ">"), ("lt", "<")):
            for pos, phrase in has[kind]:
                if (
                    (pos < s and s - (pos + len(phrase)) <= 2)
                    or (phrase.startswith("or ") and 0 <= pos - e <= 1)
                    or (phrase in ("以上", "以下") and 0 <= pos - e <= 2)
                ):
                    op = sym
                    if phrase in ("at least", "or more", "no less than", "至少", "不少于", "以上"):
                        op = ">="
                    if phrase in ("at most", "or less", "no more than", "不超过", "至多", "以下"):
                        op = "<="
        is_year = isinstance(value, int) and _YEAR.match(str(value)) is not None
        if is_year and op is None:
            ycol = _year_column(table)
            if ycol is None or any(c.folded == raw for c in table.columns):
                continue
            if ycol.kind != "date" and not any(str(value) in v for v in ycol.values):
                continue
            ref = _year_expr(ycol)
            if any(p < s and s - p < 12 for p, _ in has["before_date"]):
                out.append(Filter(ycol.name, "<", value, f"{ref} < {value}", (s, e)))
            elif any(p < s and s - p < 12 for p, _ in has["after_date"]):
                out.append(Filter(ycol.name, ">", value, f"{ref} > {value}", (s, e)))
            else:
                out.append(Filter(ycol.name, "=", value, f"{ref} = {value}", (s, e)))
            continue
        if op is None:
            # "6 hospital beds", "episode 8": a bare number next to a numeric column's name.
            near = [
                m
                for m in mentions
                if m.column.kind in ("number", "numtext") and (0 <= m.start - e <= 2 or 0 <= s - m.end <= 2)
            ]
            if near and not any(c.folded == raw for c in table.columns):
                col = near[0].column
                out.append(Filter(col.name, "=", value, f"{col.numeric} = {literal(value)}", (s, e)))
            continue
        col = _nearest_numeric(q, mentions, numeric_cols, s, e, value, before, after)
        if col is None:
            continue
        out.append(Filter(col.name, op, value, f"{col.numeric} {op} {literal(value)}", (s, e)))
    return out


def _year_expr(col: ColumnInfo) -> str:
    if col.kind == "date":
        return f"YEAR({col.ident})"
    if col.kind == "number":
        return col.ident
    return f"TRY_CAST(REGEXP_EXTRACT({col.ident}, '(1[5-9][0-9][0-9]|20[0-9][0-9])', 0) AS INTEGER)"


def _nearest_numeric(q: _Q, mentions, numeric_cols, s, e, value, before, after) -> ColumnInfo | None:
    named = [m for m in mentions if m.column.kind in ("number", "numtext")]
    if named:
        return min(named, key=lambda m: min(abs(m.start - e), abs(s - m.end)) - m.score).column
    # An unnamed column: the one whose values bracket the number and whose name a unit matches.
    unit = after.split()[0] if after.strip() else ""
    for col in numeric_cols:
        if unit and any(unit.startswith(w[:4]) for w in col.words if len(w) >= 3):
            return col
    if len(numeric_cols) == 1:
        return numeric_cols[0]
    return None


class _Builder:
    def __init__(self, q: _Q, table: TableInfo, values, mentions, filters, has, head_kind, head_pos) -> None:
        self.q, self.t, self.values, self.mentions = q, table, values, mentions
        self.filters, self.has = filters, has
        self.head_kind, self.head_pos = head_kind, head_pos
        self.measured_by: list[tuple[int, int]] = []
        # Columns filtered on are not the answer; a month on a date column leaves it free to be
        # ("what was the airdate of the next episode after january 19").
        self.filter_cols = {f.column for f in filters if f.op not in ("month", "before", "after")}
        # The things answered, once known: a denied relation excludes every row of such a thing.
        self.subject: ColumnInfo | None = None

    # -- pieces -------------------------------------------------------------------------------
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

    def target(self, exclude_numeric: bool = False) -> ColumnInfo:
        """The column whose values answer the question."""
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
        # "the population density": in two names side by side the second is the head, the first its
        # modifier; "what states border" asks for states.
        heads = [m for m in cands if not self._modifies_next(m, cands) or _WH_BEFORE.search(self.q.text[: m.start])]
        cands = heads or cands
        if exclude_numeric:
            textual = [m for m in cands if m.column.kind not in ("number", "numtext")]
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
                ycol = _year_column(self.t)
                if ycol is not None and ycol.name not in self.filter_cols:
                    return ycol
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
        heads = [m for m in nums if not self._modifies_next(m, nums)]
        return max(heads or nums, key=lambda m: (m.score, -m.start)).column

    def _modifies_next(self, m: _Mention, others: list[_Mention]) -> bool:
        """`m` is the first of two column names side by side ("population" in "population
        density"), which only qualifies the second."""
        return any(o.column is not m.column and self.q.text[m.end : o.start] == " " for o in others)

    # -- shapes -------------------------------------------------------------------------------
    def build(self) -> Plan:
        h = self.has
        count_q = bool(h["count"])
        gap = self.year_gap()
        if gap is not None:
            return gap
        years = self._two_years()
        if years and self._comparative():
            return self.year_choice(*years)
        two_same_col = self._two_values_same_column()
        if h["difference"] and two_same_col:
            return self.difference(*two_same_col)
        if two_same_col and self._comparative() and not count_q:
            return self.choice(*two_same_col)
        than = self.than()
        if than is not None:
            return than
        same = self.same_as()
        if same is not None:
            return same
        if h["percent"]:
            plan = self.percent()
            if plan:
                return plan
        if h["avg"]:
            m = self.metric(None)
            if m:
                return self.aggregate("avg", m)
        if (h["next"] or h["previous"]) and self.values and not count_q:
            plan = self.neighbour()
            if plan:
                return plan
        superl = self._superlative()
        if count_q and superl and not re.search(r"(^|[,;] ?)(how many|how much)\b|^(多少|几)", self.q.text):
            count_q = False
        if count_q:
            return self.count()
        if h["sum"] and not (superl and re.match(r"^(which|what|who|哪)", self.q.text)):
            m = self.metric(None)
            if m:
                return self.aggregate("sum", m)
        if superl:
            return self.superlative(superl)
        if h["first"] or h["last"]:
            return self.ordinal("asc" if h["first"] and (not h["last"] or h["first"][0] < h["last"][0]) else "desc")
        return self._breakdown() or self.lookup()

    def _breakdown(self) -> Plan | None:
        """'enquiries by district', 'satisfaction per channel': a request, not a question, for a number
        column totalled per group (rows counted per group when no number column is named)."""
        if _QUESTION_WORD.search(self.q.text):
            return None
        group = self._group_column(bare_by=True)
        if group is None:
            return None
        nums = [
            m
            for m in self.mentions
            if m.column.kind == "number"
            and m.column is not group
            and m.column.name not in self.filter_cols
            and not set(m.column.words) & ID_WORDS
        ]
        if nums:
            measure = max(nums, key=lambda m: m.score).column
            return self.aggregate("avg" if _averaged(measure) else "sum", measure, group=group)
        return self._count_by(group)

    def _comparative(self) -> bool:
        return bool(
            re.search(
                r"\b(more|most|less|fewer|higher|lower|better|worse|longer|shorter|faster|slower|"
                r"larger|bigger|smaller|greater|earlier|later|older|younger|taller|heavier|best|"
                r"highest|lowest|largest|biggest|smallest|greatest|longest|fastest|slowest|"
                r"first|last|least|top)\b|更|较|比较|最",
                self.q.text,
            )
        )

    def _two_values_same_column(self):
        exact = [v for v in self.values if not v.negated]
        for i, a in enumerate(exact):
            for b in exact[i + 1 :]:
                if a.column is b.column and a.value != b.value:
                    between = self.q.text[a.end : b.start]
                    if re.search(r"\b(or|and|vs|versus|than)\b|或|还是|和|与|比|跟", between):
                        return a, b
        return None

    def _superlative(self) -> str | None:
        # "over", "at the top of the table": comparisons and positions, not superlatives.
        cmp_spans = [(p, p + len(ph)) for p, ph in self.has["gt"] + self.has["lt"] + self.has["first"]]
        mx = [h for h in self.has["max"] if not any(a <= h[0] < b for a, b in cmp_spans)]
        mn = [h for h in self.has["min"] if not any(a <= h[0] < b for a, b in cmp_spans)]
        if not mx and not mn:
            return None
        if mx and mn:
            return "desc" if mx[0][0] < mn[0][0] else "asc"
        return "desc" if mx else "asc"

    def _select_target_values(self, col: ColumnInfo) -> str:
        return col.ident

    def lookup(self) -> Plan:
        col = self.subject = self.target()
        distinct = "DISTINCT " if any(f.op == "exclude" for f in self.filters) else ""
        sql = f"SELECT {distinct}{col.ident} FROM {self.t.ident}{self.where()}"
        if not self.filters:
            sql += " LIMIT 100"
        return Plan(sql, "lookup", target=col.name, filters=self.filters, confidence=0.6 if self.filters else 0.3)

    def count(self) -> Plan:
        """'How many ...': a number column the question names, or a row count."""
        distinct = bool(self.has["count_distinct"])
        pos, phrase = self.has["count"][0]
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
            and (not _ASCII.match(phrase) or phrase == "how much")
            and not re.search(r"行|记录|条|rows?|records?", self.q.text)
        ):
            nums = [x for x in self.mentions if x.column.kind == "number" and x.column.name not in self.filter_cols]
            m = max(nums, key=lambda x: x.score).column if nums else None
        if m is not None and not distinct:
            return self.aggregate("sum", m)
        group = self._group_column()
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

    def _count_distinct(self, col: ColumnInfo, *, confidence: float) -> Plan:
        sql = f"SELECT COUNT(DISTINCT {col.ident}) FROM {self.t.ident}{self.where()}"
        return Plan(sql, "count_distinct", target=col.name, filters=self.filters, confidence=confidence)

    def _count_by(self, group: ColumnInfo) -> Plan:
        sql = (
            f"SELECT {group.ident}, COUNT(*) AS n FROM {self.t.ident}{self.where()} "
            f"GROUP BY {group.ident} ORDER BY n DESC"
        )
        return Plan(sql, "count_by", group=group.name, filters=self.filters, confidence=0.6)

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
            and not set(m.column.words) & ID_WORDS
        ]
        if not nums:
            return None
        return min(nums, key=lambda m: m.start).column

    def _group_column(self, *, bare_by: bool = False) -> ColumnInfo | None:
        """The column after 'by' / 'per' / 各 / 每. A bare 'by' (no count, total or average asked for)
        names a group only when `bare_by`: in "the album by X" it does not."""
        for pos, phrase in self.has["group"]:
            after = [m for m in self.mentions if m.start >= pos + len(phrase) and m.start - pos <= 12 + len(phrase)]
            before = [m for m in self.mentions if phrase in ("每个", "每", "各个", "各") and m.start >= pos]
            pool = after or before
            if phrase == "by" and not bare_by and (self.filters or not self._agg_word()):
                continue
            if pool:
                col = min(pool, key=lambda m: (m.start, -m.score)).column
                if col.kind in ("text", "date") or col.distinct <= 50:
                    return col
        return None

    def _agg_word(self) -> bool:
        return bool(self.has["count"] or self.has["sum"] or self.has["avg"])

    def aggregate(self, fn: str, m: ColumnInfo, *, group: ColumnInfo | None = None) -> Plan:
        group = group or self._group_column()
        agg = f"{fn.upper()}({m.numeric})"
        if fn == "avg":
            agg = f"ROUND(AVG({m.numeric}), 2)"
        if group is not None and group is not m:
            sql = (
                f"SELECT {group.ident}, {agg} AS {fn} FROM {self.t.ident}{self.where()} "
                f"GROUP BY {group.ident} ORDER BY {fn} DESC"
            )
            return Plan(sql, f"{fn}_by", metric=m.name, group=group.name, filters=self.filters, confidence=0.6)
        sql = f"SELECT {agg} FROM {self.t.ident}{self.where()}"
        return Plan(sql, fn, metric=m.name, filters=self.filters, confidence=0.6)

    def superlative(self, order: str) -> Plan:
        direction = "DESC" if order == "desc" else "ASC"
        # "the biggest city": "biggest" names the measure (population), "city" the answer.
        sup = [(p, p + len(ph)) for p, ph in self.has["max"] + self.has["min"]]

        def says_superlative(m: _Mention) -> bool:
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
            and first is not None
            and first.column.kind in ("number", "numtext")
            and not set(first.column.words) & ID_WORDS
            and (
                self.metric(first.column) is None
                or self._measured_right_after(first)
                or says_superlative(first)
                or self._measure_of_superlative(first)
            )
            and not self._names_thing_after(first)
        ):
            fn = "MAX" if order == "desc" else "MIN"
            sql = f"SELECT {fn}({first.column.numeric}) FROM {self.t.ident}{self.where()}"
            return Plan(
                sql, "max" if order == "desc" else "min", metric=first.column.name, filters=self.filters, confidence=0.6
            )
        target = self.subject = self.target(exclude_numeric=True)
        metric = self.metric(target) or self._measure_beside(sup)
        if metric is None and target.kind in ("number", "numtext", "date"):
            # "what was the least amount of points" -> the smallest value itself
            fn = "MAX" if order == "desc" else "MIN"
            expr = target.numeric if target.kind != "date" else target.ident
            sql = f"SELECT {fn}({expr}) FROM {self.t.ident}{self.where()}"
            return Plan(
                sql, "max" if order == "desc" else "min", metric=target.name, filters=self.filters, confidence=0.6
            )
        if metric is None and self._top_of_list(target):
            return self.ordinal("asc")
        if metric is None:
            # "which country had the most cyclists": the most frequent value.
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{self.where()} GROUP BY {target.ident} "
                f"ORDER BY COUNT(*) {direction}, MIN({self.t.rowid}) LIMIT 1"
            )
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
        k = re.search(r"\b(?:top|first|bottom)\s+(\d+)\b|前(\d+)", self.q.text)
        n = int(k.group(1) or k.group(2)) if k else 1
        if self._log_of_records(target) and metric.kind == "number":
            # A log of records ("district, date, enquiries"): "which district has the most enquiries"
            # means the most in total, not the single largest record; a rating or an average
            # ("satisfaction", "avg_wait_minutes") does not add up, so it compares averages.
            mean = _averaged(metric)
            fn = "AVG" if mean else "SUM"
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{where} GROUP BY {target.ident} "
                f"ORDER BY {fn}({metric.numeric}) {direction}, MIN({self.t.rowid}) LIMIT {n}"
            )
            kind = "mean" if mean else "total"
            intent = f"argmax_{kind}" if order == "desc" else f"argmin_{kind}"
            return Plan(sql, intent, target=target.name, metric=metric.name, filters=self.filters, order=order,
                        limit=1, confidence=0.6)
        if n == 1:
            # Every row that reaches the extreme: a tie, or one thing spread over several rows (a
            # river listed once per state it runs through), is answered in full.
            fn = "MAX" if order == "desc" else "MIN"
            best = f"(SELECT {fn}({metric.numeric}) FROM {self.t.ident}{where})"
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{where} AND {metric.numeric} = {best} "
                f"ORDER BY {self.t.rowid}"
            )
        else:
            sql = (
                f"SELECT {target.ident} FROM {self.t.ident}{where} "
                f"ORDER BY {metric.numeric} {direction}, {self.t.rowid} LIMIT {n}"
            )
        return Plan(
            sql,
            "argmax" if order == "desc" else "argmin",
            target=target.name,
            metric=metric.name,
            filters=self.filters,
            order=order,
            limit=1,
            confidence=0.6,
        )

    def _measure_beside(self, sup: list[tuple[int, int]]) -> ColumnInfo | None:
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

    def _log_of_records(self, target: ColumnInfo) -> bool:
        """Rows are dated records about `target` (each value on three rows or more) rather than
        entities: there is a date column, and no text column names the rows one by one as a city
        table's city names do."""
        rows = self.t.rows
        return (
            target.kind == "text"
            and 0 < target.distinct * 3 <= rows
            and any(c.kind == "date" or c.iso_dates for c in self.t.columns)
            and not any(c.kind == "text" and c.distinct >= 0.9 * rows for c in self.t.columns)
        )

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

    def _measured_right_after(self, measure: _Mention) -> bool:
        """'the least amount of points': the superlative word itself names what is measured."""
        for pos, phrase in self.has["max"] + self.has["min"]:
            gap = self.q.text[pos + len(phrase) : measure.start]
            if pos < measure.start and re.fullmatch(r"\s*(?:(?:amount|number|total|count) of\s+)?(?:the\s+)?", gap):
                return True
        return False

    def _measure_of_superlative(self, measure: _Mention) -> bool:
        """'the area of the largest state': what is asked for is what 'largest' measures here."""
        syn = lexicon()["synonyms"]
        for pos, phrase in self.has["max"] + self.has["min"]:
            if pos < measure.end or not re.fullmatch(r" of (?:the )?", self.q.text[measure.end : pos]):
                continue
            for word in syn.get(phrase, []):
                found = [c for c in self.t.columns if _names_column(word, c.folded.strip(), set(map(stem, c.words)))]
                if found:
                    return found[0] is measure.column
        return False

    def _names_thing_after(self, measure: _Mention) -> bool:
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
        words = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
        if m:
            n = int(m.group(2)) if m.group(2).isdigit() else words[m.group(2)]
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
            by = f"{_year_expr(target)} {direction}, {by}"
        sql = f"SELECT {target.ident} FROM {self.t.ident}{self.where()} ORDER BY {by} LIMIT {n}"
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
        if re.search(r"\b(listed|list|table|chart|row)\b", self.q.text):
            return False
        if target is not _year_column(self.t) or target.kind == "date":
            return False
        years = [v for v in target.values if re.search(r"(1[5-9]\d\d|20\d\d)", v)]
        return len(years) >= 0.8 * len(target.values) > 0

    def neighbour(self) -> Plan | None:
        nh, ph = self.has["next"], self.has["previous"]
        nxt = bool(nh) and (not ph or nh[0][0] < ph[0][0])
        anchor = [f for f in self.filters if f.op in ("=", "like")]
        if not anchor:
            return None
        # "before john adams": the row stepped from is the value named right after the step word,
        # a whole cell before words found inside cells.
        step_at = (nh[0] if nxt else ph[0])[0]
        anchor.sort(key=lambda f: (not (0 < f.span[0] - step_at <= 25), f.op != "=", f.span[0]))
        # A month describes the row asked about ("aired on january 19 ... the next episode").
        dated = [f for f in self.filters if f.op in ("month", "before", "after")]
        rest = [f for f in self.filters if f not in anchor and f not in dated]
        others = [m for m in self.mentions if m.column.name != anchor[0].column]
        if any(m.column.name == anchor[0].column and m.score >= 3.0 for m in self.mentions):
            # "the next driver after X": the named column is the answer, unless another is named as firmly.
            others = [m for m in others if m.score >= 1.0]
        target = self.target() if others else self.t.column(anchor[0].column)
        step = "+ 1" if nxt else "- 1"
        sql = (
            f"SELECT {target.ident} FROM {self.t.ident} WHERE {self.t.rowid} = "
            f"(SELECT MIN({self.t.rowid}) FROM {self.t.ident}"
            f"{self.where(anchor[:1] + dated)}) {step}"
        )
        if rest:
            sql += " AND " + " AND ".join(f.sql for f in rest)
        return Plan(sql, "next" if nxt else "previous", target=target.name, filters=anchor[:1], confidence=0.6)

    def difference(self, a: _Value, b: _Value) -> Plan:
        metric = self.metric(a.column)
        others = [f for f in self.filters if f.span not in ((a.start, a.end), (b.start, b.end))]
        fa, fb = _value_filter(a), _value_filter(b)
        expr = "COUNT(*)" if metric is None else f"SUM({metric.numeric})"
        sub_a = f"(SELECT {expr} FROM {self.t.ident}{self.where(others + [fa])})"
        sub_b = f"(SELECT {expr} FROM {self.t.ident}{self.where(others + [fb])})"
        sql = f"SELECT ABS({sub_a} - {sub_b})"
        return Plan(sql, "difference", metric=metric.name if metric else None, filters=[fa, fb], confidence=0.5)

    def choice(self, a: _Value, b: _Value) -> Plan:
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
        where = self.where(others)
        cond = (
            f"{col.ident} IN ({literal(a.value)}, {literal(b.value)})"
            if a.exact and b.exact
            else f"({_value_filter(a).sql} OR {_value_filter(b).sql})"
        )
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
        return Plan(
            sql,
            "choice",
            target=col.name,
            metric=metric.name if metric else None,
            filters=[_value_filter(a), _value_filter(b)],
            order=direction.lower(),
            limit=1,
            confidence=0.5,
        )

    def year_gap(self) -> Plan | None:
        """'how many years after X was Y built': the distance between the years of two named rows."""
        asks = r"\bhow (?:many|much) (?:years|time)\b|\b(?:years|time) (?:between|apart|separate)"
        if not re.search(asks, self.q.text):
            return None
        named = [v for v in self.values if v.exact and not v.negated]
        pair = next(((a, b) for i, a in enumerate(named) for b in named[i + 1 :] if a.value != b.value), None)
        ycol = _year_column(self.t)
        if pair is None or ycol is None or any(v.column is ycol for v in pair):
            return None
        expr = _year_expr(ycol)
        subs = [f"(SELECT MIN({expr}) FROM {self.t.ident} WHERE {_value_filter(v).sql})" for v in pair]
        sql = f"SELECT ABS({subs[0]} - {subs[1]})"
        filters = [_value_filter(v) for v in pair]
        return Plan(sql, "difference", metric=ycol.name, filters=filters, confidence=0.5)

    def _two_years(self) -> tuple[Filter, Filter] | None:
        """'in 1967 or 1968': two single years of the same column, joined by 'or'."""
        years = [f for f in self.filters if f.op == "=" and isinstance(f.value, int) and _YEAR.match(str(f.value))]
        for i, a in enumerate(years):
            for b in years[i + 1 :]:
                if a.column == b.column and a.value != b.value:
                    lo, hi = sorted((a, b), key=lambda f: f.span)
                    if re.search(r"\b(or|vs|versus)\b|或|还是", self.q.text[lo.span[1] : hi.span[0]]):
                        return lo, hi
        return None

    def year_choice(self, a: Filter, b: Filter) -> Plan:
        """'were more episodes aired in 1967 or 1968': the year with more rows (or more of a measure)."""
        low = re.search(r"\b(less|fewer|lower|smaller|least|fewest)\b|少|低|小", self.q.text)
        direction = "ASC" if low else "DESC"
        col = self.t.column(a.column)
        expr = col.ident if col.kind == "number" else _year_expr(col)
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

    def than(self) -> Plan | None:
        """'which nation won more medals than austria': rows whose measure beats the named row's."""
        m = re.search(
            r"\b(more|greater|higher|larger|bigger|longer|less|fewer|lower|smaller|shorter)\b[^?]*?\bthan\b",
            self.q.text,
        )
        if not m:
            return None
        anchor = next((v for v in self.values if v.start >= m.end() - 1 and v.exact), None)
        if anchor is None:
            return None
        sup = [(p, p + len(ph)) for p, ph in self.has["max"] + self.has["min"]]
        metric = (
            self.metric(anchor.column)
            or self._measure_beside(sup)
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
            return Plan(sql, "count", metric=metric.name, filters=[_value_filter(anchor)], confidence=0.55)
        sql = f"SELECT {col.ident} FROM {self.t.ident}{where}"
        return Plan(
            sql, "lookup", target=col.name, metric=metric.name, filters=[_value_filter(anchor)], confidence=0.55
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
        return Plan(sql, "same", target=key.name, metric=col.name, filters=[_value_filter(anchor)], confidence=0.55)

    def _abbreviated(self, phrase: str) -> ColumnInfo | None:
        """A column whose name abbreviates a word of `phrase` ('number': 'No.', '#')."""
        short = lexicon().get("abbreviations", {})
        for w, _, _ in _tokens(phrase):
            forms = short.get(stem(w), [])
            for c in self.t.columns:
                if c.folded.strip(" .:") in forms:
                    return c
        return None

    def percent(self) -> Plan | None:
        if not self.filters:
            return None
        num = " AND ".join(f.sql for f in self.filters)
        sql = f"SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE {num}) / COUNT(*), 2) AS percent FROM {self.t.ident}"
        return Plan(sql, "percent", filters=self.filters, confidence=0.6)
