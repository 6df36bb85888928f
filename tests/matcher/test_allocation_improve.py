"""The improvement pass after mending (:mod:`matcher.allocation.improve`): replace and swap
moves keep every hard rule and the fill, never lower the value, and take the move a small
round plainly offers."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from bench.bench_allocation import generate_round
from matcher.allocation import AllocationInstance, PoolReviewer, ReviewRequest, encode
from matcher.allocation.candidates import all_eligible_arcs
from matcher.allocation.encode import secondary_value
from matcher.allocation.exact import violations
from matcher.allocation.greedy import greedy_arcs
from matcher.allocation.improve import improve
from tests.matcher.test_allocation_properties import SETTINGS, rounds


def _rules_broken(enc, r, p) -> list[str]:
    """Every hard rule the arcs ``(r, p)`` break, checked from the arrays."""
    out = []
    ar, ap = all_eligible_arcs(enc)
    eligible = set(zip(ar.tolist(), ap.tolist(), strict=True))
    if not set(zip(r.tolist(), p.tolist(), strict=True)) <= eligible:
        out.append("an arc that is not eligible")
    if len(set(zip(r.tolist(), p.tolist(), strict=True))) < len(r):
        out.append("a reviewer twice on one team")
    if (np.bincount(p, minlength=enc.shape[1]) > enc.capacity).any():
        out.append("capacity")
    got = np.zeros(enc.demand.shape, dtype=np.int64)
    np.add.at(got, (r, enc.rev_role[p]), 1)
    if (got > enc.demand).any():
        out.append("more reviewers than slots")
    pairs, teams = violations(enc, r, p, np.ones(len(r), dtype=bool))
    if pairs.any() or len(teams):
        out.append("reciprocity or one reviewer per council")
    kept = set(zip(r.tolist(), p.tolist(), strict=True))
    if not set(zip(enc.fixed_r.tolist(), enc.fixed_p.tolist(), strict=True)) <= kept:
        out.append("a forced or locked pair dropped")
    return out


@SETTINGS
@given(rounds())
def test_moves_keep_every_rule_and_the_fill_and_never_lower_the_value(inst):
    enc = encode(inst)
    r, p = all_eligible_arcs(enc)
    start = greedy_arcs(enc, r, p)  # a valid allocation, often not the best
    r0, p0 = r[start], p[start]
    assert _rules_broken(enc, r0, p0) == []
    r1, p1, moves = improve(enc, r0, p0, r, p)
    assert _rules_broken(enc, r1, p1) == []
    assert len(r1) == len(r0)
    assert sorted(r1.tolist()) == sorted(r0.tolist())  # the same slots filled
    before, after = secondary_value(enc, r0, p0), secondary_value(enc, r1, p1)
    assert after >= before
    assert (moves > 0) == (after > before)


def test_a_better_reviewer_with_capacity_left_replaces_a_worse_one():
    inst = AllocationInstance(
        [ReviewRequest("Q1", "A", {"ad": 1})],
        [PoolReviewer("P1", "B", "ad"), PoolReviewer("P2", "C", "ad")],
        fit=[[0.2, 0.9]],
    )
    enc = encode(inst)
    r, p, moves = improve(enc, np.array([0]), np.array([0]), np.array([0, 0]),
                          np.array([0, 1]))
    assert (r.tolist(), p.tolist(), moves) == ([0], [1], 1)


def test_two_teams_swap_reviewers_when_both_gain():
    # P1 (full) suits Q2, P2 (full) suits Q1: neither can be replaced, a swap helps both.
    inst = AllocationInstance(
        [ReviewRequest("Q1", "A", {"ad": 1}), ReviewRequest("Q2", "B", {"ad": 1})],
        [PoolReviewer("P1", "C", "ad"), PoolReviewer("P2", "D", "ad")],
        fit=[[0.1, 0.8], [0.9, 0.2]],
    )
    enc = encode(inst)
    r, p, moves = improve(enc, np.array([0, 1]), np.array([0, 1]), *all_eligible_arcs(enc))
    assert sorted(zip(r.tolist(), p.tolist(), strict=True)) == [(0, 1), (1, 0)]
    assert moves == 1


def test_a_move_that_would_make_two_councils_review_each_other_is_refused():
    # Q1 (council A) would rather have P2 (council B), but B's team Q2 has A's reviewer P3.
    inst = AllocationInstance(
        [ReviewRequest("Q1", "A", {"ad": 1}), ReviewRequest("Q2", "B", {"ad": 1})],
        [PoolReviewer("P1", "C", "ad"), PoolReviewer("P2", "B", "ad", capacity=2),
         PoolReviewer("P3", "A", "ad")],
        fit=[[0.2, 0.9, 0.0], [0.0, 0.0, 0.9]],
    )
    enc = encode(inst)
    r0, p0 = np.array([0, 1]), np.array([0, 2])
    r, p, moves = improve(enc, r0, p0, *all_eligible_arcs(enc))
    assert (r.tolist(), p.tolist(), moves) == ([0, 1], [0, 2], 0)


def test_on_a_generated_round_greedy_is_improved_and_stays_valid():
    enc = encode(generate_round(150, 600, seed=3))
    r, p = all_eligible_arcs(enc)
    start = greedy_arcs(enc, r, p)
    r1, p1, moves = improve(enc, r[start], p[start], r, p)
    assert moves > 0
    assert secondary_value(enc, r1, p1) > secondary_value(enc, r[start], p[start])
    assert _rules_broken(enc, r1, p1) == []
