"""How long loading the seed graph takes: read + validate + build the KnowledgeGraph.

    .venv/bin/python bench/bench_load.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

from graph.loader import DEFAULT_SEED_DIR, load_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    load_s, build_s = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        seed = load_dir(DEFAULT_SEED_DIR)
        t1 = time.perf_counter()
        kg = seed.graph()
        t2 = time.perf_counter()
        load_s.append(t1 - t0)
        build_s.append(t2 - t1)
    stats = kg.stats()
    total = [a + b for a, b in zip(load_s, build_s, strict=True)]
    print(f"seed graph: {sum(stats['nodes'].values())} nodes, {sum(stats['edges'].values())} "
          f"edges ({args.repeat} runs)")
    print("| step | median ms | max ms |")
    print("|---|---:|---:|")
    for name, xs in (("read + validate", load_s), ("build graph", build_s), ("total", total)):
        print(f"| {name} | {statistics.median(xs) * 1000:.1f} | {max(xs) * 1000:.1f} |")


if __name__ == "__main__":
    main()
