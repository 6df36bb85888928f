"""Keep reciprocity on big rounds by orienting every council pair, then mend the rest locally.

At national size the flow relaxation breaks reciprocity on thousands of council pairs (6,681
at 10,000 x 30,000). Banning the lighter side pair by pair and solving again uncovers new
pairs each time; instead every council pair is oriented at once (:func:`orientation`). Of a
pair the relaxation uses both ways, the direction whose ban is estimated to cost less is
banned: each of its pairs would give way, and its slot would take its best other reviewer,
priced at the relaxation's optimal potentials (:func:`direction_losses`). Without those
prices, the direction used more by weight wins. Pairs used one way keep that way; pairs not
used go by the weight the candidates offer.

Under an orientation reciprocity cannot break, so one min-cost flow over the candidates that
respect it gives the best fill and value for that orientation. What the flow still breaks is
the cross-role rule (one reviewer per council per team), in a few hundred teams. So up to
:data:`FLOWS` flows are solved, each keeping, where the flow before (for the first: the
relaxation) put one council in two roles of a team, only the role of its best pair there.
Each flow is mended (:func:`mend`): the heavier pair of each clashing team-council is kept,
the emptied slots topped up greedily and the rest refilled by augmenting paths (a reviewer
of the same role moves over from another team, which takes a free reviewer, and so on; or
the council trades the role it fills in the team), every step checked against every rule.
The best mended flow is the answer; slots it leaves empty may then take pairs the
orientation left out, where the council reviewed does not review the other back (the rule
itself bans only a pair used both ways). The searches are bounded by a count of teams
visited (a work limit, never the clock).

At 10,000 x 30,000 (seeds 20240601, 7, 11, 23), with the flows over the top 24 candidates per
slot, this keeps 0.4% more value than orienting by weight with one flow over the top 16:
43,836-44,006 against 43,669-43,819 (bench/bench_allocation.py).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from matcher.allocation.candidates import unique_arcs
from matcher.allocation.encode import Encoded, better
from matcher.allocation.fillproof import proven_fill_bound
from matcher.allocation.flow import RelaxNet, max_fill, relax_with_flow
from matcher.allocation.greedy import greedy_arcs
from matcher.allocation.lagrange import Multipliers
from matcher.allocation.repair import cross_role_losers
from matcher.allocation.teams import Teams

SEARCH_TEAMS = 20_000
"""Teams an augmenting-path search may visit before it gives up on a slot."""
FLOWS = 2
"""Oriented flows at most, each keeping one role per council in the teams where the one
before broke the cross-role rule (over the top 24 candidates a third gained nothing)."""


def orientation(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray,
                losses: np.ndarray | None = None) -> np.ndarray:
    """bool[C, C] ``banned[c, d]``: council ``c`` may not review council ``d``. Of each pair
    of councils not allowed to review each other, a direction the ``chosen`` arcs use wins
    (forced or locked arcs always); where they use both, the one whose ban would lose more
    (``losses``, float[C, C], :func:`direction_losses`) or, without ``losses``, the one
    they use more by weight; unused pairs go by the weight the arcs ``(r, p)`` offer; exact
    ties by council order."""
    n_c = len(enc.councils)
    c_p, c_r = enc.rev_council[p], enc.req_council[r]
    w = enc.arc_weight(r, p).astype(float)
    fixed = enc.is_fixed(r, p)
    used = np.zeros((n_c, n_c))
    np.add.at(used, (c_p[chosen], c_r[chosen]), w[chosen] + 1)
    offer = np.zeros((n_c, n_c))
    np.add.at(offer, (c_p, c_r), np.maximum(w, 0) + 1)
    score = used * 1e6 + offer
    if losses is not None:
        both = (used > 0) & (used.T > 0)
        score = np.where(both, losses + used * 1e-15, score)  # used: micro-points
    score[c_p[fixed], c_r[fixed]] = np.inf
    lower = np.arange(n_c)[:, None] > np.arange(n_c)[None, :]
    banned = (score < score.T) | ((score == score.T) & lower)
    return banned & ~enc.reciprocal_ok & ~np.eye(n_c, dtype=bool)


def direction_losses(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray,
                     prices: Multipliers) -> np.ndarray:
    """float[C, C] (points): what banning council ``c`` from reviewing council ``d`` is
    estimated to cost, at the ``prices`` of an optimal solution of the relaxation whose arcs
    are ``chosen`` over ``(r, p)`` (:func:`~matcher.allocation.lagrange.from_potentials`):
    there a pair's reduced value is 0 if chosen and at most 0 if not, and a chosen pair
    that gives way costs what its slot's best unchosen pair falls short by (its reduced
    value; a point where the slot has none); a direction's loss is the sum over its chosen
    pairs. (Adding what the freed reviewer's best other slot falls short by was measured
    too: no better on three of four national rounds.)"""
    n_c, n_k = len(enc.councils), len(enc.roles)
    slot = r * n_k + enc.rev_role[p]
    value = (enc.arc_weight(r, p) / 1e6 - prices.y[slot] - prices.z[p]
             - prices.lam[enc.rev_council[p]] + prices.mu)
    other = ~chosen
    slot_alt = np.full(enc.demand.size, -1.0)
    np.maximum.at(slot_alt, slot[other], value[other])
    cost = -np.minimum(slot_alt[slot], 0)
    losses = np.zeros((n_c, n_c))
    np.add.at(losses, (enc.rev_council[p[chosen]], enc.req_council[r[chosen]]), cost[chosen])
    return losses


def mend(enc: Encoded, r: np.ndarray, p: np.ndarray, chosen: np.ndarray,
         search_teams: int = SEARCH_TEAMS) -> np.ndarray:
    """A mask of arcs keeping every rule, from ``chosen`` (arcs that keep every rule but
    perhaps the cross-role one): greedy keeps the heavier arcs and tops up, then each slot
    still empty is refilled by an augmenting path if one exists."""
    keep = np.zeros(len(r), dtype=bool)
    keep[greedy_arcs(enc, r, p, prefer=chosen)] = True
    return refill(enc, r, p, keep, search_teams)


def refill(enc: Encoded, r: np.ndarray, p: np.ndarray, keep: np.ndarray,
           search_teams: int = SEARCH_TEAMS) -> np.ndarray:
    """``keep`` (a mask of arcs over ``(r, p)`` keeping every rule) with each empty slot
    refilled, where one exists, by an augmenting path or a council trading its role."""
    return _Augment(enc, r, p, keep.copy(), search_teams).run()


class _Augment:
    """Augmenting paths within one role: team ``a`` takes reviewer ``j``, who leaves team
    ``a2`` (if ``j`` has no capacity left), which takes ``j2``, ... until a reviewer with
    capacity left is found; failing that, a council on team ``a`` in another role may trade
    it for the empty one (:meth:`_trade_roles`)."""

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
                if not (self._path(int(a), int(k)) or self._trade_roles(int(a), int(k))):
                    break
        return self.keep

    def _trade_roles(self, a: int, k: int) -> bool:
        """Slot ``(a, k)`` takes a reviewer with capacity left from a council already on
        team ``a`` in another role; that council's reviewer there gives way and their slot
        is refilled by an augmenting path (undone when there is none)."""
        n_k = len(self.enc.roles)
        lo, hi = self.start[a * n_k + k], self.start[a * n_k + k + 1]
        sitting = {self.teams.rev_council[j]: j for j in self.teams.members[a]}
        for i in self.order[lo:hi].tolist():
            j = int(self.p[i])
            j2 = sitting.get(self.teams.rev_council[j], -1)
            if self.keep[i] or self.cap[j] <= 0 or j2 < 0:
                continue
            i2 = next(x for x in self.at[j2] if self.r[x] == a)
            if self.fixed[i2] or not self.teams.fits(a, j, leaving=j2):
                continue
            self._swap(i2, i)
            if self._path(a, int(self.enc.rev_role[j2])):
                return True
            self._swap(i, i2)
        return False

    def _swap(self, out: int, into: int) -> None:
        """Arc ``out`` leaves the allocation and arc ``into`` joins it (capacity moved)."""
        self._drop(out)
        self.cap[int(self.p[out])] += 1
        self._add(into)
        self.cap[int(self.p[into])] -= 1

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
                   wide_r: np.ndarray, wide_p: np.ndarray, fill_bound: int,
                   losses: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray, list[str], OrientedFlow]:
    """Arcs keeping every rule: orient the council pairs by the relaxation's arcs
    ``relaxed`` over ``(r, p)`` (and ``losses``, see :func:`orientation`), solve the
    min-cost flow over the wider candidates ``(wide_r, wide_p)`` that respect the
    orientation (grown, when they cannot reach ``fill_bound``, by the pairs a minimum cut
    under the orientation asks for), up to :data:`FLOWS` times with the roles the flow
    before broke the cross-role rule in left out, and mend each. Returns the best mended
    arcs, notes and the first oriented flow (over the arcs it was given)."""
    banned = orientation(enc, r, p, relaxed, losses)
    eo = enc.oriented(banned)
    ar = np.concatenate([wide_r, r])
    ap = np.concatenate([wide_p, p])
    ok = ~banned[enc.rev_council[ap], enc.req_council[ar]] | enc.is_fixed(ar, ap)
    ro, po = unique_arcs(enc.shape[1], ar[ok], ap[ok])
    how = "what banning each direction would cost" if losses is not None else "weight"
    notes = [f"reciprocity kept by orienting {int(banned.sum())} council pairs (by "
             f"{how}); {len(ro)} candidate pairs respect the orientation"]
    target = fill_bound
    if max_fill(eo, ro, po).value < fill_bound:
        target, ro, po, rounds = proven_fill_bound(eo, ro, po)
        notes.append(f"under that orientation the fill bound is {target} ({rounds} max flows)")
    # The first flow keeps, where the relaxation broke the cross-role rule, its best role.
    n_p = enc.shape[1]
    in_relaxed = np.isin(ro * n_p + po, r[relaxed] * n_p + p[relaxed])
    allowed = ~cross_role_losers(eo, ro, po, in_relaxed, everywhere=False)
    first, best, flows_run = None, None, 0
    for _ in range(FLOWS):
        idx = np.flatnonzero(allowed)
        picked, net, flows = relax_with_flow(eo, ro[idx], po[idx], np.ones(len(idx), bool))
        flows_run += 1
        first = first or OrientedFlow(ro[idx], po[idx], net, flows)
        chosen = np.zeros(len(ro), dtype=bool)
        chosen[idx[picked]] = True
        keep = mend(eo, ro, po, chosen)
        if best is None or better(enc, (ro[keep], po[keep]), (ro[best], po[best])):
            best = keep
        # Where the flow broke the cross-role rule, keep its best role: a flow that fills
        # less for it may still be mended to the full fill, so the sequence goes on.
        losers = cross_role_losers(eo, ro, po, chosen, everywhere=False)
        if not (losers & chosen).any():
            break
        allowed &= ~losers
    notes.append(f"{flows_run} oriented flow{'s' if flows_run != 1 else ''} (each keeping one "
                 "role per council where the one before put a council in two roles of a "
                 "team), each mended")
    best_r, best_p = ro[best], po[best]
    if len(best_r) < target:
        # The orientation bans more than reciprocity does: a council may review one that
        # does not review it back. The last refill may use any pair read that fits.
        all_r, all_p = unique_arcs(n_p, np.concatenate([ar, ro]), np.concatenate([ap, po]))
        keep = refill(enc, all_r, all_p, np.isin(all_r * n_p + all_p, best_r * n_p + best_p))
        refilled = int(keep.sum()) - len(best_r)
        notes.append(f"{refilled} slot{'s' if refilled != 1 else ''} refilled with "
                     f"{'a pair' if refilled == 1 else 'pairs'} the orientation had left out")
        best_r, best_p = all_r[keep], all_p[keep]
    return best_r, best_p, notes, first

