"""A proof that no eligible pair left out of the candidates could raise the fill, without
listing every eligible pair.

The fill bound is the max flow of the fill network (:func:`~matcher.allocation.flow.max_fill`)
over *all* eligible pairs. We solve it on the candidate arcs only and read the minimum cut:
``S``, the nodes the source still reaches in the residual network. The flow over the
candidates equals the flow over all pairs if the cut stays a cut when the pruned pairs
are added, i.e. if no pruned arc leaves ``S`` with room on it. A pruned arc runs from a
reviewer ``p`` to the group (team ``r``, ``p``'s council ``c``, role ``k``); it only matters
if ``p`` is in ``S``. Adding it, the group joins ``S``; the cut survives exactly when the
group was already in ``S``, or when it carries no flow yet (so its only residual arc leads
to the slot (``r``, ``k``)) and that slot is in ``S``. Call such a group *closed*.

So: if every pruned eligible pair from a reached reviewer lands in a closed group, the cut
over all pairs has the same capacity as the flow over the candidates, and by max-flow
min-cut that flow is maximal over all pairs. The check runs by (role, council) blocks over
reached reviewers and teams with an open group only. Any pair that breaks the condition is
added to the candidates and the flow solved again; each round adds pairs, so the loop ends
(at worst with every eligible pair). ``tests/matcher/test_allocation_fillproof.py`` compares
the result with the max flow over every eligible pair on random rounds.
"""

from __future__ import annotations

import numpy as np

from matcher.allocation.candidates import role_blocks, unique_arcs
from matcher.allocation.encode import Encoded, in_sorted
from matcher.allocation.flow import FillFlow, max_fill

PER_TEAM = 4
"""Breaking pairs added per team and role in one round (the best by weight)."""


def _open_groups(enc: Encoded, flow: FillFlow) -> np.ndarray:
    """bool[R * K, C]: groups (team, role, council) that are not closed."""
    n_k, n_c = len(enc.roles), len(enc.councils)
    fk = flow.keys
    slot_in = np.zeros(enc.demand.size, dtype=bool)
    slot_in[fk.skey[flow.slot_reached]] = True
    open_ = np.repeat(~slot_in[:, None], n_c, axis=1)
    closed = flow.group_reached | ((flow.group_flow == 0) & slot_in[fk.g_r * n_k + fk.g_k])
    open_[fk.g_r * n_k + fk.g_k, fk.g_c] = ~closed
    # Only groups a reached reviewer could join: a role the team asks for, another council
    # with a reached reviewer of that role.
    holder = (enc.capacity > 0) & flow.reviewer_reached
    reached = np.zeros((n_k, n_c), dtype=bool)
    reached[enc.rev_role[holder], enc.rev_council[holder]] = True
    open_ &= np.tile(reached, (len(enc.request_ids), 1))
    open_ &= (enc.demand.reshape(-1) > 0)[:, None]
    own = np.repeat(enc.req_council, n_k)
    open_[np.arange(len(own)), own] = False
    return open_


def breaking_pairs(enc: Encoded, r: np.ndarray, p: np.ndarray, flow: FillFlow
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Pruned eligible pairs that leave the cut of ``flow`` open (see the module doc)."""
    n_k = len(enc.roles)
    open_ = _open_groups(enc, flow)
    kept = np.sort(enc.keys(r, p))
    outs_r, outs_p = [], []
    teams = open_.reshape(len(enc.request_ids), n_k, -1).any(axis=(1, 2))
    for ki, rows, cols in role_blocks(enc, flow.reviewer_reached, teams):
        weight, el = enc.block(rows, cols)
        el &= open_[rows * n_k + ki][:, enc.rev_council[cols]]
        if not el.any():
            continue
        keys = rows[:, None].astype(np.int64) * len(enc.reviewer_ids) + cols[None, :]
        el &= ~in_sorted(keys, kept)
        key = np.where(el, weight, np.iinfo(np.int64).min // 2)
        width = min(PER_TEAM, len(cols))
        top = np.argpartition(-key, width - 1, axis=1)[:, :width]
        a = np.repeat(np.arange(len(rows)), width)
        b = top.reshape(-1)
        hit = el[a, b]
        outs_r.append(rows[a[hit]])
        outs_p.append(cols[b[hit]])
    if not outs_r:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(outs_r), np.concatenate(outs_p)


def proven_fill_bound(enc: Encoded, r: np.ndarray, p: np.ndarray
                      ) -> tuple[int, np.ndarray, np.ndarray, int]:
    """``(bound, r, p, rounds)``: the max flow over every eligible pair, computed over the
    candidates ``(r, p)`` grown by the pairs that broke the cut (returned, for the solver
    to use), and the number of flows solved."""
    rounds = 0
    while True:
        rounds += 1
        flow = max_fill(enc, r, p)
        br, bp = breaking_pairs(enc, r, p, flow)
        if not len(br):
            return flow.value, r, p, rounds
        r, p = unique_arcs(enc.shape[1], np.concatenate([r, br]), np.concatenate([p, bp]))
