"""Staff a round from its parsed rows: the one path the CLI and the round page share.

Rows (requests, reviewers, past reviews) come from :mod:`graph.peer_round`, whether read
from CSV files or from tables edited in the app; hand-made pairs and the repeat rule come
from flags or the page. Nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from graph.errors import LoadError
from graph.knowledge import KnowledgeGraph
from graph.peer_round import PastReview, RequestRow, ReviewerRow, history_rules
from matcher.allocation import (
    Allocation,
    AllocationInstance,
    AllocationMetrics,
    Constraints,
    allocate,
    allocation_metrics,
)
from matcher.brokering import build_instance

Pairs = Iterable[tuple[str, str]]


@dataclass(frozen=True, eq=False)
class StaffedRound:
    """A solved round: the instance that was solved, the allocation and its numbers."""

    instance: AllocationInstance
    allocation: Allocation
    metrics: AllocationMetrics


def staff_round(
    kg: KnowledgeGraph,
    requests: Sequence[RequestRow],
    reviewers: Sequence[ReviewerRow],
    past: Sequence[PastReview] = (),
    *,
    forced: Pairs = (),
    forbidden: Pairs = (),
    locked: Pairs = (),
    repeat: Literal["penalise", "forbid"] = "penalise",
    solver: str = "exact",
    **solver_options,
) -> StaffedRound:
    """Score every reviewer against each team's focus over ``kg`` and solve the round.

    Past reviews make repeat visits penalised or forbidden (``repeat``) and rest councils
    that only ever gave reviewers. Raises :class:`~graph.errors.LoadError` listing every
    row whose themes name nothing, and :class:`~matcher.allocation.AllocationError` for
    pairs or rules that cannot hold.
    """
    seen_before, rested = history_rules(past)
    constraints = Constraints(forced=forced, forbidden=forbidden, locked=locked,
                              avoid_repeat=seen_before, repeat=repeat,
                              receiving_history=rested)
    instance, problems = build_instance(kg, requests, reviewers, constraints)
    if problems:
        raise LoadError(problems)
    result = allocate(instance, solver=solver, **solver_options)
    return StaffedRound(instance, result, allocation_metrics(instance, result))
