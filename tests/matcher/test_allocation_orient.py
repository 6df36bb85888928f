"""The national-round path of ``exact`` (orient every council pair, one oriented min-cost
flow, mend the cross-role rule by augmenting paths) keeps every hard rule, never fills less
than greedy, and is right whenever it says the fill is proven maximal. Small random rounds
are sent down that path by setting its size thresholds to zero."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from matcher.allocation import (
    AllocationInstance,
    PoolReviewer,
    ReviewRequest,
    allocate,
    encode,
    is_valid_allocation,
)
from matcher.allocation.model import SCALE
from matcher.allocation.orient import mend, orientation
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
