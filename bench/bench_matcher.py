"""Benchmark the matcher: partner proposals and search, at England scale and on a large graph.

Run: ``.venv/bin/python bench/bench_matcher.py [--queries 200] [--orgs 20000 --edges 200000]``

Prints a markdown table of build times and per-query median/p95 (ms). Targets: a query
< 20 ms at England scale (the shipped seed) once built; < 200 ms on the generated graph of
20,000 organisations and 200,000 edges.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.knowledge import KnowledgeGraph  # noqa: E402
from graph.loader import load_dir, load_graph  # noqa: E402
from matcher.partners import propose_partners  # noqa: E402
from matcher.profiles import Profiles  # noqa: E402
from matcher.search import SearchIndex  # noqa: E402

QUERIES = [
    "recruitment and retention of social workers", "retaining SWs", "MASH",
    "integrated front door", "early help offer", "scrutiny by councillors",
    "Signs of Safety", "volunteers whole system change", "critical event audit",
    "social model of disability", "supervision", "peer challenge", "agency staff",
    "looked after children", "think family steering group", "leadership for change",
]


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000.0


def summarise(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def bench_graph(label: str, kg: KnowledgeGraph, n: int, rng: random.Random) -> list[tuple]:
    rows = []
    Profiles._cache.pop(kg, None)
    SearchIndex._cache.pop(kg, None)
    build_profiles = timed(lambda: Profiles.for_graph(kg))
    index_holder: list[SearchIndex] = []
    build_index = timed(lambda: index_holder.append(SearchIndex(kg)))
    index = index_holder[0]
    SearchIndex._cache[kg] = index
    rows.append((label, "build profiles (once)", f"{build_profiles:.0f}", "", ""))
    rows.append((label, "build search index (once)", f"{build_index:.0f}", "", ""))

    councils = [c.id for c in kg.councils()]
    prioritising = [c for c in councils if Profiles.for_graph(kg).needed(c)] or councils
    index.search("warm up")
    propose_partners(kg, prioritising[0])
    search_ms = [timed(lambda: index.search(rng.choice(QUERIES))) for _ in range(n)]
    partner_ms = [timed(lambda: propose_partners(kg, rng.choice(prioritising)))
                  for _ in range(n)]
    themed_ms = [timed(lambda: propose_partners(kg, rng.choice(councils),
                                                themes=["front door", "workforce"],
                                                outside_region=True))
                 for _ in range(max(1, n // 4))]
    for name, samples in (("search query", search_ms), ("partners (own priorities)", partner_ms),
                          ("partners (2 theme phrases, outside region)", themed_ms)):
        med, p95 = summarise(samples)
        rows.append((label, name, "", f"{med:.2f}", f"{p95:.2f}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--orgs", type=int, default=20000)
    ap.add_argument("--edges", type=int, default=200000)
    ap.add_argument("--skip-large", action="store_true")
    args = ap.parse_args(argv)
    rng = random.Random(0)

    t = time.perf_counter()
    england = load_graph()
    load_ms = (time.perf_counter() - t) * 1000
    rows = [("England (seed)", f"load graph ({len(england)} nodes)", f"{load_ms:.0f}", "", "")]
    rows += bench_graph("England (seed)", england, args.queries, rng)

    if not args.skip_large:
        try:
            from bench.synthetic import make_seed
        except ImportError:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from synthetic import make_seed  # type: ignore[no-redef]
        t = time.perf_counter()
        # the real seed (councils, themes) plus the generated organisations and edges
        big = make_seed(n_orgs=args.orgs, n_edges=args.edges, seed=0, base=load_dir()).graph()
        gen_ms = (time.perf_counter() - t) * 1000
        label = f"generated ({args.orgs} orgs, {args.edges} edges)"
        rows.append((label, f"generate + build graph ({len(big)} nodes, "
                            f"{big.number_of_edges()} edges)", f"{gen_ms:.0f}", "", ""))
        rows += bench_graph(label, big, max(20, args.queries // 4), rng)

    print("| graph | operation | once (ms) | median (ms) | p95 (ms) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
