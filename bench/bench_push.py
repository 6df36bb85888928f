"""Push and pull throughput to a shared graph, on FalkorDB and on Neo4j: batched vs one
record per write.

    .venv/bin/python -m bench.bench_push                  # starts its own FalkorDB
    .venv/bin/python -m bench.bench_push --engine neo4j   # starts its own Neo4j (make neo4j-jars)
    .venv/bin/python -m bench.bench_push --engine both    # both, one table
    .venv/bin/python -m bench.bench_push --url bolt://127.0.0.1:7687   # an existing server
    .venv/bin/python -m bench.bench_push --quick          # 2,000 organisations, for a look

Datasets: England (the shipped seed data) and the generated graph (`bench.synthetic`:
20,000 organisations and 200,000 stated edges alongside the seed). Records = nodes + stated
edges (derived edges are written too and counted separately). One-by-one runs on a sample
(every record for England; 1,000 nodes and 1,000 edges for the generated graph) and is
extrapolated to the whole, to keep the run to a few minutes. Prints a markdown table.
Each dataset goes into an empty graph (a new graph on FalkorDB; on Neo4j, whose community
edition has one database, the database is emptied first): against an existing Neo4j, use a
throwaway database.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a file, as the README does

from bench.synthetic import make_seed  # noqa: E402
from graph.loader import SeedData, load_dir
from graph.stores import CypherStore

# bench-only: empties a Neo4j database in bounded transactions (its one database is reused)
EMPTY_SOME = "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*)"


def _store(url: str) -> CypherStore:
    """An empty graph at `url` (a FalkorDB URL names a new graph each time)."""
    if url.startswith("falkordb://"):
        return CypherStore.from_url(url.rsplit("/", 1)[0] + f"/bench-{uuid.uuid4().hex[:8]}")
    store = CypherStore.from_url(url)
    while store.backend.run(EMPTY_SOME)[0][0]:
        pass
    return store


def _start(engine: str, data_dir: str):
    if engine == "neo4j":
        from graph.neo4j_server import start_neo4j

        return start_neo4j(data_dir=data_dir)
    from graph.server import start_falkordb

    return start_falkordb(data_dir=data_dir)


def _sub(seed: SeedData, nodes=(), edges=()) -> SeedData:
    return SeedData(nodes=list(nodes), edges=list(edges), origins=seed.origins)


def generate(n_orgs: int, n_edges: int) -> tuple[SeedData, SeedData]:
    england = load_dir()
    t = time.perf_counter()
    generated = make_seed(n_orgs=n_orgs, n_edges=n_edges, base=england)
    gc.freeze()  # keep the generated records out of the collector's way while timing
    print(f"generated {len(generated.nodes)} nodes, {len(generated.edges)} edges "
          f"in {time.perf_counter() - t:.1f}s", flush=True)
    return england, generated


def run(engine: str, url: str | None, england: SeedData, generated: SeedData, n_orgs: int,
        sample: int, batch: int) -> list[dict]:
    server = None
    if url is None:
        server = _start(engine, tempfile.mkdtemp(prefix="peerlink-bench-"))
        url = server.url
    rows: list[dict] = []
    where = engine if server is None else f"{engine} (local)"
    try:
        for label, seed, k in (("England seed", england, None),
                               (f"generated {n_orgs:,} orgs", generated, sample)):
            records = len(seed.nodes) + len(seed.edges)
            store = _store(url)
            first = store.push(seed, batch_size=batch)
            rows.append({"engine": where, "dataset": label,
                         "mode": f"batched ({batch}/write), empty graph", "records": records,
                         "derived": first["derived_edges"], "seconds": first["seconds"]})
            again = store.push(seed, batch_size=batch)
            rows.append({"engine": where, "dataset": label,
                         "mode": f"batched ({batch}/write), re-push", "records": records,
                         "derived": again["derived_edges"], "seconds": again["seconds"]})
            t = time.perf_counter()
            pulled = store.pull()
            rows.append({"engine": where, "dataset": label, "mode": "pull (read back, validate)",
                         "records": len(pulled.nodes) + len(pulled.edges), "derived": 0,
                         "seconds": round(time.perf_counter() - t, 3)})
            store.close()
            print(f"{label}: batched done", flush=True)

            # one record per write, into a fresh graph: nodes, then edges between them
            store = _store(url)
            rng = random.Random(0)
            nodes = seed.nodes if k is None else rng.sample(seed.nodes, min(k, len(seed.nodes)))
            edges = seed.edges if k is None else rng.sample(seed.edges, min(k, len(seed.edges)))
            t = time.perf_counter()
            store.push(_sub(seed, nodes=nodes), batch_size=1, check=False)
            node_s = time.perf_counter() - t
            store.push(_sub(seed, nodes=seed.nodes), batch_size=batch, check=False)
            t = time.perf_counter()
            store.push(_sub(seed, edges=edges), batch_size=1, check=False)
            edge_s = time.perf_counter() - t
            store.close()
            whole = node_s / len(nodes) * len(seed.nodes) + edge_s / len(edges) * len(seed.edges)
            note = "" if k is None else (f", extrapolated from {len(nodes):,} nodes + "
                                         f"{len(edges):,} edges")
            rows.append({"engine": where, "dataset": label, "mode": "one by one" + note,
                         "records": records, "derived": 0, "seconds": round(whole, 3)})
            print(f"{label}: one-by-one done", flush=True)
    finally:
        if server is not None:
            server.stop()
    return rows


def table(rows: list[dict]) -> str:
    out = ["| engine | dataset | mode | records | seconds | records/s |",
           "|---|---|---|---:|---:|---:|"]
    for r in rows:
        rate = r["records"] / r["seconds"] if r["seconds"] else float("inf")
        out.append(f"| {r['engine']} | {r['dataset']} | {r['mode']} | {r['records']:,} "
                   f"| {r['seconds']:.2f} | {rate:,.0f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=("falkordb", "neo4j", "both"), default="falkordb",
                    help="which server to start locally (default falkordb)")
    ap.add_argument("--url", help="an existing server's URL instead of starting one")
    ap.add_argument("--orgs", type=int, default=20000)
    ap.add_argument("--edges", type=int, default=200000)
    ap.add_argument("--sample", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--quick", action="store_true", help="2,000 orgs, 20,000 edges")
    args = ap.parse_args(argv)
    if args.quick:
        args.orgs, args.edges, args.sample = 2000, 20000, 300
    england, generated = generate(args.orgs, args.edges)
    if args.url:
        engine = "falkordb" if args.url.startswith("falkordb://") else "neo4j"
        rows = run(engine, args.url, england, generated, args.orgs, args.sample, args.batch)
    else:
        engines = ("falkordb", "neo4j") if args.engine == "both" else (args.engine,)
        rows = [row for engine in engines
                for row in run(engine, None, england, generated, args.orgs, args.sample,
                               args.batch)]
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
