"""Turn a parsed peer-review round into an allocation instance over the knowledge graph.

The focus of each request and the expertise of each reviewer are read as theme ids or
phrases by `matcher.themes` (a council code or any other id is not a theme); the fit of a
reviewer to a team is the taxonomy's expertise fit (exact sub-theme > parent > sibling). A
phrase that names no theme is a fault in the row it came from, so the caller can refuse the
round before anything is solved.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from graph.errors import Problem
from graph.knowledge import KnowledgeGraph
from graph.peer_round import RequestRow, ReviewerRow
from matcher.allocation.model import (
    AllocationInstance,
    Constraints,
    FairnessOptions,
    PoolReviewer,
    ReviewRequest,
)
from matcher.taxonomy import theme_fit
from matcher.themes import read_theme


def resolve_themes(kg: KnowledgeGraph, phrases: Sequence[str], file: str, line: int,
                   field: str, problems: list[Problem]) -> tuple[str, ...]:
    """Theme ids for each phrase; a phrase naming no theme adds a located problem."""
    found: list[str] = []
    for phrase in phrases:
        ids = read_theme(kg, phrase)
        if not ids:
            problems.append(Problem(file, line, field, f"no theme matches {phrase!r}"))
        found += [t for t in ids if t not in found]
    return tuple(found)


def build_instance(
    kg: KnowledgeGraph,
    requests: Sequence[RequestRow],
    reviewers: Sequence[ReviewerRow],
    constraints: Constraints | None = None,
    options: FairnessOptions | None = None,
) -> tuple[AllocationInstance | None, list[Problem]]:
    """An `AllocationInstance` with a fit matrix from the taxonomy, or the rows' problems."""
    problems: list[Problem] = []
    reqs = [
        ReviewRequest(r.request_id, r.council, r.roles,
                      resolve_themes(kg, r.focus, r.file, r.line, "focus", problems))
        for r in requests
    ]
    pool = [
        PoolReviewer(p.reviewer_id, p.council, p.role,
                     resolve_themes(kg, p.expertise, p.file, p.line, "expertise", problems),
                     p.capacity)
        for p in reviewers
    ]
    if problems:
        return None, problems

    @cache
    def fit(offered: tuple[str, ...], wanted: tuple[str, ...]) -> float:
        if not offered or not wanted:
            return 0.0
        return float(theme_fit(kg, set(offered), set(wanted))[0])

    matrix = np.array([[fit(p.expertise, q.focus) for p in pool] for q in reqs], dtype=float)
    matrix = matrix.reshape(len(reqs), len(pool))
    names = {c: kg.name(c) for c in {q.council for q in reqs} | {p.council for p in pool}}
    instance = AllocationInstance(
        requests=tuple(reqs), reviewers=tuple(pool), fit=matrix,
        constraints=constraints or Constraints(), options=options or FairnessOptions(),
        council_names=names,
    )
    return instance, []
