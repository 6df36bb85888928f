"""Okapi BM25 over pre-tokenised documents, as one posting list (documents, weights) per term.

Plain Python, sparse: a query touches a handful of terms, so its scores are a dictionary over
the documents that hold one of them. (A SciPy matrix, then NumPy arrays, cost more CPU to
import than a whole `peerlink search` spends answering.)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence


class BM25:
    """Okapi BM25 over pre-tokenised documents.

    >>> bm = BM25([["front", "door"], ["early", "help"], ["front", "line"]])
    >>> {i: round(s, 3) for i, s in bm.scores(["door"]).items()}
    {0: 0.981}
    >>> {i: round(s, 3) for i, s in bm.scores(["front", "door", "front"]).items()}
    {0: 1.451, 2: 0.47}
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1 = k1
        self.n = len(docs)
        found: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                found.setdefault(term, []).append((i, tf))
        avgdl = max(sum(map(len, docs)) / self.n, 1e-9) if self.n else 1.0
        self.idf: dict[str, float] = {}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for term, rows in found.items():
            idf = math.log(1.0 + (self.n - len(rows) + 0.5) / (len(rows) + 0.5))
            self.idf[term] = idf
            self.postings[term] = [
                (i, idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len(docs[i]) / avgdl)))
                for i, tf in rows]

    def scores(self, terms: Iterable[str]) -> dict[int, float]:
        """Document index -> score, for the documents holding at least one of the terms."""
        out: dict[int, float] = {}
        for term in sorted(set(terms)):  # a fixed order: float sums then tie the same way
            for i, weight in self.postings.get(term, ()):
                out[i] = out.get(i, 0.0) + weight
        return out

    def upper(self, terms: Iterable[str]) -> float:
        """The most a document could score for these terms (each at saturation)."""
        return float(sum(self.idf[t] * (self.k1 + 1.0) for t in set(terms) if t in self.idf))

    def idf_of(self, term: str, default: float) -> float:
        return self.idf.get(term, default)
