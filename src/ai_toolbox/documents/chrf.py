"""chrF: the character n-gram F-score of a translation against a reference (Popović, 2015).

For n = 1..6, precision is the share of the hypothesis' character n-grams found in the reference
(counts clipped) and recall the share of the reference's found in the hypothesis; both are
averaged over the orders, then combined as F_beta with beta = 2 (recall weighs twice as much).
Whitespace is removed first, as sacreBLEU does by default, so Chinese is scored on its characters
and English on its letters and punctuation alike. The corpus score sums the counts over all pairs
before averaging, so long passages weigh more than short ones. Scores are 0-100.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

ORDER = 6
BETA = 2.0
_SPACE = re.compile(r"\s+")

Stats = list[tuple[int, int, int]]  # per order: (hypothesis n-grams, reference n-grams, matched)


def _ngrams(text: str, n: int) -> Counter[str]:
    return Counter(text[i:i + n] for i in range(len(text) - n + 1))


def statistics(hypothesis: str, reference: str, order: int = ORDER) -> Stats:
    hyp, ref = _SPACE.sub("", hypothesis), _SPACE.sub("", reference)
    out = []
    for n in range(1, order + 1):
        h, r = _ngrams(hyp, n), _ngrams(ref, n)
        out.append((sum(h.values()), sum(r.values()), sum((h & r).values())))
    return out


def score(stats: Stats, beta: float = BETA) -> float:
    """chrF (0-100) from per-order counts; orders where either side has no n-gram are left out."""
    precision = recall = 0.0
    orders = 0
    for hyp, ref, match in stats:
        if hyp and ref:
            precision += match / hyp
            recall += match / ref
            orders += 1
    if not orders:
        return 0.0
    precision, recall = precision / orders, recall / orders
    if precision + recall == 0:
        return 0.0
    b2 = beta * beta
    return 100 * (1 + b2) * precision * recall / (b2 * precision + recall)


def sentence_chrf(hypothesis: str, reference: str, *, order: int = ORDER, beta: float = BETA) -> float:
    return score(statistics(hypothesis, reference, order), beta)


def corpus_chrf(hypotheses: Iterable[str], references: Iterable[str], *, order: int = ORDER,
                beta: float = BETA) -> float:
    hyps, refs = list(hypotheses), list(references)
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses for {len(refs)} references")
    total = [(0, 0, 0)] * order
    for h, r in zip(hyps, refs, strict=True):
        total = [(a + x, b + y, c + z) for (a, b, c), (x, y, z) in zip(total, statistics(h, r, order), strict=True)]
    return score(total, beta)
