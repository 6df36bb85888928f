"""The bound that keeps reciprocity (:mod:`matcher.allocation.lagrange`): any multipliers
give a value no valid allocation beats, the steered bound is never below an exhaustive
search (forced pairs, lifted reciprocity and teams taking several reviewers from one council
included), the block pass prices every pair as a pair-by-pair loop does, and where
reciprocity binds it is far tighter than the flow relaxation's bound."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.bench_allocation import generate_round
from matcher.allocation import allocate, encode
from matcher.allocation.allpairs import certify_all
from matcher.allocation.candidates import all_eligible_arcs
from matcher.allocation.encode import secondary_value
from matcher.allocation.lagrange import (
    Multipliers,
    arcs_of,
    bound_at,
    certify_reciprocal,
    team_council_prices,
)
from tests.matcher.test_allocation_properties import SETTINGS, exhaustive, rounds


@st.composite
def rounds_with_rules(draw):
    """Small rounds, some with a forced pair (one a valid allocation uses) and a team
    allowed several reviewers from one council."""
    inst = draw(rounds())
    cons = inst.constraints
    if draw(st.booleans()):
        al = allocate(inst, "exact")
        if al.assignments:
            a = al.assignments[draw(st.integers(0, len(al.assignments) - 1))]
            cons = replace(cons, forced=frozenset({(a.request_id, a.reviewer_id)}))
    if draw(st.booleans()):
        q = draw(st.sampled_from(inst.requests))
        c = draw(st.sampled_from([p.council for p in inst.reviewers]))
        cons = replace(cons, allow_same_council=frozenset({(q.request_id, c)}))
    return replace(inst, constraints=cons)


def _multipliers(enc, seed: int, scale: float) -> Multipliers:
    rng = np.random.default_rng(seed)
    return Multipliers(rng.random(enc.demand.size) * scale, rng.random(len(enc.capacity)) * scale,
                       (rng.random(len(enc.councils)) - 0.5) * scale, float(rng.random() * scale))


@SETTINGS
@given(rounds_with_rules(), st.integers(0, 2**31), st.sampled_from([0.0, 0.3, 1.0, 3.0]))
def test_any_multipliers_bound_every_valid_allocation(inst, seed, scale):
    enc = encode(inst)
    best_fill, best_value = exhaustive(inst)
    if best_fill < 0:  # no valid allocation keeps the forced pair
        return
    r, p = all_eligible_arcs(enc)
    r = np.concatenate([r, enc.fixed_r])
    p = np.concatenate([p, enc.fixed_p])
    arcs = arcs_of(enc, *np.unique(np.stack([r, p]), axis=1))
    m = _multipliers(enc, seed, scale)
    # Over every pair, read from the candidates or from the block pass, at fill best_fill.
    assert bound_at(enc, arcs, best_fill, m) * 1e6 >= best_value - 1e-3
    assert bound_at(enc, arcs, best_fill, m, team_council_prices(enc, m)) * 1e6 >= best_value - 1e-3


@settings(SETTINGS, max_examples=40)
@given(rounds_with_rules(), st.integers(1, 3), st.integers(1, 3))
def test_the_steered_bound_is_never_below_the_best_allocation(inst, k, n_rounds):
    enc = encode(inst)
    best_fill, best_value = exhaustive(inst)
    bound = certify_reciprocal(enc, k=k, rounds=n_rounds, iterations=30)
    if best_fill == bound.fill:
        assert bound.value >= best_value


@SETTINGS
@given(rounds(), st.integers(0, 2**31))
def test_the_block_pass_prices_every_pair_as_a_pair_by_pair_loop(inst, seed):
    enc = encode(inst)
    m = _multipliers(enc, seed, 1.0)
    every = team_council_prices(enc, m)
    n_k, n_c = len(enc.roles), len(enc.councils)
    want = np.full((enc.shape[0], n_c), -np.inf)
    positive = np.zeros((enc.shape[0], n_c))
    r, p = all_eligible_arcs(enc)
    for a, j, w in zip(r.tolist(), p.tolist(), enc.arc_weight(r, p).tolist(), strict=True):
        c = int(enc.rev_council[j])
        value = w / 1e6 - m.y[a * n_k + enc.rev_role[j]] - m.z[j] - m.lam[c] + m.mu
        want[a, c] = max(want[a, c], value)
        positive[a, c] += max(value, 0.0)
    assert np.allclose(every.best, want)
    assert np.allclose(every.positive, positive)
    has = np.isfinite(want)
    rev = every.reviewer[has]
    assert (enc.rev_council[rev] == np.nonzero(has)[1]).all()


def test_an_empty_round_is_bounded_by_nothing():
    enc = encode(generate_round(3, 0, seed=1, n_councils=3))
    bound = certify_reciprocal(enc)
    assert (bound.fill, bound.value) == (0, 0)


@pytest.mark.parametrize("seed", [1, 2])
def test_where_reciprocity_binds_it_is_far_tighter_than_the_flow_bound(seed):
    # Twelve councils, two requests each: the flow relaxation serves many council pairs
    # both ways and its bound sits 6-8% above the optimum.
    inst = generate_round(24, 72, seed=seed, n_councils=12)
    enc = encode(inst)
    al = allocate(inst, "exact", explain=False, k=None, milp_above=10**9, priced=False)
    assert al.status == "optimal"
    ri = {q: i for i, q in enumerate(enc.request_ids)}
    pi = {p: j for j, p in enumerate(enc.reviewer_ids)}
    optimum = secondary_value(enc, [ri[a.request_id] for a in al.assignments],
                              [pi[a.reviewer_id] for a in al.assignments])
    flow = certify_all(enc)
    bound = certify_reciprocal(enc)
    assert bound.fill == flow.fill == al.fill
    assert optimum <= bound.value
    assert bound.value - optimum < (flow.value - optimum) / 3
