"""Benchmark the peer-review allocation solvers on generated rounds.

Usage::

    .venv/bin/python bench/bench_allocation.py            # 150 x 600 and 1,500 x 6,000
    .venv/bin/python bench/bench_allocation.py --quick    # 40 x 160 and 150 x 600
    .venv/bin/python bench/bench_allocation.py --large    # also 10,000 x 30,000

Rounds are generated with a fixed seed (``--seed`` to change it): 153 councils (``--councils``
for a regional round), 24 themes,
teams of DCS + AD + lead member (sometimes a practice lead or a manager), reviewer
capacities 0-3, 1% pairs forbidden by hand (at most 100,000), a few repeats to avoid; fit is
the Jaccard of focus and expertise (:class:`~matcher.allocation.fit.ThemeOverlapFit`, read
block by block, never a dense matrix).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from matcher.allocation import (
    AllocationInstance,
    Constraints,
    PoolReviewer,
    ReviewRequest,
    ThemeOverlapFit,
    allocate,
    allocation_metrics,
    encode,
    explain_unfilled,
    is_valid_allocation,
)
from matcher.allocation.allpairs import certify_all
from matcher.allocation.encode import secondary_value
from matcher.allocation.lagrange import certify_reciprocal

SEED = 20240601
"""The seed of the README's figures; ``--seed`` measures other rounds of the same shape."""
ROLES = ("dcs", "ad", "lead_member", "team_manager", "practice_lead")
ROLE_SHARE = (0.22, 0.3, 0.2, 0.14, 0.14)


COUNCILS = 153
"""Councils a generated round is spread over: all of England."""


def generate_round(
    n_requests: int,
    n_reviewers: int,
    seed: int = SEED,
    n_councils: int = COUNCILS,
    n_themes: int = 24,
) -> AllocationInstance:
    """A random round; the same arguments always give the same round."""
    rng = np.random.default_rng(seed)
    councils = [f"E{c:08d}" for c in range(n_councils)]
    themes = [f"theme-{t}" for t in range(n_themes)]
    requests = []
    for i in range(n_requests):
        roles = {"dcs": 1, "ad": 1, "lead_member": 1}
        extra = rng.random()
        if extra < 0.2:
            roles["practice_lead"] = 1
        elif extra < 0.3:
            roles["team_manager"] = 1
        f = rng.choice(n_themes, size=rng.integers(2, 5), replace=False)
        requests.append(
            ReviewRequest(
                f"R{i:05d}", councils[i % n_councils], roles, tuple(themes[t] for t in sorted(f))
            )
        )
    reviewers = []
    role_of = rng.choice(len(ROLES), size=n_reviewers, p=ROLE_SHARE)
    for j in range(n_reviewers):
        e = rng.choice(n_themes, size=rng.integers(2, 6), replace=False)
        reviewers.append(
            PoolReviewer(
                f"P{j:05d}",
                councils[int(rng.integers(n_councils))],
                ROLES[role_of[j]],
                tuple(themes[t] for t in sorted(e)),
                int(rng.choice(4, p=(0.05, 0.35, 0.4, 0.2))),
            )
        )
    # At most 100,000 pairs forbidden by hand (1% up to 1,500 x 6,000, fewer beyond).
    n_forbid = min(n_requests * n_reviewers // 100, 100_000)
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
        requests, reviewers, ThemeOverlapFit(),
        Constraints(forbidden=forbidden, avoid_repeat=repeats),
    )


SOLVER_RUNS = {
    "exact": ("exact", {}),
    "exact, lazy rows": ("exact", {"lazy": True}),
    "plain MILP, all pairs": ("exact", {"k": None, "milp_above": 10**9, "priced": False}),
    "greedy": ("greedy", {}),
}
"""What each row runs: the default exact solver (flow, then an integer program over the top
candidates with every rule up front, solved over a few priced columns and proven over all),
the same with reciprocity and one-per-council rows
added lazily, a plain MILP over every eligible pair (no pruning), and the greedy baseline."""
PLAIN_MILP_UP_TO = 100_000
"""Eligible pairs above which the plain MILP is not run (it does not finish)."""


def one(n_req: int, n_rev: int, label: str, seed: int = SEED, councils: int = COUNCILS,
        bounds: bool = True) -> dict:
    """One solver on one round, in this process: CPU and wall seconds, the answer's
    figures, a digest of the assignment (the same digest each run means the same answer)
    and the process's peak memory; with ``bounds``, the gaps to both proven bounds."""
    t0 = time.perf_counter()
    inst = generate_round(n_req, n_rev, seed, n_councils=councils)
    gen = time.perf_counter() - t0
    solver, options = SOLVER_RUNS[label]
    cpu, wall = time.process_time(), time.perf_counter()
    al = allocate(inst, solver, explain=False, **options)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    enc = encode(inst)
    ri = {q: i for i, q in enumerate(enc.request_ids)}
    pi = {p: j for j, p in enumerate(enc.reviewer_ids)}
    ar = np.array([ri[a.request_id] for a in al.assignments], dtype=np.int64)
    ap = np.array([pi[a.reviewer_id] for a in al.assignments], dtype=np.int64)
    explain_cpu = time.process_time()
    explain_unfilled(inst, enc, ar, ap)
    explain_cpu = time.process_time() - explain_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the bound's
    value = secondary_value(enc, ar, ap)
    gaps, bound_cpu = [], []
    for certify in (certify_all, certify_reciprocal) if bounds else ():
        t = time.process_time()
        bound = certify(enc)
        bound_cpu.append(time.process_time() - t)
        gaps.append((bound.value - value) / abs(bound.value) if bound.fill == len(ar) else None)
    flow_gap, proven_gap = (
        f"{g:.2%}" if g is not None else f"fill {len(ar)}, bound for {bound.fill}"
        for g in (gaps[0], min(gaps, key=lambda g: np.inf if g is None else g))
    ) if bounds else ("", "")
    bound_cpu = bound_cpu or ["", ""]
    m = allocation_metrics(inst, al)
    bad = is_valid_allocation(inst, al)
    digest = hashlib.sha256(
        repr([(a.request_id, a.reviewer_id) for a in al.assignments]).encode()
    ).hexdigest()[:10]
    return {
        "cpu": cpu, "wall": wall, "explain cpu": explain_cpu, "status": al.status,
        "gap": f"{al.gap:.2%}" if solver != "greedy" else "n/a",
        "gap to flow bound": flow_gap, "gap to proven bound": proven_gap,
        "flow bound cpu": bound_cpu[0], "bound cpu": bound_cpu[1],
        "fill": f"{m.filled}/{m.demanded}", "objective": f"{al.objective:.2f}",
        "total fit": f"{m.total_fit:.2f}", "worst team fit": f"{m.worst_team_fit:.3f}",
        "load Gini": f"{m.load_gini:.3f}", "valid": "yes" if not bad else len(bad),
        "answer": digest, "generate s": gen,
        "peak MB": peak_mb,
        "notes": list(al.notes),
    }


def run(sizes: list[tuple[int, int]], repeat: int, only: list[str] | None = None,
        seed: int = SEED, councils: int = COUNCILS, bounds: bool = True) -> list[dict]:
    """Each (round, solver) ``repeat`` times, each run in a fresh process (so its peak
    memory is its own); the median CPU and wall seconds."""
    rows = []
    for n_req, n_rev in sizes:
        for label in only or SOLVER_RUNS:
            if label.startswith("plain") and n_req * n_rev * 0.7 > PLAIN_MILP_UP_TO:
                rows.append({"round": f"{n_req} x {n_rev}", "solver": label,
                             "status": f"not run (over {PLAIN_MILP_UP_TO:,} eligible pairs)"})
                continue
            runs = []
            for _ in range(repeat):
                out = subprocess.run(
                    [sys.executable, __file__, "--one", str(n_req), str(n_rev), label, "--seed",
                     str(seed), "--councils", str(councils)] + ([] if bounds else ["--no-bounds"]),
                    capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1],
                )
                if out.returncode:
                    runs.append({"status": f"failed: {out.stderr.strip().splitlines()[-1]}"})
                    break
                runs.append(json.loads(out.stdout))
            done = [r for r in runs if "cpu" in r]
            row = {"round": f"{n_req} x {n_rev}", "solver": label, **runs[-1]}
            if done:
                row["cpu"] = f"{statistics.median(r['cpu'] for r in done):.2f}"
                row["wall"] = f"{statistics.median(r['wall'] for r in done):.2f}"
                row["explain cpu"] = f"{statistics.median(r['explain cpu'] for r in done):.2f}"
                for key in ("flow bound cpu", "bound cpu") if bounds else ():
                    row[key] = f"{statistics.median(r[key] for r in done):.1f}"
                row["peak MB"] = f"{max(r['peak MB'] for r in done):.0f}"
                row["generate s"] = f"{statistics.median(r['generate s'] for r in done):.1f}"
                row["answer"] = ("same each run" if len({r["answer"] for r in done}) == 1
                                 else "DIFFERS: " + ", ".join(r["answer"] for r in done))
            rows.append(row)
            print(markdown([row]).splitlines()[-1], file=sys.stderr, flush=True)
    return rows


COLUMNS = ("round", "solver", "cpu", "wall", "explain cpu", "peak MB", "status", "gap",
           "gap to flow bound", "flow bound cpu", "gap to proven bound", "bound cpu", "fill",
           "objective", "total fit", "worst team fit", "load Gini", "valid", "answer")


def markdown(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(str(r.get(h, "")) for h in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small rounds only")
    ap.add_argument("--large", action="store_true", help="also 10,000 x 30,000")
    ap.add_argument("--repeat", type=int, default=3, help="runs per solver (median)")
    ap.add_argument("--size", nargs=2, type=int, action="append", metavar=("R", "P"),
                    help="only this round size (repeatable)")
    ap.add_argument("--solver", action="append", choices=list(SOLVER_RUNS),
                    help="only this solver row (repeatable)")
    ap.add_argument("--seed", type=int, default=SEED,
                    help=f"seed of the generated rounds (default {SEED})")
    ap.add_argument("--councils", type=int, default=COUNCILS,
                    help=f"councils the round is spread over (default {COUNCILS}, all of "
                         "England; 10-15 for a regional round)")
    ap.add_argument("--no-bounds", action="store_true",
                    help="leave out the two proven bounds (minutes of CPU at 10,000 x 30,000)")
    ap.add_argument("--one", nargs=3, metavar=("REQUESTS", "REVIEWERS", "SOLVER"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(int(args.one[0]), int(args.one[1]), args.one[2], args.seed,
                             args.councils, not args.no_bounds)))
        return
    sizes = [(40, 160), (150, 600)] if args.quick else [(150, 600), (1500, 6000)]
    if args.large:
        sizes.append((10_000, 30_000))
    if args.size:
        sizes = [tuple(s) for s in args.size]
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f} (1 / 5 / 15 min) at the start")
    print(f"rounds generated with seed {args.seed} over {args.councils} councils")
    rows = run(sizes, args.repeat, args.solver, args.seed, args.councils, not args.no_bounds)
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f}; median of {args.repeat} runs, each in a "
          "fresh process; cpu = solver process CPU seconds, wall = solver wall seconds, "
          "explain cpu = CPU seconds to explain each empty slot afterwards (allocate's "
          "default), gap to flow bound = how far the answer's value is below the flow "
          "relaxation's bound on every allocation of that fill over every eligible pair "
          "(matcher.allocation.allpairs.certify_all, which drops reciprocity; computed "
          "after the solve in flow bound cpu seconds), gap to proven bound = the same to "
          "the lesser of that and the bound that keeps reciprocity "
          "(matcher.allocation.lagrange.certify_reciprocal: Lagrangian by council pair, "
          "every eligible pair priced; bound cpu seconds), peak MB = the process's "
          "peak resident memory (round generation included)\n")
    print(markdown(rows))
    for r in rows:
        if r.get("notes"):
            print(f"\n{r['round']} {r['solver']}: " + "; ".join(r["notes"]))


if __name__ == "__main__":
    main()
