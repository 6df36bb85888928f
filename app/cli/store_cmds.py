"""Shared-graph commands: push, pull, server.

`PEERLINK_GRAPH` names the server (`falkordb://HOST:PORT/GRAPH`, `bolt://...`, `neo4j://...`);
credentials come from the environment only (PEERLINK_NEO4J_USER, PEERLINK_NEO4J_PASSWORD,
PEERLINK_NEO4J_DATABASE, PEERLINK_FALKORDB_PASSWORD), never from the command line.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from app.cli.common import CliError, add_json_flag, count, graph_errors_as_cli, port, print_json
from graph.loader import DEFAULT_SEED_DIR


def register(sub) -> None:
    p = sub.add_parser("push", help="push the seed data and local edits to the shared graph "
                                    "named by PEERLINK_GRAPH")
    p.add_argument("--seed", metavar="DIR", default=None,
                   help="seed data directory (default: PEERLINK_SEED_DIR or the shipped data)")
    p.add_argument("--batch", metavar="N", type=count(1, 100_000), default=500,
                   help="records per write (default 500)")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_push))

    p = sub.add_parser("pull", help="write the shared graph out as a seed data directory")
    p.add_argument("out_dir", metavar="OUT_DIR")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_pull))

    p = sub.add_parser("server", help="run a local FalkorDB (default) or Neo4j for a team "
                                      "(foreground; Ctrl-C stops it)")
    p.add_argument("--engine", choices=("falkordb", "neo4j"), default="falkordb",
                   help="falkordb (installed with peerlink) or neo4j (needs Java 17 and "
                        "Maven for its jars, fetched once)")
    p.add_argument("--port", type=port, default=None,
                   help="port (default 6390 for FalkorDB, 7687 for Neo4j)")
    p.add_argument("--data", metavar="DIR", default=None,
                   help="data directory (default ~/.peerlink/falkordb or ~/.peerlink/neo4j)")
    p.add_argument("--graph", default="peerlink",
                   help="FalkorDB graph name in the printed URL")
    p.set_defaults(run=graph_errors_as_cli(cmd_server))


def _cypher_store():
    from graph.stores import CypherStore
    from graph.stores.schemes import CYPHER_SCHEMES

    url = os.environ.get("PEERLINK_GRAPH", "")
    if url.split("://", 1)[0] not in CYPHER_SCHEMES:
        raise CliError("set PEERLINK_GRAPH to the shared graph: falkordb://HOST:PORT/GRAPH, "
                       "bolt://HOST:7687 or neo4j://HOST:7687 (see `peerlink server`)")
    return CypherStore.from_url(url)


def cmd_push(args) -> int:
    from graph.stores import EmbeddedStore

    if args.batch < 1:
        raise CliError("--batch must be at least 1")
    seed_dir = Path(args.seed or os.environ.get("PEERLINK_SEED_DIR") or DEFAULT_SEED_DIR)
    local = EmbeddedStore(seed_dir=seed_dir)
    try:
        records = local.current()
    finally:
        local.close()
    store = _cypher_store()
    try:
        result = store.push(records, batch_size=args.batch)
    finally:
        store.close()
    out = {"store": store.describe(), "seed": str(seed_dir), "batch": args.batch, **result}
    if args.json:
        print_json(out)
    else:
        rate = result["records_per_second"]
        print(f"pushed {result['nodes']} nodes, {result['edges']} stated edges "
              f"(+{result['derived_edges']} derived) to {store.describe()} "
              f"in {result['seconds']:.2f}s ({rate:,.0f} records/s)")
    return 0


def cmd_pull(args) -> int:
    from graph.snapshot_files import write_seed_dir

    store = _cypher_store()
    try:
        seed = store.pull()
    finally:
        store.close()
    written = write_seed_dir(seed, Path(args.out_dir))
    out = {"store": store.describe(), "out": str(args.out_dir), **written}
    if args.json:
        print_json(out)
    else:
        print(f"pulled {written['nodes']} nodes and {written['edges']} stated edges from "
              f"{store.describe()} into {args.out_dir} ({written['files']} files)")
    return 0


def _start_server(args):
    """Start the chosen engine; returns (server, name, data dir)."""
    if args.port is not None and not 0 < args.port < 65536:
        raise CliError(f"--port must be between 1 and 65535, not {args.port}")
    if args.engine == "neo4j":
        from graph import neo4j_server

        data = Path(args.data) if args.data else Path.home() / ".peerlink" / "neo4j"
        if not neo4j_server.jars_present():
            print("fetching Neo4j's jars with Maven (once; a few minutes)...", flush=True)
            neo4j_server.fetch_jars()
        srv = neo4j_server.start_neo4j(port=args.port or neo4j_server.DEFAULT_PORT,
                                       data_dir=data)
        return srv, f"Neo4j {srv.version}", data
    from graph.server import DEFAULT_PORT, default_data_dir, start_falkordb

    data = Path(args.data) if args.data else default_data_dir()
    srv = start_falkordb(port=args.port or DEFAULT_PORT, data_dir=data, graph=args.graph)
    return srv, "FalkorDB", data


def cmd_server(args) -> int:
    srv, name, data = _start_server(args)
    stop = {"now": False}

    def _stop(*_):
        stop["now"] = True

    # Ctrl-C sets a flag too, rather than raising KeyboardInterrupt wherever the loop is: one
    # raised inside Popen.poll() can leave the child's wait lock held, and stopping the
    # server then waits on that lock for ever (seen once in CI).
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    print(f"{name} running on 127.0.0.1:{srv.port}, data in {data}")
    print(f"export PEERLINK_GRAPH={srv.url}")
    print("Ctrl-C stops it.", flush=True)
    try:
        while not stop["now"] and srv.running():
            time.sleep(0.2)
    finally:
        crashed = not srv.running()
        srv.stop()
    if crashed and not stop["now"]:
        print(f"peerlink: error: {name} stopped unexpectedly; see {srv.log_file}",
              file=sys.stderr)
        return 1
    print("stopped")
    return 0
