"""explain_unfilled (array operations over each role's pool) gives the same reasons and
relaxations, word for word, as the per-reviewer loop it replaced (kept below as the
reference), on random rounds with every rule in play and on partial allocations."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from graph.roles import role_label
from matcher.allocation import (
    AllocationInstance,
    Constraints,
    PoolReviewer,
    ReviewRequest,
    ThemeOverlapFit,
    allocate,
    encode,
    explain_unfilled,
)
from matcher.allocation.encode import Encoded
from matcher.allocation.explain import MAX_RELAXATIONS, ORDER, PHRASE, _a, _join
from matcher.allocation.model import Relaxation, Unfilled


def random_round(seed: int) -> AllocationInstance:
    """A crowded round: few reviewers, low capacity, so many slots stay empty, with
    forbidden pairs, repeats, same-council and reciprocity exceptions."""
    rng = np.random.default_rng(seed)
    councils = [f"C{c}" for c in range(int(rng.integers(3, 9)))]
    roles = ("dcs", "ad", "lead_member")
    themes = [f"t{t}" for t in range(6)]
    requests = [
        ReviewRequest(f"Q{i}", councils[int(rng.integers(len(councils)))],
                      {k: int(rng.integers(0, 3)) for k in roles},
                      tuple(rng.choice(themes, size=int(rng.integers(0, 4)), replace=False)))
        for i in range(int(rng.integers(2, 12)))
    ]
    reviewers = [
        PoolReviewer(f"P{j}", councils[int(rng.integers(len(councils)))],
                     roles[int(rng.integers(len(roles)))],
                     tuple(rng.choice(themes, size=int(rng.integers(0, 4)), replace=False)),
                     int(rng.integers(0, 3)))
        for j in range(int(rng.integers(3, 30)))
    ]
    pairs = [(q.request_id, p.reviewer_id) for q in requests for p in reviewers]
    pick = rng.random(len(pairs)) < 0.15
    forbidden = {x for x, f in zip(pairs, pick, strict=True) if f}
    repeats = {(p.reviewer_id, councils[int(rng.integers(len(councils)))])
               for p in reviewers if rng.random() < 0.6}
    same = {(q.request_id, councils[int(rng.integers(len(councils)))])
            for q in requests if rng.random() < 0.3}
    recip = {(councils[int(rng.integers(len(councils)))],
              councils[int(rng.integers(len(councils)))]) for _ in range(2)}
    cons = Constraints(forbidden=forbidden, avoid_repeat=repeats,
                       repeat="forbid" if seed % 2 else "penalise",
                       allow_same_council=same, allow_reciprocal=recip)
    names = {c: f"Council {c[1:]}" for c in councils}
    return AllocationInstance(requests, reviewers, ThemeOverlapFit(), cons, council_names=names)


@pytest.mark.parametrize("solver", ["exact", "greedy"])
@pytest.mark.parametrize("seed", range(40))
def test_explanations_match_the_per_reviewer_reference(seed, solver):
    inst = random_round(seed)
    enc = encode(inst)
    al = allocate(inst, solver, explain=False)
    ri = {q: i for i, q in enumerate(enc.request_ids)}
    pi = {x: j for j, x in enumerate(enc.reviewer_ids)}
    r = np.array([ri[a.request_id] for a in al.assignments], dtype=np.int64)
    p = np.array([pi[a.reviewer_id] for a in al.assignments], dtype=np.int64)
    # the allocation found, and a partial one (every other arc dropped: free reviewers)
    for keep in (np.ones(len(r), dtype=bool), np.arange(len(r)) % 2 == 0):
        new = explain_unfilled(inst, enc, r[keep], p[keep])
        assert new == reference_explain(inst, enc, r[keep], p[keep])


def test_the_random_rounds_reach_every_kind_of_relaxation():
    kinds = {rx.kind for seed in range(40) for solver in ("exact", "greedy")
             for u in allocate(random_round(seed), solver).unfilled for rx in u.relaxations}
    assert kinds == {"raise_capacity", "add_reviewer", "allow_same_council",
                     "allow_reciprocal", "drop_forbidden", "allow_repeat"}


def reference_explain(
    inst: AllocationInstance, enc: Encoded, r: np.ndarray, p: np.ndarray
) -> tuple[Unfilled, ...]:
    """The per-reviewer loop explain_unfilled replaced (kept as the reference)."""
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
        reason = _ref_reason(inst, enc, a, k, pool, outside, blockers, scores)
        relax = _ref_relaxations(inst, enc, a, k, blockers, used, scores)
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


def _ref_reason(inst, enc, a, k, pool, outside, blockers, scores) -> str:
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


def _ref_relaxations(inst, enc, a, k, blockers, used, scores) -> list[Relaxation]:
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


