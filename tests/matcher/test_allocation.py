"""Peer-review brokering: hand-drawn rounds run over every registered solver."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matcher.allocation import (
    SOLVERS,
    Allocation,
    AllocationError,
    AllocationInstance,
    Assignment,
    Constraints,
    FairnessOptions,
    PoolReviewer,
    ReviewRequest,
    Unfilled,
    allocate,
    allocation_metrics,
    allocation_to_json,
    allocation_to_rows,
    apply_relaxation,
    encode,
    is_valid_allocation,
)

NAMES = {"HAL": "Halton", "WIR": "Wirral", "KNO": "Knowsley", "SEF": "Sefton", "STH": "St Helens"}


def jaccard(q: ReviewRequest, p: PoolReviewer) -> float:
    a, b = set(q.focus), set(p.expertise)
    return len(a & b) / len(a | b) if a | b else 0.0


def req(rid, council, focus=("fd",), **roles) -> ReviewRequest:
    return ReviewRequest(rid, council, roles, focus)


def rev(pid, council, role, expertise=("fd",), capacity=1) -> PoolReviewer:
    return PoolReviewer(pid, council, role, expertise, capacity)


def rnd(requests, reviewers, **cons) -> AllocationInstance:
    return AllocationInstance(
        requests, reviewers, jaccard, Constraints(**cons), council_names=NAMES
    )


def pairs(al: Allocation) -> set[tuple[str, str]]:
    return {(a.request_id, a.reviewer_id) for a in al.assignments}


@pytest.fixture(params=sorted(SOLVERS))
def solver(request) -> str:
    return request.param


def solve(inst: AllocationInstance, solver: str = "exact") -> Allocation:
    al = allocate(inst, solver)
    assert is_valid_allocation(inst, al) == []
    return al


# Hard rules, over every solver ------------------------------------------------------------


def test_own_council_is_never_proposed(solver):
    inst = rnd(
        [req("Q1", "HAL", ad=1)],
        [rev("P1", "HAL", "ad"), rev("P2", "WIR", "ad", expertise=("other",))],
    )
    assert pairs(solve(inst, solver)) == {("Q1", "P2")}


def test_no_reciprocal_reviews_within_a_round(solver):
    inst = rnd(
        [req("QH", "HAL", ad=1), req("QW", "WIR", dcs=1)],
        [rev("PH", "HAL", "dcs"), rev("PW", "WIR", "ad", expertise=("x",))],
    )
    al = solve(inst, solver)
    assert pairs(al) == {("QW", "PH")}
    (u,) = al.unfilled
    assert u.reason.startswith(
        "reciprocity blocks every candidate: reviewers from Wirral are "
        "excluded because Halton reviews Wirral this round"
    )


def test_at_most_one_reviewer_per_council_per_team(solver):
    inst = rnd([req("Q", "HAL", dcs=1, ad=1)], [rev("PD", "WIR", "dcs"), rev("PA", "WIR", "ad")])
    al = solve(inst, solver)
    assert al.fill == 1
    assert "from a council already on this team (Wirral)" in al.unfilled[0].reason


def test_a_reviewer_fills_only_a_slot_of_their_role(solver):
    inst = rnd([req("Q", "HAL", dcs=1)], [rev("P", "WIR", "ad")])
    al = solve(inst, solver)
    assert al.assignments == ()
    assert al.unfilled[0].reason == "no DCS in the pool: add a DCS reviewer"


def test_capacity_is_respected(solver):
    inst = rnd(
        [req("Q1", "HAL", ad=1), req("Q2", "KNO", ad=1)], [rev("P", "WIR", "ad", capacity=1)]
    )
    al = solve(inst, solver)
    assert al.fill == 1
    assert al.unfilled[0].reason.startswith(
        "capacity of the only eligible AD is used by other teams: raise capacity of P"
    )


def test_a_reviewer_appears_once_per_team(solver):
    inst = rnd([req("Q", "HAL", ad=2)], [rev("P", "WIR", "ad", capacity=5)])
    al = solve(inst, solver)
    assert al.fill == 1
    assert al.unfilled[0].missing == 1


def test_forced_pair_is_kept_even_when_worse(solver):
    inst = rnd(
        [req("Q", "HAL", ad=1)],
        [rev("GOOD", "WIR", "ad"), rev("POOR", "KNO", "ad", expertise=("x",))],
        forced={("Q", "POOR")},
    )
    assert pairs(solve(inst, solver)) == {("Q", "POOR")}


def test_forbidden_pair_is_never_used(solver):
    inst = rnd(
        [req("Q", "HAL", ad=1)],
        [rev("GOOD", "WIR", "ad"), rev("POOR", "KNO", "ad", expertise=("x",))],
        forbidden={("Q", "GOOD")},
    )
    assert pairs(solve(inst, solver)) == {("Q", "POOR")}


def test_repeat_is_forbidden_or_penalised_as_asked(solver):
    reviewers = [rev("SEEN", "WIR", "ad"), rev("NEW", "KNO", "ad")]
    forbid = rnd(
        [req("Q", "HAL", ad=1)],
        reviewers,
        avoid_repeat={("SEEN", "HAL"), ("NEW", "SEF")},
        repeat="forbid",
    )
    assert pairs(solve(forbid, solver)) == {("Q", "NEW")}
    penalise = dataclasses.replace(
        forbid, constraints=dataclasses.replace(forbid.constraints, repeat="penalise")
    )
    assert pairs(solve(penalise, solver)) == {("Q", "NEW")}


def test_locked_top_up_does_not_disturb_published_teams(solver):
    # Published: P1 -> Q1 (a poor fit). A fresh solve would move P1 to the new Q2.
    reviewers = [
        rev("P1", "WIR", "ad", expertise=("a",), capacity=1),
        rev("P2", "KNO", "ad", expertise=("b",), capacity=1),
    ]
    first = rnd([req("Q1", "HAL", focus=("b",), ad=1)], reviewers, locked={("Q1", "P1")})
    assert pairs(solve(first, solver)) == {("Q1", "P1")}
    topped = rnd(
        [req("Q1", "HAL", focus=("b",), ad=1), req("Q2", "SEF", focus=("a",), ad=1)],
        reviewers,
        locked={("Q1", "P1")},
    )
    al = solve(topped, solver)
    assert ("Q1", "P1") in pairs(al)
    assert pairs(al) == {("Q1", "P1"), ("Q2", "P2")}


def test_locked_assignments_count_against_capacity(solver):
    inst = rnd(
        [req("Q1", "HAL", ad=1), req("Q2", "KNO", ad=1)],
        [rev("P", "WIR", "ad", capacity=1)],
        locked={("Q2", "P")},
    )
    assert pairs(solve(inst, solver)) == {("Q2", "P")}


def test_allowed_exceptions_relax_the_rules(solver):
    inst = rnd(
        [req("Q", "HAL", dcs=1, ad=1)],
        [rev("PD", "WIR", "dcs"), rev("PA", "WIR", "ad")],
        allow_same_council={("Q", "WIR")},
    )
    assert solve(inst, solver).fill == 2
    inst = rnd(
        [req("QH", "HAL", ad=1), req("QW", "WIR", dcs=1)],
        [rev("PH", "HAL", "dcs"), rev("PW", "WIR", "ad")],
        allow_reciprocal={("WIR", "HAL")},
    )
    assert solve(inst, solver).fill == 2


def test_solvers_do_not_change_their_inputs(solver):
    fit = np.array([[0.3, 0.6]])
    inst = AllocationInstance(
        [req("Q", "HAL", ad=1)], [rev("P1", "WIR", "ad"), rev("P2", "KNO", "ad")], fit
    )
    before = (inst.requests, inst.reviewers, inst.constraints, inst.fit.copy())
    allocate(inst, solver)
    enc = encode(inst)
    assert not enc.demand.flags.writeable and not enc.forbidden_keys.flags.writeable
    assert (inst.requests, inst.reviewers, inst.constraints) == before[:3]
    assert np.array_equal(inst.fit, before[3])
    fit[0, 0] = 1.0  # the instance holds its own copy
    assert inst.fit[0, 0] == 0.3


# The objective -----------------------------------------------------------------------------


def test_exact_fills_more_than_greedy_when_greed_blocks_a_slot():
    # Greedy gives P1 (best fit) to Q1; then Q2 has nobody. Exact fills both.
    inst = AllocationInstance(
        [req("Q1", "HAL", ad=1), req("Q2", "KNO", ad=1)],
        [rev("P1", "WIR", "ad"), rev("P2", "SEF", "ad")],
        np.array([[0.9, 0.8], [0.7, 0.0]]),
        Constraints(forbidden={("Q2", "P2")}),
    )
    assert solve(inst, "greedy").fill == 1
    exact = solve(inst, "exact")
    assert pairs(exact) == {("Q1", "P2"), ("Q2", "P1")}
    assert exact.status == "optimal"


def test_load_is_spread_across_councils_rather_than_on_a_willing_horse():
    requests = [req(f"Q{i}", c, ad=1) for i, c in enumerate(["HAL", "KNO", "SEF", "STH"])]
    horse = [rev(f"W{i}", "WIR", "ad", capacity=1) for i in range(4)]
    others = [rev("K", "KNO", "ad"), rev("S", "SEF", "ad"), rev("T", "STH", "ad")]
    fit = np.full((4, 7), 0.5)
    fit[:, :4] = 0.55  # the willing horse is slightly better on fit alone
    inst = AllocationInstance(requests, horse + others, fit)
    spread = allocation_metrics(inst, solve(inst))
    alone = dataclasses.replace(inst, options=FairnessOptions(load_weight=0.0))
    piled = allocation_metrics(alone, solve(alone))
    assert piled.given == {"WIR": 4}
    assert spread.given["WIR"] < 4
    assert spread.load_gini < piled.load_gini


def test_poor_seats_are_lifted_before_good_ones_are_enriched():
    # Plain fit is indifferent (0.9 + 0.1 = 0.5 + 0.5); the floor bonus prefers balance.
    inst = AllocationInstance(
        [req("Q1", "HAL", ad=1), req("Q2", "KNO", ad=1)],
        [rev("P1", "WIR", "ad"), rev("P2", "SEF", "ad")],
        np.array([[0.9, 0.5], [0.5, 0.1]]),
    )
    al = solve(inst)
    assert pairs(al) == {("Q1", "P2"), ("Q2", "P1")}
    assert allocation_metrics(inst, al).worst_team_fit == 0.5


def test_past_givers_are_rested():
    inst = AllocationInstance(
        [req("Q", "HAL", ad=1)],
        [rev("P1", "WIR", "ad"), rev("P2", "KNO", "ad")],
        np.array([[0.5, 0.47]]),
        Constraints(receiving_history={"WIR"}),
    )
    assert pairs(solve(inst)) == {("Q", "P2")}


# Unfilled slots: reasons and relaxations ---------------------------------------------------

CAUSES = {
    "empty pool": (
        rnd([req("Q", "HAL", ad=1)], [rev("P", "WIR", "dcs")]),
        "no AD in the pool: add an AD reviewer",
    ),
    "all from own council": (
        rnd([req("Q", "HAL", ad=1)], [rev("P", "HAL", "ad")]),
        "every AD in the pool is from Halton: add an AD from another council",
    ),
    "no capacity": (
        rnd([req("Q", "HAL", ad=1)], [rev("P", "WIR", "ad", capacity=0)]),
        "no AD with capacity outside Halton: add an AD or raise capacity",
    ),
    "same council": (
        rnd(
            [req("Q", "HAL", dcs=1, ad=1)],
            [rev("PD", "WIR", "dcs"), rev("PA", "WIR", "ad", expertise=("z",))],
        ),
        "every AD with capacity is from a council already on this team (Wirral): "
        "allow a second reviewer from Wirral",
    ),
    "reciprocity": (
        rnd(
            [req("QH", "HAL", ad=1), req("QW", "WIR", dcs=1)],
            [rev("PH", "HAL", "dcs"), rev("PW", "WIR", "ad", expertise=("z",))],
        ),
        "reciprocity blocks every candidate: reviewers from Wirral are excluded "
        "because Halton reviews Wirral this round: lift the reciprocity rule for "
        "Halton<->Wirral",
    ),
    "forbidden": (
        rnd([req("Q", "HAL", ad=1)], [rev("P", "WIR", "ad")], forbidden={("Q", "P")}),
        "all candidates are forbidden by hand: drop a forbidden pair for Q",
    ),
    "repeat": (
        rnd(
            [req("Q", "HAL", ad=1)],
            [rev("P", "WIR", "ad")],
            avoid_repeat={("P", "HAL")},
            repeat="forbid",
        ),
        "every AD with capacity has reviewed Halton before and repeats are forbidden: "
        "allow a repeat or add an AD",
    ),
    "capacity": (
        rnd(
            [req("Q1", "HAL", ad=1), req("Q2", "KNO", focus=("z",), ad=1)],
            [rev("P", "WIR", "ad"), rev("P2", "SEF", "ad", capacity=0)],
        ),
        "capacity of the only eligible AD is used by other teams: raise capacity of P or add an AD",
    ),
}


@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_each_cause_of_an_empty_slot_is_explained(cause, solver):
    inst, reason = CAUSES[cause]
    al = solve(inst, solver)
    assert [u.reason for u in al.unfilled] == [reason]


@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_each_suggested_relaxation_fills_a_slot_when_applied(cause):
    inst, _ = CAUSES[cause]
    al = solve(inst)
    (u,) = al.unfilled
    assert u.relaxations
    for rx in u.relaxations:
        relaxed = apply_relaxation(inst, rx)
        assert solve(relaxed).fill >= al.fill + 1, str(rx)


def test_mixed_causes_are_counted():
    inst = rnd(
        [req("Q1", "HAL", ad=1), req("Q2", "KNO", ad=1)],
        [rev("PA", "WIR", "ad"), rev("PB", "SEF", "ad")],
        forbidden={("Q1", "PB"), ("Q2", "PB")},
    )
    al = solve(inst)
    (u,) = al.unfilled
    assert u.reason == (
        "no AD from another council can join (2 checked): 1 forbidden by hand; "
        "1 with capacity used by other teams - see the suggested changes"
    )
    assert {r.kind for r in u.relaxations} == {"drop_forbidden", "raise_capacity"}


def test_relaxation_words_name_the_change():
    inst, _ = CAUSES["capacity"]
    (u,) = solve(inst).unfilled
    assert [str(r) for r in u.relaxations] == [
        "raise capacity of P (AD, Wirral) to 2",
        "raise capacity of P2 (AD, Sefton) to 1",
    ]


# Errors, validator, exports, metrics -------------------------------------------------------


def test_unknown_solver_is_refused():
    with pytest.raises(AllocationError, match="unknown solver 'best': choose one of"):
        allocate(rnd([], []), "best")


def test_forced_pair_breaking_a_rule_is_refused_with_the_rule():
    inst = rnd([req("Q", "HAL", ad=1)], [rev("P", "HAL", "ad")], forced={("Q", "P")})
    with pytest.raises(AllocationError, match="reviews their own council"):
        allocate(inst)


def test_pair_both_forced_and_forbidden_is_refused():
    with pytest.raises(AllocationError, match="both forced .* and forbidden"):
        Constraints(forced={("Q", "P")}, forbidden={("Q", "P")})


def test_fit_outside_unit_interval_is_refused():
    inst = AllocationInstance([req("Q", "HAL", ad=1)], [rev("P", "WIR", "ad")], [[1.5]])
    with pytest.raises(AllocationError, match=r"fits must lie in \[0, 1\]"):
        allocate(inst)


def test_validator_reports_every_broken_rule():
    inst = rnd(
        [req("QH", "HAL", ad=1), req("QW", "WIR", ad=1, dcs=1)],
        [
            rev("PH", "HAL", "ad"),
            rev("PW", "WIR", "ad", capacity=0),
            rev("PK", "KNO", "ad"),
            rev("PK2", "KNO", "dcs"),
        ],
        forced={("QH", "PK")},
        forbidden={("QW", "PK2")},
        locked={("QW", "PK")},
    )
    bad = Allocation(
        (
            Assignment("QH", "PH", "ad", 0),
            Assignment("QH", "PW", "ad", 0),
            Assignment("QW", "PH", "ad", 0),
            Assignment("QW", "PK2", "ad", 0),
            Assignment("QW", "PK2", "dcs", 0),
        ),
        (Unfilled("QH", "ad", 3, ""),),
        0.0,
        "hand",
        "feasible",
        0.0,
    )
    found = "\n".join(is_valid_allocation(inst, bad))
    for words in [
        "PH (HAL) reviews their own council",
        "is a dcs but fills a ad slot",
        "forbidden pair QW/PK2",
        "PK2 appears 2 times in team QW",
        "QH has 2 ad reviewers for 1 slots",
        "PW does 1 reviews, capacity 0",
        "team QW has 2 reviewers from KNO",
        "reciprocal reviews: HAL reviews WIR",
        "forced pair QH/PK is missing",
        "locked pair QW/PK is missing",
        "QH has 0 empty ad slots but 3 are reported unfilled",
    ]:
        assert words in found


def test_rows_and_json_have_a_stable_shape():
    inst = CAUSES["capacity"][0]
    al = solve(inst)
    rows, unfilled = allocation_to_rows(al, inst)
    assert [(r["request_id"], r["reviewer_id"], r["role"], r["fit"]) for r in rows] == [
        ("Q1", "P", "AD", 1.0)]
    assert [(u["request_id"], u["role"], u["missing"], u["reason"]) for u in unfilled] == [
        ("Q2", "AD", 1, al.unfilled[0].reason)]
    js = allocation_to_json(al)
    assert js["assignments"] == [
        {"request_id": "Q1", "reviewer_id": "P", "role": "ad", "score": 1.0}]
    assert {"assignments", "unfilled", "objective", "solver", "seconds"} <= set(js)
    assert js["unfilled"][0]["relaxations"][0] == "raise capacity of P (AD, Wirral) to 2"


def test_metrics_describe_fill_fit_and_fairness():
    inst = AllocationInstance(
        [req("Q1", "HAL", ad=1), req("Q2", "KNO", ad=2)],
        [rev("P1", "WIR", "ad"), rev("P2", "SEF", "ad"), rev("P3", "STH", "ad")],
        np.array([[0.8, 0, 0], [0, 0.4, 0.2]]),
    )
    m = allocation_metrics(inst, solve(inst))
    assert (m.filled, m.demanded, m.fill_rate) == (3, 3, 1.0)
    assert m.total_fit == pytest.approx(1.4)
    assert m.worst_team_fit == pytest.approx(0.3)
    assert m.given == {"SEF": 1, "STH": 1, "WIR": 1}
    assert m.received == {"HAL": 1, "KNO": 2}
    assert m.load_gini == 0.0


def test_exact_reports_a_proven_status():
    al = solve(CAUSES["reciprocity"][0])
    assert al.status == "optimal"
    assert al.solver == "exact" and al.seconds >= 0


def test_pruning_to_top_candidates_never_loses_fill():
    # With one candidate per slot both teams would want P1; the minimum cut of that flow
    # shows P2 (pruned) could fill a slot, so P2 joins the candidates and both are filled.
    inst = AllocationInstance(
        [req("Q1", "HAL", ad=1), req("Q2", "KNO", ad=1)],
        [rev("P1", "WIR", "ad"), rev("P2", "SEF", "ad")],
        np.array([[0.9, 0.1], [0.8, 0.2]]),
    )
    al = allocate(inst, "exact", k=1, prune_above=0)
    assert is_valid_allocation(inst, al) == []
    assert al.fill == 2
    assert any("fill bound 2" in n and "minimum cut" in n for n in al.notes)
    assert al.status in ("optimal", "optimal-on-candidates")
