"""The registry of solvers: name -> ``fn(encoded, **options) -> Solution``.

``exact`` (:mod:`matcher.allocation.exact`) is the lexicographic optimum (fill, then fit with
fairness) with its proof; ``greedy`` (:mod:`matcher.allocation.greedy`) is the baseline.
"""

from __future__ import annotations

from collections.abc import Callable

from matcher.allocation.encode import Solution
from matcher.allocation.exact import solve_exact
from matcher.allocation.greedy import solve_greedy

__all__ = ["SOLVERS", "Solution"]

SolverFn = Callable[..., Solution]
SOLVERS: dict[str, SolverFn] = {"exact": solve_exact, "greedy": solve_greedy}
"""Registry of solvers: name -> ``fn(encoded, **options) -> Solution``."""

