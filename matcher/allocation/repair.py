"""Repair the flow relaxation into an allocation that keeps every rule."""

from __future__ import annotations

import itertools

import numpy as np

from matcher.allocation.encode import Encoded
from matcher.allocation.flow import relaxation
from matcher.allocation.greedy import greedy_arcs


def repair(
    enc: Encoded, r: np.ndarray, p: np.ndarray, settle: int = 4, max_rounds: int = 30
) -> np.ndarray:
    """A feasible allocation from the flow relaxation: while it breaks reciprocity or the
    cross-role council rule, keep the heavier side of each team-council and council pair in
    use, ban the other, and solve again; after ``settle`` rounds every council pair is
    oriented (used pairs by weight, the rest by the candidate weight offered), which ends the
    churn of new reciprocal pairs; slots the bans left empty are then topped up greedily.
    After ``max_rounds`` flows (a count, not a clock, so the answer never depends on the
    machine's load) the clashing arcs are dropped greedily instead. Returns the chosen
    mask."""
    n_c = len(enc.councils)
    c_p, c_r = enc.rev_council[p], enc.req_council[r]
    w = enc.arc_weight(r, p).astype(float)
    fixed = enc.is_fixed(r, p)
    allowed = np.ones(len(r), dtype=bool)
    dir_key = c_p * n_c + c_r
    fixed_dirs = np.unique(dir_key[fixed])
    rev_fixed = (fixed_dirs % n_c) * n_c + fixed_dirs // n_c
    allowed &= ~np.isin(dir_key, rev_fixed) | enc.reciprocal_ok[c_p, c_r]
    offer = np.zeros((n_c, n_c))
    np.add.at(offer, (c_p, c_r), np.maximum(w, 0) + 1)
    for round_ in itertools.count():
        chosen = relaxation(enc, r, p, allowed)
        if round_ >= max_rounds:
            keep = np.zeros(len(r), dtype=bool)
            keep[greedy_arcs(enc, r, p, prefer=chosen)] = True
            return keep
        # Cross-role: keep the best role of a council in a team, ban its other roles there
        # (for every team and council in use, so that rerouting cannot create new clashes).
        new_bans = cross_role_losers(enc, r, p, chosen)
        # Reciprocity: orient every council pair in use (both ways: the heavier direction
        # wins), so that rerouting cannot create new reciprocal pairs.
        used = np.zeros((n_c, n_c))
        np.add.at(used, (c_p[chosen], c_r[chosen]), w[chosen] + 1e12 * fixed[chosen] + 1)
        if round_ >= settle:  # after a few rounds, orient every pair to stop the churn
            used = used * 1e6 + offer
        lose = (used < used.T) | (
            (used == used.T) & (used > 0) & (np.arange(n_c)[:, None] > np.arange(n_c)[None, :])
        )
        lose &= ~enc.reciprocal_ok
        new_bans |= lose[c_p, c_r] & ~fixed
        if not (new_bans & allowed).any():
            # The bans may have emptied slots that a banned arc could now fill under every
            # rule: top up greedily, keeping every chosen arc (they keep every rule).
            keep = np.zeros(len(r), dtype=bool)
            keep[greedy_arcs(enc, r, p, prefer=chosen)] = True
            return keep
        allowed &= ~new_bans
    raise AssertionError("unreachable")  # pragma: no cover


def cross_role_losers(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray,
                      everywhere: bool = True) -> np.ndarray:
    """Arcs to ban so that no team takes two reviewers of one council in different roles:
    in each team and council the ``chosen`` arcs use (where the team may not take several
    from it; with ``everywhere=False`` only where they use two or more), every role but
    that of the heaviest chosen arc (forced or locked arcs first). Forced and locked arcs
    are never banned."""
    n_c = len(enc.councils)
    c_p, k = enc.rev_council[p], enc.rev_role[p]
    w = enc.arc_weight(r, p).astype(float)
    fixed = enc.is_fixed(r, p)
    team = r * n_c + c_p
    sel = np.flatnonzero(chosen & ~enc.same_council_ok[r, c_p])
    if not everywhere:
        keys, counts = np.unique(team[sel], return_counts=True)
        sel = sel[np.isin(team[sel], keys[counts > 1])]
    sel = sel[np.lexsort((-(w[sel] + 1e12 * fixed[sel]), team[sel]))]
    keys, first = np.unique(team[sel], return_index=True)
    if not len(keys):
        return np.zeros(len(r), dtype=bool)
    pos = np.minimum(np.searchsorted(keys, team), len(keys) - 1)
    return (keys[pos] == team) & (k != k[sel[first]][pos]) & ~fixed
