"""The greedy baseline: take arcs best first while every rule still holds. Not optimal;
also used to finish a repair that must stop."""

from __future__ import annotations

import numpy as np

from matcher.allocation.candidates import DEFAULT_K, candidate_arcs
from matcher.allocation.encode import Encoded, Solution


def greedy_arcs(
    enc: Encoded, r: np.ndarray, p: np.ndarray, prefer: np.ndarray | None = None
) -> np.ndarray:
    """Indices of arcs kept by the greedy rule: forced/locked first, then ``prefer``-ed
    arcs, then by weight, each taken while every rule still holds."""
    fixed = enc.is_fixed(r, p)
    prefer = np.zeros(len(r), dtype=bool) if prefer is None else prefer
    order = np.lexsort((np.arange(len(r)), -enc.arc_weight(r, p), ~prefer, ~fixed))
    slots = enc.demand.copy()
    cap = enc.capacity.copy()
    team_c: set[tuple[int, int]] = set()
    team_p: set[tuple[int, int]] = set()
    used: set[tuple[int, int]] = set()
    chosen = []
    rc, pc, pk = enc.req_council, enc.rev_council, enc.rev_role
    for i in order.tolist():
        a, b = int(r[i]), int(p[i])
        ca, cb, kb = int(rc[a]), int(pc[b]), int(pk[b])
        if slots[a, kb] <= 0 or cap[b] <= 0 or (a, b) in team_p:
            continue
        if (a, cb) in team_c and not enc.same_council_ok[a, cb]:
            continue
        if (ca, cb) in used and not enc.reciprocal_ok[ca, cb]:
            continue
        slots[a, kb] -= 1
        cap[b] -= 1
        team_c.add((a, cb))
        team_p.add((a, b))
        used.add((cb, ca))
        chosen.append(i)
    return np.array(sorted(chosen), dtype=np.int64)



def solve_greedy(enc: Encoded, *, k: int | None = DEFAULT_K) -> Solution:
    """Baseline: take arcs best first while every rule still holds. Not optimal."""
    r, p = candidate_arcs(enc, k)
    keep = greedy_arcs(enc, r, p)
    return Solution(r[keep], p[keep], "feasible", notes=("greedy: no optimality claim",))


