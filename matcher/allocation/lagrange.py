"""A proven bound that keeps reciprocity: Lagrangian relaxation by council pair.

The flow relaxation (:mod:`matcher.allocation.bound`, :mod:`matcher.allocation.allpairs`)
drops reciprocity, and at the national round that is where the answer's gap lies: orienting
the council pairs costs 1.2% of the relaxation's value, and dense regional rounds solved to
optimality sit 6-8% below it. The integer program's own linear relaxation (council-pair
variables ``y[A, B] + y[B, A] <= 1``, per team and council ``sum x <= y``) is far tighter
(0.8% above the optimum of a dense regional round where the flow bound is 7.8% above), but
solving it by simplex over national candidates does not end in minutes.

Here the slot, reviewer, council-load and fill constraints are moved into the objective with
multipliers ``y[s] >= 0`` (slot demand), ``z[p] >= 0`` (reviewer capacity), ``lam[c]``
(a council's load, whose cost is convex) and ``mu >= 0`` (the fill ``F``). What is left
splits by council pair: each pair is served in one direction (both where the round lifts
reciprocity for it; the one a forced or locked pair fixes), each team takes at most one
reviewer per council (several where the team allows it), each pair of the round earns its
reduced value ``w - y[s] - z[p] - lam[c] + mu``. So for any multipliers

    L = sum(demand * y) + sum(capacity * z) + sum_c h_c(lam[c]) - mu * F
        + sum over council pairs of the better direction's sum over teams of its best pair

is at least the value of every allocation that keeps the rules and fills ``F`` slots, where
``h_c(l)`` is the most ``l * load - cost_c(load)`` can be over the council's possible loads:
each dropped constraint is an inequality the multipliers' signs keep. ``L`` is computed over
*every* eligible pair (:func:`team_council_prices`, one pass block by block from the role
index), so the bound needs no argument about pruning; and in float64 with a margin, so
rounding cannot make it too low.

Finding good multipliers is only steering (any multipliers give a valid bound): they start
from the flow relaxation's optimal potentials (so the first bound is about the flow bound),
then L-BFGS-B minimises a smooth upper approximation of ``L`` over the candidates (every max
replaced by a log-sum-exp at falling temperatures), a count of iterations, never the clock.
Pairs beyond the candidates that price above their team's candidates from the same council
are added and the multipliers steered again (column generation, a count of rounds); the
least bound over every pair is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from matcher.allocation.bound import potentials
from matcher.allocation.candidates import CandidateStats, candidate_arcs, role_blocks, unique_arcs
from matcher.allocation.encode import Encoded
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import RelaxNet, relax_with_flow

TEMPERATURES = (0.01, 0.002, 0.0004)
"""Smoothing temperatures of the first steering, in points (a pair's weight is about 1)."""
ITERATIONS = 150
"""L-BFGS-B iterations per temperature."""
ROUNDS = 4
"""Column generation rounds at most (each: price every pair, add, steer again)."""
MARGIN = 1e-7
"""Relative margin added to the float64 sum, far above its rounding error."""


@dataclass(frozen=True)
class Arcs:
    """Pairs ``(r, p)`` sorted by their (team, reviewer's council) group, with what the
    evaluation reads of them."""

    r: np.ndarray
    p: np.ndarray
    w: np.ndarray
    slot: np.ndarray
    council: np.ndarray
    fixed: np.ndarray
    group_start: np.ndarray
    group_of: np.ndarray
    group_team: np.ndarray
    group_council: np.ndarray
    group_several: np.ndarray
    group_fixed: np.ndarray


def _per_group(ufunc, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``ufunc.reduceat`` over the groups starting at ``starts`` (none when there are no
    pairs, where ``reduceat`` refuses)."""
    return ufunc.reduceat(values, starts) if len(values) else values[:0]


def arcs_of(enc: Encoded, r: np.ndarray, p: np.ndarray) -> Arcs:
    n_k, n_c = len(enc.roles), len(enc.councils)
    cp = enc.rev_council[p]
    order = np.argsort(r * n_c + cp, kind="stable")
    r, p, cp = r[order], p[order], cp[order]
    key = r * n_c + cp
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
    g_r, g_c = r[starts], cp[starts]
    fixed = enc.is_fixed(r, p)
    return Arcs(
        r=r, p=p, w=enc.arc_weight(r, p) / 1e6, slot=r * n_k + enc.rev_role[p], council=cp,
        fixed=fixed, group_start=starts,
        group_of=np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(r)])),
        group_team=g_r, group_council=g_c, group_several=enc.same_council_ok[g_r, g_c],
        group_fixed=_per_group(np.logical_or, fixed, starts),
    )


def load_terms(enc: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """``(loads, costs)`` (float[C, B], points): the loads where ``h_c`` can peak (none,
    each break below the council's capacity, the capacity) and the load cost at each."""
    cap_c = np.bincount(enc.rev_council, weights=enc.capacity, minlength=len(enc.councils))
    pts = np.concatenate([np.zeros((len(cap_c), 1)),
                          np.minimum(enc.load_breaks[None, :].astype(float), cap_c[:, None]),
                          cap_c[:, None]], axis=1)
    cost = np.zeros_like(pts)
    for b, c in zip(enc.load_breaks.tolist(), enc.load_costs.tolist(), strict=True):
        cost += c / 1e6 * np.maximum(pts - b, 0)
    return pts, cost


@dataclass(frozen=True)
class Multipliers:
    """In points: ``y`` (float[R * K]), ``z`` (float[P]), ``lam`` (float[C]), ``mu``."""

    y: np.ndarray
    z: np.ndarray
    lam: np.ndarray
    mu: float

    def pack(self) -> np.ndarray:
        return np.concatenate([self.y, self.z, self.lam, [self.mu]])

    @classmethod
    def unpack(cls, enc: Encoded, x: np.ndarray) -> Multipliers:
        n_s, n_p, n_c = enc.demand.size, len(enc.capacity), len(enc.councils)
        return cls(np.maximum(x[:n_s], 0), np.maximum(x[n_s:n_s + n_p], 0),
                   x[n_s + n_p:n_s + n_p + n_c], max(float(x[-1]), 0.0))


def reduced(arcs: Arcs, m: Multipliers) -> np.ndarray:
    return arcs.w - m.y[arcs.slot] - m.z[arcs.p] - m.lam[arcs.council] + m.mu


def _fixed_groups(arcs: Arcs, rp: np.ndarray) -> np.ndarray:
    """Per group with a forced or locked pair: its pairs' value (taken whatever it is) plus
    the other pairs that gain, where the team may take several from that council."""
    fixed_sum = _per_group(np.add, np.where(arcs.fixed, rp, 0.0), arcs.group_start)
    others = _per_group(np.add, np.where(arcs.fixed, 0.0, np.maximum(rp, 0)), arcs.group_start)
    return fixed_sum + np.where(arcs.group_several, others, 0.0)


def _pairs(enc: Encoded, arcs: Arcs) -> tuple[np.ndarray, np.ndarray]:
    """``(forced, both)`` (bool[C, C]): directions a forced or locked pair opens; pairs
    served both ways (reciprocity lifted, or forced both ways: then no allocation exists
    and any sum bounds it)."""
    n_c = len(enc.councils)
    forced = np.zeros((n_c, n_c), dtype=bool)
    g = arcs.group_fixed
    forced[arcs.group_council[g], enc.req_council[arcs.group_team[g]]] = True
    return forced, enc.reciprocal_ok | (forced & forced.T)


def _direction_sums(enc: Encoded, arcs: Arcs, gval: np.ndarray) -> np.ndarray:
    n_c = len(enc.councils)
    key = arcs.group_council * n_c + enc.req_council[arcs.group_team]
    return np.bincount(key, weights=gval, minlength=n_c * n_c).reshape(n_c, n_c)


def bound_at(enc: Encoded, arcs: Arcs, fill: int, m: Multipliers,
             every: EveryPair | None = None) -> float:
    """``L`` at ``m`` (points): over the pairs ``arcs``, or over every eligible pair given
    ``every`` (:func:`team_council_prices` at ``m``; the forced and locked pairs' groups are
    read from ``arcs``, which must hold them)."""
    n_c = len(enc.councils)
    rp = reduced(arcs, m)
    gbest = np.maximum(_per_group(np.maximum, rp, arcs.group_start), 0)
    gpos = _per_group(np.add, np.maximum(rp, 0), arcs.group_start)
    gval = np.where(arcs.group_several, gpos, gbest)
    gval = np.where(arcs.group_fixed, _fixed_groups(arcs, rp), gval)
    if every is None:
        s = _direction_sums(enc, arcs, gval)
    else:
        dense = np.where(enc.same_council_ok, every.positive, np.maximum(every.best, 0))
        g = arcs.group_fixed
        dense[arcs.group_team[g], arcs.group_council[g]] = gval[g]
        key = np.arange(n_c)[None, :] * n_c + enc.req_council[:, None]
        s = np.bincount(key.reshape(-1), weights=dense.reshape(-1),
                        minlength=n_c * n_c).reshape(n_c, n_c)
    forced, both = _pairs(enc, arcs)
    first = np.arange(n_c)[:, None] < np.arange(n_c)[None, :]
    take = both | forced | (~forced.T & ((s > s.T) | ((s == s.T) & first)))
    np.fill_diagonal(take, False)
    pts, cost = load_terms(enc)
    h = (m.lam[:, None] * pts - cost).max(axis=1)
    demand = enc.demand.reshape(-1)
    value = (float(demand @ m.y) + float(enc.capacity @ m.z) + float(h.sum())
             - m.mu * fill + float(s[take].sum()))
    return value + MARGIN * (abs(value) + 1.0)


def smooth(x: np.ndarray, enc: Encoded, arcs: Arcs, fill: int, tau: float
           ) -> tuple[float, np.ndarray]:
    """A smooth upper approximation of ``L`` over ``arcs`` (each max a log-sum-exp at
    temperature ``tau``) and its gradient, at the packed multipliers ``x``: for steering
    only."""
    n_c, n_s, n_p = len(enc.councils), enc.demand.size, len(enc.capacity)
    m = Multipliers(x[:n_s], x[n_s:n_s + n_p], x[n_s + n_p:n_s + n_p + n_c], float(x[-1]))
    rp = reduced(arcs, m)
    g = arcs.group_of
    # A group's smooth max(0, best pair) and each pair's weight in it.
    top = np.maximum(_per_group(np.maximum, rp, arcs.group_start), 0)
    e = np.exp((rp - top[g]) / tau)
    total = _per_group(np.add, e, arcs.group_start) + np.exp(-top / tau)
    gval = top + tau * np.log(total)
    d_rp = e / total[g]
    several = arcs.group_several
    soft = _per_group(np.add, tau * np.logaddexp(0, rp / tau), arcs.group_start)
    gval = np.where(several, soft, gval)
    d_rp = np.where(several[g], 0.5 * (1 + np.tanh(rp / (2 * tau))), d_rp)
    gval = np.where(arcs.group_fixed, _fixed_groups(arcs, rp), gval)
    d_rp = np.where(arcs.group_fixed[g],
                    np.where(arcs.fixed | ~several[g], arcs.fixed, rp > 0), d_rp)
    s = _direction_sums(enc, arcs, gval)
    forced, both = _pairs(enc, arcs)
    hi = np.maximum(s, s.T)
    ea, eb = np.exp((s - hi) / tau), np.exp((s.T - hi) / tau)
    v = hi + tau * np.log(ea + eb)
    share = np.where(both | forced, 1.0, np.where(forced.T, 0.0, ea / (ea + eb)))
    v = np.where(both, s + s.T, np.where(forced, s, np.where(forced.T, s.T, v)))
    upper = np.triu(np.ones((n_c, n_c), dtype=bool), 1)
    pts, cost = load_terms(enc)
    lv = m.lam[:, None] * pts - cost
    lmax = lv.max(axis=1)
    el = np.exp((lv - lmax[:, None]) / tau)
    h = lmax + tau * np.log(el.sum(axis=1))
    dh = (el * pts).sum(axis=1) / el.sum(axis=1)
    demand = enc.demand.reshape(-1).astype(float)
    value = (demand @ m.y + enc.capacity @ m.z + h.sum() - m.mu * fill + v[upper].sum())
    key = arcs.group_council * n_c + enc.req_council[arcs.group_team]
    d_rp = share.reshape(-1)[key][g] * d_rp
    grad = np.concatenate([
        demand - np.bincount(arcs.slot, weights=d_rp, minlength=n_s),
        enc.capacity - np.bincount(arcs.p, weights=d_rp, minlength=n_p),
        dh - np.bincount(arcs.council, weights=d_rp, minlength=n_c),
        [d_rp.sum() - fill],
    ])
    return float(value), grad


def steer(enc: Encoded, arcs: Arcs, fill: int, start: Multipliers,
          temperatures=TEMPERATURES, iterations: int = ITERATIONS) -> Multipliers:
    """Multipliers with a low ``L`` over ``arcs``: L-BFGS-B on :func:`smooth` at each
    temperature in turn, from ``start``; the best met (by :func:`bound_at`)."""
    n_s, n_p, n_c = enc.demand.size, len(enc.capacity), len(enc.councils)
    limits = [(0, None)] * (n_s + n_p) + [(None, None)] * n_c + [(0, None)]
    best_m, best = start, bound_at(enc, arcs, fill, start)
    x = start.pack()
    for tau in temperatures:
        x = minimize(smooth, x, args=(enc, arcs, fill, tau), jac=True, method="L-BFGS-B",
                     bounds=limits, options={"maxiter": iterations,
                                             "maxfun": 2 * iterations}).x
        m = Multipliers.unpack(enc, x)
        value = bound_at(enc, arcs, fill, m)
        if value < best:
            best_m, best = m, value
    return best_m


def clamp(enc: Encoded, arcs: Arcs, m: Multipliers) -> Multipliers:
    """``m`` with each reviewer's and then each slot's multiplier lowered to the most any
    of its pairs could earn (what a multiplier then loses on the capacity or demand side no
    pair gains back, so ``L`` never rises)."""
    base = arcs.w - m.lam[arcs.council] + m.mu
    gain = np.zeros(len(enc.capacity))
    np.maximum.at(gain, arcs.p, base - m.y[arcs.slot])
    z = np.minimum(m.z, gain)
    gain = np.zeros(enc.demand.size)
    np.maximum.at(gain, arcs.slot, base - z[arcs.p])
    return Multipliers(np.minimum(m.y, gain), z, m.lam, m.mu)


def from_potentials(enc: Encoded, net: RelaxNet, d: np.ndarray) -> Multipliers:
    """Multipliers matching potentials ``d`` of the flow relaxation ``net``: a slot's is
    what its arc to the sink earns, a reviewer's what its capacity arc earns, a council's
    what a unit of its load earns, the fill's what a unit of flow earns (so a pair's reduced
    value is the flow's along its path)."""
    y = np.zeros(enc.demand.size)
    if net.keys is not None:
        y[net.keys.skey] = d[net.sink] - d[net.s0:net.sink]
    n_c = len(enc.councils)
    z = d[net.p0:net.g0] - d[net.c0 + enc.rev_council]
    lam = (d[net.c0:net.c0 + n_c] - d[net.src]) / 1e6
    mu = float(d[net.sink] - d[net.src]) / 1e6
    return Multipliers(np.maximum(y, 0) / 1e6, np.maximum(z, 0) / 1e6, lam, max(mu, 0.0))


@dataclass(frozen=True)
class EveryPair:
    """Per (team, council) over every eligible pair at some multipliers: the best reduced
    value (``best``, -inf where there is none), the sum of the positive ones
    (``positive``) and the reviewer of the best (``reviewer``)."""

    best: np.ndarray
    positive: np.ndarray
    reviewer: np.ndarray


def team_council_prices(enc: Encoded, m: Multipliers) -> EveryPair:
    """One pass over every eligible pair, block by block from the role index (nothing per
    requests x reviewers is kept): each pair's reduced value at ``m``, reduced per (team,
    reviewer's council) across roles."""
    n_k, n_c = len(enc.roles), len(enc.councils)
    n_r = enc.shape[0]
    best = np.full((n_r, n_c), -np.inf)
    positive = np.zeros((n_r, n_c))
    reviewer = np.full((n_r, n_c), -1, dtype=np.int64)
    for ki, rows, cols in role_blocks(enc):
        weight, el = enc.block(rows, cols)  # cols sorted, as the block asks
        order = np.argsort(enc.rev_council[cols], kind="stable")
        cols, weight, el = cols[order], weight[:, order], el[:, order]
        cc = enc.rev_council[cols]
        starts = np.flatnonzero(np.r_[True, cc[1:] != cc[:-1]])
        rp = (weight / 1e6 - m.y[rows * n_k + ki][:, None] - (m.z[cols] + m.lam[cc])[None, :]
              + m.mu)
        rp = np.where(el, rp, -np.inf)
        seg = np.maximum.reduceat(rp, starts, axis=1)
        at = np.where(rp == np.repeat(seg, np.diff(np.r_[starts, len(cols)]), axis=1),
                      np.arange(len(cols))[None, :], len(cols) - 1)
        first = np.minimum.reduceat(at, starts, axis=1)
        cell = np.ix_(rows, cc[starts])
        better = seg > best[cell]
        reviewer[cell] = np.where(better, cols[first], reviewer[cell])
        best[cell] = np.where(better, seg, best[cell])
        positive[cell] += np.add.reduceat(np.maximum(rp, 0), starts, axis=1)
    return EveryPair(best, positive, reviewer)


@dataclass(frozen=True)
class ReciprocalBound:
    """``value`` (micro-points): no allocation over every eligible pair that keeps every
    rule and fills ``fill`` slots is worth more. ``rounds``: column generation rounds run;
    ``pairs``: candidate pairs at the end."""

    fill: int
    value: int
    rounds: int
    pairs: int


def certify_reciprocal(enc: Encoded, k: int = 16, rounds: int = ROUNDS,
                       iterations: int = ITERATIONS) -> ReciprocalBound:
    """The bound of the module docstring for a round on its own: candidates the top ``k``
    per slot (grown until their fill is the fill over every eligible pair), multipliers
    from the flow relaxation's potentials, steered, then up to ``rounds`` of pricing every
    pair, adding the pairs that beat their group's candidates and steering again."""
    r, p = candidate_arcs(enc, k, None, CandidateStats())
    fill, r, p, _ = proven_fill_bound(enc, r, p)
    if not len(r):
        return ReciprocalBound(fill, 0, 0, 0)
    arcs = arcs_of(enc, r, p)
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    m = clamp(enc, arcs, from_potentials(enc, net, potentials(net, flows)))
    temperatures = TEMPERATURES
    best = np.inf
    done = 0
    for done in range(1, rounds + 1):
        m = steer(enc, arcs, fill, m, temperatures, iterations)
        every = team_council_prices(enc, m)
        best = min(best, bound_at(enc, arcs, fill, m, every))
        rp = reduced(arcs, m)
        cand = np.full(every.best.shape, -np.inf)
        np.maximum.at(cand, (arcs.r, arcs.council), rp)
        add_r, add_c = np.nonzero(every.best > np.maximum(cand, 0) + 1e-9)
        if not len(add_r) or done == rounds:
            break
        r, p = unique_arcs(enc.shape[1], np.concatenate([arcs.r, add_r]),
                           np.concatenate([arcs.p, every.reviewer[add_r, add_c]]))
        arcs = arcs_of(enc, r, p)
        temperatures = TEMPERATURES[1:]
    return ReciprocalBound(fill, int(np.ceil(best * 1e6)), done, len(arcs.r))
