"""The national-round path of ``exact`` (orient every council pair, a few oriented min-cost
flows, mend the cross-role rule by augmenting paths and role trades) keeps every hard rule,
never fills less than greedy, and is right whenever it says the fill is proven maximal.
Small random rounds are sent down that path by setting its size thresholds to zero."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from matcher.allocation import (
    AllocationInstance,
    PoolReviewer,
    ReviewRequest,
    allocate,
    encode,
    is_valid_allocation,
)
from matcher.allocation.lagrange import Multipliers
from matcher.allocation.model import SCALE
from matcher.allocation.orient import direction_losses, mend, orientation, refill
from tests.matcher.test_allocation_properties import SETTINGS, exhaustive, rounds

NATIONAL = {"prune_above": 0, "milp_above": 0}


@SETTINGS
@given(rounds())
def test_the_national_path_keeps_every_rule_and_its_fill_claim_holds(inst):
    al = allocate(inst, "exact", **NATIONAL)
    assert is_valid_allocation(inst, al) == []
    assert al.fill >= allocate(inst, "greedy").fill
    best_fill, best_value = exhaustive(inst)
    assert al.fill <= best_fill
    if al.status == "feasible, fill proven maximal":
        assert al.fill == best_fill
        assert f"fill {al.fill} proven maximal" in al.notes
        # The gap is to a bound over every eligible pair: no allocation of this fill lies
        # above it (gap = (bound - value) / |bound|, rounded to 6 places).
        value = round(al.objective * SCALE)
        if al.gap < 1 and value > 0:
            assert best_value <= value / (1 - al.gap) * (1 + 2e-6) + 1


def test_orientation_keeps_one_direction_of_every_council_pair():
    inst = AllocationInstance(
        [ReviewRequest(f"Q{c}", c, {"ad": 1}) for c in "ABC"],
        [PoolReviewer(f"P{c}", c, "ad") for c in "ABC"],
        fit=np.full((3, 3), 0.5),
    )
    enc = encode(inst)
    r, p = np.array([0, 1, 2, 0]), np.array([1, 0, 0, 2])
    banned = orientation(enc, r, p, np.array([True, True, False, False]))
    assert not (banned & banned.T).any()
    assert (banned | banned.T | np.eye(3, dtype=bool)).all()


def test_mend_moves_a_reviewer_to_fill_a_slot_greedy_leaves_empty():
    # Q1 can only take P1, who is on Q2; Q2 can also take P2 (free): P1 moves, P2 joins Q2.
    inst = AllocationInstance(
        [ReviewRequest("Q1", "A", {"ad": 1}), ReviewRequest("Q2", "B", {"ad": 1})],
        [PoolReviewer("P1", "C", "ad"), PoolReviewer("P2", "D", "ad")],
        fit=[[0.9, 0.0], [0.9, 0.1]],
    )
    enc = encode(inst)
    r, p = np.array([0, 1, 1]), np.array([0, 0, 1])
    keep = mend(enc, r, p, np.array([False, True, False]))
    assert sorted(zip(r[keep].tolist(), p[keep].tolist(), strict=True)) == [(0, 0), (1, 1)]


def _one_per_council():
    """Councils A and B each with a team wanting one reviewer, and a reviewer each."""
    inst = AllocationInstance(
        [ReviewRequest("QA", "A", {"ad": 1}), ReviewRequest("QB", "B", {"ad": 1})],
        [PoolReviewer("PA", "A", "ad"), PoolReviewer("PB", "B", "ad")],
        fit=[[0.0, 0.3], [0.9, 0.0]],
    )
    return encode(inst)


def test_orientation_keeps_the_direction_whose_ban_would_cost_more_not_the_heavier():
    enc = _one_per_council()
    a, b = enc.councils.index("A"), enc.councils.index("B")
    r, p = np.array([1, 0]), np.array([0, 1])  # A reviews B (0.9), B reviews A (0.3)
    both = np.array([True, True])
    assert orientation(enc, r, p, both)[b, a]  # by weight the lighter direction goes
    losses = np.zeros((2, 2))
    losses[a, b], losses[b, a] = 0.1, 0.5  # but losing B -> A would cost more
    banned = orientation(enc, r, p, both, losses)
    assert banned[a, b] and not banned[b, a]


def test_a_direction_costs_what_its_slots_best_other_reviewer_falls_short_by():
    inst = AllocationInstance(
        [ReviewRequest("QB", "B", {"ad": 1}), ReviewRequest("QC", "C", {"ad": 1})],
        [PoolReviewer("PA", "A", "ad"), PoolReviewer("PD", "D", "ad")],
        fit=[[0.9, 0.7], [0.8, 0.0]],
    )
    enc = encode(inst)
    a, b, c = (enc.councils.index(x) for x in "ABC")
    r, p = np.array([0, 0, 1]), np.array([0, 1, 0])  # QB-PA (chosen), QB-PD, QC-PA (chosen)
    chosen = np.array([True, False, True])
    w = enc.arc_weight(r, p) / 1e6
    # Prices at which both chosen pairs have reduced value 0: QB's other reviewer falls
    # short by the weight gap; QC has no other reviewer (a point).
    y = np.zeros(enc.demand.size)
    y[0 * len(enc.roles)], y[1 * len(enc.roles)] = w[0], w[2]
    prices = Multipliers(y, np.zeros(2), np.zeros(len(enc.councils)), 0.0)
    losses = direction_losses(enc, r, p, chosen, prices)
    assert losses[a, b] == pytest.approx(w[0] - w[1])
    assert losses[a, c] == pytest.approx(1.0)


def test_mend_lets_a_council_trade_the_role_it_fills_in_a_team():
    # Council C fills both of Q1's roles in the flow; greedy keeps the heavier (P1, ad),
    # and only P2 (C, sw) can take sw: C moves over to sw and P3 (D) takes ad.
    inst = AllocationInstance(
        [ReviewRequest("Q1", "X", {"ad": 1, "sw": 1})],
        [PoolReviewer("P1", "C", "ad"), PoolReviewer("P2", "C", "sw"),
         PoolReviewer("P3", "D", "ad")],
        fit=[[0.9, 0.5, 0.3]],
    )
    enc = encode(inst)
    r, p = np.array([0, 0, 0]), np.array([0, 1, 2])
    keep = mend(enc, r, p, np.array([True, True, False]))
    assert sorted(p[keep].tolist()) == [1, 2]


def test_the_last_refill_takes_a_direction_only_where_the_reverse_is_unused():
    enc = _one_per_council()
    r, p = np.array([1, 0]), np.array([0, 1])  # QB-PA (A reviews B), QA-PB (B reviews A)
    # From nothing, one of the two: both would have A and B review each other.
    assert refill(enc, r, p, np.zeros(2, dtype=bool)).sum() == 1
    # With B already reviewing A, A may not review B.
    keep = refill(enc, r, p, np.array([False, True]))
    assert keep.tolist() == [False, True]
    assert refill(enc, r, p, np.array([True, False])).tolist() == [True, False]
