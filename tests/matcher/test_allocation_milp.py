"""The integer program solved over a few priced columns reaches the whole program's optimum;
rounds whose candidates outgrow the integer program only once grown take the oriented flow.

:func:`~matcher.allocation.pricing.priced_optimum` solves over a subset of the candidate
arcs and proves its answer over all of them by reduced costs. These rounds are compared with
HiGHS over every column (:class:`~matcher.allocation.milp.Milp`, no pricing); both proofs
(an integral LP, and integer solves over the priced columns) are exercised.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from bench.bench_allocation import generate_round
from matcher.allocation import (
    allocate,
    encode,
    is_valid_allocation,
    pricing,
    secondary_value,
)
from matcher.allocation.candidates import all_eligible_arcs
from matcher.allocation.exact import solve_exact, violations
from matcher.allocation.flow import relaxation
from matcher.allocation.milp import Milp
from tests.matcher.test_allocation_properties import SETTINGS, exhaustive, rounds

ROUNDS = [(1, 30, 90, 20), (3, 30, 90, 20), (1, 16, 50, 12), (4, 16, 50, 12)]
"""(seed, requests, reviewers, councils): two whose LP is integral, two that need the
integer program over the priced columns."""


def _priced_and_whole(seed, n_req, n_rev, n_c, monkeypatch, first_k=None, whole_below=0):
    """``whole_below=0``: these rounds are small, so the integer route is taken only when
    the size below which a fractional LP hands the program back whole is lowered."""
    enc = encode(generate_round(n_req, n_rev, seed, n_councils=n_c))
    r, p = all_eligible_arcs(enc)
    relaxed = relaxation(enc, r, p, np.ones(len(r), dtype=bool))
    target = int(relaxed.sum())
    monkeypatch.setattr(pricing, "WHOLE_BELOW", whole_below)
    if first_k is not None:
        monkeypatch.setattr(pricing, "FIRST_K", first_k)
    notes: list[str] = []
    found = pricing.priced_optimum(enc, r, p, relaxed, target, 5_000, notes)
    whole, status, _, _ = Milp(enc, r, p).solve("value", target, 5_000)
    assert status == "optimal"
    return enc, r, p, target, found, whole, notes


@pytest.mark.parametrize("seed, n_req, n_rev, n_c", ROUNDS)
def test_priced_columns_reach_the_whole_programs_optimum_and_keep_every_rule(
        seed, n_req, n_rev, n_c, monkeypatch):
    enc, r, p, target, found, whole, notes = _priced_and_whole(
        seed, n_req, n_rev, n_c, monkeypatch)
    assert found is not None
    mask, value = found
    assert secondary_value(enc, r[mask], p[mask]) == value
    assert value == secondary_value(enc, r[whole], p[whole])
    assert int(mask.sum()) == target
    pairs, teams = violations(enc, r, p, mask)
    assert not pairs.any() and not len(teams)
    assert "proven optimal over every candidate by reduced costs" in notes[0]


def test_both_proofs_are_exercised_by_these_rounds(monkeypatch):
    how = set()
    for seed, n_req, n_rev, n_c in ROUNDS:
        notes = _priced_and_whole(seed, n_req, n_rev, n_c, monkeypatch)[-1]
        how.add("integral optimum" in notes[0])
    assert how == {True, False}


def test_a_small_round_with_a_fractional_lp_is_handed_back_whole(monkeypatch):
    """Below ``WHOLE_BELOW`` candidate pairs a fractional LP means no integer solves over
    priced columns (a second branch and bound would double the time): pricing gives up and
    the exact solver's whole program still reaches the same optimum."""
    seed, n_req, n_rev, n_c = ROUNDS[2]
    *_, found, _, notes = _priced_and_whole(
        seed, n_req, n_rev, n_c, monkeypatch, whole_below=pricing.WHOLE_BELOW)
    assert found is None and not notes
    enc = encode(generate_round(n_req, n_rev, seed, n_councils=n_c))
    default, whole = solve_exact(enc), solve_exact(enc, priced=False)
    assert default.status == whole.status == "optimal"
    assert secondary_value(enc, default.r, default.p) == secondary_value(enc, whole.r, whole.p)
    assert not any("reduced costs" in n for n in default.notes)


def test_starting_from_one_candidate_per_slot_prices_in_every_column_the_optimum_needs(
        monkeypatch):
    enc, r, p, _, found, whole, notes = _priced_and_whole(1, 30, 90, 20, monkeypatch, 1)
    assert found is not None
    assert found[1] == secondary_value(enc, r[whole], p[whole])
    relaxed = relaxation(enc, r, p, np.ones(len(r), dtype=bool))
    model = Milp(enc, r, p)
    start = int(pricing._first_columns(enc, r, p, relaxed, model)[: model.n].sum())
    final = int(notes[0].split(" of ")[0].rsplit(" ", 1)[1])
    assert final > start  # the first columns were not enough: more were priced in


def test_the_exact_solver_with_and_without_pricing_gives_the_same_value():
    enc = encode(generate_round(40, 160, 11, n_councils=30))
    priced, whole = solve_exact(enc), solve_exact(enc, priced=False)
    assert priced.status == whole.status
    assert secondary_value(enc, priced.r, priced.p) == secondary_value(enc, whole.r, whole.p)
    assert any("reduced costs" in n for n in priced.notes)
    assert not any("reduced costs" in n for n in whole.notes)


@SETTINGS
@given(rounds())
def test_one_candidate_per_slot_and_no_room_to_grow_still_keeps_every_rule(inst):
    """Started from one candidate per slot with room for no more in the integer program
    (whichever path the round then takes: the flow, the integer program, or the oriented
    flow once the candidates grow), every rule is kept and the fill claim is right
    (checked by exhaustive search). The England test below takes the oriented flow."""
    enc = encode(inst)
    mid = {"prune_above": 0, "k": 1, "milp_above": int(enc.demand.sum())}
    al = allocate(inst, "exact", **mid)
    assert is_valid_allocation(inst, al) == []
    best_fill, _ = exhaustive(inst)
    assert al.fill <= best_fill
    if "proven maximal" in al.status or al.status.startswith("optimal"):
        assert al.fill == best_fill


def test_an_england_round_that_outgrows_the_integer_program_once_grown_fills_every_slot():
    inst = generate_round(150, 600)
    al = allocate(inst, "exact", k=1, milp_above=1_000)
    assert any("for the integer program" in n for n in al.notes)
    assert any(n.startswith("reciprocity kept by orienting") for n in al.notes)
    assert is_valid_allocation(inst, al) == []
    assert al.status == "feasible, fill proven maximal"
    assert al.fill == 495
