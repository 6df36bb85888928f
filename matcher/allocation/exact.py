"""The ``exact`` solver over an :class:`~matcher.allocation.encode.Encoded` round.

Objective, lexicographic: (1) fill as many slots as possible; (2) maximise
:func:`~matcher.allocation.encode.secondary_value` (arc weights: fit with a concave floor
bonus, minus repeat and rest penalties; minus a convex load cost per council).

``exact`` works in three steps.

1. Flow relaxation. Without reciprocity and the cross-role "one reviewer per council per
   team" rule, the round is a min-cost max-flow with convex costs (OR-Tools
   ``SimpleMinCostFlow``): source -> council (parallel arcs of rising cost = the load cost)
   -> reviewer (capacity) -> (team, council, role) (1) -> (team, role) (demand) -> sink.
   Max flow then min cost *is* the lexicographic objective, so its optimum bounds both
   levels; if it keeps every rule it is optimal and we stop.
2. MILP (HiGHS via ``scipy.optimize.milp``) when the candidate set is small enough (England
   scale): binary ``x`` per pair; binary ``y[A, B]`` ("A reviews B") for council pairs with
   candidates both ways, ``y[A, B] + y[B, A] <= 1`` and, per team and council,
   ``sum x <= y`` (or ``<= 1``); continuous excess loads ``e[c, j] >= load(c) - break_j``.
   Level (1) is held at the flow bound (if infeasible, the fill is maximised as its own
   MILP) and level (2) is maximised. The relaxation is nearly integral, so branch and bound
   stays small. (CP-SAT was tried: with the load cost it did not close a 1% gap in 20 s on
   40 requests, where HiGHS proves the optimum at the root in 0.1 s; at 2,000 requests
   neither CP-SAT nor HiGHS solved the model in 60 s.)
3. Otherwise (or if the MILP runs out of time): repair the flow. Keep the heavier side of
   every council pair and team-council in use, ban the other, re-solve the flow, repeat
   until no rule is broken. Status ``feasible``, with ``gap`` measured against the flow
   relaxation (a true upper bound), and the fill checked against the flow bound.

Big rounds are pruned to the top ``k * demand`` candidates per slot (by arc weight).
Pruning never costs fill silently: the flow on the pruned pairs is compared with a max-flow
bound over *all* eligible pairs; if it falls short, ``k`` grows (short slots keep every
candidate) until the bounds agree or nothing is pruned.

>>> from matcher.allocation.encode import encode
>>> from matcher.allocation.model import AllocationInstance, PoolReviewer, ReviewRequest
>>> inst = AllocationInstance(
...     [ReviewRequest("Q1", "A", {"ad": 1}), ReviewRequest("Q2", "B", {"ad": 1})],
...     [PoolReviewer("P1", "B", "ad"), PoolReviewer("P2", "C", "ad")],
...     fit=[[0.9, 0.2], [0.0, 0.5]])
>>> sol = solve_exact(encode(inst))
>>> sorted(zip(sol.r.tolist(), sol.p.tolist())), sol.status
([(0, 0), (1, 1)], 'optimal')
"""

from __future__ import annotations

import time

import numpy as np

from matcher.allocation.candidates import DEFAULT_K, candidate_arcs, short_slots
from matcher.allocation.encode import Encoded, Solution, secondary_value
from matcher.allocation.flow import flow_bound, relaxation
from matcher.allocation.milp import Milp
from matcher.allocation.repair import repair


def solve_exact(
    enc: Encoded,
    *,
    time_limit: float = 10.0,
    k: int | None = DEFAULT_K,
    prune_above: int = 20_000,
    milp_above: int = 30_000,
    max_arcs: int = 80_000,
) -> Solution:
    """Exact two-level solve; see the module docstring.

    Rounds with at most ``prune_above`` eligible pairs are solved whole: status ``optimal``
    is then a proof. Bigger ones start from the top ``k`` per slot, widened until the
    candidates reach the fill bound; status ``optimal-on-candidates`` means the fill is
    proven maximal and the second level optimal among the candidates. With more than
    ``milp_above`` candidate arcs, or when the MILP runs out of time, the answer is the
    repaired flow solution, with status ``feasible`` and ``gap`` measured against the flow
    relaxation (which is an upper bound on both levels).
    """
    start = time.perf_counter()
    eligible = enc.eligible()
    n_all = int((eligible | (enc.constraint == 1)).sum())
    total = int(enc.demand.sum())
    if k is not None and n_all <= prune_above:
        k = None
    elif k is not None:
        k = min(k, max(4, max_arcs // max(1, total)))
    full = np.zeros(enc.demand.shape, dtype=bool)
    notes: list[str] = []
    full_bound = None

    def left() -> float:
        return time_limit - (time.perf_counter() - start)

    def widen(short: np.ndarray, why: str) -> None:
        nonlocal k, full
        full = full | short
        notes.append(f"top {k} per slot {why}: widened")
        k *= 4

    while True:
        r, p = candidate_arcs(enc, k, eligible, full)
        pruned = len(r) < n_all
        relaxed = relaxation(enc, r, p, np.ones(len(r), dtype=bool))
        target = int(relaxed.sum())
        if pruned and target < total:
            if full_bound is None:
                full_bound = flow_bound(enc, *np.nonzero(eligible | (enc.constraint == 1)))
            if target < full_bound:
                widen(
                    short_slots(enc, r[relaxed], p[relaxed]),
                    f"cannot reach the flow bound {full_bound}",
                )
                continue
        on = "-on-candidates" if pruned else ""
        if pruned:
            notes.append(
                f"candidates pruned to the top {k} per slot ({len(r)} of {n_all} "
                "eligible pairs), with the same flow bound on fill"
            )
        if not _conflicts(enc, r, p, relaxed):
            notes.append("the flow relaxation keeps every rule, so it is optimal")
            return Solution(r[relaxed], p[relaxed], "optimal" + on, 0.0, tuple(notes))
        if len(r) > milp_above:
            notes.append(
                f"{len(r)} candidate pairs: too many for the MILP in time; answer "
                "from the repaired flow relaxation"
            )
            break
        model = Milp(enc, r, p)
        best, status, gap = model.solve("value", target, 0.6 * left())
        fill_proven = best is not None
        if best is None and status == "infeasible":
            fill_mask, fstatus, _ = model.solve("fill", 0, 0.6 * left())
            if fill_mask is not None and fstatus == "optimal":
                if pruned and left() > 0:
                    widen(
                        short_slots(enc, r[fill_mask], p[fill_mask]),
                        f"reaches fill {int(fill_mask.sum())} < {target}",
                    )
                    continue
                fill_proven = not pruned
                best, status, gap = model.solve("value", int(fill_mask.sum()), 0.6 * left())
        if best is not None:
            if status == "optimal":
                status = "optimal" + on if fill_proven else "feasible"
            notes.append(_fill_note(int(best.sum()), target, fill_proven))
            return Solution(r[best], p[best], status, round(float(gap), 6), tuple(notes))
        notes.append("the MILP ran out of time: answer from the repaired flow relaxation")
        break
    chosen = repair(enc, r, p, start + 0.9 * time_limit)
    bound_value = secondary_value(enc, r[relaxed], p[relaxed])
    value = secondary_value(enc, r[chosen], p[chosen])
    fill = int(chosen.sum())
    gap = (bound_value - value) / max(1.0, abs(bound_value)) if fill == target else 1.0
    notes.append(_fill_note(fill, target, fill == target))
    return Solution(r[chosen], p[chosen], "feasible", round(float(gap), 6), tuple(notes))



def _fill_note(fill: int, bound: int, proven: bool) -> str:
    if proven:
        return f"fill {fill} proven maximal"
    return f"fill {fill} not proven maximal (flow bound {bound})"


def _conflicts(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray) -> bool:
    """Whether chosen arcs break reciprocity or the cross-role one-per-council rule."""
    n_c = len(enc.councils)
    rr, pp = r[chosen], p[chosen]
    c_p, c_r = enc.rev_council[pp], enc.req_council[rr]
    used = np.zeros((n_c, n_c), dtype=bool)
    used[c_p, c_r] = True
    if (used & used.T & ~enc.reciprocal_ok).any():
        return True
    strict = ~enc.same_council_ok[rr, c_p]
    key = rr[strict] * n_c + c_p[strict]
    return len(np.unique(key)) < len(key)
