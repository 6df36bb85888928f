"""Encode a round as arrays for the solvers, and decode their answer.

Solvers see only an :class:`Encoded`: indices, integer demands and capacities, the pairs
rules name (forbidden, forced or locked, repeats) and integer arc weights read on demand.
:func:`secondary_value` is the one definition of the second objective level, shared by every
solver, the metrics and the tests.

>>> from matcher.allocation.model import AllocationInstance, PoolReviewer, ReviewRequest
>>> inst = AllocationInstance(
...     [ReviewRequest("Q1", "HAL", {"ad": 1})],
...     [PoolReviewer("P1", "WIR", "ad"), PoolReviewer("P2", "HAL", "ad")],
...     fit=[[0.5, 0.9]])
>>> enc = encode(inst)
>>> enc.block(np.array([0]), np.array([0, 1]))[1].tolist()
[[True, False]]
>>> enc.arc_weight([0], [0]).tolist()  # 0.5 + 1.0 * min(0.5, 0.5), in micro-points
[1000000]
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from matcher.allocation.fit import check_fits, fit_source
from matcher.allocation.model import (
    SCALE,
    AllocationError,
    AllocationInstance,
    Assignment,
    FairnessOptions,
)


def _in_block(table: np.ndarray, rows: np.ndarray, cols: np.ndarray, n_p: int) -> np.ndarray:
    """bool[len(rows), len(cols)]: which pairs of the block have their key in the sorted
    ``table``; reads only the table's keys in the block's row range (rows and cols sorted)."""
    out = np.zeros((len(rows), len(cols)), dtype=bool)
    if not len(table) or not len(rows) or not len(cols):
        return out
    lo, hi = np.searchsorted(table, [int(rows[0]) * n_p, (int(rows[-1]) + 1) * n_p])
    sub = table[lo:hi]
    a = np.minimum(np.searchsorted(rows, sub // n_p), len(rows) - 1)
    b = np.minimum(np.searchsorted(cols, sub % n_p), len(cols) - 1)
    hit = (rows[a] == sub // n_p) & (cols[b] == sub % n_p)
    out[a[hit], b[hit]] = True
    return out


def in_sorted(keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """bool mask: which ``keys`` are in the sorted array ``table``."""
    if not len(table):
        return np.zeros(np.shape(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return table[pos] == keys


@dataclass(frozen=True, eq=False)
class Encoded:
    """A round as arrays. ``R`` requests, ``P`` reviewers, ``K`` roles, ``C`` councils.

    Nothing here is R x P: pairs are stored only where a rule names them (forbidden, forced,
    repeats), and fit and arc weights are read for the pairs asked about
    (:meth:`arc_weight`, :meth:`block`).

    Attributes
    ----------
    request_ids, reviewer_ids, roles, councils : id of each index.
    req_council : int[R]; rev_council : int[P]; rev_role : int[P].
    demand : int[R, K] slots per request and role.
    capacity : int[P].
    fixed_r, fixed_p : forced or locked pairs.
    forbidden_keys : sorted keys ``r * P + p`` of pairs forbidden (by hand or by the repeat
        rule).
    repeat_keys : sorted keys of pairs that repeat a past review (penalised).
    giver : bool[P] the reviewer's council is rested (only ever gave reviews).
    same_council_ok : bool[R, C] team r may take several reviewers from council c.
    reciprocal_ok : bool[C, C] the two councils may review each other.
    load_breaks, load_costs : int[3] convex load cost: each review a council gives beyond
        ``load_breaks[j]`` costs ``load_costs[j]`` more micro-points.
    banned : bool[C, C] or None: ``banned[c, d]`` means no reviewer from council ``c`` may
        review council ``d`` (an orientation chosen to keep reciprocity, see
        :mod:`matcher.allocation.orient`); such pairs are not eligible.
    """

    request_ids: tuple[str, ...]
    reviewer_ids: tuple[str, ...]
    roles: tuple[str, ...]
    councils: tuple[str, ...]
    req_council: np.ndarray
    rev_council: np.ndarray
    rev_role: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    fixed_r: np.ndarray
    fixed_p: np.ndarray
    forbidden_keys: np.ndarray
    repeat_keys: np.ndarray
    giver: np.ndarray
    same_council_ok: np.ndarray
    reciprocal_ok: np.ndarray
    load_breaks: np.ndarray
    load_costs: np.ndarray
    fit: object
    options: FairnessOptions
    banned: np.ndarray | None = None

    def oriented(self, banned: np.ndarray) -> Encoded:
        """The same round with the council directions ``banned`` made ineligible."""
        return dataclasses.replace(self, banned=banned)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.request_ids), len(self.reviewer_ids)

    def keys(self, r, p) -> np.ndarray:
        return np.asarray(r, dtype=np.int64) * len(self.reviewer_ids) + np.asarray(p)

    def is_fixed(self, r, p) -> np.ndarray:
        """bool per arc: forced or locked."""
        return in_sorted(self.keys(r, p), np.sort(self.keys(self.fixed_r, self.fixed_p)))

    def is_forbidden(self, r, p) -> np.ndarray:
        return in_sorted(self.keys(r, p), self.forbidden_keys)

    def arc_score(self, r, p) -> np.ndarray:
        """Fit of each arc ``(r[i], p[i])`` in [0, 1]."""
        r, p = np.asarray(r, dtype=np.int64), np.asarray(p, dtype=np.int64)
        score = np.asarray(self.fit.pairs(r, p), dtype=float)
        check_fits(score, r, p, self.request_ids, self.reviewer_ids)
        return score

    def _weight(self, score: np.ndarray, repeat: np.ndarray, p: np.ndarray) -> np.ndarray:
        opts = self.options
        seat = score + opts.fit_floor_weight * np.minimum(score, opts.fit_floor)
        weight = np.rint(seat * SCALE).astype(np.int64)
        weight -= repeat * round(opts.repeat_penalty * SCALE)
        weight -= self.giver[p] * round(opts.past_giver_penalty * SCALE)
        return weight

    def arc_weight(self, r, p) -> np.ndarray:
        """Value of each arc in micro-points: fit, plus the floor bonus
        ``fit_floor_weight * min(fit, fit_floor)``, minus repeat and rest penalties."""
        r, p = np.asarray(r, dtype=np.int64), np.asarray(p, dtype=np.int64)
        return self._weight(self.arc_score(r, p), in_sorted(self.keys(r, p), self.repeat_keys), p)

    def block(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(weight, eligible)`` of requests ``rows`` x reviewers ``cols``, both sorted (one
        block of the round, never the whole of it): eligible means another council, a role
        the request asks for, capacity > 0 and not forbidden."""
        score = self.fit.block(rows, cols)
        n_p = len(self.reviewer_ids)
        ok = self.rev_council[cols][None, :] != self.req_council[rows][:, None]
        ok &= (self.demand[rows][:, self.rev_role[cols]] > 0)
        bad = ok & (~np.isfinite(score) | (score < 0) | (score > 1))
        if bad.any():
            a, b = np.argwhere(bad)[0]
            check_fits(score[a, b:b + 1], rows[a:a + 1], cols[b:b + 1], self.request_ids,
                       self.reviewer_ids)
        repeat = _in_block(self.repeat_keys, rows, cols, n_p)
        weight = self._weight(np.where(ok, score, 0.0), repeat, np.broadcast_to(cols, ok.shape))
        ok &= (self.capacity[cols] > 0)[None, :]
        if self.banned is not None:
            ok &= ~self.banned[self.rev_council[cols][None, :], self.req_council[rows][:, None]]
        ok &= ~_in_block(self.forbidden_keys, rows, cols, n_p)
        return weight, ok


@dataclass(frozen=True, eq=False)
class Solution:
    """Arcs chosen by a solver (request index ``r[i]``, reviewer index ``p[i]``)."""

    r: np.ndarray
    p: np.ndarray
    status: str
    gap: float = 0.0
    notes: tuple[str, ...] = ()


def encode(inst: AllocationInstance) -> Encoded:
    """Map a round to arrays. Raises :class:`AllocationError` on unknown ids."""
    cons, opts = inst.constraints, inst.options
    req_ids = tuple(q.request_id for q in inst.requests)
    rev_ids = tuple(p.reviewer_id for p in inst.reviewers)
    roles = tuple(
        sorted({p.role for p in inst.reviewers} | {k for q in inst.requests for k in q.roles})
    )
    councils = tuple(
        sorted(
            {q.council for q in inst.requests}
            | {p.council for p in inst.reviewers}
            | set(cons.receiving_history)
        )
    )
    ri = {k: i for i, k in enumerate(req_ids)}
    pi = {k: i for i, k in enumerate(rev_ids)}
    ki = {k: i for i, k in enumerate(roles)}
    ci = {k: i for i, k in enumerate(councils)}
    n_r, n_p, n_c = len(req_ids), len(rev_ids), len(councils)

    req_council = np.array([ci[q.council] for q in inst.requests], dtype=np.int64)
    rev_council = np.array([ci[p.council] for p in inst.reviewers], dtype=np.int64)
    rev_role = np.array([ki[p.role] for p in inst.reviewers], dtype=np.int64)
    demand = np.zeros((n_r, len(roles)), dtype=np.int64)
    for r, q in enumerate(inst.requests):
        for role, n in q.roles.items():
            demand[r, ki[role]] = n
    capacity = np.array([p.capacity for p in inst.reviewers], dtype=np.int64)

    def index(pairs, what: str) -> list[tuple[int, int]]:
        out = []
        for q, p in sorted(pairs):
            if q not in ri:
                raise AllocationError(f"{what} pair names unknown request {q}")
            if p not in pi:
                raise AllocationError(f"{what} pair names unknown reviewer {p}")
            out.append((ri[q], pi[p]))
        return out

    def keys(pairs) -> np.ndarray:
        return np.unique(np.array([a * n_p + b for a, b in pairs], dtype=np.int64))

    by_council: dict[int, list[int]] = {}
    for r, c in enumerate(req_council.tolist()):
        by_council.setdefault(c, []).append(r)
    repeat = [(r, pi[p_id]) for p_id, council in sorted(cons.avoid_repeat)
              if p_id in pi and council in ci for r in by_council.get(ci[council], [])]
    fixed = index(cons.forced, "forced") + index(cons.locked, "locked")
    forbidden = keys(index(cons.forbidden, "forbidden")
                     + (repeat if cons.repeat == "forbid" else []))
    forbidden = np.setdiff1d(forbidden, keys(fixed))
    fixed_key = keys(fixed)

    same_ok = np.zeros((n_r, n_c), dtype=bool)
    for q, c in cons.allow_same_council:
        if q in ri and c in ci:
            same_ok[ri[q], ci[c]] = True
    recip_ok = np.zeros((n_c, n_c), dtype=bool)
    for a, b in cons.allow_reciprocal:
        if a in ci and b in ci:
            recip_ok[ci[a], ci[b]] = recip_ok[ci[b], ci[a]] = True

    givers_with_capacity = len({p.council for p in inst.reviewers if p.capacity > 0})
    share = demand.sum() / max(1, givers_with_capacity)
    breaks = np.array([math.ceil(share * f) for f in (1.0, 1.5, 2.0)], dtype=np.int64)
    costs = np.array([round(opts.load_weight * SCALE * f) for f in (1, 1, 2)], dtype=np.int64)

    arrays = dict(
        req_council=req_council,
        rev_council=rev_council,
        rev_role=rev_role,
        demand=demand,
        capacity=capacity,
        fixed_r=fixed_key // max(1, n_p),
        fixed_p=fixed_key % max(1, n_p),
        forbidden_keys=forbidden,
        repeat_keys=keys(repeat) if cons.repeat == "penalise" else np.zeros(0, np.int64),
        giver=np.isin(rev_council, [ci[c] for c in cons.receiving_history]),
        same_council_ok=same_ok,
        reciprocal_ok=recip_ok,
        load_breaks=breaks,
        load_costs=costs,
    )
    for a in arrays.values():
        a.setflags(write=False)
    return Encoded(
        request_ids=req_ids, reviewer_ids=rev_ids, roles=roles, councils=councils,
        fit=fit_source(inst.fit, inst.requests, inst.reviewers), options=opts, **arrays
    )


def secondary_value(enc: Encoded, r: np.ndarray, p: np.ndarray) -> int:
    """Second objective level, in micro-points, of the arcs ``(r[i], p[i])``: the sum of
    arc weights minus the convex load cost of each council.

    >>> from matcher.allocation.model import AllocationInstance, PoolReviewer, ReviewRequest
    >>> inst = AllocationInstance([ReviewRequest("Q1", "A", {"ad": 1})],
    ...                           [PoolReviewer("P1", "B", "ad")], fit=[[0.8]])
    >>> secondary_value(encode(inst), [0], [0])  # 0.8 + 1.0 * min(0.8, 0.5)
    1300000
    """
    r = np.asarray(r, dtype=np.int64)
    p = np.asarray(p, dtype=np.int64)
    value = int(enc.arc_weight(r, p).sum())
    load = np.bincount(enc.rev_council[p], minlength=len(enc.councils))
    for b, c in zip(enc.load_breaks, enc.load_costs, strict=True):
        value -= int(c) * int(np.maximum(load - b, 0).sum())
    return value


def better(enc: Encoded, a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
           ) -> bool:
    """Whether arcs ``a`` beat arcs ``b`` (each ``(r, p)``) lexicographically: fill, then
    :func:`secondary_value`."""
    if len(a[0]) != len(b[0]):
        return len(a[0]) > len(b[0])
    return secondary_value(enc, *a) > secondary_value(enc, *b)


def decode(enc: Encoded, r: np.ndarray, p: np.ndarray) -> tuple[Assignment, ...]:
    """Assignments for the arcs ``(r[i], p[i])``, ordered by request then role then id."""
    r, p = np.asarray(r, dtype=np.int64), np.asarray(p, dtype=np.int64)
    out = [
        Assignment(enc.request_ids[a], enc.reviewer_ids[b], enc.roles[enc.rev_role[b]],
                   round(s, 6))
        for a, b, s in zip(r.tolist(), p.tolist(), enc.arc_score(r, p).tolist(), strict=True)
    ]
    order = {k: i for i, k in enumerate(enc.request_ids)}
    out.sort(key=lambda a: (order[a.request_id], a.role, a.reviewer_id))
    return tuple(out)
