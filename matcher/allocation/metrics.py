"""Numbers that describe an allocation: fill, fit, the worst team, fairness of load.

>>> gini([1, 1, 1, 1])
0.0
>>> round(gini([0, 0, 0, 4]), 2)
0.75
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from matcher.allocation.model import Allocation, AllocationInstance


def gini(values) -> float:
    """Gini coefficient of non-negative values: 0 when equal, towards 1 when one holds all."""
    v = np.sort(np.asarray(values, dtype=float))
    if v.size == 0 or v.sum() == 0:
        return 0.0
    n = v.size
    return float((2 * np.arange(1, n + 1) - n - 1) @ v / (n * v.sum()))


@dataclass(frozen=True)
class AllocationMetrics:
    """Summary of an allocation.

    ``worst_team_fit`` is the lowest mean fit over the members of a team (a team with no
    member counts 0); ``load_gini`` is the Gini of reviews given per council, over every
    council with a reviewer who has capacity; ``given``/``received`` count reviews per
    council code.
    """

    filled: int
    demanded: int
    fill_rate: float
    total_fit: float
    mean_team_fit: float
    worst_team_fit: float
    load_gini: float
    given: dict[str, int]
    received: dict[str, int]


def allocation_metrics(inst: AllocationInstance, allocation: Allocation) -> AllocationMetrics:
    """Compute :class:`AllocationMetrics`.

    >>> from matcher.allocation.model import (Allocation, AllocationInstance, Assignment,
    ...     PoolReviewer, ReviewRequest)
    >>> inst = AllocationInstance([ReviewRequest("Q1", "A", {"ad": 2})],
    ...     [PoolReviewer("P1", "B", "ad"), PoolReviewer("P2", "C", "ad")], fit=[[0.4, 0.8]])
    >>> al = Allocation((Assignment("Q1", "P1", "ad", 0.4),), (), 0.4, "hand", "feasible", 0)
    >>> m = allocation_metrics(inst, al)
    >>> m.filled, m.demanded, m.worst_team_fit, m.given
    (1, 2, 0.4, {'B': 1})
    """
    council_of_req = {q.request_id: q.council for q in inst.requests}
    council_of_rev = {p.reviewer_id: p.council for p in inst.reviewers}
    demanded = sum(q.slots for q in inst.requests)
    team: dict[str, list[float]] = {q.request_id: [] for q in inst.requests}
    given: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for a in allocation.assignments:
        team[a.request_id].append(a.score)
        given[council_of_rev[a.reviewer_id]] += 1
        received[council_of_req[a.request_id]] += 1
    slots = {q.request_id: q.slots for q in inst.requests}
    means = [float(np.mean(s)) if s else 0.0 for q, s in team.items() if slots[q]]
    givers = sorted({p.council for p in inst.reviewers if p.capacity > 0})
    return AllocationMetrics(
        filled=len(allocation.assignments),
        demanded=demanded,
        fill_rate=len(allocation.assignments) / demanded if demanded else 1.0,
        total_fit=round(sum(a.score for a in allocation.assignments), 6),
        mean_team_fit=round(float(np.mean(means)), 6) if means else 0.0,
        worst_team_fit=round(min(means), 6) if means else 0.0,
        load_gini=round(gini([given[c] for c in givers]), 6),
        given=dict(sorted(given.items())),
        received=dict(sorted(received.items())),
    )
