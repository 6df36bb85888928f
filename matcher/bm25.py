"""Okapi BM25 over pre-tokenised documents, as one posting list (documents, weights) per term.

Posting lists instead of a SciPy sparse matrix: a query touches a handful of terms, and
importing SciPy cost more CPU than a whole `peerlink search` spends answering.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np


class BM25:
    """Okapi BM25 over pre-tokenised documents.

    >>> bm = BM25([["front", "door"], ["early", "help"], ["front", "line"]])
    >>> [round(float(s), 3) for s in bm.scores(["door"])]
    [0.981, 0.0, 0.0]
    >>> [round(float(s), 3) for s in bm.scores(["front", "door", "front"])]
    [1.451, 0.0, 0.47]
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1 = k1
        self.n = len(docs)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        lengths = [len(doc) for doc in docs]
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                rows, tfs = postings.setdefault(term, ([], []))
                rows.append(i)
                tfs.append(tf)
        avgdl = max(sum(lengths) / self.n, 1e-9) if self.n else 1.0
        length = np.asarray(lengths, dtype=np.float64)
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (rows, tfs) in postings.items():
            idf = math.log(1.0 + (self.n - len(rows) + 0.5) / (len(rows) + 0.5))
            r = np.asarray(rows, dtype=np.int64)
            tf = np.asarray(tfs, dtype=np.float64)
            norm = k1 * (1.0 - b + b * length[r] / avgdl)
            self.idf[term] = idf
            self.postings[term] = (r, idf * tf * (k1 + 1.0) / (tf + norm))

    def scores(self, terms: Iterable[str]) -> np.ndarray:
        out = np.zeros(self.n)
        for term in sorted(set(terms)):  # a fixed order: float sums then tie the same way
            if term in self.postings:
                rows, weights = self.postings[term]
                out[rows] += weights  # a term's rows are distinct, so += is exact
        return out

    def upper(self, terms: Iterable[str]) -> float:
        """The most a document could score for these terms (each at saturation)."""
        return float(sum(self.idf[t] * (self.k1 + 1.0) for t in set(terms) if t in self.idf))

    def idf_of(self, term: str, default: float) -> float:
        return self.idf.get(term, default)
