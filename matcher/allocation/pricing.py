"""Solve the integer program over a few of its columns and prove the answer over all of them.

At England scale (150 x 600, top 30 candidates per slot: 14,850 arcs and 5,214 council-pair
variables) nearly all of the solver's time was HiGHS's simplex at the root of the branch and
bound, over every column, though the answer uses 495 arcs. Here the linear relaxation is
solved over a few columns only (the best ``first_k`` candidates per slot, the flow's arcs and
the council pairs they use), and its duals price every other column (reduced cost
``d = value - A^T y``); columns that could improve it are added and the LP solved again until
none can. For any duals ``y >= 0``, ``b.y + sum_j max(l_j d_j, u_j d_j)`` bounds the integer
program over *all* columns (Lagrangian duality), computed here directly from ``y``, so the
proof does not rest on the LP solver's tolerances. If the LP's answer is integral and reaches
the bound, it is optimal. Otherwise, on a small program (under :data:`WHOLE_BELOW` candidate
pairs, where the root LP was never the cost) the caller solves the whole program; on a larger
one the integer program is solved over the priced columns; any answer using a left-out column
``j`` is worth at most ``bound + d_j``, so columns that cannot beat the incumbent stay out and
the rest are added, until the integer program over the columns kept is optimal and no
left-out column could beat it.

Every step is deterministic (single-threaded simplex, node limits), never the clock.
"""

from __future__ import annotations

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.allocation.encode import Encoded, secondary_value
from matcher.allocation.milp import PRESOLVE, Milp

FIRST_K = 4
"""Candidates per slot of demand the first LP starts from (by arc weight)."""
PRICE_ROUNDS = 8
"""LP or integer solves at most before giving the round back to the plain integer program."""
ADD_AT_ONCE = 2_000
"""Left-out columns with a positive reduced cost added per LP round, best first."""
WHOLE_BELOW = 5_000
"""Candidate pairs under which a fractional LP hands the integer program back whole. Pricing
saves the root LP over every column, which costs milliseconds at this size, while the
integer phase here can need a second branch and bound after pricing in the columns that
could beat the first answer, doubling the time (seen on dense regional rounds: 10-12
councils, two requests each, where reciprocity makes the LP fractional)."""


def priced_optimum(enc: Encoded, r: np.ndarray, p: np.ndarray, relaxed: np.ndarray,
                   min_fill: int, node_limit: int, notes: list[str]
                   ) -> tuple[np.ndarray, int] | None:
    """The arcs of an optimal allocation over the candidates ``(r, p)`` with at least
    ``min_fill`` slots filled, proven as the module docstring says, and its value
    (micro-points); None when no proof came within the work limits (the caller
    then solves the whole integer program)."""
    model = Milp(enc, r, p)
    if model.n == 0:
        return None
    a, upper, lower, value = _full_lp(model, min_fill)
    cols = _first_columns(enc, r, p, relaxed, model)
    lp, y = _Lp(a, upper, lower, value), None
    for _ in range(PRICE_ROUNDS):
        x, y_s = lp.solve(cols)
        if x is None:
            if cols.all():
                return None  # the fill cannot be reached under every rule: the caller decides
            cols = np.ones_like(cols)  # the first columns cannot reach the fill
            continue
        y = y_s
        d = _reduced_costs(model, a, value, y)
        out = np.flatnonzero(~cols & (d > 1e-9))
        if not len(out):
            break
        cols[out[np.argsort(-d[out], kind="stable")[:ADD_AT_ONCE]]] = True
    else:
        return None
    d = _reduced_costs(model, a, value, y)
    bound = _bound(a, upper, lower, d, y)
    mask = _integral(x, model)
    if mask is not None and int(mask.sum()) >= min_fill:
        got = secondary_value(enc, r[mask], p[mask])
        if got + 1 > bound + 1e-3:
            notes.append(_note(lp.solves, 0, cols, model))
            return mask, got
    if model.n < WHOLE_BELOW:
        return None
    for milp_round in range(1, PRICE_ROUNDS + 1):
        mask = _solve_milp(model, a, upper, lower, value, cols, min_fill, node_limit)
        if mask is None:
            return None
        got = secondary_value(enc, r[mask], p[mask])
        # A left-out column j is in no answer worth more than bound + d_j.
        could = ~cols & (bound + d > got + 1 - 1e-3)
        if not could.any():
            notes.append(_note(lp.solves, milp_round, cols, model))
            return mask, got
        cols |= could
    return None


def _note(lp_rounds: int, milp_rounds: int, cols: np.ndarray, model: Milp) -> str:
    how = ("its linear relaxation had an integral optimum" if not milp_rounds
           else f"{milp_rounds} integer solves over them")
    return (f"integer program over {int(cols[:model.n].sum())} of {model.n} candidate pairs "
            f"({lp_rounds} linear solves, {how}), proven optimal over every candidate by "
            "reduced costs")


def _full_lp(model: Milp, min_fill: int):
    """The program as ``a x <= upper`` (the fill row negated), column bounds and values in
    micro-points."""
    fill = np.zeros(model.n_var)
    fill[: model.n] = 1.0
    a = sp.vstack([model.a, sp.csr_array(-fill[None, :])]).tocsc()
    upper = np.concatenate([model.hi, [-float(min_fill)]])
    if np.isfinite(model.lo).any():  # pragma: no cover - every row is an upper bound
        raise AssertionError("the integer program has a row with a lower bound")
    value = np.rint(model.value * 1e6)
    return a, upper, (model.bounds.lb, model.bounds.ub), value


def _first_columns(enc: Encoded, r, p, relaxed, model: Milp) -> np.ndarray:
    """The first LP's columns: the best ``FIRST_K * demand`` arcs of each slot, the flow's
    arcs, the council-pair variables those arcs use, and every load variable."""
    k = enc.rev_role[p]
    slot = r * len(enc.roles) + k
    w = enc.arc_weight(r, p)
    order = np.lexsort((np.arange(len(r)), -w, slot))
    start = np.searchsorted(slot[order], slot[order], side="left")
    rank = np.empty(len(r), dtype=np.int64)
    rank[order] = np.arange(len(r)) - start
    cols = np.ones(model.n_var, dtype=bool)
    cols[: model.n] = (rank < FIRST_K * enc.demand[r, k]) | relaxed | enc.is_fixed(r, p)
    cols[model.n: model.n + model.ny] = False
    return _with_pairs(enc, r, p, cols, model)


def _with_pairs(enc: Encoded, r, p, cols: np.ndarray, model: Milp) -> np.ndarray:
    ya, yb = model.y_pairs
    used = np.zeros((len(enc.councils),) * 2, dtype=bool)
    arcs = cols[: model.n]
    used[enc.rev_council[p[arcs]], enc.req_council[r[arcs]]] = True
    cols[model.n: model.n + model.ny] |= used[ya, yb] | used[yb, ya]
    return cols


class _Lp:
    """The LP over a growing set of columns, in one HiGHS instance: columns are added and
    the LP solved again from the last basis (a few simplex iterations instead of thousands
    from scratch). Single-threaded dual simplex: deterministic."""

    def __init__(self, a, upper, lower, value):
        self.a, self.lower, self.value = a, lower, value
        # The plain binding: the Python wrapper's callbacks print HiGHS's banner to stdout
        # when it is built, before any option can silence it.
        self.h = highspy._Highs()
        for name, v in (("output_flag", False), ("presolve", "off"), ("threads", 1),
                        ("solver", "simplex")):
            self.h.setOptionValue(name, v)
        n_rows = a.shape[0]
        self.h.addRows(n_rows, np.full(n_rows, -highspy.kHighsInf), upper, 0,
                       np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
        self.cols = np.zeros(a.shape[1], dtype=bool)
        self.order = np.zeros(0, dtype=np.int64)  # HiGHS column -> our column
        self.solves = 0

    def solve(self, cols: np.ndarray):
        """The LP over columns ``cols`` (a superset of the last call's): the full-length
        primal ``x`` and row duals ``y >= 0`` (micro-points per unit of row), or
        ``(None, None)`` if it is infeasible."""
        new = np.flatnonzero(cols & ~self.cols)
        if len(new):
            sub = self.a[:, new]
            inf = highspy.kHighsInf
            ub = np.where(np.isinf(self.lower[1][new]), inf, self.lower[1][new])
            self.h.addCols(len(new), -self.value[new], self.lower[0][new], ub, sub.nnz,
                           sub.indptr[:-1].astype(np.int32), sub.indices.astype(np.int32),
                           sub.data.astype(float))
            self.cols[new] = True
            self.order = np.concatenate([self.order, new])
        self.h.run()
        self.solves += 1
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None, None
        sol = self.h.getSolution()
        x = np.zeros(len(cols))
        x[self.order] = np.asarray(sol.col_value)
        return x, np.maximum(-np.asarray(sol.row_dual), 0.0)


def _reduced_costs(model: Milp, a, value, y) -> np.ndarray:
    """``value - a^T y`` per column, after lowering the duals of load rows to their load
    variable's cost (so that no unbounded column has a positive reduced cost; any ``y >= 0``
    gives a valid bound)."""
    e_rows = model.load_rows
    e_cols = np.arange(model.n + model.ny, model.n_var)
    y[e_rows] = np.minimum(y[e_rows], -value[e_cols])
    return value - a.T @ y


def _bound(a, upper, lower, d, y) -> float:
    """Lagrangian bound ``b.y + sum_j max(l_j d_j, u_j d_j)`` (micro-points)."""
    lb, ub = lower
    up, down = d > 0, d < 0
    if np.isinf(ub[up]).any():
        return np.inf
    return float(upper @ y + (ub[up] * d[up]).sum() + (lb[down] * d[down]).sum())


def _integral(x: np.ndarray, model: Milp) -> np.ndarray | None:
    ints = x[: model.n + model.ny]
    if np.abs(ints - np.rint(ints)).max(initial=0.0) > 1e-6:
        return None
    mask = x[: model.n] > 0.5
    return mask if model.keeps_rules(mask) else None


def _solve_milp(model: Milp, a, upper, lower, value, cols, min_fill: int, node_limit: int):
    """The integer program over columns ``cols``; its arc mask if solved to optimality."""
    idx = np.flatnonzero(cols)
    res = milp(
        -value[idx] / 1e6,
        constraints=[LinearConstraint(a[:, idx], -np.inf, upper)],
        integrality=model.integrality[idx],
        bounds=Bounds(lower[0][idx], lower[1][idx]),
        options={"presolve": PRESOLVE, "mip_rel_gap": 1e-10, "node_limit": int(node_limit)},
    )
    if res.status != 0 or res.x is None:
        return None
    x = np.zeros(len(cols))
    x[idx] = res.x
    mask = x[: model.n] > 0.5
    return mask if int(mask.sum()) >= min_fill and model.keeps_rules(mask) else None
