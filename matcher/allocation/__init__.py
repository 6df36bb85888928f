"""Peer-review brokering: staff a round of peer reviews from a pool of reviewers.

Hard rules (checked by :func:`is_valid_allocation`): nobody reviews their own council; no
reciprocal reviews within the round (if anyone from A reviews B, nobody from B reviews A);
at most one reviewer from a council per team; a reviewer fills only a slot of their role
and appears at most once per team; capacity; forced and locked pairs kept, forbidden pairs
(and, if asked, repeats) avoided.

Objective, lexicographic: (1) fill as many slots as possible; (2) then maximise, in fit
points scaled to integers (x10^6): the sum of fits, minus a convex cost on each council's
load beyond its fair share (no "willing horses"), plus a concave floor bonus (a seat's fit
below ``fit_floor`` counts double, so the poorest seats, and so the poorest teams, are
lifted before good teams are enriched), minus repeat and rest penalties. See
:class:`FairnessOptions` for the weights and :mod:`matcher.allocation.exact` for how the
``exact`` solver proves what it claims.

Pipeline: :func:`encode` (ids -> arrays), a solver from :data:`SOLVERS` (arrays only),
:func:`decode` and :func:`explain_unfilled` (arrays -> ids and words).

>>> inst = AllocationInstance(
...     [ReviewRequest("Q1", "HAL", {"dcs": 1, "ad": 1})],
...     [PoolReviewer("P1", "WIR", "dcs"), PoolReviewer("P2", "WIR", "ad"),
...      PoolReviewer("P3", "KNO", "ad")],
...     fit=[[0.8, 0.9, 0.3]], council_names={"HAL": "Halton"})
>>> al = allocate(inst)
>>> [(a.reviewer_id, a.role) for a in al.assignments], al.status
([('P3', 'ad'), ('P1', 'dcs')], 'optimal')
>>> is_valid_allocation(inst, al)
[]
"""

from __future__ import annotations

import time

from matcher.allocation.encode import Encoded, decode, encode, secondary_value
from matcher.allocation.explain import apply_relaxation, explain_unfilled
from matcher.allocation.fit import ThemeOverlapFit
from matcher.allocation.metrics import AllocationMetrics, allocation_metrics, gini
from matcher.allocation.model import (
    SCALE,
    TEAM_COLUMNS,
    Allocation,
    AllocationError,
    AllocationInstance,
    Assignment,
    Constraints,
    FairnessOptions,
    PoolReviewer,
    Relaxation,
    ReviewRequest,
    Unfilled,
    allocation_to_json,
    allocation_to_rows,
)
from matcher.allocation.solvers import SOLVERS, Solution
from matcher.allocation.validate import is_valid_allocation

__all__ = [
    "SCALE",
    "SOLVERS",
    "Allocation",
    "AllocationError",
    "AllocationInstance",
    "AllocationMetrics",
    "Assignment",
    "Constraints",
    "Encoded",
    "FairnessOptions",
    "PoolReviewer",
    "Relaxation",
    "ReviewRequest",
    "Solution",
    "ThemeOverlapFit",
    "Unfilled",
    "allocate",
    "allocation_metrics",
    "allocation_to_json",
    "TEAM_COLUMNS",
    "allocation_to_rows",
    "apply_relaxation",
    "decode",
    "encode",
    "explain_unfilled",
    "gini",
    "is_valid_allocation",
    "secondary_value",
]


def _check_fixed(inst: AllocationInstance) -> None:
    cons = inst.constraints
    revs = {p.reviewer_id: p for p in inst.reviewers}
    fixed = tuple(
        Assignment(q, p, revs[p].role, 0.0)
        for q, p in sorted(cons.forced | cons.locked)
        if p in revs
    )
    problems = is_valid_allocation(
        inst, Allocation(fixed, (), 0.0, "", "", 0.0), check_unfilled=False
    )
    if problems:
        raise AllocationError(
            "forced and locked pairs cannot all be kept: "
            + "; ".join(problems)
            + ": change or drop those pairs"
        )


def allocate(
    inst: AllocationInstance,
    solver: str = "exact",
    *,
    explain: bool = True,
    **solver_options,
) -> Allocation:
    """Staff a round.

    Parameters
    ----------
    inst : the round.
    solver : a key of :data:`SOLVERS` (``"exact"``, ``"greedy"``).
    explain : explain each empty slot (reasons and relaxations).
    **solver_options : passed to the solver (e.g. ``k``, ``node_limit``: work
        limits, never seconds, so the same round always gives the same answer).

    Raises
    ------
    AllocationError
        Unknown solver, bad ids or fits, or forced/locked pairs that break a rule.
    """
    if solver not in SOLVERS:
        raise AllocationError(f"unknown solver {solver!r}: choose one of {sorted(SOLVERS)}")
    start = time.perf_counter()
    enc = encode(inst)
    _check_fixed(inst)
    sol = SOLVERS[solver](enc, **solver_options)
    unfilled = explain_unfilled(inst, enc, sol.r, sol.p)
    if not explain:
        unfilled = tuple(
            Unfilled(u.request_id, u.role, u.missing, "not explained") for u in unfilled
        )
    return Allocation(
        assignments=decode(enc, sol.r, sol.p),
        unfilled=unfilled,
        objective=secondary_value(enc, sol.r, sol.p) / SCALE,
        solver=solver,
        status=sol.status,
        seconds=round(time.perf_counter() - start, 4),
        gap=sol.gap,
        notes=sol.notes,
    )
