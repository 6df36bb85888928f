"""Keep reciprocity on big rounds by orienting every council pair, then mend the rest locally.

At national size the flow relaxation breaks reciprocity on thousands of council pairs (6,681
at 10,000 x 30,000). Banning the lighter side pair by pair and solving again uncovers new
pairs each time; instead every council pair is oriented at once (:func:`orientation`): the
direction the relaxation used more, by weight, wins; pairs it did not use go by the weight
the candidates offer. Under an orientation reciprocity cannot break, so one min-cost flow
over the candidates that respect it gives the best fill and value for that orientation.
What the flow still breaks is the cross-role rule (one reviewer per council per team), in a
few hundred teams; :func:`mend` keeps the heavier arc of each such team-council, tops the
emptied slots up greedily and refills the rest by augmenting paths: a reviewer of the same
role moves over from another team, which takes a free reviewer, and so on, every step
checked against every rule. If some slots still cannot be refilled, the flow is solved
again without the clashes it made (at most :data:`MEND_ROUNDS` flows). The searches are
bounded by a count of teams visited (a work limit, never the clock).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from matcher.allocation.candidates import unique_arcs
from matcher.allocation.encode import Encoded
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import RelaxNet, max_fill, relax_with_flow
from matcher.allocation.greedy import greedy_arcs
from matcher.allocation.repair import cross_role_losers
from matcher.allocation.teams import Teams

SEARCH_TEAMS = 20_000
"""Teams an augmenting-path search may visit before it gives up on a slot."""
MEND_ROUNDS = 3
"""Oriented flows at most: when mending cannot refill every slot the flow filled, the flow
is solved again without the cross-role clashes it made."""


def orientation(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """bool[C, C] ``banned[c, d]``: council ``c`` may not review council ``d``. Of each pair
    of councils not allowed to review each other, the direction the ``chosen`` arcs use more
    (by weight; forced or locked arcs always win) is kept; unused pairs go by the weight the
    arcs ``(r, p)`` offer; exact ties by council order."""
    n_c = len(enc.councils)
    c_p, c_r = enc.rev_council[p], enc.req_council[r]
    w = enc.arc_weight(r, p).astype(float)
    fixed = enc.is_fixed(r, p)
    used = np.zeros((n_c, n_c))
    np.add.at(used, (c_p[chosen], c_r[chosen]), w[chosen] + 1)
    offer = np.zeros((n_c, n_c))
    np.add.at(offer, (c_p, c_r), np.maximum(w, 0) + 1)
    score = used * 1e6 + offer
    score[c_p[fixed], c_r[fixed]] = np.inf
    lower = np.arange(n_c)[:, None] > np.arange(n_c)[None, :]
    banned = (score < score.T) | ((score == score.T) & lower)
    return banned & ~enc.reciprocal_ok & ~np.eye(n_c, dtype=bool)


def mend(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray,
         search_teams: int = SEARCH_TEAMS) -> np.ndarray:
    """A mask of arcs keeping every rule, from ``chosen`` (arcs that keep every rule but
    perhaps the cross-role one): greedy keeps the heavier arcs and tops up, then each slot
    still empty is refilled by an augmenting path if one exists."""
    keep = np.zeros(len(r), dtype=bool)
    keep[greedy_arcs(enc, r, p, prefer=chosen)] = True
    return _Augment(enc, r, p, keep, search_teams).run()


class _Augment:
    """Augmenting paths within one role: team ``a`` takes reviewer ``j``, who leaves team
    ``a2`` (if ``j`` has no capacity left), which takes ``j2``, ... until a reviewer with
    capacity left is found."""

    def __init__(self, enc, r, p, keep, search_teams):
        self.enc, self.r, self.p, self.keep, self.limit = enc, r, p, keep, search_teams
        n_r, n_p = enc.shape
        self.fixed = enc.is_fixed(r, p)
        w = enc.arc_weight(r, p)
        self.order = np.lexsort((np.arange(len(r)), -w, enc.rev_role[p], r))
        ks = r[self.order] * len(enc.roles) + enc.rev_role[p[self.order]]
        self.start = np.searchsorted(ks, np.arange(n_r * len(enc.roles) + 1))
        self.cap = enc.capacity - np.bincount(p[keep], minlength=n_p)
        self.at: dict[int, list[int]] = {}  # reviewer -> kept arcs
        self.teams = Teams(enc)
        for i in np.flatnonzero(keep).tolist():
            self._add(i)

    def _add(self, i: int) -> None:
        j = int(self.p[i])
        self.keep[i] = True
        self.at.setdefault(j, []).append(i)
        self.teams.add(int(self.r[i]), j)

    def _drop(self, i: int) -> None:
        j = int(self.p[i])
        self.keep[i] = False
        self.at[j].remove(i)
        self.teams.drop(int(self.r[i]), j)

    def run(self) -> np.ndarray:
        enc = self.enc
        got = np.zeros(enc.demand.shape, dtype=np.int64)
        np.add.at(got, (self.r[self.keep], enc.rev_role[self.p[self.keep]]), 1)
        for a, k in zip(*np.nonzero(got < enc.demand), strict=True):
            for _ in range(int(enc.demand[a, k] - got[a, k])):
                if not self._path(int(a), int(k)):
                    break
        return self.keep

    def _path(self, a: int, k: int) -> bool:
        n_k = len(self.enc.roles)
        parent: dict[int, tuple[int, int, int]] = {}  # team -> (team before, arc in, arc out)
        queue = deque([(a, -1)])
        seen_rev: set[int] = set()
        visited = 1
        while queue:
            t, leaving = queue.popleft()
            lo, hi = self.start[t * n_k + k], self.start[t * n_k + k + 1]
            for i in self.order[lo:hi].tolist():
                j = int(self.p[i])
                if self.keep[i] or j in seen_rev or not self.teams.fits(t, j, leaving):
                    continue
                seen_rev.add(j)
                if self.cap[j] > 0:
                    self._apply(a, t, i, parent)
                    return True
                for i2 in self.at.get(j, ()):
                    t2 = int(self.r[i2])
                    if t2 in parent or t2 == a or self.fixed[i2]:
                        continue
                    parent[t2] = (t, i, i2)
                    visited += 1
                    queue.append((t2, j))
            if visited > self.limit:
                return False
        return False

    def _apply(self, a: int, t: int, i: int, parent) -> None:
        self.cap[int(self.p[i])] -= 1
        self._add(i)
        while t != a:
            before, i_in, i_out = parent[t]
            self._drop(i_out)
            self._add(i_in)
            t = before


@dataclass(frozen=True, eq=False)
class OrientedFlow:
    """The first oriented min-cost flow: over arcs ``(r, p)``, its network and flows (its
    potentials give a second value bound, :mod:`matcher.allocation.bound`)."""

    r: np.ndarray
    p: np.ndarray
    net: RelaxNet
    flows: np.ndarray


def solve_oriented(enc: Encoded, r: np.ndarray, p: np.ndarray, relaxed: np.ndarray,
                   wide_r: np.ndarray, wide_p: np.ndarray, fill_bound: int
                   ) -> tuple[np.ndarray, np.ndarray, list[str], OrientedFlow]:
    """Arcs keeping every rule: orient the council pairs by the relaxation's arcs
    ``relaxed`` over ``(r, p)``, solve the min-cost flow over the wider candidates
    ``(wide_r, wide_p)`` that respect the orientation (grown, when they cannot reach
    ``fill_bound``, by the pairs a minimum cut under the orientation asks for), and mend
    the cross-role rule. Returns the arcs, notes and the first oriented flow."""
    banned = orientation(enc, r, p, relaxed)
    eo = enc.oriented(banned)
    ar = np.concatenate([wide_r, r])
    ap = np.concatenate([wide_p, p])
    ok = ~banned[enc.rev_council[ap], enc.req_council[ar]] | enc.is_fixed(ar, ap)
    ro, po = unique_arcs(enc.shape[1], ar[ok], ap[ok])
    notes = [f"reciprocity kept by orienting {int(banned.sum())} council pairs; "
             f"{len(ro)} candidate pairs respect the orientation"]
    if max_fill(eo, ro, po).value < fill_bound:
        fill, ro, po, rounds = proven_fill_bound(eo, ro, po)
        notes.append(f"under that orientation the fill bound is {fill} ({rounds} max flows)")
    allowed = np.ones(len(ro), dtype=bool)
    first = None
    for round_ in range(MEND_ROUNDS):
        chosen, net, flows = relax_with_flow(eo, ro, po, allowed)
        first = first or OrientedFlow(ro, po, net, flows)
        keep = mend(eo, ro, po, chosen)
        if keep.sum() >= chosen.sum() or round_ == MEND_ROUNDS - 1:
            break
        # Some slots could not be refilled: ban, in each team, the roles of a council the
        # flow used twice but the best, and solve again.
        allowed &= ~_cross_role_losers(eo, ro, po, chosen)
        notes.append(f"mending left {int(chosen.sum() - keep.sum())} slots empty: the flow "
                     "solved again without the cross-role clashes")
    return ro[keep], po[keep], notes, first


def _cross_role_losers(enc: Encoded, r, p, chosen) -> np.ndarray:
    """Arcs to ban: every role but the best of a council used twice in one team."""
    return cross_role_losers(enc, r, p, chosen)
