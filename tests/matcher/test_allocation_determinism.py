"""The same round gives the same assignment, whatever the clock says.

No solver may let the wall clock decide its answer: the work limits are counts (branch and
bound nodes, integer solves, repair rounds). These tests make the clock lie (each reading
jumps an hour) and check the answer does not move; they never measure time themselves.
"""

from __future__ import annotations

import itertools
import time

import pytest

from bench.bench_allocation import generate_round
from matcher.allocation import allocate, encode, is_valid_allocation, secondary_value
from matcher.allocation.candidates import all_eligible_arcs
from matcher.allocation.exact import solve_exact
from matcher.allocation.repair import repair


def _pairs(al):
    return [(a.request_id, a.reviewer_id, a.role) for a in al.assignments]


@pytest.fixture(scope="module")
def round_():
    # Few councils, so the flow breaks reciprocity and the integer program has work to do.
    inst = generate_round(30, 90, seed=7, n_councils=12)
    assert "the flow relaxation keeps every rule, so it is optimal" not in allocate(inst).notes
    return inst


def test_the_same_round_twice_gives_the_same_assignment(round_):
    first, second = allocate(round_), allocate(round_)
    assert _pairs(first) == _pairs(second)
    assert (first.status, first.objective, first.notes) == (
        second.status, second.objective, second.notes)


def test_a_clock_that_races_does_not_change_the_answer(round_, monkeypatch):
    calm = allocate(round_)
    ticks = itertools.count()
    for name in ("perf_counter", "monotonic", "time", "process_time"):
        monkeypatch.setattr(time, name, lambda: 3600.0 * next(ticks))
    raced = allocate(round_)
    assert _pairs(raced) == _pairs(calm)
    assert raced.status == calm.status


@pytest.mark.parametrize("lazy", [False, True])
def test_a_tight_work_limit_still_answers_at_least_as_well_as_the_repaired_flow(round_, lazy):
    """Stopped after one branch-and-bound node, the solver still keeps every rule, answers
    the same each time and is no worse than repairing the flow."""
    enc = encode(round_)
    runs = [solve_exact(enc, node_limit=1, max_rounds=1, lazy=lazy, k=None) for _ in range(2)]
    assert runs[0].r.tolist() == runs[1].r.tolist() and runs[0].p.tolist() == runs[1].p.tolist()
    r, p = all_eligible_arcs(enc)
    fixed = repair(enc, r, p)
    best = runs[0]
    assert (len(best.r), secondary_value(enc, best.r, best.p)) >= (
        int(fixed.sum()), secondary_value(enc, r[fixed], p[fixed]))
    al = allocate(round_, node_limit=1, max_rounds=1, lazy=lazy, k=None)
    assert is_valid_allocation(round_, al) == []
