"""Okapi BM25 over pre-tokenised documents, as a sparse document x term weight matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse


class BM25:
    """Okapi BM25 over pre-tokenised documents.

    >>> bm = BM25([["front", "door"], ["early", "help"], ["front", "line"]])
    >>> [round(float(s), 3) for s in bm.scores(["door"])]
    [0.981, 0.0, 0.0]
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1 = k1
        self.vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths = np.zeros(len(docs), dtype=np.float64)
        for i, doc in enumerate(docs):
            lengths[i] = len(doc)
            for term, tf in Counter(doc).items():
                j = self.vocab.setdefault(term, len(self.vocab))
                rows.append(i)
                cols.append(j)
                tfs.append(tf)
        n = max(len(docs), 1)
        avgdl = float(lengths.mean()) if len(docs) else 1.0
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        tf = np.asarray(tfs, dtype=np.float64)
        df = np.bincount(c, minlength=len(self.vocab)).astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        norm = k1 * (1.0 - b + b * lengths[r] / max(avgdl, 1e-9)) if len(r) else tf
        w = self.idf[c] * tf * (k1 + 1.0) / (tf + norm) if len(r) else tf
        self.matrix = sparse.csc_matrix((w, (r, c)), shape=(len(docs), len(self.vocab)))
        self.n = len(docs)

    def scores(self, terms: Iterable[str]) -> np.ndarray:
        cols = sorted({self.vocab[t] for t in terms if t in self.vocab})
        if not cols:
            return np.zeros(self.n)
        return np.asarray(self.matrix[:, cols].sum(axis=1)).ravel()

    def upper(self, terms: Iterable[str]) -> float:
        """The most a document could score for these terms (each at saturation)."""
        return float(sum(self.idf[self.vocab[t]] * (self.k1 + 1.0)
                         for t in set(terms) if t in self.vocab))

    def idf_of(self, term: str, default: float) -> float:
        j = self.vocab.get(term)
        return default if j is None else float(self.idf[j])
