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
2. Repair (:mod:`matcher.allocation.repair`): a valid allocation from the flow, kept as the
   incumbent: whatever stops early answers at least this well.
3. MILP (:mod:`matcher.allocation.milp`, HiGHS) over the candidates, every rule up front;
   or, with ``lazy=True``, only the reciprocity and one-per-council rows the flow broke:
   each solve is then a relaxation of the round, so its bound holds; its answer is checked
   against every rule, the rows it breaks are added, and it is solved again, until an
   answer keeps every rule (then it is optimal) or ``max_rounds`` solves have run.
   Level (1) is held at the flow bound (if that is infeasible, the fill is maximised
   first) and level (2) is maximised.
   By default the program is first solved over a few of its columns and the answer proven
   over all of them by reduced costs (:mod:`matcher.allocation.pricing`): at England scale
   that is 0.2 s instead of 0.8 s of HiGHS simplex over every column; the loop above runs
   only when that proof does not come within the work limits.
   Each solve stops at ``node_limit`` branch-and-bound nodes: work, not seconds, so the same
   round gives the same answer on an idle or a busy machine. (A MILP over every council pair
   up front, as before, took 4 s at England scale and ran out of a 20 s budget under load;
   CP-SAT did not close a 1% gap in 20 s on 40 requests.)

Rounds with more candidates than the integer program takes (``k * slots > milp_above``:
1,500 x 6,000 and up) skip steps 2 and 3: one pass over the round keeps the top ``k`` and
the top ``max(2 k, WIDE)`` candidates per slot; the fill bound is proven on the first set;
the relaxation over it and its optimal potentials orient every council pair
(:mod:`matcher.allocation.orient`), and the better of up to two min-cost flows over the
wider candidates that respect the orientation, mended for the cross-role rule, is the
answer (three flows in all, instead of a repair loop of up to 30).
Rounds whose candidates pass ``milp_above`` only after widening take the same oriented flow
over the widened candidates.

Big rounds are pruned to the top ``k * demand`` candidates per slot (by arc weight), read
block by block from a role index (:mod:`matcher.allocation.candidates`), so no requests x
reviewers array is ever built. Pruning never costs fill silently: the flow on the pruned
pairs is compared with the max-flow bound over *all* eligible pairs, proven without listing
them by a minimum cut (:mod:`matcher.allocation.fillproof`); if it falls short, ``k`` grows
(short slots keep every candidate) until the bounds agree or nothing is pruned.

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

import numpy as np

from matcher.allocation.bound import ValueBound, certify, potentials, value_bound
from matcher.allocation.candidates import (
    DEFAULT_K,
    CandidateStats,
    candidate_arcs,
    count_eligible,
    short_slots,
    unique_arcs,
)
from matcher.allocation.encode import Encoded, Solution, better, secondary_value
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import relax_with_flow, relaxation
from matcher.allocation.greedy import greedy_arcs
from matcher.allocation.improve import improve
from matcher.allocation.lagrange import from_potentials
from matcher.allocation.milp import Milp
from matcher.allocation.orient import direction_losses, solve_oriented
from matcher.allocation.pricing import priced_optimum
from matcher.allocation.repair import repair

NODE_LIMIT = 5_000
"""Branch-and-bound nodes per integer solve: a work limit, so answers never depend on load."""
MAX_ROUNDS = 25
"""Integer solves of the lazy loop (each adds the rows its answer broke)."""
REPAIR_WORK = 1_000_000
"""Flows x candidate arcs the repair may spend (4 to 30 flows): a count, not a clock. The
repaired flow is the incumbent when the integer program stops at its work limit; rounds too
big for the integer program, from the start or after widening, take the oriented path
(:func:`_oriented`) instead."""


def violations(
    enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rules the chosen arcs break: bool[C, C] council pairs that review each other (not
    allowed), and sorted keys ``team * C + council`` of teams with two reviewers from one
    council (not allowed)."""
    n_c = len(enc.councils)
    rr, pp = r[chosen], p[chosen]
    c_p, c_r = enc.rev_council[pp], enc.req_council[rr]
    used = np.zeros((n_c, n_c), dtype=bool)
    used[c_p, c_r] = True
    pairs = used & used.T & ~enc.reciprocal_ok
    strict = ~enc.same_council_ok[rr, c_p]
    keys, counts = np.unique(rr[strict] * n_c + c_p[strict], return_counts=True)
    return pairs, keys[counts > 1]


def _conflicts(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray) -> bool:
    pairs, teams = violations(enc, r, p, chosen)
    return bool(pairs.any() or len(teams))


def solve_exact(
    enc: Encoded,
    *,
    node_limit: int = NODE_LIMIT,
    max_rounds: int = MAX_ROUNDS,
    lazy: bool = False,
    k: int | None = DEFAULT_K,
    prune_above: int = 20_000,
    milp_above: int = 30_000,
    max_arcs: int = 80_000,
    repair_work: int = REPAIR_WORK,
    priced: bool = True,
) -> Solution:
    """Exact two-level solve; see the module docstring.

    Rounds with at most ``prune_above`` eligible pairs are solved whole: status ``optimal``
    is then a proof. Bigger ones start from the top ``k`` per slot, widened until the
    candidates reach the fill bound; status ``optimal-on-candidates`` means the fill is
    proven maximal and the second level optimal among the candidates. When the work limits
    stop the lazy loop first, the answer is the better of its last valid answer and the
    repaired flow, with status ``feasible`` and ``gap`` to the best proven bound. Rounds
    with ``k * slots > milp_above`` take the oriented path (see the module docstring), and
    so do rounds whose candidates pass ``milp_above`` only after widening (over the widened
    candidates, whose fill the flow relaxation has proven); ``repair_work`` (flows x
    candidate arcs) bounds the repaired flow kept as the incumbent of the integer program.

    ``priced=True`` (the default) solves the integer program over a few priced columns and
    proves the answer over all of them (:mod:`matcher.allocation.pricing`), falling back to
    the whole program when the proof does not come within the work limits; ``priced=False``
    solves the whole program at once (the bench's plain MILP).

    ``lazy=True`` starts the MILP with only the rows the flow broke and adds the rest as
    answers break them. Through ``scipy.optimize.milp`` every solve starts from scratch
    and costs about one root LP, so at England scale the plain model (every rule up front,
    one solve) is faster, and it is the default; see bench/bench_allocation.py.
    """
    n_all = count_eligible(enc)
    total = int(enc.demand.sum())
    if k is not None and n_all <= prune_above:
        k = None
    elif k is not None:
        k = min(k, max(4, max_arcs // max(1, total)))
    full = np.zeros(enc.demand.shape, dtype=bool)
    notes: list[str] = []
    if k is not None and k * total > milp_above:
        return _solve_big(enc, k, n_all, total, notes)
    full_bound = None
    extra = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))

    def widen(short: np.ndarray, why: str) -> None:
        nonlocal k, full
        full = full | short
        notes.append(f"top {k} per slot {why}: widened")
        k *= 4

    read = None  # (k, full, arcs): the last pass over the round, reused when unchanged
    while True:
        if read is None or read[0] != k or not np.array_equal(read[1], full):
            read = (k, full, candidate_arcs(enc, k, full))
        r, p = unique_arcs(enc.shape[1], np.concatenate([read[2][0], extra[0]]),
                           np.concatenate([read[2][1], extra[1]]))
        pruned = len(r) < n_all
        relaxed = relaxation(enc, r, p, np.ones(len(r), dtype=bool))
        target = int(relaxed.sum())
        if pruned and target < total:
            if full_bound is None:
                full_bound, xr, xp, rounds = proven_fill_bound(enc, r, p)
                notes.append(
                    f"fill bound {full_bound} over all {n_all} eligible pairs proven by a "
                    f"minimum cut over {len(xr)} candidates ({rounds} max flows)"
                )
                if len(xr) > len(r):
                    extra = (xr, xp)
                    continue
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
        if len(r) > milp_above:  # grown past the integer program: as national rounds
            notes.append(f"{len(r)} candidate pairs once grown to reach the fill bound: more "
                         f"than {milp_above} for the integer program")
            return _oriented(enc, r, p, relaxed, (r, p), target, certify(enc), None, notes)
        found = _lazy_milp(enc, r, p, relaxed, target, node_limit, max_rounds,
                           lazy, priced and not lazy, notes)
        if found == "widen":
            widen(np.ones_like(full), "cannot reach the flow's fill under every rule")
            continue
        best, status, fill_proven, bound = found
        break
    if status == "optimal":
        notes.append(_fill_note(int(best.sum()), target, fill_proven))
        return Solution(r[best], p[best], ("optimal" + on) if fill_proven else "feasible",
                        0.0, tuple(notes))
    incumbent = repair(enc, r, p, max_rounds=min(30, max(4, repair_work // max(1, len(r)))))
    greedy = np.zeros(len(r), dtype=bool)
    greedy[greedy_arcs(enc, r, p)] = True
    if _better(enc, r, p, greedy, incumbent):  # on crowded national rounds it can be
        notes.append("greedy over the candidates beat the repaired flow")
        incumbent = greedy
    if best is None or _better(enc, r, p, incumbent, best):
        notes.append("answer from the repaired flow relaxation")
        best, status = incumbent, "feasible"
    fill = int(best.sum())
    bound_value = secondary_value(enc, r[relaxed], p[relaxed])
    if bound is not None and bound[0] == fill:
        bound_value = min(bound_value, bound[1])
    value = secondary_value(enc, r[best], p[best])
    proven = fill == target or (bound is not None and bound[0] == fill and fill_proven)
    gap = (bound_value - value) / max(1.0, abs(bound_value)) if proven else 1.0
    notes.append(_fill_note(fill, target, proven))
    return Solution(r[best], p[best], "feasible", round(float(max(gap, 0.0)), 6), tuple(notes))


WIDE = 24
"""On rounds too big for the integer program, candidates are read wider than the relaxation
uses (the top ``max(2 k, WIDE)`` per slot), so that enough remain once council pairs are
oriented (about half of them). At 10,000 x 30,000 the oriented flow over the top 16 kept
44,009 of the 44,064 the flow over every pair respecting the orientation reaches (seed 23);
the top 24 keep 44,052."""


def _solve_big(enc: Encoded, k: int, n_all: int, total: int, notes: list[str]) -> Solution:
    """Rounds too big for the integer program: one pass reads the top ``k`` candidates per
    slot (for the relaxation) and the top ``max(2 k, WIDE)`` (for the oriented flow); the
    fill bound over every eligible pair is proven by a minimum cut that grows the narrow
    set; two min-cost flows (the relaxation, then the oriented flow) and a local mend give
    the answer."""
    stats = CandidateStats()
    no_full = np.zeros(enc.demand.shape, dtype=bool)
    wr, wp = candidate_arcs(enc, max(2 * k, WIDE), no_full, stats)
    narrow = stats.rank < k * enc.demand[wr, enc.rev_role[wp]]
    r, p = wr[narrow], wp[narrow]
    # The proof grows the narrow candidates until their max flow is the one over every
    # pair, so the relaxation over them fills as much as any allocation could.
    fill_bound, r, p, rounds = proven_fill_bound(enc, r, p)
    notes.append(f"fill bound {fill_bound} over all {n_all} eligible pairs proven by a "
                 f"minimum cut over {len(r)} candidates ({rounds} max flows)")
    notes.append(f"candidates: the top {k} per slot for the relaxation, the top "
                 f"{max(2 * k, WIDE)} ({len(wr)} pairs) for the oriented flow")
    relaxed, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    d = potentials(net, flows)
    # The wide read's pairs outside the candidates are priced one by one; beyond it, each
    # slot's best weight bounds the rest.
    bound = value_bound(enc, r, p, net, flows, stats.pruned_best, (wr, wp), d)
    # The same potentials price what banning each council direction would cost.
    read_r, read_p = unique_arcs(enc.shape[1], np.concatenate([wr, r]), np.concatenate([wp, p]))
    n_p = enc.shape[1]
    in_relaxed = np.isin(read_r * n_p + read_p, r[relaxed] * n_p + p[relaxed])
    losses = direction_losses(enc, read_r, read_p, in_relaxed, from_potentials(enc, net, d))
    return _oriented(enc, r, p, relaxed, (wr, wp), fill_bound, bound, stats.pruned_best, notes,
                     losses)


def _oriented(enc: Encoded, r, p, relaxed, wide, fill_bound: int, bound: ValueBound,
              tau: np.ndarray | None, notes: list[str], losses: np.ndarray | None = None
              ) -> Solution:
    """The answer on rounds too big for the integer program: the oriented flow, mended
    (:mod:`matcher.allocation.orient`) and improved (:mod:`matcher.allocation.improve`),
    or greedy when it does better; the gap is to the
    value bound over every eligible pair (:mod:`matcher.allocation.bound`). ``tau``: each
    slot's best weight beyond ``wide`` for a second bound from the oriented flow, or None
    when it is not known (``bound`` alone then holds)."""
    best_r, best_p, more, oriented = solve_oriented(enc, r, p, relaxed, wide[0], wide[1],
                                                    fill_bound, losses)
    # The oriented flow's potentials bound every pair too (the pairs its orientation left
    # out are in the reads, priced one by one): the better of the two bounds holds.
    if tau is not None:
        read = (np.concatenate([wide[0], r]), np.concatenate([wide[1], p]))
        second = value_bound(enc, oriented.r, oriented.p, oriented.net, oriented.flows, tau,
                             read)
        if second.fill == bound.fill and second.value < bound.value:
            bound = second
    notes += more
    # Replace and swap moves the orientation and the mending left (never worse).
    cand = (np.concatenate([wide[0], r]), np.concatenate([wide[1], p]))
    best_r, best_p, moves = improve(enc, best_r, best_p, *cand)
    notes.append(f"improved by {moves} replace or swap moves over the candidates")
    if _conflicts(enc, best_r, best_p, np.ones(len(best_r), dtype=bool)):  # pragma: no cover
        raise AssertionError("the oriented answer breaks a rule")
    fill = len(best_r)
    if fill < fill_bound:  # not proven maximal: greedy (its own candidates) may fill more
        for how, (gr, gp) in (("over the candidates", _greedy(enc, r, p)),
                              ("alone", _greedy(enc, *candidate_arcs(enc, DEFAULT_K)))):
            if better(enc, (gr, gp), (best_r, best_p)):
                notes.append(f"greedy {how} beat the oriented flow")
                best_r, best_p, fill = gr, gp, len(gr)
    value = secondary_value(enc, best_r, best_p)
    proven = fill == fill_bound
    gap = 1.0
    if bound.fill == fill:  # the bound holds for every allocation of this fill
        gap = (bound.value - value) / max(1.0, abs(bound.value))
        notes.append(f"gap to a bound over every eligible pair (LP duality on the flow "
                     f"relaxation; {bound.raised} slots priced up for their pruned pairs)")
    notes.append(_fill_note(fill, fill_bound, proven))
    status = "feasible, fill proven maximal" if proven else "feasible"
    return Solution(best_r, best_p, status, round(float(max(gap, 0.0)), 6), tuple(notes))


def _greedy(enc: Encoded, r, p) -> tuple[np.ndarray, np.ndarray]:
    keep = greedy_arcs(enc, r, p)
    return r[keep], p[keep]


def _better(enc: Encoded, r, p, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the arcs masked by ``a`` beat those masked by ``b`` (fill, then value)."""
    return better(enc, (r[a], p[a]), (r[b], p[b]))


def _lazy_milp(enc, r, p, relaxed, target, node_limit, max_rounds, lazy, priced, notes):
    """The lazy loop. Returns ``"widen"`` (the candidates cannot reach the flow's fill
    under every rule: widen them) or ``(mask or None, status, fill proven, bound)`` where
    ``bound`` is ``(fill, proven bound on the value at that fill)`` or None."""
    n_c = len(enc.councils)
    pairs = np.zeros((n_c, n_c), dtype=bool)
    teams = np.zeros(0, dtype=np.int64)
    if lazy:
        pairs, teams = violations(enc, r, p, relaxed)
    if priced:
        found = priced_optimum(enc, r, p, relaxed, target, node_limit, notes)
        if found is not None:
            return found[0], "optimal", True, (int(found[0].sum()), found[1])
    pruned = len(r) < count_eligible(enc)
    level, min_fill, fill_proven = "value", target, True
    last_valid, bound = None, None
    for round_ in range(max_rounds):
        model = Milp(enc, r, p, pairs, teams) if lazy else Milp(enc, r, p)
        mask, status, _, dual = model.solve(level, min_fill, node_limit)
        if mask is None:
            if status == "infeasible" and level == "value":
                level = "fill"  # the flow's fill cannot be reached under the rules so far
                continue
            return last_valid, "feasible", fill_proven, bound
        new_pairs, new_teams = violations(enc, r, p, mask)
        broke = bool(new_pairs.any() or len(new_teams))
        if level == "fill":
            if broke:
                pairs, teams = pairs | new_pairs, np.union1d(teams, new_teams)
                continue
            if status != "optimal":
                notes.append("fill not proven maximal within the work limit")
                fill_proven = False
            elif pruned and int(mask.sum()) < target:
                return "widen"
            min_fill, level = int(mask.sum()), "value"
            last_valid = mask
            continue
        if not broke:
            if status == "optimal":
                if lazy:
                    notes.append(f"lazy integer program: {round_ + 1} solves; "
                                 f"{int(pairs.sum()) // 2} council pairs and {len(teams)} "
                                 "team-councils needed their rule")
                return mask, "optimal", fill_proven, (int(mask.sum()), dual)
            last_valid = mask
            bound = (min_fill, dual)
            return mask, "feasible", fill_proven, bound
        bound = (min_fill, dual)
        pairs, teams = pairs | new_pairs, np.union1d(teams, new_teams)
    notes.append(f"the lazy integer program stopped after {max_rounds} solves")
    return last_valid, "feasible", fill_proven, bound


def _fill_note(fill: int, bound: int, proven: bool) -> str:
    if proven:
        return f"fill {fill} proven maximal"
    return f"fill {fill} not proven maximal (flow bound {bound})"
