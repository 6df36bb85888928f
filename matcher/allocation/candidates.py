"""Candidate arcs: the eligible (request, reviewer) pairs a solver considers, pruned to the
best few per slot, and the slots a set of arcs leaves short.

Candidates come from an index by role: for each role, the requests that ask for it are
scored against the reviewers who have it, one block of at most :data:`BLOCK` pairs at a
time, and only the kept pairs survive the block. Memory grows with the pairs kept, never
with requests x reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.allocation.encode import Encoded

DEFAULT_K = 30
"""Candidates kept per slot of demand before the fill check."""
BLOCK = 1 << 15
"""Pairs scored at once."""


def unique_arcs(n_p: int, r: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    key = np.unique(np.asarray(r, dtype=np.int64) * n_p + p)
    return key // max(1, n_p), key % max(1, n_p)


def role_blocks(enc: Encoded, reviewers: np.ndarray | None = None, requests=None):
    """Yield ``(role, rows, cols)``: for each role, the requests asking for it (``rows``, in
    chunks of at most :data:`BLOCK` pairs) and its reviewers with capacity (``cols``),
    optionally limited to the masks ``reviewers`` (bool[P]) and ``requests`` (bool[R])."""
    for ki in range(len(enc.roles)):
        keep = (enc.rev_role == ki) & (enc.capacity > 0)
        if reviewers is not None:
            keep &= reviewers
        cols = np.flatnonzero(keep)
        want = enc.demand[:, ki] > 0
        if requests is not None:
            want &= requests
        rows = np.flatnonzero(want)
        if not len(cols) or not len(rows):
            continue
        step = max(1, BLOCK // len(cols))
        for i in range(0, len(rows), step):
            yield ki, rows[i:i + step], cols


@dataclass
class CandidateStats:
    """What a pass over every eligible pair learnt besides the kept ones.

    ``rank``: for each returned arc, its place in its slot's candidates, best first (0 for
    forced or locked arcs), so a caller can take the top few of a wider read.
    ``pruned_best`` (int[R * K]): per slot, an upper bound on the
    weight of every eligible pair left out (the best left out, or the worst kept when the
    read stopped at the limit), ``NO_PRUNED`` when none was left out."""

    notes: list[str] = field(default_factory=list)
    rank: np.ndarray | None = None
    pruned_best: np.ndarray | None = None


NO_PRUNED = np.iinfo(np.int64).min // 4
"""``pruned_best`` of a slot that kept every eligible pair."""


def candidate_arcs(
    enc: Encoded, k: int | None, full: np.ndarray | None = None,
    stats: CandidateStats | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Eligible arcs, pruned to the best ``k * demand`` per (request, role), plus every
    forced or locked arc. ``k=None`` keeps all; ``full`` (bool[R, K]) marks slots that keep
    all their candidates. Ties are broken by a fixed hash, not by position."""
    outs_r, outs_p, outs_rank = [enc.fixed_r], [enc.fixed_p], [np.zeros(len(enc.fixed_r), int)]
    n_k = len(enc.roles)
    best_out = np.full(enc.demand.size, NO_PRUNED)
    for ki, rows, cols in role_blocks(enc):
        weight, el = enc.block(rows, cols)
        demand = enc.demand[rows, ki]
        if k is None:
            limit = np.full(len(rows), len(cols))
        else:
            limit = k * demand
            if full is not None:
                limit = np.where(full[rows, ki], len(cols), limit)
        width = int(min(len(cols), max(limit.max(), demand.max())))
        tie = (rows[:, None] * 7919 + cols[None, :] * 104729) % 1021
        key = np.where(el, weight * 1024 + tie, np.iinfo(np.int64).min // 2)
        if width < len(cols):
            top = np.argpartition(-key, width - 1, axis=1)[:, :width]
        else:
            top = np.broadcast_to(np.arange(len(cols)), key.shape)
        order = np.take_along_axis(
            top, np.argsort(-np.take_along_axis(key, top, 1), axis=1, kind="stable"), 1)
        rank = np.arange(width)[None, :]
        ok = np.take_along_axis(el, order, 1)
        a, b = np.nonzero(ok & (rank < limit[:, None]))
        outs_r.append(rows[a])
        outs_p.append(cols[order[a, b]])
        outs_rank.append(b)
        # The best pair left out: the one ranked ``limit`` when the read went past it,
        # else (the read stopped at the limit) the worst kept bounds it.
        left = el.sum(axis=1) > limit
        line = np.arange(len(rows))
        at = order[line, np.minimum(limit, width - 1)]
        best_out[rows[left] * n_k + ki] = weight[line, at][left]
    key = enc.keys(np.concatenate(outs_r), np.concatenate(outs_p))
    rank = np.concatenate(outs_rank)
    order = np.lexsort((rank, key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    key = key[order[first]]
    if stats is not None:
        stats.rank = rank[order[first]]
        stats.pruned_best = best_out
    n_p = max(1, enc.shape[1])
    return key // n_p, key % n_p


def count_eligible(enc: Encoded) -> int:
    """Number of eligible pairs plus forced or locked ones, counted by council and role
    (nothing is enumerated): per role, askers x holders over council pairs that may review
    each other (another council, a direction not banned), minus forbidden pairs that would
    otherwise be eligible."""
    n_c = len(enc.councils)
    open_ = ~np.eye(n_c, dtype=bool)  # open_[c, d]: council c may review council d
    if enc.banned is not None:
        open_ &= ~enc.banned
    open_ = open_.astype(np.int64)
    total = 0
    for ki in range(len(enc.roles)):
        holders = np.bincount(enc.rev_council[(enc.rev_role == ki) & (enc.capacity > 0)],
                              minlength=n_c)
        askers = np.bincount(enc.req_council[enc.demand[:, ki] > 0], minlength=n_c)
        total += int(askers @ open_.T @ holders)
    n_p = max(1, enc.shape[1])
    fr, fp = enc.forbidden_keys // n_p, enc.forbidden_keys % n_p
    total -= int(_plain_eligible(enc, fr, fp).sum())
    total += int((~_plain_eligible(enc, enc.fixed_r, enc.fixed_p)).sum())
    return total


def _plain_eligible(enc: Encoded, r: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Eligible but for the forbidden list: another council, a direction not banned, a role
    asked for, capacity."""
    ok = ((enc.rev_council[p] != enc.req_council[r]) & (enc.capacity[p] > 0)
          & (enc.demand[r, enc.rev_role[p]] > 0))
    if enc.banned is not None:
        ok &= ~enc.banned[enc.rev_council[p], enc.req_council[r]]
    return ok


def all_eligible_arcs(enc: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Every eligible arc and every forced or locked one (for small rounds and tests)."""
    return candidate_arcs(enc, None)


def short_slots(enc: Encoded, r: np.ndarray, p: np.ndarray) -> np.ndarray:
    """bool[R, K]: slots that arcs ``(r, p)`` leave (or could leave) short."""
    n_k = len(enc.roles)
    got = np.bincount(r * n_k + enc.rev_role[p], minlength=enc.demand.size)
    return got.reshape(enc.demand.shape) < enc.demand
