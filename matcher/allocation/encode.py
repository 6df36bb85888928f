"""Encode a round as arrays for the solvers, and decode their answer.

Solvers see only an :class:`Encoded`: indices, integer demands and capacities, a fit matrix,
a constraint matrix (-1 forbidden, 0 free, 1 forced or locked) and integer arc weights.
:func:`secondary_value` is the one definition of the second objective level, shared by every
solver, the metrics and the tests.

>>> from matcher.allocation.model import AllocationInstance, PoolReviewer, ReviewRequest
>>> inst = AllocationInstance(
...     [ReviewRequest("Q1", "HAL", {"ad": 1})],
...     [PoolReviewer("P1", "WIR", "ad"), PoolReviewer("P2", "HAL", "ad")],
...     fit=[[0.5, 0.9]])
>>> enc = encode(inst)
>>> enc.eligible().tolist()
[[True, False]]
>>> int(enc.weight[0, 0])  # 0.5 + 1.0 * min(0.5, 0.5), in micro-points
1000000
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from matcher.allocation.model import (
    SCALE,
    AllocationError,
    AllocationInstance,
    Assignment,
)


@dataclass(frozen=True, eq=False)
class Encoded:
    """A round as arrays. ``R`` requests, ``P`` reviewers, ``K`` roles, ``C`` councils.

    Attributes
    ----------
    request_ids, reviewer_ids, roles, councils : id of each index.
    req_council : int[R]; rev_council : int[P]; rev_role : int[P].
    demand : int[R, K] slots per request and role.
    capacity : int[P].
    score : float[R, P] fit in [0, 1] (0 where a pair can never be used).
    constraint : int8[R, P] -1 forbidden (by hand or by the repeat rule), 1 forced or locked.
    weight : int64[R, P] value of an arc in micro-points: fit, plus the floor bonus
        ``fit_floor_weight * min(fit, fit_floor)``, minus repeat and rest penalties.
    same_council_ok : bool[R, C] team r may take several reviewers from council c.
    reciprocal_ok : bool[C, C] the two councils may review each other.
    load_breaks, load_costs : int[3] convex load cost: each review a council gives beyond
        ``load_breaks[j]`` costs ``load_costs[j]`` more micro-points.
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
    score: np.ndarray
    constraint: np.ndarray
    weight: np.ndarray
    same_council_ok: np.ndarray
    reciprocal_ok: np.ndarray
    load_breaks: np.ndarray
    load_costs: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.request_ids), len(self.reviewer_ids)

    def eligible(self) -> np.ndarray:
        """bool[R, P]: pairs allowed by the per-pair rules (own council, role, capacity > 0,
        not forbidden)."""
        ok = self.rev_council[None, :] != self.req_council[:, None]
        ok &= (self.demand > 0)[:, self.rev_role]
        ok &= (self.capacity > 0)[None, :]
        ok &= self.constraint != -1
        return ok


@dataclass(frozen=True, eq=False)
class Solution:
    """Arcs chosen by a solver (request index ``r[i]``, reviewer index ``p[i]``)."""

    r: np.ndarray
    p: np.ndarray
    status: str
    gap: float = 0.0
    notes: tuple[str, ...] = ()


def _fit_matrix(inst: AllocationInstance, possible: np.ndarray) -> np.ndarray:
    n_r, n_p = len(inst.requests), len(inst.reviewers)
    if callable(inst.fit):
        score = np.zeros((n_r, n_p))
        for r, p in zip(*np.nonzero(possible), strict=True):
            score[r, p] = float(inst.fit(inst.requests[r], inst.reviewers[p]))
    else:
        score = np.where(possible, inst.fit, 0.0)
    bad = ~np.isfinite(score) | (score < 0) | (score > 1)
    if bad.any():
        r, p = (int(i) for i in np.argwhere(bad)[0])
        raise AllocationError(
            f"fit of request {inst.requests[r].request_id} and reviewer "
            f"{inst.reviewers[p].reviewer_id} is {score[r, p]}: fits must lie in [0, 1]"
        )
    return score


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
    n_r, n_p, n_k, n_c = len(req_ids), len(rev_ids), len(roles), len(councils)

    req_council = np.array([ci[q.council] for q in inst.requests], dtype=np.int64)
    rev_council = np.array([ci[p.council] for p in inst.reviewers], dtype=np.int64)
    rev_role = np.array([ki[p.role] for p in inst.reviewers], dtype=np.int64)
    demand = np.zeros((n_r, n_k), dtype=np.int64)
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

    constraint = np.zeros((n_r, n_p), dtype=np.int8)
    for r, p in index(cons.forbidden, "forbidden"):
        constraint[r, p] = -1
    repeat = np.zeros((n_r, n_p), dtype=bool)
    by_council: dict[int, list[int]] = {}
    for r, c in enumerate(req_council):
        by_council.setdefault(int(c), []).append(r)
    for p_id, council in cons.avoid_repeat:
        if p_id in pi and council in ci:
            repeat[by_council.get(ci[council], []), pi[p_id]] = True
    if cons.repeat == "forbid":
        constraint[repeat] = -1
    for r, p in index(cons.forced, "forced") + index(cons.locked, "locked"):
        constraint[r, p] = 1

    possible = (rev_council[None, :] != req_council[:, None]) & (demand > 0)[:, rev_role]
    score = _fit_matrix(inst, possible | (constraint == 1))
    seat = score + opts.fit_floor_weight * np.minimum(score, opts.fit_floor)
    weight = np.rint(seat * SCALE).astype(np.int64)
    if cons.repeat == "penalise":
        weight -= repeat * round(opts.repeat_penalty * SCALE)
    givers = np.isin(rev_council, [ci[c] for c in cons.receiving_history])
    weight -= givers[None, :] * round(opts.past_giver_penalty * SCALE)

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
        score=score,
        constraint=constraint,
        weight=weight,
        same_council_ok=same_ok,
        reciprocal_ok=recip_ok,
        load_breaks=breaks,
        load_costs=costs,
    )
    for a in arrays.values():
        a.setflags(write=False)
    return Encoded(
        request_ids=req_ids, reviewer_ids=rev_ids, roles=roles, councils=councils, **arrays
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
    value = int(enc.weight[r, p].sum())
    load = np.bincount(enc.rev_council[p], minlength=len(enc.councils))
    for b, c in zip(enc.load_breaks, enc.load_costs, strict=True):
        value -= int(c) * int(np.maximum(load - b, 0).sum())
    return value


def decode(enc: Encoded, r: np.ndarray, p: np.ndarray) -> tuple[Assignment, ...]:
    """Assignments for the arcs ``(r[i], p[i])``, ordered by request then role then id."""
    out = [
        Assignment(
            enc.request_ids[a],
            enc.reviewer_ids[b],
            enc.roles[enc.rev_role[b]],
            round(float(enc.score[a, b]), 6),
        )
        for a, b in zip(np.asarray(r).tolist(), np.asarray(p).tolist(), strict=True)
    ]
    order = {k: i for i, k in enumerate(enc.request_ids)}
    out.sort(key=lambda a: (order[a.request_id], a.role, a.reviewer_id))
    return tuple(out)
