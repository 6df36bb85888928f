"""Benchmark the peer-review allocation solvers on generated rounds.

Usage::

    .venv/bin/python bench/bench_allocation.py            # 150 x 600 and 2,000 x 6,000
    .venv/bin/python bench/bench_allocation.py --quick    # 40 x 160 and 150 x 600

Rounds are generated with a fixed seed: 153 councils, 24 themes, teams of DCS + AD + lead
member (sometimes a practice lead or a manager), reviewer capacities 0-3, 1% pairs forbidden
by hand, a few repeats to avoid; fit is the Jaccard of focus and expertise.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from matcher.allocation import (
    SOLVERS,
    AllocationInstance,
    Constraints,
    PoolReviewer,
    ReviewRequest,
    allocate,
    allocation_metrics,
    is_valid_allocation,
)

ROLES = ("dcs", "ad", "lead_member", "team_manager", "practice_lead")
ROLE_SHARE = (0.22, 0.3, 0.2, 0.14, 0.14)


def generate_round(
    n_requests: int,
    n_reviewers: int,
    seed: int = 20240601,
    n_councils: int = 153,
    n_themes: int = 24,
) -> AllocationInstance:
    """A random round; the same arguments always give the same round."""
    rng = np.random.default_rng(seed)
    councils = [f"E{c:08d}" for c in range(n_councils)]
    themes = [f"theme-{t}" for t in range(n_themes)]
    focus = np.zeros((n_requests, n_themes), dtype=bool)
    requests = []
    for i in range(n_requests):
        roles = {"dcs": 1, "ad": 1, "lead_member": 1}
        extra = rng.random()
        if extra < 0.2:
            roles["practice_lead"] = 1
        elif extra < 0.3:
            roles["team_manager"] = 1
        f = rng.choice(n_themes, size=rng.integers(2, 5), replace=False)
        focus[i, f] = True
        requests.append(
            ReviewRequest(
                f"R{i:05d}", councils[i % n_councils], roles, tuple(themes[t] for t in sorted(f))
            )
        )
    expertise = np.zeros((n_reviewers, n_themes), dtype=bool)
    reviewers = []
    role_of = rng.choice(len(ROLES), size=n_reviewers, p=ROLE_SHARE)
    for j in range(n_reviewers):
        e = rng.choice(n_themes, size=rng.integers(2, 6), replace=False)
        expertise[j, e] = True
        reviewers.append(
            PoolReviewer(
                f"P{j:05d}",
                councils[int(rng.integers(n_councils))],
                ROLES[role_of[j]],
                tuple(themes[t] for t in sorted(e)),
                int(rng.choice(4, p=(0.05, 0.35, 0.4, 0.2))),
            )
        )
    inter = focus.astype(np.int32) @ expertise.T.astype(np.int32)
    union = focus.sum(1)[:, None] + expertise.sum(1)[None, :] - inter
    fit = inter / np.maximum(union, 1)
    n_forbid = n_requests * n_reviewers // 100
    forbidden = {
        (requests[int(a)].request_id, reviewers[int(b)].reviewer_id)
        for a, b in zip(
            rng.integers(n_requests, size=n_forbid),
            rng.integers(n_reviewers, size=n_forbid),
            strict=True,
        )
    }
    repeats = {
        (reviewers[int(b)].reviewer_id, councils[int(c)])
        for b, c in zip(
            rng.integers(n_reviewers, size=n_reviewers // 10),
            rng.integers(n_councils, size=n_reviewers // 10),
            strict=True,
        )
    }
    return AllocationInstance(
        requests, reviewers, fit, Constraints(forbidden=forbidden, avoid_repeat=repeats)
    )


def run(sizes: list[tuple[int, int]], time_limit: float) -> list[dict]:
    rows = []
    for n_req, n_rev in sizes:
        t0 = time.perf_counter()
        inst = generate_round(n_req, n_rev)
        gen = time.perf_counter() - t0
        for name in SOLVERS:
            al = allocate(inst, name, time_limit=time_limit)
            m = allocation_metrics(inst, al)
            bad = is_valid_allocation(inst, al)
            rows.append(
                {
                    "round": f"{n_req} x {n_rev}",
                    "solver": name,
                    "seconds": al.seconds,
                    "status": al.status,
                    "gap": f"{al.gap:.2%}" if name != "greedy" else "n/a",
                    "fill": f"{m.filled}/{m.demanded}",
                    "total fit": f"{m.total_fit:.2f}",
                    "objective": f"{al.objective:.2f}",
                    "worst team fit": f"{m.worst_team_fit:.3f}",
                    "load Gini": f"{m.load_gini:.3f}",
                    "valid": "yes" if not bad else len(bad),
                    "generate s": f"{gen:.1f}",
                }
            )
    return rows


def markdown(rows: list[dict]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[h]) for h in head) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small rounds only")
    ap.add_argument("--time-limit", type=float, default=30.0)
    args = ap.parse_args(argv)
    sizes = [(40, 160), (150, 600)] if args.quick else [(150, 600), (2000, 6000)]
    print(markdown(run(sizes, args.time_limit)))


if __name__ == "__main__":
    main()
