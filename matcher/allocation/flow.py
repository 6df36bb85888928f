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


@dataclass(frozen=True, eq=False)
class RelaxNet:
    """The min-cost flow network of :func:`relaxation` over arcs ``(r, p)``, forced and
    locked arcs taken out first (their capacity, demand and load are subtracted).

    Arc ``e`` runs ``tails[e] -> heads[e]`` with capacity ``caps[e]`` and unit cost
    ``costs[e]`` (micro-points, minus the arc weight on reviewer -> group arcs). Nodes:
    ``src``; council ``c0 + c``; reviewer ``p0 + p``; group ``g0 + i`` (``keys``); slot
    ``s0 + i`` (``keys.skey``); ``sink``. ``idx``: the arcs ``(r, p)`` in the network, in the
    order of the arcs ``first, first + 1, ...``. ``cap``, ``demand``, ``load0``: what the
    forced and locked arcs leave.
    """

    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    costs: np.ndarray
    keys: FlowKeys | None
    idx: np.ndarray
    fixed: np.ndarray
    first: int
    c0: int
    p0: int
    g0: int
    s0: int
    sink: int
    cap: np.ndarray
    demand: np.ndarray
    load0: np.ndarray
    src: int = 0


def relax_network(enc: Encoded, r: np.ndarray, p: np.ndarray, allowed: np.ndarray) -> RelaxNet:
    """The network of :func:`relaxation` (see there)."""
    n_r, n_p = enc.shape
    n_k, n_c = len(enc.roles), len(enc.councils)
    fixed = enc.is_fixed(r, p)
    cap = enc.capacity - np.bincount(p[fixed], minlength=n_p)
    demand = enc.demand.copy()
    np.subtract.at(demand, (r[fixed], enc.rev_role[p[fixed]]), 1)
    demand = np.maximum(demand, 0)
    c_p, k = enc.rev_council[p], enc.rev_role[p]
    load0 = np.bincount(c_p[fixed], minlength=n_c)
    use = allowed & ~fixed & (cap[p] > 0) & (demand[r, k] > 0)
    taken = np.zeros((n_r, n_c), dtype=bool)
    taken[r[fixed], c_p[fixed]] = True
    use &= ~(taken[r, c_p] & ~enc.same_council_ok[r, c_p])
    idx = np.flatnonzero(use)
    ar, ap = r[idx], p[idx]
    fk = FlowKeys.build(enc, ar, ap) if len(idx) else None
    n_g = len(fk.gkey) if fk else 0
    n_s = len(fk.skey) if fk else 0
    src, c0 = 0, 1
    p0 = c0 + n_c
    g0 = p0 + n_p
    s0 = g0 + n_g
    sink = s0 + n_s
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
    first = sum(len(t) for t in tails) + n_p
    tails += [c0 + enc.rev_council, p0 + ap]
    heads += [p0 + np.arange(n_p), g0 + (fk.ginv if fk else np.zeros(0, np.int64))]
    caps += [np.maximum(cap, 0), np.ones(len(idx), dtype=np.int64)]
    costs += [np.zeros(n_p), -enc.arc_weight(ar, ap)]
    if fk:
        tails += [g0 + np.arange(n_g), s0 + np.arange(n_s)]
        heads += [s0 + fk.sinv, np.full(n_s, sink)]
        caps += [np.where(enc.same_council_ok[fk.g_r, fk.g_c], big, 1),
                 demand[fk.skey // n_k, fk.skey % n_k]]
        costs += [np.zeros(n_g), np.zeros(n_s)]
    return RelaxNet(
        *(np.concatenate(a).astype(np.int64) for a in (tails, heads, caps, costs)),
        keys=fk, idx=idx, fixed=fixed, first=first, c0=c0, p0=p0, g0=g0, s0=s0, sink=sink,
        cap=cap, demand=demand, load0=load0,
    )


def solve_network(net: RelaxNet) -> np.ndarray:
    """Max flow at min cost from ``src`` to ``sink``: the flow on every arc.

    Most groups hold a single pair (98% at 10,000 x 30,000); such a pair's arc runs straight
    to its slot in the network handed to the solver (the same flows and costs: capacity 1
    either way), which makes the solve about four times faster. The flows are returned for
    the whole network, so its potentials and bounds read them as before."""
    if not len(net.idx):
        return np.zeros(len(net.tails), dtype=np.int64)
    fk = net.keys
    n_i, n_g = len(net.idx), len(fk.gkey)
    pairs = slice(net.first, net.first + n_i)
    to_slot = net.first + n_i  # the group -> slot arcs follow the pairs' arcs
    alone = np.bincount(fk.ginv, minlength=n_g) == 1
    heads = net.heads.copy()
    heads[pairs] = np.where(alone[fk.ginv], net.s0 + fk.sinv[fk.ginv], heads[pairs])
    kept = np.ones(len(net.tails), dtype=bool)
    kept[to_slot:to_slot + n_g] = ~alone
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        net.tails[kept].astype(np.int32), heads[kept].astype(np.int32), net.caps[kept],
        net.costs[kept])
    total = int(net.demand.sum())
    mcf.set_node_supply(net.src, total)
    mcf.set_node_supply(net.sink, -total)
    if mcf.solve_max_flow_with_min_cost() != mcf.OPTIMAL:  # pragma: no cover
        raise RuntimeError("min cost flow failed")
    flows = np.zeros(len(net.tails), dtype=np.int64)
    flows[kept] = mcf.flows(np.arange(int(kept.sum())))
    # A lone pair's group passes on exactly its pair's flow.
    group_flow = np.bincount(fk.ginv, weights=flows[pairs], minlength=n_g).astype(np.int64)
    flows[to_slot:to_slot + n_g] = np.where(alone, group_flow, flows[to_slot:to_slot + n_g])
    return flows


def relaxation(enc: Encoded, r: np.ndarray, p: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Min-cost max-flow over the allowed arcs: the round without reciprocity and the
    cross-role council rule. Forced and locked arcs are taken first. Returns the chosen mask.

    Nodes: source -> council (parallel arcs with rising cost: the convex load cost) ->
    reviewer (capacity) -> (team, council, role) (capacity 1) -> (team, role) (demand) -> sink.
    """
    return relax_with_flow(enc, r, p, allowed)[0]


def relax_with_flow(enc: Encoded, r: np.ndarray, p: np.ndarray, allowed: np.ndarray
                    ) -> tuple[np.ndarray, RelaxNet, np.ndarray]:
    """:func:`relaxation`, with its network and the flow on every arc."""
    net = relax_network(enc, r, p, allowed)
    flows = solve_network(net)
    chosen = net.fixed.copy()
    chosen[net.idx[flows[net.first:net.first + len(net.idx)] > 0]] = True
    return chosen, net, flows
