"""Solvers over an :class:`~matcher.allocation.encode.Encoded` round, and their registry.

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
>>> sol = SOLVERS["exact"](encode(inst))
>>> sorted(zip(sol.r.tolist(), sol.p.tolist())), sol.status
([(0, 0), (1, 1)], 'optimal')
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from ortools.graph.python import max_flow, min_cost_flow
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.allocation.encode import Encoded, secondary_value

DEFAULT_K = 30
"""Candidates kept per slot of demand before the fill check."""


@dataclass(frozen=True, eq=False)
class Solution:
    """Arcs chosen by a solver (request index ``r[i]``, reviewer index ``p[i]``)."""

    r: np.ndarray
    p: np.ndarray
    status: str
    gap: float = 0.0
    notes: tuple[str, ...] = ()


def _unique_arcs(n_p: int, r: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    return _unique_arcs(n_p, np.concatenate([rr, fr]), np.concatenate([pp, fp]))


def flow_bound(enc: Encoded, r: np.ndarray, p: np.ndarray) -> int:
    """Upper bound on the fill over arcs ``(r, p)``: a max flow respecting demand, capacity
    and one reviewer per council per role per team (reciprocity and the cross-role council
    rule are relaxed)."""
    if len(r) == 0:
        return 0
    n_r, n_p = enc.shape
    n_k, n_c = len(enc.roles), len(enc.councils)
    c, k = enc.rev_council[p], enc.rev_role[p]
    gkey, ginv = np.unique((r * n_c + c) * n_k + k, return_inverse=True)
    g_r, g_c, g_k = gkey // (n_c * n_k), (gkey // n_k) % n_c, gkey % n_k
    skey, sinv = np.unique(g_r * n_k + g_k, return_inverse=True)
    src, rev0 = 0, 1
    grp0 = rev0 + n_p
    slot0 = grp0 + len(gkey)
    sink = slot0 + len(skey)
    big = int(enc.demand.sum()) + 1
    tails = np.concatenate(
        [np.full(n_p, src), rev0 + p, grp0 + np.arange(len(gkey)), slot0 + np.arange(len(skey))]
    )
    heads = np.concatenate(
        [rev0 + np.arange(n_p), grp0 + ginv, slot0 + sinv, np.full(len(skey), sink)]
    )
    caps = np.concatenate(
        [
            enc.capacity,
            np.ones(len(r), dtype=np.int64),
            np.where(enc.same_council_ok[g_r, g_c], big, 1),
            enc.demand[skey // n_k, skey % n_k],
        ]
    )
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64)
    )
    if smf.solve(src, sink) != smf.OPTIMAL:  # pragma: no cover - ortools contract
        raise RuntimeError("max flow failed")
    return int(smf.optimal_flow())


def _greedy_arcs(
    enc: Encoded, r: np.ndarray, p: np.ndarray, prefer: np.ndarray | None = None
) -> np.ndarray:
    """Indices of arcs kept by the greedy rule: forced/locked first, then ``prefer``-ed
    arcs, then by weight, each taken while every rule still holds."""
    fixed = enc.constraint[r, p] == 1
    prefer = np.zeros(len(r), dtype=bool) if prefer is None else prefer
    order = np.lexsort((np.arange(len(r)), -enc.weight[r, p], ~prefer, ~fixed))
    slots = enc.demand.copy()
    cap = enc.capacity.copy()
    team_c: set[tuple[int, int]] = set()
    team_p: set[tuple[int, int]] = set()
    used: set[tuple[int, int]] = set()
    chosen = []
    rc, pc, pk = enc.req_council, enc.rev_council, enc.rev_role
    for i in order.tolist():
        a, b = int(r[i]), int(p[i])
        ca, cb, kb = int(rc[a]), int(pc[b]), int(pk[b])
        if slots[a, kb] <= 0 or cap[b] <= 0 or (a, b) in team_p:
            continue
        if (a, cb) in team_c and not enc.same_council_ok[a, cb]:
            continue
        if (ca, cb) in used and not enc.reciprocal_ok[ca, cb]:
            continue
        slots[a, kb] -= 1
        cap[b] -= 1
        team_c.add((a, cb))
        team_p.add((a, b))
        used.add((cb, ca))
        chosen.append(i)
    return np.array(sorted(chosen), dtype=np.int64)


def solve_greedy(enc: Encoded, *, time_limit: float = 10.0, k: int | None = DEFAULT_K) -> Solution:
    """Baseline: take arcs best first while every rule still holds. Not optimal."""
    del time_limit
    r, p = candidate_arcs(enc, k, enc.eligible())
    keep = _greedy_arcs(enc, r, p)
    return Solution(r[keep], p[keep], "feasible", notes=("greedy: no optimality claim",))


class _Milp:
    """The MILP over candidate arcs ``(r, p)``, built with vectorised sparse triplets."""

    def __init__(self, enc: Encoded, r: np.ndarray, p: np.ndarray):
        self.n = n = len(r)
        n_k, n_c = len(enc.roles), len(enc.councils)
        k, c_p, c_r = enc.rev_role[p], enc.rev_council[p], enc.req_council[r]
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        lo: list[np.ndarray] = []
        hi: list[np.ndarray] = []
        n_rows = 0

        def add(row_of: np.ndarray, col: np.ndarray, val, low, high) -> None:
            nonlocal n_rows
            rows.append(row_of + n_rows)
            cols.append(col)
            vals.append(np.broadcast_to(np.asarray(val, dtype=float), col.shape))
            n_rows += len(low)
            lo.append(np.asarray(low, dtype=float))
            hi.append(np.asarray(high, dtype=float))

        arcs = np.arange(n)

        def capped(key: np.ndarray, cap_of_group) -> None:
            uniq, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
            cap = cap_of_group(uniq)
            keep = cnt > cap
            new_id = np.cumsum(keep) - 1
            sel = keep[inv]
            add(new_id[inv[sel]], arcs[sel], 1.0, np.full(keep.sum(), -np.inf), cap[keep])

        capped(r * n_k + k, lambda u: enc.demand[u // n_k, u % n_k])
        capped(p, lambda u: enc.capacity[u])

        present = np.zeros((n_c, n_c), dtype=bool)
        present[c_p, c_r] = True
        need_y = present & present.T & ~enc.reciprocal_ok
        ya, yb = np.nonzero(need_y)
        self.ny = ny = len(ya)
        y_of = np.full((n_c, n_c), -1, dtype=np.int64)
        y_of[ya, yb] = n + np.arange(ny)
        half = ya < yb
        if half.any():
            idx = np.arange(half.sum())
            add(
                np.concatenate([idx, idx]),
                np.concatenate([y_of[ya[half], yb[half]], y_of[yb[half], ya[half]]]),
                1.0,
                np.full(len(idx), -np.inf),
                np.ones(len(idx)),
            )
        # Per team and council: sum x <= y (or <= 1), or x <= y when the team may take
        # several reviewers from that council.
        uniq, inv = np.unique(r * n_c + c_p, return_inverse=True)
        g_r, g_c = uniq // n_c, uniq % n_c
        g_y = y_of[g_c, enc.req_council[g_r]]
        g_same = enc.same_council_ok[g_r, g_c]
        cnt = np.bincount(inv, minlength=len(uniq))
        group_row = (~g_same) & ((g_y >= 0) | (cnt > 1))
        gid = np.cumsum(group_row) - 1
        sel = group_row[inv]
        with_y = group_row & (g_y >= 0)
        ng = int(group_row.sum())
        add(
            np.concatenate([gid[inv[sel]], gid[with_y]]),
            np.concatenate([arcs[sel], g_y[with_y]]),
            np.concatenate([np.ones(sel.sum()), -np.ones(with_y.sum())]),
            np.full(ng, -np.inf),
            np.where(g_y[group_row] >= 0, 0.0, 1.0),
        )
        single = g_same[inv] & (g_y[inv] >= 0)
        if single.any():
            idx = np.arange(single.sum())
            add(
                np.concatenate([idx, idx]),
                np.concatenate([arcs[single], g_y[inv[single]]]),
                np.concatenate([np.ones(len(idx)), -np.ones(len(idx))]),
                np.full(len(idx), -np.inf),
                np.zeros(len(idx)),
            )
        # Convex load cost: e[c, j] >= load(c) - break_j, i.e. load(c) - e[c, j] <= break_j.
        n_var = n + ny
        cost = []
        most = np.bincount(c_p, minlength=n_c)
        cap_c = np.bincount(enc.rev_council, weights=enc.capacity, minlength=n_c)
        most = np.minimum(most, cap_c)
        for b, c in zip(enc.load_breaks.tolist(), enc.load_costs.tolist(), strict=True):
            councils = np.flatnonzero(most > b) if c > 0 else np.zeros(0, dtype=np.int64)
            if not len(councils):
                continue
            e_of = np.full(n_c, -1, dtype=np.int64)
            e_of[councils] = np.arange(len(councils))
            sel = e_of[c_p] >= 0
            add(
                np.concatenate([e_of[c_p[sel]], np.arange(len(councils))]),
                np.concatenate([arcs[sel], n_var + np.arange(len(councils))]),
                np.concatenate([np.ones(sel.sum()), -np.ones(len(councils))]),
                np.full(len(councils), -np.inf),
                np.full(len(councils), float(b)),
            )
            cost.append(np.full(len(councils), float(c)))
            n_var += len(councils)
        self.n_var = n_var
        self.a = sp.csr_array(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n_rows, n_var),
        )
        self.lo, self.hi = np.concatenate(lo), np.concatenate(hi)
        # Objective in fit points (micro-points / SCALE), to keep HiGHS tolerances meaningful.
        self.value = (
            np.concatenate([enc.weight[r, p].astype(float), np.zeros(ny)] + [-c for c in cost])
            / 1e6
        )
        self.integrality = np.zeros(n_var)
        self.integrality[: n + ny] = 1
        upper = np.full(n_var, np.inf)
        upper[: n + ny] = 1
        lower = np.zeros(n_var)
        lower[:n] = enc.constraint[r, p] == 1
        self.bounds = Bounds(lower, upper)

    def solve(self, level: str, min_fill: int, time_limit: float):
        """Maximise the fill (``level='fill'``) or the value with ``fill >= min_fill``.
        Returns ``(chosen mask or None, status, gap)``."""
        if self.n == 0:
            return (
                (np.zeros(0, dtype=bool), "optimal", 0.0)
                if min_fill <= 0
                else (None, "infeasible", 1.0)
            )
        fill_row = sp.csr_array(
            np.concatenate([np.ones(self.n), np.zeros(self.n_var - self.n)])[None, :]
        )
        cons = [LinearConstraint(self.a, self.lo, self.hi)] if self.a.shape[0] else []
        if level == "fill":
            c = -fill_row.toarray()[0]
            gap = 0.0
        else:
            c = -self.value
            cons.append(LinearConstraint(fill_row, [min_fill], [np.inf]))
            gap = 1e-10
        res = milp(
            c,
            constraints=cons,
            integrality=self.integrality,
            bounds=self.bounds,
            options={"presolve": False, "mip_rel_gap": gap, "time_limit": max(0.1, time_limit)},
        )
        if res.x is None:
            return None, ("infeasible" if res.status == 2 else "no-solution"), 1.0
        status = "optimal" if res.status == 0 else "feasible"
        mip_gap = float(res.mip_gap or 0.0) if status == "feasible" else 0.0
        return res.x[: self.n] > 0.5, status, mip_gap


def _relaxation(enc: Encoded, r: np.ndarray, p: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Min-cost max-flow over the allowed arcs: the round without reciprocity and the
    cross-role council rule. Forced and locked arcs are taken first. Returns the chosen mask.

    Nodes: source -> council (parallel arcs with rising cost: the convex load cost) ->
    reviewer (capacity) -> (team, council, role) (capacity 1) -> (team, role) (demand) -> sink.
    """
    n_r, n_p = enc.shape
    n_k, n_c = len(enc.roles), len(enc.councils)
    fixed = enc.constraint[r, p] == 1
    cap = enc.capacity - np.bincount(p[fixed], minlength=n_p)
    demand = enc.demand.copy()
    np.subtract.at(demand, (r[fixed], enc.rev_role[p[fixed]]), 1)
    c_p, k = enc.rev_council[p], enc.rev_role[p]
    load0 = np.bincount(c_p[fixed], minlength=n_c)
    use = allowed & ~fixed & (cap[p] > 0) & (demand[r, k] > 0)
    taken = np.zeros((n_r, n_c), dtype=bool)
    taken[r[fixed], c_p[fixed]] = True
    use &= ~(taken[r, c_p] & ~enc.same_council_ok[r, c_p])
    idx = np.flatnonzero(use)
    chosen = fixed.copy()
    if not len(idx):
        return chosen
    ar, ap = r[idx], p[idx]
    gkey, ginv = np.unique((ar * n_c + c_p[idx]) * n_k + k[idx], return_inverse=True)
    g_r, g_c = gkey // (n_c * n_k), (gkey // n_k) % n_c
    skey, sinv = np.unique(g_r * n_k + gkey % n_k, return_inverse=True)
    src, c0 = 0, 1
    p0 = c0 + n_c
    g0 = p0 + n_p
    s0 = g0 + len(gkey)
    sink = s0 + len(skey)
    big = int(demand.sum()) + 1
    tails, heads, caps, costs = [], [], [], []
    # Convex load: the council's j-th block of reviews costs the sum of the first j costs.
    edges = np.concatenate([[0], enc.load_breaks, [big + load0.max(initial=0)]])
    marginal = np.concatenate([[0], np.cumsum(enc.load_costs)])
    for j in range(len(edges) - 1):
        lo_, hi_ = edges[j], edges[j + 1]
        seg = np.clip(hi_ - np.maximum(lo_, load0), 0, None)
        seg = np.minimum(seg, big)
        ok = seg > 0
        tails.append(np.full(ok.sum(), src))
        heads.append(c0 + np.flatnonzero(ok))
        caps.append(seg[ok])
        costs.append(np.full(ok.sum(), marginal[j]))
    tails += [c0 + enc.rev_council, p0 + ap, g0 + np.arange(len(gkey)), s0 + np.arange(len(skey))]
    heads += [p0 + np.arange(n_p), g0 + ginv, s0 + sinv, np.full(len(skey), sink)]
    caps += [
        np.maximum(cap, 0),
        np.ones(len(idx), dtype=np.int64),
        np.where(enc.same_council_ok[g_r, g_c], big, 1),
        demand[skey // n_k, skey % n_k],
    ]
    costs += [np.zeros(n_p), -enc.weight[ar, ap], np.zeros(len(gkey)), np.zeros(len(skey))]
    mcf = min_cost_flow.SimpleMinCostFlow()
    n_load_arcs = sum(len(t) for t in tails[: len(edges) - 1])
    first = n_load_arcs + n_p
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    mcf.set_node_supply(src, int(demand.sum()))
    mcf.set_node_supply(sink, -int(demand.sum()))
    if mcf.solve_max_flow_with_min_cost() != mcf.OPTIMAL:  # pragma: no cover
        raise RuntimeError("min cost flow failed")
    flows = mcf.flows(np.arange(first, first + len(idx)))
    chosen[idx[flows > 0]] = True
    return chosen


def _repair(
    enc: Encoded, r: np.ndarray, p: np.ndarray, deadline: float, settle: int = 4
) -> np.ndarray:
    """A feasible allocation from the flow relaxation: while it breaks reciprocity or the
    cross-role council rule, keep the heavier side of each team-council and council pair in
    use, ban the other, and solve again; after ``settle`` rounds every council pair is
    oriented (used pairs by weight, the rest by the candidate weight offered), which ends the
    churn of new reciprocal pairs. Past ``deadline`` (a ``perf_counter`` time) the
    clashing arcs are dropped greedily instead. Returns the chosen mask."""
    n_c = len(enc.councils)
    c_p, c_r, k = enc.rev_council[p], enc.req_council[r], enc.rev_role[p]
    w = enc.weight[r, p].astype(float)
    fixed = enc.constraint[r, p] == 1
    allowed = np.ones(len(r), dtype=bool)
    dir_key = c_p * n_c + c_r
    fixed_dirs = np.unique(dir_key[fixed])
    rev_fixed = (fixed_dirs % n_c) * n_c + fixed_dirs // n_c
    allowed &= ~np.isin(dir_key, rev_fixed) | enc.reciprocal_ok[c_p, c_r]
    team_key = r * n_c + c_p
    offer = np.zeros((n_c, n_c))
    np.add.at(offer, (c_p, c_r), np.maximum(w, 0) + 1)
    for round_ in itertools.count():
        chosen = _relaxation(enc, r, p, allowed)
        if time.perf_counter() > deadline:
            keep = np.zeros(len(r), dtype=bool)
            keep[_greedy_arcs(enc, r, p, prefer=chosen)] = True
            return keep
        new_bans = np.zeros(len(r), dtype=bool)
        # Cross-role: keep the best role of a council in a team, ban its other roles there
        # (for every team and council in use, so that rerouting cannot create new clashes).
        sel = np.flatnonzero(chosen & ~enc.same_council_ok[r, c_p])
        sel = sel[np.lexsort((-(w[sel] + 1e12 * fixed[sel]), team_key[sel]))]
        keys, first, cnt = np.unique(team_key[sel], return_index=True, return_counts=True)
        if len(keys):
            keep_role = k[sel[first]]
            pos = np.minimum(np.searchsorted(keys, team_key), len(keys) - 1)
            new_bans |= (keys[pos] == team_key) & (k != keep_role[pos]) & ~fixed
        # Reciprocity: orient every council pair in use (both ways: the heavier direction
        # wins), so that rerouting cannot create new reciprocal pairs.
        used = np.zeros((n_c, n_c))
        np.add.at(used, (c_p[chosen], c_r[chosen]), w[chosen] + 1e12 * fixed[chosen] + 1)
        if round_ >= settle:  # after a few rounds, orient every pair to stop the churn
            used = used * 1e6 + offer
        lose = (used < used.T) | (
            (used == used.T) & (used > 0) & (np.arange(n_c)[:, None] > np.arange(n_c)[None, :])
        )
        lose &= ~enc.reciprocal_ok
        new_bans |= lose[c_p, c_r] & ~fixed
        if not (new_bans & allowed).any():
            return chosen
        allowed &= ~new_bans
    raise AssertionError("unreachable")  # pragma: no cover


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
        relaxed = _relaxation(enc, r, p, np.ones(len(r), dtype=bool))
        target = int(relaxed.sum())
        if pruned and target < total:
            if full_bound is None:
                full_bound = flow_bound(enc, *np.nonzero(eligible | (enc.constraint == 1)))
            if target < full_bound:
                widen(
                    _short_slots(enc, r[relaxed], p[relaxed]),
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
        model = _Milp(enc, r, p)
        best, status, gap = model.solve("value", target, 0.6 * left())
        fill_proven = best is not None
        if best is None and status == "infeasible":
            fill_mask, fstatus, _ = model.solve("fill", 0, 0.6 * left())
            if fill_mask is not None and fstatus == "optimal":
                if pruned and left() > 0:
                    widen(
                        _short_slots(enc, r[fill_mask], p[fill_mask]),
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
    chosen = _repair(enc, r, p, start + 0.9 * time_limit)
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


def _short_slots(enc: Encoded, r: np.ndarray, p: np.ndarray) -> np.ndarray:
    """bool[R, K]: slots that arcs ``(r, p)`` leave (or could leave) short."""
    n_k = len(enc.roles)
    got = np.bincount(r * n_k + enc.rev_role[p], minlength=enc.demand.size)
    return got.reshape(enc.demand.shape) < enc.demand


SolverFn = Callable[..., Solution]
SOLVERS: dict[str, SolverFn] = {"exact": solve_exact, "greedy": solve_greedy}
"""Registry of solvers: name -> ``fn(encoded, *, time_limit) -> Solution``."""
