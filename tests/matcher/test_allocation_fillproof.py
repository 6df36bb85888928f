"""The fill bound proven over the candidates by a minimum cut equals the max flow over every
eligible pair, and building a round never takes memory in proportion to requests x reviewers.

The reference is the plain max flow over every eligible pair, listed one by one
(``all_eligible_arcs``); the proof never lists them.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_allocation import generate_round
from matcher.allocation import allocate, encode, is_valid_allocation
from matcher.allocation.candidates import all_eligible_arcs, candidate_arcs, count_eligible
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import flow_bound
from tests.matcher.test_allocation_properties import rounds


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds(), st.data())
def test_the_cut_proof_gives_the_max_flow_over_every_eligible_pair(inst, data):
    enc = encode(inst)
    r, p = all_eligible_arcs(enc)
    assert count_eligible(enc) == len(r)
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(r), max_size=len(r))),
                    dtype=bool)
    bound, _, _, _ = proven_fill_bound(enc, r[keep], p[keep])
    assert bound == flow_bound(enc, r, p)


def test_on_a_crowded_round_one_candidate_per_slot_still_proves_the_full_bound():
    # 12 councils for 60 teams: reviewers are scarce and the top candidate of many slots
    # is wanted elsewhere, so the cut must bring in pruned pairs.
    enc = encode(generate_round(60, 200, seed=3, n_councils=12))
    r, p = candidate_arcs(enc, 1)
    every = flow_bound(enc, *all_eligible_arcs(enc))
    assert flow_bound(enc, r, p) < every
    bound, r2, _, rounds_ = proven_fill_bound(enc, r, p)
    assert bound == every and len(r2) > len(r) and rounds_ > 1


def test_a_pruned_solve_fills_as_much_as_an_unpruned_one():
    inst = generate_round(30, 100, seed=3, n_councils=12)
    pruned = allocate(inst, "exact", k=1, prune_above=0, node_limit=200)
    whole = allocate(inst, "exact", k=None, node_limit=200)
    assert is_valid_allocation(inst, pruned) == []
    assert pruned.fill == whole.fill
    assert any("proven by a minimum cut" in n for n in pruned.notes)


def test_encoding_and_candidates_take_less_than_half_a_byte_per_pair():
    # Memory follows the pairs named (100,000 forbidden) and kept, not requests x reviewers.
    inst = generate_round(3000, 12000)
    tracemalloc.start()
    enc = encode(inst)
    r, p = candidate_arcs(enc, 4)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n_r, n_p = enc.shape
    assert len(r) <= 4 * int(enc.demand.sum()) + len(enc.fixed_r)
    assert peak < n_r * n_p // 2  # a dense requests x reviewers array of bools is n_r * n_p
