"""The value bound tightened by pricing every eligible pair, and column generation on the
bound's own relaxation.

:func:`matcher.allocation.bound.value_bound` prices the pairs beyond its reads coarsely
(each slot's best weight beyond the read against the least potential of a (role, council)),
which at the national round left the bound 0.4-1.3% above the relaxation it comes from. Here
one pass over every eligible pair, block by block from the role index as the candidates are
read (:func:`matcher.allocation.candidates.role_blocks`: nothing per requests x reviewers
is kept), computes each pruned pair's own term ``w - d[p] + d[g]`` at the relaxation's
optimal potentials ``d``. A slot's ``delta`` is then the largest term of its pruned pairs,
exactly, and the bound is the dual objective at the potentials lowered by it (the argument
of :mod:`matcher.allocation.bound`, with every pruned pair priced one by one): a valid dual,
so proven over every eligible pair.

The pairs with a positive term are the columns the relaxation lacks; :func:`certify_all`
adds the best few of each slot, solves the relaxation again and prices again, keeping the
least bound. When no pair prices positive the bound is the relaxation over every pair (its
primal value). The number of rounds is a count, never the clock.
"""

from __future__ import annotations

import numpy as np

from matcher.allocation.bound import ValueBound, lowered_bound, potentials, slot_potentials
from matcher.allocation.candidates import CandidateStats, candidate_arcs, role_blocks, unique_arcs
from matcher.allocation.encode import Encoded
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import RelaxNet, relax_with_flow

COLGEN_ROUNDS = 4
"""Relaxations solved at most by :func:`certify_all` (each adds the columns that price)."""
ADD_PER_SLOT = 4
"""Columns added per slot of demand and round: the slot's best-priced pairs."""
NONE = np.iinfo(np.int64).min // 4


def price_every_pair(enc: Encoded, r: np.ndarray, p: np.ndarray, net: RelaxNet,
                     flows: np.ndarray, d: np.ndarray, add: int = 0
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(delta, add_r, add_p)``: ``delta`` (int[R * K]) the largest term
    ``w - d[p] + d[g]`` (at least 0) over each live slot's eligible pairs outside the
    network's arcs in use, and up to ``add`` per slot of demand of its pairs with a positive
    term (best first). Arcs of the network that carry no flow have reduced cost >= 0 at
    optimal ``d`` (term <= 0), so they need no masking; arcs in use and forced or locked
    arcs are masked, and reviewers without capacity left carry no flow."""
    n_k, n_c = len(enc.roles), len(enc.councils)
    d_slot = slot_potentials(enc, net, d)
    d_p = d[net.p0:net.g0]
    fk = net.keys
    in_use = net.idx[flows[net.first:net.first + len(net.idx)] > 0]
    # Arcs to mask, sorted by (role, team): the arcs in use and the fixed ones.
    mask_r = np.concatenate([enc.fixed_r, r[in_use]])
    mask_p = np.concatenate([enc.fixed_p, p[in_use]])
    mask_k = enc.rev_role[mask_p]
    order = np.lexsort((mask_p, mask_r, mask_k))
    mask_r, mask_p, mask_k = mask_r[order], mask_p[order], mask_k[order]
    if fk is not None:
        g_order = np.lexsort((fk.g_r, fk.g_k))
        g_k, g_r, g_c = fk.g_k[g_order], fk.g_r[g_order], fk.g_c[g_order]
        g_d = d[net.g0 + g_order]
    else:
        g_k = g_r = g_c = g_d = np.zeros(0, np.int64)
    live = net.demand.reshape(-1) > 0
    delta = np.zeros(enc.demand.size, dtype=np.int64)
    outs_r, outs_p = [], []
    for ki, rows, cols in role_blocks(enc):
        slots = rows * n_k + ki
        if not live[slots].any():
            continue
        weight, el = enc.block(rows, cols)
        el &= (net.cap[cols] > 0)[None, :]
        el &= live[slots][:, None]
        # Group potentials: the slot's unless the network has the group.
        groups = np.repeat(d_slot[slots][:, None], n_c, axis=1)
        lo, hi = _span(g_k, g_r, ki, rows[0], rows[-1])
        if hi > lo:
            a = np.searchsorted(rows, g_r[lo:hi])
            groups[a, g_c[lo:hi]] = g_d[lo:hi]
        term = weight - d_p[cols][None, :] + groups[:, enc.rev_council[cols]]
        lo, hi = _span(mask_k, mask_r, ki, rows[0], rows[-1])
        if hi > lo:  # only pairs of this block (a forced pair may lie outside it)
            a = np.minimum(np.searchsorted(rows, mask_r[lo:hi]), len(rows) - 1)
            b = np.minimum(np.searchsorted(cols, mask_p[lo:hi]), len(cols) - 1)
            here = (rows[a] == mask_r[lo:hi]) & (cols[b] == mask_p[lo:hi])
            el[a[here], b[here]] = False
        term = np.where(el, term, NONE)
        best = term.max(axis=1)
        delta[slots] = np.maximum(delta[slots], np.maximum(best, 0))
        if add and (best > 0).any():
            width = min(add * int(enc.demand[rows, ki].max()), len(cols))
            top = np.argpartition(-term, width - 1, axis=1)[:, :width]
            top = np.take_along_axis(
                top, np.argsort(-np.take_along_axis(term, top, 1), axis=1, kind="stable"), 1)
            a = np.repeat(np.arange(len(rows)), width)
            b = top.reshape(-1)
            limit = add * enc.demand[rows, ki]
            rank = np.tile(np.arange(width), len(rows))
            hit = (term[a, b] > 0) & (rank < limit[a])
            outs_r.append(rows[a[hit]])
            outs_p.append(cols[b[hit]])
    empty = np.zeros(0, dtype=np.int64)
    if not outs_r:
        return delta, empty, empty
    return delta, np.concatenate(outs_r), np.concatenate(outs_p)


def _span(k: np.ndarray, r: np.ndarray, ki: int, r_lo: int, r_hi: int) -> tuple[int, int]:
    """The slice of entries sorted by ``(k, r)`` with ``k == ki`` and ``r_lo <= r <= r_hi``."""
    a, b = np.searchsorted(k, ki), np.searchsorted(k, ki, side="right")
    return (a + int(np.searchsorted(r[a:b], r_lo)),
            a + int(np.searchsorted(r[a:b], r_hi, side="right")))


def bound_every_pair(enc: Encoded, r: np.ndarray, p: np.ndarray, net: RelaxNet,
                     flows: np.ndarray, add: int = 0
                     ) -> tuple[ValueBound, np.ndarray, np.ndarray]:
    """The bound of the relaxation ``net`` over ``(r, p)`` solved by ``flows``, every other
    eligible pair priced one by one; and the columns that price (see
    :func:`price_every_pair`)."""
    d = potentials(net, flows)
    delta, add_r, add_p = price_every_pair(enc, r, p, net, flows, d, add)
    return lowered_bound(enc, r, p, net, flows, d, delta), add_r, add_p


def certify_all(enc: Encoded, k: int = 16, rounds: int = COLGEN_ROUNDS,
                add: int = ADD_PER_SLOT) -> ValueBound:
    """A bound for a round on its own: the relaxation over the top ``k`` candidates per
    slot (grown until its fill is the fill over every eligible pair), every other pair
    priced one by one, and up to ``rounds`` relaxations, each with the columns the last one
    priced positive; the least bound found."""
    r, p = candidate_arcs(enc, k, None, CandidateStats())
    _, r, p, _ = proven_fill_bound(enc, r, p)
    best = None
    for round_ in range(rounds):
        _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
        last = round_ == rounds - 1
        bound, add_r, add_p = bound_every_pair(enc, r, p, net, flows, 0 if last else add)
        if best is None or (bound.fill == best.fill and bound.value < best.value):
            best = bound
        if not len(add_r):
            break
        r, p = unique_arcs(enc.shape[1], np.concatenate([r, add_r]), np.concatenate([p, add_p]))
    return best
