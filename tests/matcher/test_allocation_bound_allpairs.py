"""The bound with every eligible pair priced one by one, and column generation on its
relaxation (:mod:`matcher.allocation.allpairs`): the block pass prices each pair exactly as
a pair-by-pair loop does, the bound is never looser than the coarse one nor below an
exhaustive search or the relaxation over every pair, and column generation ends at the
relaxation over every pair (dual = primal)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.bench_allocation import generate_round
from matcher.allocation import encode
from matcher.allocation.allpairs import bound_every_pair, certify_all, price_every_pair
from matcher.allocation.bound import potentials, slot_potentials, value_bound
from matcher.allocation.candidates import CandidateStats, all_eligible_arcs, candidate_arcs
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import relax_with_flow
from tests.matcher.test_allocation_properties import SETTINGS, exhaustive, rounds


def _relaxed(enc, k):
    """The relaxation over the top ``k`` per slot, grown to the fill over every pair."""
    stats = CandidateStats()
    r, p = candidate_arcs(enc, k, None, stats)
    _, r, p, _ = proven_fill_bound(enc, r, p)
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    return r, p, net, flows, stats


def _every_pair_relaxation(enc):
    r, p = all_eligible_arcs(enc)
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    return bound_every_pair(enc, r, p, net, flows)[0]


def _terms_pair_by_pair(enc, r, p, net, flows, d):
    """The largest ``w - d[p] + d[g]`` of each live slot over the eligible pairs outside
    the arcs in use, one pair at a time."""
    n_k, n_c = len(enc.roles), len(enc.councils)
    d_slot = slot_potentials(enc, net, d)
    group = {}
    if net.keys is not None:
        fk = net.keys
        for i in range(len(fk.gkey)):
            group[(int(fk.g_r[i]), int(fk.g_c[i]), int(fk.g_k[i]))] = int(d[net.g0 + i])
    used = net.idx[flows[net.first:net.first + len(net.idx)] > 0]
    skip = set(zip(r[used].tolist(), p[used].tolist(), strict=True))
    skip |= set(zip(enc.fixed_r.tolist(), enc.fixed_p.tolist(), strict=True))
    want = np.zeros(enc.demand.size, dtype=np.int64)
    ar, ap = all_eligible_arcs(enc)
    for a, j, w in zip(ar.tolist(), ap.tolist(), enc.arc_weight(ar, ap).tolist(), strict=True):
        k, c = int(enc.rev_role[j]), int(enc.rev_council[j])
        s = a * n_k + k
        if (a, j) in skip or net.cap[j] <= 0 or net.demand.reshape(-1)[s] <= 0:
            continue
        term = w - int(d[net.p0 + j]) + group.get((a, c, k), int(d_slot[s]))
        want[s] = max(want[s], term)
    assert n_c == len(enc.councils)
    return want


@SETTINGS
@given(rounds(), st.integers(1, 3))
def test_the_block_pass_prices_every_pair_as_a_pair_by_pair_loop(inst, k):
    enc = encode(inst)
    r, p, net, flows, _ = _relaxed(enc, k)
    d = potentials(net, flows)
    delta, add_r, add_p = price_every_pair(enc, r, p, net, flows, d, add=2)
    assert (delta == _terms_pair_by_pair(enc, r, p, net, flows, d)).all()
    # The columns it offers are eligible pairs the relaxation lacks.
    assert not np.isin(enc.keys(add_r, add_p), enc.keys(r, p)).any()


@SETTINGS
@given(rounds(), st.integers(1, 3), st.integers(1, 3))
def test_the_bound_is_never_below_the_best_allocation_nor_looser_than_the_coarse_one(
        inst, k, n_rounds):
    enc = encode(inst)
    r, p, net, flows, stats = _relaxed(enc, k)
    exact, _, _ = bound_every_pair(enc, r, p, net, flows)
    coarse = value_bound(enc, r, p, net, flows, stats.pruned_best)
    assert exact.value <= coarse.value
    assert exact.value >= exact.relaxation
    best_fill, best_value = exhaustive(inst)
    every = _every_pair_relaxation(enc)
    for bound in (exact, certify_all(enc, k=k, rounds=n_rounds)):
        assert bound.fill == every.fill
        assert bound.value >= every.relaxation
        if bound.fill == best_fill:
            assert bound.value >= best_value


@pytest.mark.parametrize(("seed", "k"), [(1, 1), (2, 1), (3, 2), (4, 2)])
def test_column_generation_ends_at_the_relaxation_over_every_pair(seed, k):
    # One candidate or two per slot leave the first relaxation short and the coarse
    # pricing raises slots; the columns that price close the bound on the relaxation over
    # every pair, where the dual equals the primal.
    enc = encode(generate_round(150, 600, seed=seed, n_councils=40))
    r, p, net, flows, stats = _relaxed(enc, k)
    coarse = value_bound(enc, r, p, net, flows, stats.pruned_best)
    every = _every_pair_relaxation(enc)
    assert coarse.value > every.relaxation > coarse.relaxation
    closed = certify_all(enc, k=k, rounds=20)
    assert closed.value == every.relaxation == every.value
    assert closed.raised == 0
