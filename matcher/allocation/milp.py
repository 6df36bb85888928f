"""The round as a mixed-integer program (HiGHS through ``scipy.optimize.milp``).

Binary ``x`` per candidate arc; binary ``y[A, B]`` ("A reviews B") for council pairs with
candidates both ways, ``y[A, B] + y[B, A] <= 1`` and, per team and council, ``sum x <= y``
(or ``<= 1``); continuous excess loads ``e[c, j] >= load(c) - break_j``.

The reciprocity and one-per-council rows can be limited to given council pairs and
team-councils: the exact solver adds them lazily, only where a solution breaks them. HiGHS
runs single-threaded with a node limit (a count, not a clock), so the same model always gives
the same answer.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.allocation.encode import Encoded

PRESOLVE = False


class Milp:
    """The MILP over candidate arcs ``(r, p)``, built with vectorised sparse triplets.

    ``pairs`` (bool[C, C], symmetric) limits the reciprocity rule to those council pairs and
    ``teams`` (sorted keys ``team * C + council``) the one-per-council rule to those
    team-councils; ``None`` keeps every one (the plain MILP).
    """

    def __init__(self, enc: Encoded, r: np.ndarray, p: np.ndarray,
                 pairs: np.ndarray | None = None, teams: np.ndarray | None = None):
        self.n = n = len(r)
        n_k, n_c = len(enc.roles), len(enc.councils)
        k, c_p, c_r = enc.rev_role[p], enc.rev_council[p], enc.req_council[r]
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        lo: list[np.ndarray] = []
        hi: list[np.ndarray] = []
        n_rows = 0

        def add(row_of: np.ndarray, col: np.ndarray, val, low, high) -> None:
            nonlocal n_rows
            rows.append(row_of + n_rows)
            cols.append(col)
            vals.append(np.broadcast_to(np.asarray(val, dtype=float), col.shape))
            n_rows += len(low)
            lo.append(np.asarray(low, dtype=float))
            hi.append(np.asarray(high, dtype=float))

        arcs = np.arange(n)

        def capped(key: np.ndarray, cap_of_group) -> None:
            uniq, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
            cap = cap_of_group(uniq)
            keep = cnt > cap
            new_id = np.cumsum(keep) - 1
            sel = keep[inv]
            add(new_id[inv[sel]], arcs[sel], 1.0, np.full(keep.sum(), -np.inf), cap[keep])

        capped(r * n_k + k, lambda u: enc.demand[u // n_k, u % n_k])
        capped(p, lambda u: enc.capacity[u])

        present = np.zeros((n_c, n_c), dtype=bool)
        present[c_p, c_r] = True
        need_y = present & present.T & ~enc.reciprocal_ok
        if pairs is not None:
            need_y &= pairs | pairs.T
        ya, yb = np.nonzero(need_y)
        self.ny = ny = len(ya)
        self.y_pairs = (ya, yb)
        y_of = np.full((n_c, n_c), -1, dtype=np.int64)
        y_of[ya, yb] = n + np.arange(ny)
        half = ya < yb
        if half.any():
            idx = np.arange(half.sum())
            add(
                np.concatenate([idx, idx]),
                np.concatenate([y_of[ya[half], yb[half]], y_of[yb[half], ya[half]]]),
                1.0,
                np.full(len(idx), -np.inf),
                np.ones(len(idx)),
            )
        # Per team and council: sum x <= y (or <= 1), or x <= y when the team may take
        # several reviewers from that council.
        uniq, inv = np.unique(r * n_c + c_p, return_inverse=True)
        g_r, g_c = uniq // n_c, uniq % n_c
        g_y = y_of[g_c, enc.req_council[g_r]]
        g_same = enc.same_council_ok[g_r, g_c]
        cnt = np.bincount(inv, minlength=len(uniq))
        several = cnt > 1
        if teams is not None:
            several &= np.isin(uniq, teams)
        group_row = (~g_same) & ((g_y >= 0) | several)
        gid = np.cumsum(group_row) - 1
        sel = group_row[inv]
        with_y = group_row & (g_y >= 0)
        ng = int(group_row.sum())
        add(
            np.concatenate([gid[inv[sel]], gid[with_y]]),
            np.concatenate([arcs[sel], g_y[with_y]]),
            np.concatenate([np.ones(sel.sum()), -np.ones(with_y.sum())]),
            np.full(ng, -np.inf),
            np.where(g_y[group_row] >= 0, 0.0, 1.0),
        )
        single = g_same[inv] & (g_y[inv] >= 0)
        if single.any():
            idx = np.arange(single.sum())
            add(
                np.concatenate([idx, idx]),
                np.concatenate([arcs[single], g_y[inv[single]]]),
                np.concatenate([np.ones(len(idx)), -np.ones(len(idx))]),
                np.full(len(idx), -np.inf),
                np.zeros(len(idx)),
            )
        # Convex load cost: e[c, j] >= load(c) - break_j, i.e. load(c) - e[c, j] <= break_j.
        n_var = n + ny
        cost = []
        load_rows, self.load_of = [], []  # per load variable: its row; (council, break)
        most = np.bincount(c_p, minlength=n_c)
        cap_c = np.bincount(enc.rev_council, weights=enc.capacity, minlength=n_c)
        most = np.minimum(most, cap_c)
        for b, c in zip(enc.load_breaks.tolist(), enc.load_costs.tolist(), strict=True):
            councils = np.flatnonzero(most > b) if c > 0 else np.zeros(0, dtype=np.int64)
            if not len(councils):
                continue
            e_of = np.full(n_c, -1, dtype=np.int64)
            e_of[councils] = np.arange(len(councils))
            sel = e_of[c_p] >= 0
            load_rows.append(n_rows + np.arange(len(councils)))
            self.load_of += [(int(c_), int(b)) for c_ in councils.tolist()]
            add(
                np.concatenate([e_of[c_p[sel]], np.arange(len(councils))]),
                np.concatenate([arcs[sel], n_var + np.arange(len(councils))]),
                np.concatenate([np.ones(sel.sum()), -np.ones(len(councils))]),
                np.full(len(councils), -np.inf),
                np.full(len(councils), float(b)),
            )
            cost.append(np.full(len(councils), float(c)))
            n_var += len(councils)
        self.n_var = n_var
        self.load_rows = np.concatenate(load_rows or [np.zeros(0, dtype=np.int64)])
        self.enc, self.c_p, self.c_r = enc, c_p, c_r
        self.a = sp.csr_array(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n_rows, n_var),
        )
        self.lo, self.hi = np.concatenate(lo), np.concatenate(hi)
        # Objective in fit points (micro-points / SCALE), to keep HiGHS tolerances meaningful.
        self.value = (
            np.concatenate([enc.arc_weight(r, p).astype(float), np.zeros(ny)] + [-c for c in cost])
            / 1e6
        )
        self.integrality = np.zeros(n_var)
        self.integrality[: n + ny] = 1
        upper = np.full(n_var, np.inf)
        upper[: n + ny] = 1
        lower = np.zeros(n_var)
        lower[:n] = enc.is_fixed(r, p)
        self.bounds = Bounds(lower, upper)

    def keeps_rules(self, chosen: np.ndarray) -> bool:
        """Whether the arcs ``chosen`` (bool[n]) keep every row of the program, with the
        council-pair and load variables they imply."""
        x = np.zeros(self.n_var)
        x[: self.n] = chosen
        ya, yb = self.y_pairs
        used = np.zeros((len(self.enc.councils),) * 2, dtype=bool)
        used[self.c_p[chosen], self.c_r[chosen]] = True
        x[self.n: self.n + self.ny] = used[ya, yb]
        load = np.bincount(self.c_p[chosen], minlength=len(self.enc.councils))
        for i, (c, b) in enumerate(self.load_of):
            x[self.n + self.ny + i] = max(0, load[c] - b)
        lower = self.bounds.lb
        return bool(np.all(self.a @ x <= self.hi + 1e-9) and np.all(x >= lower))

    def solve(self, level: str, min_fill: int, node_limit: int):
        """Maximise the fill (``level='fill'``) or the value with ``fill >= min_fill``, with
        at most ``node_limit`` branch-and-bound nodes. Returns ``(chosen mask or None,
        status, gap, bound)``: ``bound`` is HiGHS's proven bound on the objective (fill, or
        value in micro-points)."""
        if self.n == 0:
            return (
                (np.zeros(0, dtype=bool), "optimal", 0.0, 0.0)
                if min_fill <= 0
                else (None, "infeasible", 1.0, 0.0)
            )
        fill_row = sp.csr_array(
            np.concatenate([np.ones(self.n), np.zeros(self.n_var - self.n)])[None, :]
        )
        cons = [LinearConstraint(self.a, self.lo, self.hi)] if self.a.shape[0] else []
        if level == "fill":
            c = -fill_row.toarray()[0]
            gap = 0.0
        else:
            c = -self.value
            cons.append(LinearConstraint(fill_row, [min_fill], [np.inf]))
            gap = 1e-10
        res = milp(
            c,
            constraints=cons,
            integrality=self.integrality,
            bounds=self.bounds,
            options={"presolve": PRESOLVE, "mip_rel_gap": gap, "node_limit": int(node_limit)},
        )
        scale = 1.0 if level == "fill" else 1e6
        bound = -float(getattr(res, "mip_dual_bound", None) or -np.inf) * scale
        if res.x is None:
            return None, ("infeasible" if res.status == 2 else "no-solution"), 1.0, bound
        status = "optimal" if res.status == 0 else "feasible"
        mip_gap = float(res.mip_gap or 0.0) if status == "feasible" else 0.0
        if status == "optimal":
            bound = -float(res.fun) * scale
        return res.x[: self.n] > 0.5, status, mip_gap, bound


