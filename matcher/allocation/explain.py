"""Why a slot stayed empty, in words an officer can act on, and what would fill it.

For each empty slot every reviewer of the slot's role from another council is checked
against each rule, given the allocation found. The reason names the rule that blocks them;
each suggested :class:`~matcher.allocation.model.Relaxation` lifts the *only* rule blocking
one named reviewer, so after it the allocation plus that reviewer is valid: the fill rises
by at least one (the tests confirm this by re-solving). :func:`apply_relaxation` makes the
change on a copy of the round.

>>> from matcher.allocation import allocate
>>> from matcher.allocation.model import AllocationInstance, PoolReviewer, ReviewRequest
>>> inst = AllocationInstance([ReviewRequest("Q1", "HAL", {"ad": 1})],
...                           [PoolReviewer("P1", "WIR", "ad", capacity=0)], fit=[[0.5]],
...                           council_names={"HAL": "Halton"})
>>> u = allocate(inst).unfilled[0]
>>> u.reason
'no AD with capacity outside Halton: add an AD or raise capacity'
>>> [str(x) for x in u.relaxations]
['raise capacity of P1 (AD, WIR) to 1']
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np

from graph.roles import role_label
from matcher.allocation.encode import Encoded
from matcher.allocation.model import (
    AllocationError,
    AllocationInstance,
    PoolReviewer,
    Relaxation,
    Unfilled,
)

MAX_RELAXATIONS = 3

# Blockers, in the order used to name a candidate's main obstacle.
ORDER = ("member", "nocap", "forbidden", "repeat", "council", "reciprocity", "capacity", "free")
PHRASE = {
    "member": "already on this team",
    "nocap": "with no capacity",
    "forbidden": "forbidden by hand",
    "repeat": "reviewed {b} before (repeats are forbidden)",
    "council": "from a council already on this team",
    "reciprocity": "excluded by reciprocity",
    "capacity": "with capacity used by other teams",
    "free": "not considered by this solver",
}


def _a(word: str) -> str:
    return ("an " if word[:1].lower() in "aeio" else "a ") + word


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def explain_unfilled(
    inst: AllocationInstance, enc: Encoded, r: np.ndarray, p: np.ndarray
) -> tuple[Unfilled, ...]:
    """One :class:`Unfilled` per (request, role) with empty slots, for the arcs ``(r, p)``."""
    r, p = np.asarray(r, dtype=np.int64), np.asarray(p, dtype=np.int64)
    got = np.zeros(enc.demand.shape, dtype=np.int64)
    np.add.at(got, (r, enc.rev_role[p]), 1)
    if not (got < enc.demand).any():
        return ()
    used = np.bincount(p, minlength=len(enc.reviewer_ids))
    team_c: Counter[tuple[int, int]] = Counter(
        zip(r.tolist(), enc.rev_council[p].tolist(), strict=True)
    )
    team_p = set(zip(r.tolist(), p.tolist(), strict=True))
    gives = set(zip(enc.rev_council[p].tolist(), enc.req_council[r].tolist(), strict=True))
    cons = inst.constraints
    out = []
    for a, k in zip(*np.nonzero(got < enc.demand), strict=True):
        a, k = int(a), int(k)
        q = inst.requests[a]
        b = int(enc.req_council[a])
        role, label, bname = enc.roles[k], role_label(enc.roles[k]), inst.name(q.council)
        pool = np.flatnonzero(enc.rev_role == k)
        outside = pool[enc.rev_council[pool] != b]
        scores = dict(zip(outside.tolist(),
                          enc.arc_score(np.full(len(outside), a), outside).tolist(), strict=True))
        blockers: dict[int, list[str]] = {}
        for j in outside.tolist():
            pv = inst.reviewers[j]
            c = int(enc.rev_council[j])
            bl = []
            if (a, j) in team_p:
                bl.append("member")
            if pv.capacity == 0:
                bl.append("nocap")
            elif used[j] >= pv.capacity:
                bl.append("capacity")
            if (q.request_id, pv.reviewer_id) in cons.forbidden:
                bl.append("forbidden")
            if cons.repeat == "forbid" and (pv.reviewer_id, q.council) in cons.avoid_repeat:
                bl.append("repeat")
            if team_c[a, c] and not enc.same_council_ok[a, c]:
                bl.append("council")
            if (b, c) in gives and not enc.reciprocal_ok[b, c]:
                bl.append("reciprocity")
            blockers[j] = sorted(bl, key=ORDER.index) or ["free"]
        reason = _reason(inst, enc, a, k, pool, outside, blockers, scores)
        relax = _relaxations(inst, enc, a, k, blockers, used, scores)
        if not relax:
            relax.append(
                Relaxation(
                    "add_reviewer",
                    f"add {_a(label)} from a council not on this team and not reviewed by {bname}",
                    request_id=q.request_id,
                    role=role,
                )
            )
        out.append(
            Unfilled(q.request_id, role, int(enc.demand[a, k] - got[a, k]), reason, tuple(relax))
        )
    order = {qid: i for i, qid in enumerate(enc.request_ids)}
    out.sort(key=lambda u: (order[u.request_id], u.role))
    return tuple(out)


def _reason(inst, enc, a, k, pool, outside, blockers, scores) -> str:
    q = inst.requests[a]
    label, bname = role_label(enc.roles[k]), inst.name(q.council)
    if not len(pool):
        return f"no {label} in the pool: add {_a(label)} reviewer"
    if not len(outside):
        return f"every {label} in the pool is from {bname}: add {_a(label)} from another council"
    main = Counter(bl[0] for bl in blockers.values())
    if set(main) == {"nocap"}:
        return f"no {label} with capacity outside {bname}: add {_a(label)} or raise capacity"
    main.pop("nocap", None)
    kinds = set(main)
    n = sum(main.values())
    if kinds == {"capacity"}:
        best = max(
            (j for j in blockers if blockers[j][0] == "capacity"), key=lambda j: scores[j]
        )
        what = f"the {n} eligible {label}s" if n > 1 else f"the only eligible {label}"
        return (
            f"capacity of {what} is used by other teams: raise capacity of "
            f"{inst.reviewers[best].reviewer_id} or add {_a(label)}"
        )
    if kinds == {"council"}:
        names = sorted(
            {inst.name(inst.reviewers[j].council) for j in blockers if blockers[j][0] == "council"}
        )
        return (
            f"every {label} with capacity is from a council already on this team "
            f"({_join(names)}): allow a second reviewer from {names[0]}"
        )
    if kinds == {"reciprocity"}:
        names = _join(
            sorted(
                {
                    inst.name(inst.reviewers[j].council)
                    for j in blockers
                    if blockers[j][0] == "reciprocity"
                }
            )
        )
        return (
            f"reciprocity blocks every candidate: reviewers from {names} are excluded "
            f"because {bname} reviews {names} this round: lift the reciprocity rule for "
            f"{bname}<->{names.split(' and ')[0].split(', ')[0]}"
        )
    if kinds == {"forbidden"}:
        return f"all candidates are forbidden by hand: drop a forbidden pair for {q.request_id}"
    if kinds == {"repeat"}:
        return (
            f"every {label} with capacity has reviewed {bname} before and repeats are "
            f"forbidden: allow a repeat or add {_a(label)}"
        )
    if kinds == {"member"}:
        return f"the only {label} left is already on this team: add {_a(label)}"
    parts = [f"{main[kd]} {PHRASE[kd].format(b=bname)}" for kd in ORDER if main.get(kd)]
    return (
        f"no {label} from another council can join ({n} checked): "
        + "; ".join(parts)
        + " - see the suggested changes"
    )


def _relaxations(inst, enc, a, k, blockers, used, scores) -> list[Relaxation]:
    q = inst.requests[a]
    bname = inst.name(q.council)
    label = role_label(enc.roles[k])
    found: dict[tuple, tuple[float, Relaxation]] = {}
    for j, bl in blockers.items():
        if len(bl) != 1 or bl[0] in ("member", "free"):
            continue
        pv: PoolReviewer = inst.reviewers[j]
        cname = inst.name(pv.council)
        kind = bl[0]
        if kind in ("capacity", "nocap"):
            v = int(used[j]) + 1
            rx = Relaxation(
                "raise_capacity",
                f"raise capacity of {pv.reviewer_id} ({label}, {cname}) to {v}",
                reviewer_id=pv.reviewer_id,
                value=v,
            )
        elif kind == "forbidden":
            rx = Relaxation(
                "drop_forbidden",
                f"drop the forbidden pair {q.request_id}/{pv.reviewer_id}",
                request_id=q.request_id,
                reviewer_id=pv.reviewer_id,
            )
        elif kind == "repeat":
            rx = Relaxation(
                "allow_repeat",
                f"allow {pv.reviewer_id} to review {bname} again",
                reviewer_id=pv.reviewer_id,
                council=q.council,
            )
        elif kind == "council":
            rx = Relaxation(
                "allow_same_council",
                f"allow a second reviewer from {cname} on team {q.request_id}",
                request_id=q.request_id,
                council=pv.council,
            )
        else:
            rx = Relaxation(
                "allow_reciprocal",
                f"lift the reciprocity rule for {bname}<->{cname}",
                council=q.council,
                other=pv.council,
            )
        key = (rx.kind, rx.request_id, rx.reviewer_id, rx.council, rx.other)
        s = scores[j]
        if key not in found or found[key][0] < s:
            found[key] = (s, rx)
    ranked = sorted(found.values(), key=lambda t: (-t[0], t[1].text))
    return [rx for _, rx in ranked[:MAX_RELAXATIONS]]


def apply_relaxation(inst: AllocationInstance, rx: Relaxation) -> AllocationInstance:
    """A copy of the round with the change ``rx`` made.

    >>> from matcher.allocation.model import AllocationInstance, PoolReviewer, ReviewRequest
    >>> inst = AllocationInstance([ReviewRequest("Q1", "HAL", {"ad": 1})], [], fit=[[]])
    >>> rx = Relaxation("add_reviewer", "add an AD", request_id="Q1", role="ad")
    >>> [p.role for p in apply_relaxation(inst, rx).reviewers]
    ['ad']
    """
    cons = inst.constraints
    fit = inst.fit
    reviewers = list(inst.reviewers)
    if rx.kind == "raise_capacity":
        reviewers = [
            dataclasses.replace(p, capacity=rx.value) if p.reviewer_id == rx.reviewer_id else p
            for p in reviewers
        ]
    elif rx.kind == "drop_forbidden":
        cons = dataclasses.replace(
            cons, forbidden=cons.forbidden - {(rx.request_id, rx.reviewer_id)}
        )
    elif rx.kind == "allow_repeat":
        cons = dataclasses.replace(
            cons, avoid_repeat=cons.avoid_repeat - {(rx.reviewer_id, rx.council)}
        )
    elif rx.kind == "allow_same_council":
        cons = dataclasses.replace(
            cons, allow_same_council=cons.allow_same_council | {(rx.request_id, rx.council)}
        )
    elif rx.kind == "allow_reciprocal":
        cons = dataclasses.replace(
            cons, allow_reciprocal=cons.allow_reciprocal | {(rx.council, rx.other)}
        )
    elif rx.kind == "add_reviewer":
        new = PoolReviewer(
            f"new-{rx.role}-{rx.request_id}",
            f"new-council-{rx.role}-{rx.request_id}",
            rx.role,
            (),
            1,
        )
        reviewers.append(new)
        if not callable(fit):
            fit = np.hstack(
                [np.asarray(fit).reshape(len(inst.requests), -1), np.zeros((len(inst.requests), 1))]
            )
    else:
        raise AllocationError(f"unknown relaxation kind {rx.kind!r}")
    return dataclasses.replace(inst, reviewers=tuple(reviewers), constraints=cons, fit=fit)
