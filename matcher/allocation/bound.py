"""A proven upper bound on the second objective level over every eligible pair, without
listing them: LP duality on the flow relaxation.

The relaxation (:func:`~matcher.allocation.flow.relax_network`) is a min-cost flow; the
forced and locked arcs are taken out first. Over *every* eligible pair, any allocation that
keeps the rules is a flow of the same network with the pruned pairs added (it keeps
capacity, demand and one reviewer per council per role per team; reciprocity and the
cross-role rule are only dropped). So for a fill ``F`` (flow ``F - fixed``) the value of any
allocation of fill ``F`` is at most the relaxation's best value at flow ``F - fixed`` over all
pairs, and weak duality bounds that for any node potentials ``d``: with reduced costs
``rc = cost + d[tail] - d[head]``, every flow ``x`` of value ``f`` costs

    sum(cost * x) = sum(rc * x) - f * (d[src] - d[sink]) >= sum(cap * min(0, rc)) - f * (...)

so its value (minus its cost) is at most ``f * (d[src] - d[sink]) + sum(cap * max(0, -rc))``.

Which allocations it covers: the solver proves the fill ``F`` maximal over every eligible
pair (:mod:`matcher.allocation.fillproof`), so every allocation of maximal fill is one of
those flows and the bound caps the value of any of them (the lexicographic objective's
second level, given the first).

The potentials are optimal ones of the flow over the candidates (from its residual network,
:func:`potentials`), where the sum runs over the candidate arcs exactly. A pruned pair
``(team r, reviewer p)`` of slot ``s`` (team, role) and group ``g`` (team, ``p``'s council,
role; a group the network lacks takes its slot's potential) adds ``max(0, w - d[p] + d[g])``.
Lowering the potentials of the slot and its groups by ``delta[s]`` >= every such term of
the slot makes them all zero, leaves the group -> slot arcs as they were and never raises a
reviewer -> group term; it only raises the slot -> sink term, by at most
``demand[s] * delta[s]``. ``delta[s]`` is the largest of: the terms of the pairs a wider read
brought (priced one by one), and, for the pairs beyond it, ``tau[s] + max over councils
(d[g] - m)``, where ``tau[s]`` is the slot's best weight beyond the read (each read keeps
each slot's best) and ``m[role, council]`` the least potential of a reviewer who could serve
(so ``d[p] >= m``). The bound is the dual objective at the lowered potentials, plus the value
of the forced and locked arcs: proven over every eligible pair, computed over the reads and
per-(role, council) minima only. Pairs through a reviewer whose capacity the forced arcs
used up carry no flow and are skipped; pairs no valid allocation could use for another
reason (a council already on the team through a forced arc) are priced anyway, which can
only raise the bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.allocation.candidates import NO_PRUNED, CandidateStats, candidate_arcs
from matcher.allocation.encode import Encoded, secondary_value
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import RelaxNet, relax_with_flow

CERTIFY_K = (16, 32)
"""Candidates per slot of :func:`certify`: the relaxation's, and the wider read whose pairs
are priced one by one (beyond it, each slot's best weight bounds the rest)."""

FAR = np.iinfo(np.int64).max // 4
"""The least potential of a (role, council) without a reviewer who could serve."""


def residual_arcs(net: RelaxNet, flows: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(tails, heads, costs)`` of the residual network of ``flows``."""
    fwd = flows < net.caps
    back = flows > 0
    return (np.concatenate([net.tails[fwd], net.heads[back]]),
            np.concatenate([net.heads[fwd], net.tails[back]]),
            np.concatenate([net.costs[fwd], -net.costs[back]]))


def potentials(net: RelaxNet, flows: np.ndarray, max_sweeps: int = 100_000) -> np.ndarray:
    """Optimal node potentials of the min-cost flow ``flows``: every residual arc has
    reduced cost ``cost + d[tail] - d[head] >= 0`` (when ``flows`` is optimal). Of the many
    optimal potentials these give each slot the highest price (``d[sink] - d[slot]``) and
    each reviewer in use the lowest (``d[reviewer] - d[council]``), which is what the pruned
    pairs ask of them (see the module docstring).

    Two vectorised Bellman-Ford passes (each sweep relaxes every residual arc): shortest
    distances from a virtual root joined to every node at cost 0 (the highest potentials
    <= 0); then the source, councils, sink and reviewers without flow keep theirs and every
    other node takes the lowest potential that keeps the reduced costs >= 0 (the longest
    ``d[anchor] - cost`` over residual paths to an anchor)."""
    n = net.sink + 1
    t, h, c = residual_arcs(net, flows)
    d = np.zeros(n, dtype=np.int64)
    _sweep(d, t, h, c, np.ones(n, dtype=bool), max_sweeps)
    n_p = net.g0 - net.p0
    anchor = np.zeros(n, dtype=bool)
    anchor[:net.p0] = True
    anchor[net.p0:net.g0] = flows[net.first - n_p:net.first] == 0
    anchor[net.sink] = True
    low = np.where(anchor, d, -FAR)
    # The lowest potentials are the highest of the negated problem on the reversed arcs.
    neg = -low
    _sweep(neg, h, t, c, ~anchor, max_sweeps)
    return -neg


def _sweep(d: np.ndarray, t: np.ndarray, h: np.ndarray, c: np.ndarray, free: np.ndarray,
           max_sweeps: int) -> None:
    """Bellman-Ford in place: ``d[head] = min(d[head], d[tail] + cost)`` over the arcs, for
    heads marked ``free``, until nothing changes."""
    order = np.argsort(h, kind="stable")
    t, h, c = t[order], h[order], c[order]
    heads, start = np.unique(h, return_index=True)
    if not len(heads):
        return
    movable = free[heads]
    for _ in range(max_sweeps):
        best = np.minimum.reduceat(d[t] + c, start)
        better = movable & (best < d[heads])
        if not better.any():
            return
        d[heads[better]] = best[better]
    raise RuntimeError("the residual network has a negative cycle: the flow is not optimal")


def dual_objective(net: RelaxNet, d: np.ndarray, flow_value: int) -> int:
    """Upper bound on the value (minus the cost) of any flow of ``flow_value`` in ``net``,
    from potentials ``d`` (any ``d``: weak duality)."""
    rc = net.costs + d[net.tails] - d[net.heads]
    return int(flow_value * (d[net.src] - d[net.sink]) + (net.caps * np.maximum(0, -rc)).sum())


@dataclass(frozen=True)
class ValueBound:
    """``value``: no allocation over every eligible pair with fill ``fill`` that keeps the
    rules has a second objective level above it. ``relaxation``: the relaxation's value over
    the candidates at that fill; ``raised``: slots whose potential the pruned pairs moved."""

    fill: int
    value: int
    relaxation: int
    raised: int


def value_bound(enc: Encoded, r: np.ndarray, p: np.ndarray, net: RelaxNet, flows: np.ndarray,
                tau: np.ndarray, known: tuple[np.ndarray, np.ndarray] | None = None,
                d: np.ndarray | None = None) -> ValueBound:
    """The bound of the module docstring for the relaxation ``net`` over the candidates
    ``(r, p)`` solved by ``flows``; ``tau`` (int[R * K]): each slot's best weight among its
    eligible pairs outside the candidates and ``known`` (``NO_PRUNED`` when there is none).
    ``known``: eligible pairs outside the candidates read anyway (a wider read); their own
    terms ``w - d[p] + d[g]`` are used instead of ``tau``. ``d``: the flow's optimal
    potentials (:func:`potentials`) when already computed."""
    n_k, n_c = len(enc.roles), len(enc.councils)
    d = potentials(net, flows) if d is None else d
    d_slot = slot_potentials(enc, net, d)
    fk = net.keys
    # Least reviewer potential per (role, council), over reviewers who could still serve.
    serve = net.cap > 0
    m = np.full((n_k, n_c), FAR)
    np.minimum.at(m, (enc.rev_role[serve], enc.rev_council[serve]), d[net.p0:net.g0][serve])
    # Groups absent from the network take their slot's potential; the worst council for
    # such a group is the one with the least reviewer potential, the team's own excepted.
    least = _least_but_own(m, enc.req_council)  # [R, K]
    reach = d_slot - least.reshape(-1)
    if fk is not None:
        g_slot = fk.g_r * n_k + fk.g_k
        np.maximum.at(reach, g_slot, d[net.g0:net.s0] - m[fk.g_k, fk.g_c])
    live = (net.demand.reshape(-1) > 0) & (tau > NO_PRUNED) & (least.reshape(-1) < FAR)
    delta = np.where(live, np.maximum(0, tau + reach), 0)
    if known is not None:
        np.maximum.at(delta, *_known_terms(enc, r, p, net, d, d_slot, *known))
    return lowered_bound(enc, r, p, net, flows, d, delta)


def slot_potentials(enc: Encoded, net: RelaxNet, d: np.ndarray) -> np.ndarray:
    """int[R * K]: every slot's potential (the sink's if the network lacks it)."""
    d_slot = np.full(enc.demand.size, d[net.sink])
    if net.keys is not None:
        d_slot[net.keys.skey] = d[net.s0:net.sink]
    return d_slot


def lowered_bound(enc: Encoded, r: np.ndarray, p: np.ndarray, net: RelaxNet,
                  flows: np.ndarray, d: np.ndarray, delta: np.ndarray) -> ValueBound:
    """The bound at the potentials ``d`` (optimal for ``flows``) with each slot and its
    groups lowered by ``delta[slot]`` (int[R * K], >= every term ``w - d[p] + d[g]`` of
    the slot's pairs outside the network): see the module docstring."""
    n_k = len(enc.roles)
    fixed_r, fixed_p = r[net.fixed], p[net.fixed]
    base = secondary_value(enc, fixed_r, fixed_p)
    used = flows[net.first:net.first + len(net.idx)]
    flow_value = int(used.sum())
    chosen = net.idx[used > 0]
    relaxed_value = secondary_value(enc, np.concatenate([fixed_r, r[chosen]]),
                                    np.concatenate([fixed_p, p[chosen]]))
    d = d.copy()
    fk = net.keys
    if fk is not None:
        d[net.s0:net.sink] -= delta[fk.skey]
        d[net.g0:net.s0] -= delta[fk.g_r * n_k + fk.g_k]
    value = dual_objective(net, d, flow_value)
    # Slots the network lacks: their slot -> sink arc, at the sink's potential less delta.
    missing = np.ones(enc.demand.size, dtype=bool)
    if fk is not None:
        missing[fk.skey] = False
    value += int((net.demand.reshape(-1) * delta)[missing].sum())
    # The forced and locked arcs: their weight less the load cost they start from.
    return ValueBound(flow_value + len(fixed_r), base + value, relaxed_value,
                      int((delta > 0).sum()))


def _known_terms(enc: Encoded, r, p, net: RelaxNet, d, d_slot, kr, kp
                 ) -> tuple[np.ndarray, np.ndarray]:
    """``(slot, w - d[p] + d[g])`` of the pairs ``(kr, kp)`` outside the candidates."""
    n_k, n_c = len(enc.roles), len(enc.councils)
    out = ~np.isin(enc.keys(kr, kp), enc.keys(r, p)) & (net.cap[kp] > 0)
    kr, kp = kr[out], kp[out]
    slot = kr * n_k + enc.rev_role[kp]
    d_g = d_slot[slot]
    fk = net.keys
    if fk is not None:
        key = (kr * n_c + enc.rev_council[kp]) * n_k + enc.rev_role[kp]
        pos = np.minimum(np.searchsorted(fk.gkey, key), len(fk.gkey) - 1)
        hit = fk.gkey[pos] == key
        d_g = np.where(hit, d[net.g0 + pos], d_g)
    live = net.demand.reshape(-1)[slot] > 0
    term = enc.arc_weight(kr, kp) - d[net.p0 + kp] + d_g
    return slot[live], term[live]


def _least_but_own(m: np.ndarray, own: np.ndarray) -> np.ndarray:
    """int[R, K]: for each team (council ``own``) and role, the least ``m[role, council]``
    over the other councils."""
    order = np.argsort(m, axis=1, kind="stable")[:, :2]  # [K, 2]
    first = np.take_along_axis(m, order, 1)
    if m.shape[1] < 2:
        first = np.concatenate([first, np.full((len(m), 1), FAR)], axis=1)
        order = np.concatenate([order, np.full((len(m), 1), -1)], axis=1)
    is_own = order[None, :, 0] == own[:, None]
    return np.where(is_own, first[None, :, 1], first[None, :, 0])


def certify(enc: Encoded, k: int = CERTIFY_K[0], wide: int = CERTIFY_K[1]) -> ValueBound:
    """The bound for a round on its own (for checking any solver's answer): one read of the
    top ``wide`` candidates per slot, the relaxation over the top ``k`` (grown until its fill
    is the fill over every eligible pair, :mod:`matcher.allocation.fillproof`), priced
    against the rest of the read one by one and against the pairs beyond by ``tau``."""
    stats = CandidateStats()
    wr, wp = candidate_arcs(enc, wide, None, stats)
    narrow = stats.rank < k * enc.demand[wr, enc.rev_role[wp]]
    _, r, p, _ = proven_fill_bound(enc, wr[narrow], wp[narrow])
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    return value_bound(enc, r, p, net, flows, stats.pruned_best, (wr, wp))
