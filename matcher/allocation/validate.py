"""The validator every solver is tested against: it checks each hard rule from the ids.

>>> from matcher.allocation.model import (Allocation, AllocationInstance, Assignment,
...     PoolReviewer, ReviewRequest)
>>> inst = AllocationInstance([ReviewRequest("Q1", "HAL", {"ad": 1})],
...                           [PoolReviewer("P1", "HAL", "ad")], fit=[[1.0]])
>>> bad = Allocation((Assignment("Q1", "P1", "ad", 1.0),), (), 0.0, "hand", "feasible", 0.0)
>>> is_valid_allocation(inst, bad)
['P1 (HAL) reviews their own council in Q1']
"""

from __future__ import annotations

from collections import Counter, defaultdict

from matcher.allocation.model import Allocation, AllocationInstance


def is_valid_allocation(
    inst: AllocationInstance, allocation: Allocation, *, check_unfilled: bool = True
) -> list[str]:
    """Every broken rule, in words; an empty list means the allocation is valid.

    Checks: known ids; no own-council review; role matches a slot of the request; slots
    per role not exceeded; a reviewer at most once per team; capacity; at most one reviewer
    per council per team (unless allowed); no reciprocal reviews (unless allowed); forced and
    locked pairs present; forbidden (and forbidden repeat) pairs absent; and, with
    ``check_unfilled``, that ``allocation.unfilled`` accounts exactly for the empty slots.
    """
    reqs = {q.request_id: q for q in inst.requests}
    revs = {p.reviewer_id: p for p in inst.reviewers}
    cons = inst.constraints
    out: list[str] = []
    pairs: Counter[tuple[str, str]] = Counter()
    per_slot: Counter[tuple[str, str]] = Counter()
    load: Counter[str] = Counter()
    team_councils: dict[str, Counter[str]] = defaultdict(Counter)
    arcs: set[tuple[str, str]] = set()
    for a in allocation.assignments:
        q, p = reqs.get(a.request_id), revs.get(a.reviewer_id)
        if q is None or p is None:
            out.append(f"unknown request or reviewer in {a.request_id}/{a.reviewer_id}")
            continue
        pairs[q.request_id, p.reviewer_id] += 1
        if p.council == q.council:
            out.append(f"{p.reviewer_id} ({p.council}) reviews their own council in {q.request_id}")
        if a.role != p.role:
            out.append(f"{p.reviewer_id} is a {p.role} but fills a {a.role} slot")
        if q.roles.get(p.role, 0) == 0:
            out.append(f"{q.request_id} has no {p.role} slot for {p.reviewer_id}")
        if (q.request_id, p.reviewer_id) in cons.forbidden:
            out.append(f"forbidden pair {q.request_id}/{p.reviewer_id} is used")
        if cons.repeat == "forbid" and (p.reviewer_id, q.council) in cons.avoid_repeat:
            out.append(f"{p.reviewer_id} reviewed {q.council} before (repeats forbidden)")
        per_slot[q.request_id, p.role] += 1
        load[p.reviewer_id] += 1
        team_councils[q.request_id][p.council] += 1
        arcs.add((p.council, q.council))
    for (q, p), n in pairs.items():
        if n > 1:
            out.append(f"{p} appears {n} times in team {q}")
    for (q, role), n in per_slot.items():
        if n > reqs[q].roles.get(role, 0):
            out.append(f"{q} has {n} {role} reviewers for {reqs[q].roles.get(role, 0)} slots")
    for p, n in load.items():
        if n > revs[p].capacity:
            out.append(f"{p} does {n} reviews, capacity {revs[p].capacity}")
    for q, councils in team_councils.items():
        for c, n in councils.items():
            if n > 1 and (q, c) not in cons.allow_same_council:
                out.append(f"team {q} has {n} reviewers from {c}")
    for a, b in sorted(arcs):
        if a < b and (b, a) in arcs and not cons.reciprocity_allowed(a, b):
            out.append(f"reciprocal reviews: {a} reviews {b} and {b} reviews {a}")
    for what, needed in (("forced", cons.forced), ("locked", cons.locked)):
        for q, p in sorted(needed - set(pairs)):
            out.append(f"{what} pair {q}/{p} is missing")
    if check_unfilled:
        missing: Counter[tuple[str, str]] = Counter()
        for u in allocation.unfilled:
            missing[u.request_id, u.role] += u.missing
        for q in inst.requests:
            for role, n in q.roles.items():
                empty = max(0, n - per_slot[q.request_id, role])
                if missing[q.request_id, role] != empty:
                    out.append(
                        f"{q.request_id} has {empty} empty {role} slots but "
                        f"{missing[q.request_id, role]} are reported unfilled"
                    )
    return out
