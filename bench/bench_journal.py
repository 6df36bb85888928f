"""What a write to the embedded store costs as its journal grows (100 to 100,000 rows).

    .venv/bin/python bench/bench_journal.py [--sizes 100,1000,10000,100000] [--writes 20]

For each size, a fresh journal gets that many rows (field changes to councils' capacity, as
the app writes them) inserted directly, then: the first open (replays every row once and
writes a checkpoint), a later open (starts from the checkpoint), the median and worst of
`--writes` single-change writes, and a snapshot after a write. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from graph.changes import update_fields
from graph.schema import NodeKind
from graph.stores import EmbeddedStore


def fill(journal: Path, rows: int, councils: list[str]) -> None:
    EmbeddedStore(journal=journal).close()
    db = sqlite3.connect(journal)
    with db:
        db.executemany(
            "INSERT INTO changes (at, who, batch, payload) VALUES (?, 'bench', ?, ?)",
            [("2026-11-28T10:00:00+00:00", f"b{i}", json.dumps(
                {"op": "update_node", "id": councils[i % len(councils)],
                 "values": {"capacity": i % 5}, "seen": {"capacity": None}}))
             for i in range(rows)])
    db.close()


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--writes", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        probe = EmbeddedStore(journal=Path(tmp) / "probe.sqlite")
        councils = sorted(c.id for c in probe.snapshot().nodes(NodeKind.COUNCIL)
                          if c.status == "current")
        probe.close()
        print("| journal rows | first open (ms) | open from checkpoint (ms) | write median (ms) "
              "| write worst (ms) | snapshot after a write (ms) |")
        print("|---:|---:|---:|---:|---:|---:|")
        for size in (int(s) for s in args.sizes.split(",")):
            journal = Path(tmp) / f"j{size}.sqlite"
            fill(journal, size, councils)
            first = timed(lambda j=journal: EmbeddedStore(journal=j).snapshot())
            t0 = time.perf_counter()
            store = EmbeddedStore(journal=journal)
            store.snapshot()
            again = time.perf_counter() - t0
            writes, snaps = [], []
            for i in range(args.writes):
                node = store.snapshot().node(councils[i])
                change = [update_fields(node, capacity=(i % 4) + 1)]
                t0 = time.perf_counter()
                store.apply(change, "bench")
                writes.append(time.perf_counter() - t0)
                snaps.append(timed(store.snapshot))
            store.close()
            print(f"| {size:,} | {first * 1000:,.0f} | {again * 1000:,.0f} "
                  f"| {statistics.median(writes) * 1000:.1f} | {max(writes) * 1000:.1f} "
                  f"| {statistics.median(snaps) * 1000:.1f} |", flush=True)


if __name__ == "__main__":
    main()
