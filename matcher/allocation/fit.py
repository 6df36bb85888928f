"""Fit of reviewers to teams, read a block or a list of pairs at a time, never as a whole
requests x reviewers matrix (unless the caller gave one).

A round's ``fit`` is a matrix (read by index), a plain ``fit(request, reviewer)`` callable
(called once per pair that is actually read) or a :class:`ThemeOverlapFit`, the Jaccard
overlap of a team's focus and a reviewer's expertise computed on bit sets, so a national
round is scored block by block in a few bytes per reviewer.

>>> from matcher.allocation.model import PoolReviewer, ReviewRequest
>>> reqs = [ReviewRequest("Q1", "A", {"ad": 1}, ("eh", "fd"))]
>>> revs = [PoolReviewer("P1", "B", "ad", ("fd",)), PoolReviewer("P2", "C", "ad", ("wf",))]
>>> src = fit_source(ThemeOverlapFit(), reqs, revs)
>>> src.block(np.array([0]), np.array([0, 1])).tolist()
[[0.5, 0.0]]
>>> ThemeOverlapFit()(reqs[0], revs[0])
0.5
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.allocation.model import AllocationError, PoolReviewer, ReviewRequest


class ThemeOverlapFit:
    """Fit = |focus & expertise| / |focus | expertise| (0 when both are empty). Usable as a
    plain callable too; :func:`fit_source` computes it vectorised on bit sets."""

    def __call__(self, q: ReviewRequest, p: PoolReviewer) -> float:
        a, b = set(q.focus), set(p.expertise)
        return len(a & b) / len(a | b) if a | b else 0.0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ThemeOverlapFit)

    def __hash__(self) -> int:
        return hash(ThemeOverlapFit)


class _MatrixFit:
    def __init__(self, fit: np.ndarray):
        self.fit = fit

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.fit[np.ix_(rows, cols)]

    def pairs(self, r: np.ndarray, p: np.ndarray) -> np.ndarray:
        return self.fit[r, p].astype(float)


class _CallableFit:
    """Calls ``fit(request, reviewer)`` once per pair read, remembering each answer."""

    def __init__(self, fit, requests, reviewers):
        self.fit, self.requests, self.reviewers = fit, requests, reviewers
        self.seen: dict[tuple[int, int], float] = {}

    def _one(self, a: int, b: int) -> float:
        key = (a, b)
        if key not in self.seen:
            self.seen[key] = float(self.fit(self.requests[a], self.reviewers[b]))
        return self.seen[key]

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = [[self._one(a, b) for b in cols.tolist()] for a in rows.tolist()]
        return np.array(out, dtype=float).reshape(len(rows), len(cols))

    def pairs(self, r: np.ndarray, p: np.ndarray) -> np.ndarray:
        out = [self._one(a, b) for a, b in zip(r.tolist(), p.tolist(), strict=True)]
        return np.array(out, dtype=float)


class _ThemeBits:
    """Themes as 64-bit words per request and reviewer; the overlap is a popcount."""

    def __init__(self, requests: Sequence[ReviewRequest], reviewers: Sequence[PoolReviewer]):
        themes = sorted({t for q in requests for t in q.focus}
                        | {t for p in reviewers for t in p.expertise})
        index = {t: i for i, t in enumerate(themes)}
        words = max(1, -(-len(themes) // 64))

        def bits(sets) -> np.ndarray:
            out = np.zeros((len(sets), words), dtype=np.uint64)
            for i, s in enumerate(sets):
                for t in set(s):
                    j = index[t]
                    out[i, j // 64] |= np.uint64(1) << np.uint64(j % 64)
            return out

        self.q = bits([q.focus for q in requests])
        self.p = bits([p.expertise for p in reviewers])
        self.q_n = np.bitwise_count(self.q).sum(1).astype(np.int32)
        self.p_n = np.bitwise_count(self.p).sum(1).astype(np.int32)

    @staticmethod
    def _ratio(inter: np.ndarray, union: np.ndarray) -> np.ndarray:
        return np.divide(inter, union, out=np.zeros(inter.shape), where=union > 0)

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        inter = np.zeros((len(rows), len(cols)), dtype=np.int32)
        for w in range(self.q.shape[1]):
            inter += np.bitwise_count(self.q[rows, w][:, None] & self.p[cols, w][None, :])
        union = self.q_n[rows][:, None] + self.p_n[cols][None, :] - inter
        return self._ratio(inter, union)

    def pairs(self, r: np.ndarray, p: np.ndarray) -> np.ndarray:
        inter = np.bitwise_count(self.q[r] & self.p[p]).sum(1).astype(np.int32)
        return self._ratio(inter, self.q_n[r] + self.p_n[p] - inter)


def fit_source(fit, requests: Sequence[ReviewRequest], reviewers: Sequence[PoolReviewer]):
    """An object with ``block(rows, cols)`` and ``pairs(r, p)`` reading the round's fit."""
    if isinstance(fit, ThemeOverlapFit):
        return _ThemeBits(requests, reviewers)
    if callable(fit):
        return _CallableFit(fit, requests, reviewers)
    return _MatrixFit(fit)


def check_fits(values: np.ndarray, r: np.ndarray, p: np.ndarray, request_ids, reviewer_ids):
    """Raise :class:`AllocationError` naming the first pair whose fit is not in [0, 1]."""
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise AllocationError(
            f"fit of request {request_ids[int(r[i])]} and reviewer "
            f"{reviewer_ids[int(p[i])]} is {values[i]}: fits must lie in [0, 1]"
        )
