"""The round as a network flow: the min-cost max-flow relaxation (every rule but
reciprocity and the cross-role one-per-council rule) and a max-flow bound on the fill.

Both share one network over arcs ``(r, p)``: reviewer -> (team, council, role) group
(capacity 1, or unbounded where the team may take several from that council) ->
(team, role) slot (demand) -> sink. :class:`FlowKeys` builds the group and slot keys once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from matcher.allocation.encode import Encoded


@dataclass(frozen=True, eq=False)
class FlowKeys:
    """The groups and slots of a flow network over arcs ``(r, p)``.

    ``gkey`` numbers each (team, council, role) group, ``ginv`` maps each arc to its group;
    ``g_r``/``g_c``/``g_k`` are a group's team, council and role; ``skey`` numbers each
    (team, role) slot and ``sinv`` maps each group to its slot.
    """

    gkey: np.ndarray
    ginv: np.ndarray
    g_r: np.ndarray
    g_c: np.ndarray
    g_k: np.ndarray
    skey: np.ndarray
    sinv: np.ndarray

    @classmethod
    def build(cls, enc: Encoded, r: np.ndarray, p: np.ndarray) -> FlowKeys:
        n_k, n_c = len(enc.roles), len(enc.councils)
        gkey, ginv = np.unique(
            (r * n_c + enc.rev_council[p]) * n_k + enc.rev_role[p], return_inverse=True
        )
        g_r, g_c, g_k = gkey // (n_c * n_k), (gkey // n_k) % n_c, gkey % n_k
        skey, sinv = np.unique(g_r * n_k + g_k, return_inverse=True)
        return cls(gkey, ginv.reshape(-1), g_r, g_c, g_k, skey, sinv.reshape(-1))


@dataclass(frozen=True, eq=False)
class FillFlow:
    """A max flow on the fill network over arcs ``(r, p)`` and its minimum cut: which
    reviewers, groups and slots the source still reaches in the residual network."""

    value: int
    keys: FlowKeys
    reviewer_reached: np.ndarray
    group_reached: np.ndarray
    group_flow: np.ndarray
    slot_reached: np.ndarray


def max_fill(enc: Encoded, r: np.ndarray, p: np.ndarray) -> FillFlow:
    """Max flow over arcs ``(r, p)`` respecting demand, capacity and one reviewer per
    council per role per team (reciprocity and the cross-role council rule are relaxed):
    an upper bound on the fill over those arcs."""
    n_r, n_p = enc.shape
    n_k = len(enc.roles)
    fk = FlowKeys.build(enc, r, p)
    gkey, ginv, g_r, g_c, skey, sinv = fk.gkey, fk.ginv, fk.g_r, fk.g_c, fk.skey, fk.sinv
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
    smf.add_arc_with_capacity(src, sink, 0)  # so that an empty network still solves
    if smf.solve(src, sink) != smf.OPTIMAL:  # pragma: no cover - ortools contract
        raise RuntimeError("max flow failed")
    reached = np.zeros(sink + 1, dtype=bool)
    reached[np.asarray(smf.get_source_side_min_cut(), dtype=np.int64)] = True
    first_group_arc = n_p + len(r)
    group_flow = np.asarray(smf.flows(np.arange(first_group_arc, first_group_arc + len(gkey))))
    return FillFlow(int(smf.optimal_flow()), fk, reached[rev0:grp0], reached[grp0:slot0],
                    group_flow, reached[slot0:sink])


def flow_bound(enc: Encoded, r: np.ndarray, p: np.ndarray) -> int:
    """Upper bound on the fill over arcs ``(r, p)``: see :func:`max_fill`."""
    return max_fill(enc, np.asarray(r, dtype=np.int64), np.asarray(p, dtype=np.int64)).value


def relaxation(enc: Encoded, r: np.ndarray, p: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Min-cost max-flow over the allowed arcs: the round without reciprocity and the
    cross-role council rule. Forced and locked arcs are taken first. Returns the chosen mask.

    Nodes: source -> council (parallel arcs with rising cost: the convex load cost) ->
    reviewer (capacity) -> (team, council, role) (capacity 1) -> (team, role) (demand) -> sink.
    """
    n_r, n_p = enc.shape
    n_k, n_c = len(enc.roles), len(enc.councils)
    fixed = enc.is_fixed(r, p)
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
    fk = FlowKeys.build(enc, ar, ap)
    gkey, ginv, g_r, g_c, skey, sinv = fk.gkey, fk.ginv, fk.g_r, fk.g_c, fk.skey, fk.sinv
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
    costs += [np.zeros(n_p), -enc.arc_weight(ar, ap), np.zeros(len(gkey)), np.zeros(len(skey))]
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


