"""The value bound over every eligible pair (:mod:`matcher.allocation.bound`): its potentials
are dual feasible, its dual objective equals the relaxation's value when nothing is pruned,
and, computed from pruned candidates, it is never below the best allocation an exhaustive
search finds over every eligible pair."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.bench_allocation import generate_round
from matcher.allocation import encode
from matcher.allocation.bound import certify, dual_objective, potentials, residual_arcs, value_bound
from matcher.allocation.candidates import (
    NO_PRUNED,
    CandidateStats,
    all_eligible_arcs,
    candidate_arcs,
)
from matcher.allocation.encode import secondary_value
from matcher.allocation.exact import solve_exact
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import relax_with_flow
from tests.matcher.test_allocation_properties import SETTINGS, exhaustive, rounds


def _bound(enc, k, wide=None):
    """The bound from the top ``k`` per slot, the pairs up to the top ``wide`` priced one
    by one (when given)."""
    stats = CandidateStats()
    r, p = candidate_arcs(enc, wide or k, None, stats)
    known = (r, p) if wide else None
    if wide:
        narrow = stats.rank < k * enc.demand[r, enc.rev_role[p]]
        r, p = r[narrow], p[narrow]
    _, r, p, _ = proven_fill_bound(enc, r, p)  # as the solver does: the fill over every pair
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    return value_bound(enc, r, p, net, flows, stats.pruned_best, known), net, flows


def _relaxation_over_every_pair(inst):
    enc = encode(inst)
    r, p = all_eligible_arcs(enc)
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    return enc, r, p, net, flows


@SETTINGS
@given(rounds())
def test_potentials_are_dual_feasible_and_the_dual_equals_the_relaxation(inst):
    enc, r, p, net, flows = _relaxation_over_every_pair(inst)
    d = potentials(net, flows)
    t, h, c = residual_arcs(net, flows)
    assert (c + d[t] - d[h] >= 0).all()
    flow_value = int(flows[net.first:net.first + len(net.idx)].sum())
    assert dual_objective(net, d, flow_value) == -int((net.costs * flows).sum())
    bound = value_bound(enc, r, p, net, flows, np.full(enc.demand.size, NO_PRUNED))
    assert bound.value == bound.relaxation


@SETTINGS
@given(rounds())
def test_the_flow_is_returned_for_every_arc_of_the_network_within_capacity_and_conserved(inst):
    # The solver is handed a smaller network (a group with one pair goes straight to its
    # slot); what comes back must still be a flow of the whole network.
    _, _, _, net, flows = _relaxation_over_every_pair(inst)
    assert ((flows >= 0) & (flows <= net.caps)).all()
    balance = np.zeros(net.sink + 1, dtype=np.int64)
    np.add.at(balance, net.tails, flows)
    np.subtract.at(balance, net.heads, flows)
    assert (balance[1:net.sink] == 0).all()
    paired = int(flows[net.first:net.first + len(net.idx)].sum())
    assert balance[net.src] == -balance[net.sink] == paired


@SETTINGS
@given(rounds(), st.integers(1, 3), st.sampled_from([None, 1, 3]))
def test_the_bound_from_pruned_candidates_is_never_below_the_best_allocation(inst, k, more):
    enc = encode(inst)
    bound, _, _ = _bound(enc, k, more and k + more)
    best_fill, best_value = exhaustive(inst)
    if bound.fill == best_fill:  # the bound is for allocations of its fill
        assert bound.value >= best_value
    assert bound.value >= bound.relaxation


def test_with_the_default_candidates_the_bound_is_the_relaxation_over_every_pair():
    # 150 x 600: the top 30 per slot hold an optimal dual for every pair, so nothing is
    # raised and the bound is exactly the relaxation over all pairs.
    enc = encode(generate_round(150, 600, seed=1))
    bound, _, _ = _bound(enc, 30)
    r, p = all_eligible_arcs(enc)
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    every = value_bound(enc, r, p, net, flows, np.full(enc.demand.size, NO_PRUNED))
    assert bound.fill == every.fill
    assert bound.value == every.relaxation
    assert bound.raised == 0


@pytest.mark.parametrize(("seed", "k", "wide"), [(1, 1, None), (2, 1, 3), (3, 2, None),
                                                 (4, 2, 4), (5, 1, 2)])
def test_few_candidates_per_slot_raise_slots_and_still_bound_every_pair(seed, k, wide):
    # The relaxation over every pair is at least any allocation's value at its fill.
    enc = encode(generate_round(150, 600, seed=seed, n_councils=40))
    narrow, _, _ = _bound(enc, k, wide)
    r, p = all_eligible_arcs(enc)
    _, net, flows = relax_with_flow(enc, r, p, np.ones(len(r), dtype=bool))
    every = value_bound(enc, r, p, net, flows, np.full(enc.demand.size, NO_PRUNED))
    assert narrow.raised > 0
    assert narrow.fill == every.fill
    assert narrow.value > every.relaxation > narrow.relaxation


def test_pricing_a_wider_read_one_by_one_tightens_the_bound():
    enc = encode(generate_round(150, 600, seed=2, n_councils=40))
    by_tau, _, _ = _bound(enc, 1)
    priced, _, _ = _bound(enc, 1, 4)
    assert priced.value < by_tau.value


def test_certify_bounds_the_exact_answer_of_a_round():
    enc = encode(generate_round(150, 600, seed=6))
    sol = solve_exact(enc)
    bound = certify(enc)
    assert bound.fill == len(sol.r)
    assert bound.value >= secondary_value(enc, sol.r, sol.p)
