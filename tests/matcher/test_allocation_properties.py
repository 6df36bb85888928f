"""Random small rounds: every solver keeps the rules; exact matches an exhaustive search.

The exhaustive search below is written from the rules, not from the solver: a depth-first
walk over every eligible (request, reviewer) pair, include or skip, with the rules checked
as it goes. It returns the lexicographic best (fill, second-level value) over all valid
allocations; the value is the documented objective, ``secondary_value``.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.allocation import (
    SOLVERS,
    AllocationInstance,
    Constraints,
    PoolReviewer,
    ReviewRequest,
    allocate,
    encode,
    is_valid_allocation,
    secondary_value,
)

COUNCILS = ("A", "B", "C", "D")
ROLES = ("dcs", "ad")
THEMES = ("fd", "eh", "wf")


def jaccard(q: ReviewRequest, p: PoolReviewer) -> float:
    a, b = set(q.focus), set(p.expertise)
    return len(a & b) / len(a | b) if a | b else 0.0


@st.composite
def rounds(draw) -> AllocationInstance:
    n_req = draw(st.integers(1, 3))
    n_rev = draw(st.integers(1, 5))
    themes = st.lists(st.sampled_from(THEMES), max_size=2, unique=True).map(tuple)
    requests = [
        ReviewRequest(
            f"Q{i}",
            draw(st.sampled_from(COUNCILS)),
            {r: draw(st.integers(0, 2)) for r in ROLES},
            draw(themes),
        )
        for i in range(n_req)
    ]
    reviewers = [
        PoolReviewer(
            f"P{j}",
            draw(st.sampled_from(COUNCILS)),
            draw(st.sampled_from(ROLES)),
            draw(themes),
            draw(st.integers(0, 2)),
        )
        for j in range(n_rev)
    ]
    all_pairs = [(q.request_id, p.reviewer_id) for q in requests for p in reviewers]
    forbidden = draw(st.sets(st.sampled_from(all_pairs), max_size=2))
    repeats = draw(
        st.sets(
            st.tuples(
                st.sampled_from([p.reviewer_id for p in reviewers]), st.sampled_from(COUNCILS)
            ),
            max_size=2,
        )
    )
    cons = Constraints(
        forbidden=forbidden,
        avoid_repeat=repeats,
        repeat=draw(st.sampled_from(["forbid", "penalise"])),
        receiving_history=draw(st.sets(st.sampled_from(COUNCILS), max_size=1)),
        allow_reciprocal=draw(st.sets(st.tuples(*[st.sampled_from(COUNCILS)] * 2), max_size=1)),
    )
    if draw(st.booleans()):
        fit = jaccard
    else:
        fit = np.array(
            draw(
                st.lists(
                    st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0]),
                    min_size=n_req * n_rev,
                    max_size=n_req * n_rev,
                )
            )
        )
        fit = fit.reshape(n_req, n_rev)
    return AllocationInstance(requests, reviewers, fit, cons)


def exhaustive(inst: AllocationInstance) -> tuple[int, int]:
    """Best (fill, value) over every valid allocation, by depth-first search."""
    cons = inst.constraints
    reqs, revs = inst.requests, inst.reviewers
    arcs = [
        (i, j)
        for i, q in enumerate(reqs)
        for j, p in enumerate(revs)
        if p.council != q.council
        and q.roles.get(p.role, 0) > 0
        and p.capacity > 0
        and (q.request_id, p.reviewer_id) not in cons.forbidden
        and not (cons.repeat == "forbid" and (p.reviewer_id, q.council) in cons.avoid_repeat)
    ]
    must = {
        (i, j)
        for i, q in enumerate(reqs)
        for j, p in enumerate(revs)
        if (q.request_id, p.reviewer_id) in cons.forced | cons.locked
    }
    enc = encode(inst)
    slots: Counter = Counter()
    load: Counter = Counter()
    team: Counter = Counter()
    gives: Counter = Counter()
    chosen: list[tuple[int, int]] = []
    best = [(-1, 0)]

    def can_add(i: int, j: int) -> bool:
        q, p = reqs[i], revs[j]
        if slots[i, p.role] >= q.roles[p.role] or load[j] >= p.capacity:
            return False
        if team[i, p.council] and (q.request_id, p.council) not in cons.allow_same_council:
            return False
        return not (
            gives[q.council, p.council] and not cons.reciprocity_allowed(q.council, p.council)
        )

    def walk(n: int) -> None:
        if n == len(arcs):
            if must <= set(chosen):
                r = np.array([a for a, _ in chosen], dtype=np.int64)
                p = np.array([b for _, b in chosen], dtype=np.int64)
                best[0] = max(best[0], (len(chosen), secondary_value(enc, r, p)))
            return
        i, j = arcs[n]
        q, p = reqs[i], revs[j]
        if can_add(i, j):
            slots[i, p.role] += 1
            load[j] += 1
            team[i, p.council] += 1
            gives[p.council, q.council] += 1
            chosen.append((i, j))
            walk(n + 1)
            chosen.pop()
            slots[i, p.role] -= 1
            load[j] -= 1
            team[i, p.council] -= 1
            gives[p.council, q.council] -= 1
        if (i, j) not in must:
            walk(n + 1)

    walk(0)
    return best[0]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rounds())
def test_every_solver_keeps_every_hard_rule(inst):
    for name in SOLVERS:
        al = allocate(inst, name)
        assert is_valid_allocation(inst, al) == [], name
        assert sum(u.missing for u in al.unfilled) + al.fill == sum(q.slots for q in inst.requests)


@SETTINGS
@given(rounds())
def test_exact_fill_and_value_match_an_exhaustive_search(inst):
    al = allocate(inst, "exact")
    enc = encode(inst)
    ri = {q: i for i, q in enumerate(enc.request_ids)}
    pi = {p: j for j, p in enumerate(enc.reviewer_ids)}
    r = np.array([ri[a.request_id] for a in al.assignments], dtype=np.int64)
    p = np.array([pi[a.reviewer_id] for a in al.assignments], dtype=np.int64)
    assert al.status == "optimal"
    assert (al.fill, secondary_value(enc, r, p)) == exhaustive(inst)


@SETTINGS
@given(rounds())
def test_a_locked_top_up_keeps_the_published_teams(inst):
    first = allocate(inst, "exact")
    published = {(a.request_id, a.reviewer_id) for a in first.assignments[::2]}
    extra = ReviewRequest("QNEW", "A", {"dcs": 1, "ad": 1}, ("fd",))
    fit = (
        inst.fit
        if callable(inst.fit)
        else np.vstack([inst.fit, np.full((1, len(inst.reviewers)), 0.5)])
    )
    topped = AllocationInstance(
        inst.requests + (extra,),
        inst.reviewers,
        fit,
        Constraints(**{**inst.constraints.__dict__, "locked": published}),
    )
    al = allocate(topped, "exact")
    assert is_valid_allocation(topped, al) == []
    assert published <= {(a.request_id, a.reviewer_id) for a in al.assignments}
    assert al.fill >= first.fill - 0  # never fewer: the old solution plus nothing is valid


@SETTINGS
@given(rounds())
def test_the_lazy_integer_program_reaches_the_same_optimum(inst):
    """Adding reciprocity and one-per-council rows only where answers break them ends at
    the optimum of the model that has them all."""
    lazy = allocate(inst, "exact", lazy=True)
    enc = encode(inst)
    ri = {q: i for i, q in enumerate(enc.request_ids)}
    pi = {p: j for j, p in enumerate(enc.reviewer_ids)}
    r = np.array([ri[a.request_id] for a in lazy.assignments], dtype=np.int64)
    p = np.array([pi[a.reviewer_id] for a in lazy.assignments], dtype=np.int64)
    assert is_valid_allocation(inst, lazy) == []
    assert lazy.status == "optimal"
    assert (lazy.fill, secondary_value(enc, r, p)) == exhaustive(inst)
