"""Plain values for peer-review brokering: inputs, options and the result.

Every value is a frozen dataclass; collections are normalised to tuples and frozensets
so that a solver can never change its inputs.

>>> r = ReviewRequest("Q1", "HAL", {"dcs": 1, "ad": 1}, ("early-help",))
>>> r.slots
2
>>> PoolReviewer("P1", "WIR", "ad", ("early-help",), capacity=2).role
'ad'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np

SCALE = 10**6
"""Fit and weights are scaled to integers by this factor so that every solver is exact."""


class AllocationError(ValueError):
    """An instance the solvers cannot accept; the message says what to change."""


def _pairs(items: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    return frozenset((str(a), str(b)) for a, b in items)


@dataclass(frozen=True)
class ReviewRequest:
    """A council asking for a peer review, with the team it wants.

    Parameters
    ----------
    request_id : str
        Unique id of the request.
    council : str
        Code of the council being reviewed (e.g. a GSS code).
    roles : dict[str, int]
        Slots per role, e.g. ``{"dcs": 1, "ad": 1, "member": 1}``.
    focus : tuple[str, ...]
        Themes the review should focus on.
    """

    request_id: str
    council: str
    roles: Mapping[str, int]
    focus: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        roles = {str(k): int(v) for k, v in dict(self.roles).items()}
        if any(v < 0 for v in roles.values()):
            raise AllocationError(f"request {self.request_id}: a role cannot ask for < 0 slots")
        object.__setattr__(self, "roles", MappingProxyType(roles))
        object.__setattr__(self, "focus", tuple(self.focus))

    def __hash__(self) -> int:
        return hash((self.request_id, self.council, tuple(sorted(self.roles.items()))))

    @property
    def slots(self) -> int:
        """Total number of reviewers the team asks for."""
        return sum(self.roles.values())


@dataclass(frozen=True)
class PoolReviewer:
    """A reviewer offered by a council, with a role and a number of reviews they can do."""

    reviewer_id: str
    council: str
    role: str
    expertise: tuple[str, ...] = ()
    capacity: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "expertise", tuple(self.expertise))
        if int(self.capacity) < 0:
            raise AllocationError(f"reviewer {self.reviewer_id}: capacity must be >= 0")
        object.__setattr__(self, "capacity", int(self.capacity))


@dataclass(frozen=True)
class Constraints:
    """Hand-made rules and history for one round.

    Parameters
    ----------
    forced : pairs ``(request_id, reviewer_id)`` that must be in the allocation.
    forbidden : pairs ``(request_id, reviewer_id)`` that must not be.
    locked : pairs already published: kept exactly, counted against capacity; the rest of
        the round is solved around them, so a top-up never disturbs a published team.
    avoid_repeat : pairs ``(reviewer_id, council)`` where the reviewer has reviewed that
        council before; ``repeat`` says whether such a pair is forbidden or penalised.
    receiving_history : councils that have always given reviewers and never received a
        review. Our choice of nudge: their reviewers are rested (each review they give costs
        ``FairnessOptions.past_giver_penalty``), so the load moves to other councils.
    allow_same_council : pairs ``(request_id, council)``: this team may take more than one
        reviewer from that council (a relaxation an officer grants by hand).
    allow_reciprocal : pairs of councils ``(A, B)`` that may review each other this round.
    """

    forced: frozenset[tuple[str, str]] = frozenset()
    forbidden: frozenset[tuple[str, str]] = frozenset()
    locked: frozenset[tuple[str, str]] = frozenset()
    avoid_repeat: frozenset[tuple[str, str]] = frozenset()
    repeat: Literal["forbid", "penalise"] = "penalise"
    receiving_history: frozenset[str] = frozenset()
    allow_same_council: frozenset[tuple[str, str]] = frozenset()
    allow_reciprocal: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        for name in ("forced", "forbidden", "locked", "avoid_repeat", "allow_same_council"):
            object.__setattr__(self, name, _pairs(getattr(self, name)))
        recip = frozenset(tuple(sorted((str(a), str(b)))) for a, b in self.allow_reciprocal)
        object.__setattr__(self, "allow_reciprocal", recip)
        object.__setattr__(self, "receiving_history", frozenset(self.receiving_history))
        if self.repeat not in ("forbid", "penalise"):
            raise AllocationError("repeat must be 'forbid' or 'penalise'")
        clash = (self.forced | self.locked) & self.forbidden
        if clash:
            q, p = sorted(clash)[0]
            raise AllocationError(
                f"pair {q}/{p} is both forced (or locked) and forbidden: remove one of them"
            )

    def reciprocity_allowed(self, a: str, b: str) -> bool:
        """Whether councils ``a`` and ``b`` may review each other this round."""
        return tuple(sorted((a, b))) in self.allow_reciprocal


@dataclass(frozen=True)
class FairnessOptions:
    """Weights of the second objective level, in fit points (a fit is in [0, 1]).

    Parameters
    ----------
    load_weight : float, default 0.2
        Cost of each review a council gives beyond its fair share (total slots asked for,
        divided by the number of councils with capacity). The cost doubles beyond 1.5x the
        share and doubles again beyond 2x: a convex cost, so no "willing horse" carries
        the round.
    fit_floor : float, default 0.5
        Fit each seat should reach. Below it, fit counts ``1 + fit_floor_weight`` times: a
        concave reward, so the solver lifts the poorest seats (and so the poorest teams)
        before enriching good ones. It is applied per seat, not per team: per-team forms
        (``min(team fit, floor * team size)``, or max-min of team mean fit) make the linear
        relaxation fractional and were 4 to 30 times slower at England scale.
    fit_floor_weight : float, default 1.0
    repeat_penalty : float, default 0.3
        Cost of a reviewer going back to a council they reviewed before (when
        ``Constraints.repeat == "penalise"``).
    past_giver_penalty : float, default 0.1
        Cost of each review given by a council in ``Constraints.receiving_history``.
    """

    load_weight: float = 0.2
    fit_floor: float = 0.5
    fit_floor_weight: float = 1.0
    repeat_penalty: float = 0.3
    past_giver_penalty: float = 0.1

    def __post_init__(self) -> None:
        for name in ("load_weight", "fit_floor_weight", "repeat_penalty", "past_giver_penalty"):
            if getattr(self, name) < 0:
                raise AllocationError(f"{name} must be >= 0")


FitFunction = Callable[[ReviewRequest, PoolReviewer], float]


@dataclass(frozen=True, eq=False)
class AllocationInstance:
    """One round to staff.

    Parameters
    ----------
    requests, reviewers : the round's requests and the reviewer pool.
    fit : a callable ``fit(request, reviewer) -> float`` in [0, 1], or a matrix of shape
        ``(len(requests), len(reviewers))`` in the same order. A callable is only called
        for pairs that could ever be used (another council, a role the request asks for).
    constraints, options : hand-made rules and the fairness weights.
    council_names : optional code -> name, used to phrase explanations.
    """

    requests: tuple[ReviewRequest, ...]
    reviewers: tuple[PoolReviewer, ...]
    fit: FitFunction | np.ndarray
    constraints: Constraints = field(default_factory=Constraints)
    options: FairnessOptions = field(default_factory=FairnessOptions)
    council_names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "requests", tuple(self.requests))
        object.__setattr__(self, "reviewers", tuple(self.reviewers))
        object.__setattr__(self, "council_names", dict(self.council_names))
        for kind, items, key in (
            ("request", self.requests, "request_id"),
            ("reviewer", self.reviewers, "reviewer_id"),
        ):
            seen: set[str] = set()
            for item in items:
                ident = getattr(item, key)
                if ident in seen:
                    raise AllocationError(f"{kind} id {ident} appears twice: make ids unique")
                seen.add(ident)
        if not callable(self.fit):
            fit = np.array(self.fit, dtype=float, copy=True)
            shape = (len(self.requests), len(self.reviewers))
            if fit.shape != shape:
                raise AllocationError(f"fit matrix has shape {fit.shape}, expected {shape}")
            fit.setflags(write=False)
            object.__setattr__(self, "fit", fit)

    def name(self, council: str) -> str:
        """Readable name of a council (its code when no name is known)."""
        return self.council_names.get(council, council)


@dataclass(frozen=True)
class Assignment:
    """One reviewer placed in one team, in one role, with its fit."""

    request_id: str
    reviewer_id: str
    role: str
    score: float


@dataclass(frozen=True)
class Relaxation:
    """A single change an officer could make that fills an empty slot.

    ``kind`` is one of ``raise_capacity`` (``reviewer_id``, ``value``), ``allow_same_council``
    (``request_id``, ``council``), ``allow_reciprocal`` (``council``, ``other``),
    ``drop_forbidden`` (``request_id``, ``reviewer_id``), ``allow_repeat`` (``reviewer_id``,
    ``council``) or ``add_reviewer`` (``role``, ``request_id``). ``str()`` gives the words.
    """

    kind: str
    text: str
    request_id: str = ""
    reviewer_id: str = ""
    council: str = ""
    other: str = ""
    role: str = ""
    value: int = 0

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Unfilled:
    """Slots of one role in one team left empty, why, and what would fill them."""

    request_id: str
    role: str
    missing: int
    reason: str
    relaxations: tuple[Relaxation, ...] = ()


@dataclass(frozen=True)
class Allocation:
    """The result of a solver.

    ``objective`` is the second objective level (fit with fairness) in fit points; the first
    level is the fill, ``len(assignments)``. ``status`` is ``optimal`` (or
    ``optimal-on-candidates``) or ``feasible`` (``gap`` then bounds the relative distance to
    the optimum; ``feasible, fill proven maximal`` when no allocation fills more), ``notes``
    say how exactness was established (pruning, bounds).
    """

    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    objective: float
    solver: str
    status: str
    seconds: float
    gap: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def fill(self) -> int:
        """Number of slots filled."""
        return len(self.assignments)


TEAM_COLUMNS = ("request_id", "reviewed council", "reviewer_id", "reviewer council", "role",
                "fit", "missing", "reason")


def allocation_to_rows(allocation: Allocation,
                       instance: AllocationInstance) -> tuple[list[dict], list[dict]]:
    """Flat rows for the teams CSV (the same columns from the CLI and the app): assignments,
    then unfilled places, with councils and roles in people's words.

    >>> inst = AllocationInstance((ReviewRequest("Q1", "E06000006", roles={"ad": 1, "dcs": 1}),),
    ...                 (PoolReviewer("P1", "E06000007", "ad"),), fit=[[0.5]],
    ...                 council_names={"E06000006": "Halton", "E06000007": "Warrington"})
    >>> a = Allocation((Assignment("Q1", "P1", "ad", 0.5),),
    ...                (Unfilled("Q1", "dcs", 1, "no DCS in the pool"),), 0.5, "exact",
    ...                "optimal", 0.01)
    >>> rows, unfilled = allocation_to_rows(a, inst)
    >>> rows[0]["reviewed council"], rows[0]["reviewer council"], rows[0]["role"], rows[0]["fit"]
    ('Halton', 'Warrington', 'AD', 0.5)
    >>> unfilled[0]["role"], unfilled[0]["reason"]
    ('DCS', 'no DCS in the pool')
    """
    from graph.roles import role_label

    reviewed = {q.request_id: instance.name(q.council) for q in instance.requests}
    council_of = {p.reviewer_id: p.council for p in instance.reviewers}
    rows = [
        {"request_id": a.request_id, "reviewed council": reviewed.get(a.request_id, ""),
         "reviewer_id": a.reviewer_id,
         "reviewer council": instance.name(council_of.get(a.reviewer_id, "")),
         "role": role_label(a.role), "fit": round(a.score, 3)}
        for a in allocation.assignments
    ]
    unfilled = [
        {"request_id": u.request_id, "reviewed council": reviewed.get(u.request_id, ""),
         "role": role_label(u.role), "missing": u.missing, "reason": u.reason}
        for u in allocation.unfilled
    ]
    return rows, unfilled


def allocation_to_json(allocation: Allocation) -> dict:
    """A JSON-ready dict with a stable shape.

    >>> a = Allocation((), (), 0.0, "greedy", "feasible", 0.0)
    >>> sorted(allocation_to_json(a))
    ['assignments', 'gap', 'notes', 'objective', 'seconds', 'solver', 'status', 'unfilled']
    """
    rows = [
        {"request_id": a.request_id, "reviewer_id": a.reviewer_id, "role": a.role, "score": a.score}
        for a in allocation.assignments
    ]
    unfilled = [
        {
            "request_id": u.request_id,
            "role": u.role,
            "missing": u.missing,
            "reason": u.reason,
            "relaxations": [str(r) for r in u.relaxations],
        }
        for u in allocation.unfilled
    ]
    return {
        "assignments": rows,
        "unfilled": unfilled,
        "objective": allocation.objective,
        "solver": allocation.solver,
        "status": allocation.status,
        "gap": allocation.gap,
        "notes": list(allocation.notes),
        "seconds": allocation.seconds,
    }
