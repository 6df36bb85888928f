"""Candidate arcs: the eligible (request, reviewer) pairs a solver considers, pruned to the
best few per slot, and the slots a set of arcs leaves short."""

from __future__ import annotations

import numpy as np

from matcher.allocation.encode import Encoded

DEFAULT_K = 30
"""Candidates kept per slot of demand before the fill check."""


def unique_arcs(n_p: int, r: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    key = np.unique(r.astype(np.int64) * n_p + p)
    return key // n_p, key % n_p


def candidate_arcs(
    enc: Encoded, k: int | None, eligible: np.ndarray, full: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Eligible arcs, pruned to the best ``k * demand`` per (request, role), plus every
    forced or locked arc. ``k=None`` keeps all; ``full`` (bool[R, K]) marks slots that keep
    all their candidates. Ties are broken by a fixed hash, not by position."""
    n_r, n_p = enc.shape
    if k is None:
        rr, pp = np.nonzero(eligible)
    else:
        outs_r, outs_p = [], []
        for ki in range(len(enc.roles)):
            cols = np.flatnonzero(enc.rev_role == ki)
            rows = np.flatnonzero(enc.demand[:, ki] > 0)
            if not len(cols) or not len(rows):
                continue
            el = eligible[np.ix_(rows, cols)]
            limit = k * enc.demand[rows, ki]
            if full is not None:
                limit = np.where(full[rows, ki], len(cols), limit)
            if limit.min() < len(cols):
                tie = (rows[:, None] * 7919 + cols[None, :] * 104729) % 1021
                key = enc.weight[np.ix_(rows, cols)] * 1024 + tie
                key = np.where(el, key, np.iinfo(np.int64).min // 2)
                order = np.argsort(-key, axis=1, kind="stable")
                rank = np.empty_like(order)
                np.put_along_axis(rank, order, np.arange(len(cols))[None, :], axis=1)
                el = el & (rank < limit[:, None])
            a, b = np.nonzero(el)
            outs_r.append(rows[a])
            outs_p.append(cols[b])
        rr = np.concatenate(outs_r) if outs_r else np.zeros(0, dtype=np.int64)
        pp = np.concatenate(outs_p) if outs_p else np.zeros(0, dtype=np.int64)
    fr, fp = np.nonzero(enc.constraint == 1)
    return unique_arcs(n_p, np.concatenate([rr, fr]), np.concatenate([pp, fp]))



def short_slots(enc: Encoded, r: np.ndarray, p: np.ndarray) -> np.ndarray:
    """bool[R, K]: slots that arcs ``(r, p)`` leave (or could leave) short."""
    n_k = len(enc.roles)
    got = np.bincount(r * n_k + enc.rev_role[p], minlength=enc.demand.size)
    return got.reshape(enc.demand.shape) < enc.demand


