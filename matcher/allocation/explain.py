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

import numpy as np

from graph.roles import role_label
from matcher.allocation.encode import Encoded, in_sorted
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


class _Round:
    """What the allocation ``(r, p)`` fixes, indexed once for every empty slot: loads,
    team members and councils, which council reviews which, and the pairs rules name."""

    def __init__(self, inst: AllocationInstance, enc: Encoded, r: np.ndarray, p: np.ndarray):
        n_r, n_p = enc.shape
        n_c = len(enc.councils)
        self.used = np.bincount(p, minlength=n_p)
        self.cap = enc.capacity
        order = np.argsort(r, kind="stable")
        self.member_p = p[order]
        self.member_c = enc.rev_council[p][order]
        self.start = np.searchsorted(r[order], np.arange(n_r + 1))
        self.gives = np.zeros((n_c, n_c), dtype=bool)
        self.gives[enc.rev_council[p], enc.req_council[r]] = True
        ri = {q: i for i, q in enumerate(enc.request_ids)}
        pi = {x: j for j, x in enumerate(enc.reviewer_ids)}
        ci = {c: i for i, c in enumerate(enc.councils)}
        cons = inst.constraints
        self.hand_forbidden = np.unique(np.array(
            [ri[q] * n_p + pi[x] for q, x in cons.forbidden if q in ri and x in pi],
            dtype=np.int64))
        self.repeat_forbidden = np.unique(np.array(
            [pi[x] * n_c + ci[c] for x, c in cons.avoid_repeat if x in pi and c in ci]
            if cons.repeat == "forbid" else [], dtype=np.int64))
        self.pools = [np.flatnonzero(enc.rev_role == k) for k in range(len(enc.roles))]
        self.n_p, self.n_c = n_p, n_c

    def blockers(self, enc: Encoded, a: int, js: np.ndarray) -> np.ndarray:
        """bool[len(js), len(ORDER) - 1]: which rule (columns in :data:`ORDER`) blocks
        each reviewer ``js`` from team ``a``."""
        b = int(enc.req_council[a])
        c = enc.rev_council[js]
        lo, hi = self.start[a], self.start[a + 1]
        team_c = np.zeros(self.n_c, dtype=bool)
        team_c[self.member_c[lo:hi]] = True
        cap, used = self.cap[js], self.used[js]
        return np.stack([
            np.isin(js, self.member_p[lo:hi]),
            cap == 0,
            in_sorted(a * self.n_p + js, self.hand_forbidden),
            in_sorted(js * self.n_c + b, self.repeat_forbidden),
            team_c[c] & ~enc.same_council_ok[a, c],
            self.gives[b, c] & ~enc.reciprocal_ok[b, c],
            (cap > 0) & (used >= cap),
        ], axis=1)


def explain_unfilled(
    inst: AllocationInstance, enc: Encoded, r: np.ndarray, p: np.ndarray
) -> tuple[Unfilled, ...]:
    """One :class:`Unfilled` per (request, role) with empty slots, for the arcs ``(r, p)``.

    Each reviewer's blockers are computed for the whole pool of the slot's role at once
    (array operations over the pool, nothing per reviewer in Python)."""
    r, p = np.asarray(r, dtype=np.int64), np.asarray(p, dtype=np.int64)
    got = np.zeros(enc.demand.shape, dtype=np.int64)
    np.add.at(got, (r, enc.rev_role[p]), 1)
    if not (got < enc.demand).any():
        return ()
    ctx = _Round(inst, enc, r, p)
    out = []
    for a, k in zip(*np.nonzero(got < enc.demand), strict=True):
        a, k = int(a), int(k)
        q = inst.requests[a]
        role, label, bname = enc.roles[k], role_label(enc.roles[k]), inst.name(q.council)
        pool = ctx.pools[k]
        outside = pool[enc.rev_council[pool] != enc.req_council[a]]
        scores = enc.arc_score(np.full(len(outside), a), outside)
        blocked = ctx.blockers(enc, a, outside)
        # main blocker: the first in ORDER, or "free" (the last) when none applies
        main = np.where(blocked.any(axis=1), blocked.argmax(axis=1), len(ORDER) - 1)
        reason = _reason(inst, enc, a, k, pool, outside, main, scores)
        single = blocked.sum(axis=1) == 1
        relax = _relaxations(inst, enc, a, k, outside, main, single, ctx.used, scores)
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


def _council_names(inst, enc, js: np.ndarray) -> list[str]:
    return sorted({inst.name(enc.councils[c]) for c in np.unique(enc.rev_council[js]).tolist()})


def _reason(inst, enc, a, k, pool, outside, main, scores) -> str:
    q = inst.requests[a]
    label, bname = role_label(enc.roles[k]), inst.name(q.council)
    if not len(pool):
        return f"no {label} in the pool: add {_a(label)} reviewer"
    if not len(outside):
        return f"every {label} in the pool is from {bname}: add {_a(label)} from another council"
    count = np.bincount(main, minlength=len(ORDER))
    kind = {name: i for i, name in enumerate(ORDER)}
    if count.sum() == count[kind["nocap"]]:
        return f"no {label} with capacity outside {bname}: add {_a(label)} or raise capacity"
    count[kind["nocap"]] = 0
    kinds = {ORDER[i] for i in np.flatnonzero(count)}
    n = int(count.sum())
    if kinds == {"capacity"}:
        best = outside[np.argmax(np.where(main == kind["capacity"], scores, -np.inf))]
        what = f"the {n} eligible {label}s" if n > 1 else f"the only eligible {label}"
        return (
            f"capacity of {what} is used by other teams: raise capacity of "
            f"{inst.reviewers[best].reviewer_id} or add {_a(label)}"
        )
    if kinds == {"council"}:
        names = _council_names(inst, enc, outside[main == kind["council"]])
        return (
            f"every {label} with capacity is from a council already on this team "
            f"({_join(names)}): allow a second reviewer from {names[0]}"
        )
    if kinds == {"reciprocity"}:
        names = _join(_council_names(inst, enc, outside[main == kind["reciprocity"]]))
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
    parts = [f"{count[i]} {PHRASE[kd].format(b=bname)}" for i, kd in enumerate(ORDER)
             if count[i]]
    return (
        f"no {label} from another council can join ({n} checked): "
        + "; ".join(parts)
        + " - see the suggested changes"
    )


def _relaxations(inst, enc, a, k, outside, main, single, used, scores) -> list[Relaxation]:
    """The best :data:`MAX_RELAXATIONS` single-rule changes, each lifting the only rule that
    blocks one reviewer (by that reviewer's fit, then by the words)."""
    kind = {name: i for i, name in enumerate(ORDER)}
    ok = single & (main != kind["member"]) & (main != kind["free"])
    idx = np.flatnonzero(ok)
    if not len(idx):
        return []
    # One change per reviewer, but one per council for the council-wide rules: keep the
    # best reviewer of each (the first on ties).
    per_council = np.isin(main[idx], [kind["council"], kind["reciprocity"]])
    group = np.where(per_council, -1 - (main[idx] * len(enc.councils)
                                        + enc.rev_council[outside[idx]]), idx)
    order = np.lexsort((idx, -scores[idx], group))
    first = np.ones(len(order), dtype=bool)
    first[1:] = group[order][1:] != group[order][:-1]
    idx = idx[order[first]]
    s = scores[idx]
    if len(idx) > MAX_RELAXATIONS:  # words are needed only to order the ties at the cut
        cut = np.sort(s)[::-1][MAX_RELAXATIONS - 1]
        idx, s = idx[s >= cut], s[s >= cut]
    found = [(float(v), _relaxation(inst, enc, a, k, int(outside[i]), ORDER[main[i]], used))
             for i, v in zip(idx.tolist(), s.tolist(), strict=True)]
    ranked = sorted(found, key=lambda t: (-t[0], t[1].text))
    return [rx for _, rx in ranked[:MAX_RELAXATIONS]]


def _relaxation(inst, enc, a, k, j, kind, used) -> Relaxation:
    q = inst.requests[a]
    bname = inst.name(q.council)
    label = role_label(enc.roles[k])
    pv: PoolReviewer = inst.reviewers[j]
    cname = inst.name(pv.council)
    if kind in ("capacity", "nocap"):
        v = int(used[j]) + 1
        return Relaxation(
            "raise_capacity",
            f"raise capacity of {pv.reviewer_id} ({label}, {cname}) to {v}",
            reviewer_id=pv.reviewer_id,
            value=v,
        )
    if kind == "forbidden":
        return Relaxation(
            "drop_forbidden",
            f"drop the forbidden pair {q.request_id}/{pv.reviewer_id}",
            request_id=q.request_id,
            reviewer_id=pv.reviewer_id,
        )
    if kind == "repeat":
        return Relaxation(
            "allow_repeat",
            f"allow {pv.reviewer_id} to review {bname} again",
            reviewer_id=pv.reviewer_id,
            council=q.council,
        )
    if kind == "council":
        return Relaxation(
            "allow_same_council",
            f"allow a second reviewer from {cname} on team {q.request_id}",
            request_id=q.request_id,
            council=pv.council,
        )
    return Relaxation(
        "allow_reciprocal",
        f"lift the reciprocity rule for {bname}<->{cname}",
        council=q.council,
        other=pv.council,
    )


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
