"""Pick the sentence of the retrieved passages that best answers a question.

Candidates are the sentences of the top passages as the text core splits them, long ones cut at
clause punctuation to at most 200 characters (400 for text with no Chinese). A sentence that leans
on the one before it (it opens with a reference such as 同年 / 次年 / 這 / 他 / "It" / "The same
year", or with a connective such as 但 / 接下來 / "However", or with no subject: 是… / 為…) is
quoted together with that sentence, and with what that one leans on in turn while the quote stays
under 300 characters (600): "田中在同年十一月宣布辭職" says nothing without the year the sentence
before gives.

Each is scored by token overlap with the question (script-folded) and character-bigram overlap
(robust to jieba's segmentation), both weighted by rarity among the sentences of its passage; a
prior from its passage's retrieval rank and score; and answer-type cues: a "how many / when / 幾 /
多少" question wants a sentence with a number or a date (a "which year / 何時" question a year, era
or century most of all), a "why / 為什麼" question one that gives a cause, and a sentence that adds
nothing beyond the question's own words (fewer than two characters outside the question's
bigrams: the premise a question quotes) cannot hold the answer. A question is often its answer
sentence with the answer swapped for a question word ("境內以山地為主" -> "縣內以哪一種地型為主"), so
a sentence where the words before the question word are followed, after a short gap, by the words
after it scores higher (`slot`). When the question shares no words with the passages
(cross-lingual), dense similarity decides.

A when-question's pick that gives no year itself ("9月2日，委員會同意…", "朴景利的《土地》是這一時期
最著名的小說") is quoted from the nearest sentence before it that gives one, within the quote limit:
the year is the answer, and the pick alone does not say it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ai_toolbox.assistant.textutil import fold, split_sentences, tokenize

MAX_CHARS = 200
# Limits are in Chinese characters; text with no Chinese gets twice as many characters (a Chinese
# character carries about as much as two letters; a quarter of English Wikipedia sentences run past
# 200 characters, and cut at their commas they made poor quotes).
LATIN_FACTOR = 2
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _limit(text: str, chars: int) -> int:
    """A limit given in Chinese characters, for `text`."""
    return chars if _CJK_CHAR.search(text) else chars * LATIN_FACTOR


_CLAUSE = re.compile(r"(?<=[，,、：:；;])")
_NON_WORD = re.compile(r"[\W_]+")
_NUMBER_Q = re.compile(
    r"幾|几|多少|多久|多大|多长|多長|多高|多远|多遠|多重|哪一年|哪年|何时|何時|什么时候|什麼時候|年份|日期|"
    r"\bhow (?:many|much|long|old|far|big|large)\b|\bwhen\b|\bwhat year\b|\bwhich year\b",
    re.I,
)
_NUMBER_S = re.compile(r"\d|[一二三四五六七八九十百千万萬億亿两兩]+[年月日岁歲个個名人次位种種座件公里米%％]")
# Questions asking for a time, and the years, eras and centuries that answer them (matched folded).
_TIME_Q = re.compile(r"哪一?年|何年|哪一?个?世纪|何时|什么时[候间]|什么年|年份|\bwhen\b|\b(?:what|which) year\b", re.I)
_TIME_S = re.compile(r"\d{2,4}\s*年|[元一二三四五六七八九十百千〇零]{1,4}年|世纪|年代|\b1\d{3}\b|\b20\d{2}\b")
# Why-questions, and the words that give a cause or a purpose (matched folded).
_WHY_Q = re.compile(r"为什么|为何|原因|为甚么|何故|\bwhy\b", re.I)
_CAUSE_S = re.compile(r"因为|由于|因此|所以|导致|因而|为了|原因|以致|致使|于是|\b(?:because|due to|so that)\b", re.I)
# Chinese question words (folded to Simplified), with the measure word that may follow 哪 / 几.
_QUESTION_WORD = re.compile(
    r"哪一?[个位座种年国家间些条项支场所本部天月]?|什么|何[时处地人种年]?|谁|几[个年月天次岁位名]?|多少|多久|多长|多大|多高|多远"
)
SLOT_GAP = 12  # characters an answer may take between the words around the question word


@dataclass(frozen=True)
class SentenceWeights:
    lexical: float = 1.0
    bigram: float = 0.6
    number: float = 0.25
    rank: float = 0.1
    behind: float = 0.1  # per point of retrieval score the sentence's passage is behind the top one
    novelty: float = 0.1
    dense: float = 1.0
    slot: float = 0.5
    time: float = 0.6
    cause: float = 0.15


# A sentence opening that refers back to the sentence before (pronouns, "the same year", connectives).
_LEANS_BACK = re.compile(
    r"^[^，,、。；;：:]{0,6}?(?:同年|次年|翌年|隔年|該年|该年|當年|当年|是年|同月|次月|這一?[年天日時次個些]|这一?[年天日时次个些]"
    r"|此[時时後后前外]|其[後后]|之[後后]|隨後|随后|後來|后来|他|她|它|其|該|该|此|這|这|兩人|二人)"
    r"|^(?:但是?|而|並|并|卻|却|也|又|因此|所以|於是|于是|然而|不過|不过|接下來|接下来|接著|接着|第[二三四五六七八九十]"
    r"|另外|此外|同時|同时|最終|最终|隨即|随即|最後|最后)"
    r"|^(?:是|為|为|乃|係|曾是|曾為|曾为|亦是|也是)(?!否)"  # no subject: it is the one before's
    r"|^[^。；;]{0,10}?[，,](?:它|他|她|其|該|该)"  # "1563年，它成為…"
    r"|^(?:it|this|that|these|those|he|she|they|his|her|their|its|the same|however|but|also|then|later)\b",
    re.I,
)
MAX_UNIT_CHARS = 300


@dataclass(frozen=True)
class Candidate:
    """A sentence (`core`) with the sentence it leans on, if any: `text` is the passage's text from
    `start` to `end`, i.e. the sentence before followed by `core`."""

    text: str
    passage_rank: int
    start: int
    end: int
    core: str = ""

    @property
    def sentence(self) -> str:
        return self.core or self.text


def candidates(passage_text: str, passage_rank: int) -> list[Candidate]:
    sentences = _sentences(passage_text, passage_rank)
    out = sentences[:1]
    for prev, c in itertools.pairwise(sentences):
        if _LEANS_BACK.search(c.text):
            # Quote the sentence before as it is quoted itself (with what it leans on) when that fits.
            limit = _limit(c.text, MAX_UNIT_CHARS)
            start = out[-1].start if c.end - out[-1].start <= limit else prev.start
            if c.end - start <= limit:
                c = Candidate(passage_text[start:c.end], passage_rank, start, c.end, core=c.text)
        out.append(c)
    return out


def _sentences(passage_text: str, passage_rank: int) -> list[Candidate]:
    out: list[Candidate] = []
    for s in split_sentences(passage_text):
        limit = _limit(s.text, MAX_CHARS)
        if len(s.text) <= limit:
            out.append(Candidate(s.text, passage_rank, s.start, s.end))
            continue
        pos, buf_start, buf = s.start, s.start, ""
        for piece in _CLAUSE.split(s.text):
            if buf and len(buf) + len(piece) > limit:
                out.append(Candidate(buf, passage_rank, buf_start, buf_start + len(buf)))
                buf, buf_start = "", pos
            buf += piece
            pos += len(piece)
        while buf:
            out.append(Candidate(buf[:limit], passage_rank, buf_start, buf_start + min(len(buf), limit)))
            buf, buf_start = buf[limit:], buf_start + limit
    return out


def _around_question_words(folded_question: str) -> list[tuple[str, str]]:
    """The words before and after each question word of the (folded) question, punctuation removed."""
    q = _NON_WORD.sub("", folded_question)
    return [(q[: m.start()], q[m.end():]) for m in _QUESTION_WORD.finditer(q)]


def _slot(around: list[tuple[str, str]], sentence: str) -> float:
    """How well `sentence` reads as the question with its question word filled in, 0 to 1.5.

    For each question word (`around`: the words before and after it): the longest tail (2-6
    characters) of the words before it found in the sentence, plus the longest head (2-6
    characters, after up to two characters naming what is asked, e.g. 地型 in 哪一種地型) of the
    words after it, found within SLOT_GAP characters after that tail, each counted as length / 6.
    """
    s = _NON_WORD.sub("", fold(sentence))
    best = 0.0
    for before, after in around:
        left_ends: list[int] = []
        left = 0
        for k in range(min(6, len(before)), 1, -1):
            left_ends = [i + k for i in _find_all(s, before[-k:])]
            if left_ends:
                left = k
                break
        right = 0
        for skip in range(3):
            for k in range(min(6, len(after) - skip), 1, -1):
                if any(not left_ends or any(0 < i - end <= SLOT_GAP for end in left_ends)
                       for i in _find_all(s, after[skip:skip + k])):
                    right = k
                    break
            if right:
                break
        best = max(best, (left + right) / 6)
    return min(best, 1.5)


def _new_characters(t: str, q_bigrams: set[str]) -> int:
    """How many characters of `t` (`_letters` of a candidate) lie in no character bigram of the question."""
    covered = [False] * len(t)
    for k in range(len(t) - 1):
        if t[k:k + 2] in q_bigrams:
            covered[k] = covered[k + 1] = True
    return covered.count(False)


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def _letters(folded: str) -> str:
    """Already folded text, lower-cased, punctuation and spaces left out."""
    return _NON_WORD.sub("", folded.lower())


def _bigrams(t: str) -> set[str]:
    """Character bigrams of `t` (`_letters` of a text)."""
    return {t[i : i + 2] for i in range(len(t) - 1)}


def best_sentences(
    question: str,
    passages: Sequence[str],
    *,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    query_vector: np.ndarray | None = None,
    weights: SentenceWeights | None = None,
    n: int = 1,
    passage_scores: Sequence[float] | None = None,
) -> list[tuple[Candidate, float]]:
    """The `n` best candidate sentences with their scores, best first.

    Overlap is weighted by how rare a word (or character bigram) is among the sentences of the
    candidate's own passage, not in the whole knowledge base: the passage's topic (a name every
    sentence repeats) says nothing about which sentence answers, the question's rarer words do.
    `passage_scores` (the retrieval scores of `passages`) make a sentence of a passage that
    retrieval ranked well behind the top one pay for the gap; a close second passage pays little.
    """
    w = weights or SentenceWeights()
    if passage_scores is not None and len(passage_scores) != len(passages):
        raise ValueError("passage_scores must give one score for each passage.")
    cands = [c for rank, text in enumerate(passages) for c in candidates(text, rank)]
    if not cands:
        return []
    s_tokens = [set(tokenize(c.text)) for c in cands]
    folded = [fold(c.text) for c in cands]
    letters = [_letters(f) for f in folded]
    s_bigrams = [_bigrams(t) for t in letters]
    q_tokens = set(tokenize(question))
    folded_q = fold(question)
    q_bigrams = _bigrams(_letters(folded_q))
    rarity = {}  # per passage: token and bigram IDF among its sentences, and the question's total
    for rank in {c.passage_rank for c in cands}:
        mine = [i for i, c in enumerate(cands) if c.passage_rank == rank]
        idf, bigram_idf = _local_idf([s_tokens[i] for i in mine]), _local_idf([s_bigrams[i] for i in mine])
        rarity[rank] = (idf, bigram_idf, sum(idf(t) for t in q_tokens) or 1.0,
                        sum(bigram_idf(b) for b in q_bigrams) or 1.0)
    top_score = passage_scores[0] if passage_scores else 0.0
    wants_number = bool(_NUMBER_Q.search(question))
    wants_time, wants_cause = bool(_TIME_Q.search(folded_q)), bool(_WHY_Q.search(folded_q))
    around = _around_question_words(folded_q)
    scores = np.zeros(len(cands))
    lexical_any = False
    for i, c in enumerate(cands):
        idf, bigram_idf, q_weight, q_bigram_weight = rarity[c.passage_rank]
        behind = top_score - passage_scores[c.passage_rank] if passage_scores else 0.0
        lex = sum(idf(t) for t in q_tokens & s_tokens[i]) / q_weight
        bg = sum(bigram_idf(b) for b in q_bigrams & s_bigrams[i]) / q_bigram_weight
        lexical_any = lexical_any or lex > 0
        novelty = 1.0 if s_tokens[i] - q_tokens else 0.0
        if _new_characters(letters[i], q_bigrams) < 2:
            novelty = -10.0  # only the question's own words (a quoted premise): the answer is not here
        number = 1.0 if wants_number and _NUMBER_S.search(c.text) else 0.0
        time = 1.0 if wants_time and _TIME_S.search(folded[i]) else 0.0
        cause = 1.0 if wants_cause and _CAUSE_S.search(folded[i]) else 0.0
        scores[i] = (w.lexical * lex + w.bigram * bg + w.number * number + w.time * time + w.cause * cause
                     + w.novelty * novelty + w.slot * _slot(around, c.sentence) - w.rank * c.passage_rank
                     - w.behind * behind)
    if embed is not None and query_vector is not None and (not lexical_any or w.dense > 0):
        # Dense similarity matters most when the question shares no words with the passages.
        top_passage = [i for i, c in enumerate(cands) if c.passage_rank == 0][:16]
        pool = np.argsort(-scores)[:8] if lexical_any else np.array(top_passage, dtype=np.int64)
        vecs = embed([cands[i].sentence for i in pool])
        sims = vecs @ query_vector
        weight = w.dense if not lexical_any else w.dense * 0.5
        for j, i in enumerate(pool):
            scores[i] += weight * 10 * (float(sims[j]) - 0.8)
        if lexical_any:
            mask = np.ones(len(cands), bool)
            mask[pool] = False
            scores[mask] -= 10.0
    order = np.argsort(-scores, kind="stable")[:n]
    picked = [cands[i] for i in order]
    if wants_time:
        picked = [_with_year(c, passages[c.passage_rank]) for c in picked]
    return [(c, float(scores[i])) for c, i in zip(picked, order, strict=True)]


def _with_year(c: Candidate, passage_text: str) -> Candidate:
    """`c`, quoted from the nearest sentence before it that gives a year, if it gives none itself and
    the quote stays under the unit limit."""
    if _TIME_S.search(fold(c.text)):
        return c
    limit = _limit(c.text, MAX_UNIT_CHARS)
    for s in reversed(_sentences(passage_text, c.passage_rank)):
        if s.start >= c.start:
            continue
        if c.end - s.start > limit:
            break
        if _TIME_S.search(fold(s.text)):
            return Candidate(passage_text[s.start:c.end], c.passage_rank, s.start, c.end, core=c.sentence)
    return c


def _local_idf(units: Sequence[set[str]]) -> Callable[[str], float]:
    """BM25-style IDF of an item among `units` (the candidate sentences)."""
    n = len(units)
    df: dict[str, int] = {}
    for unit in units:
        for item in unit:
            df[item] = df.get(item, 0) + 1

    def idf(item: str) -> float:
        d = df.get(item, 0)
        return math.log(1 + (n - d + 0.5) / (d + 0.5))

    return idf


Embed = Callable[[list[str]], np.ndarray]


def reusing(known: dict[str, np.ndarray], embed: Embed) -> Embed:
    """`embed`, but texts with a vector in `known` (e.g. the index's sentence vectors) are not embedded
    again; a piece of a long sentence (cut at clause punctuation) takes the vector of its sentence."""

    def lookup(text: str) -> np.ndarray | None:
        vec = known.get(text)
        if vec is None:
            vec = next((v for k, v in known.items() if text in k), None)
        return vec

    def embed_texts(texts: list[str]) -> np.ndarray:
        found = {t: lookup(t) for t in dict.fromkeys(texts)}
        missing = [t for t, v in found.items() if v is None]
        if missing:
            found.update(zip(missing, embed(missing), strict=True))
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    return embed_texts


def answer_sentences(question: str, index, hits: Sequence, embedder, query_vector: np.ndarray,  # type: ignore[no-untyped-def]
                     n: int = 1) -> list[tuple[Candidate, float]]:
    """`best_sentences` over the top three hits of a search of `index`, reusing its sentence vectors."""
    top = [h.passage for h in hits[:3]]
    known = getattr(index, "known_sentence_vectors", lambda _p: {})(top)
    return best_sentences(question, [p.text for p in top], embed=reusing(known, embedder.embed_passages),
                          query_vector=query_vector, n=n, passage_scores=[h.score for h in hits[:3]])
