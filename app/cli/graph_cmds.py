"""Graph commands: stats, validate, resolve, show, history, app."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.common import (
    CliError,
    add_json_flag,
    count,
    graph_errors_as_cli,
    load_snapshot,
    port,
    print_json,
    print_problems,
)
from graph.errors import LoadError
from graph.history import history_sentences
from graph.knowledge import KnowledgeGraph, cite
from graph.loader import DEFAULT_SEED_DIR, load_dir
from graph.resolve import Resolver, load_name_tables
from graph.resolve.tables import AREAS_FILE, ROYAL_BOROUGHS_FILE
from graph.schema import NodeKind
from graph.stores import open_store
from graph.wording import kind_words, relationship_words

MAX_JSON_PROBLEMS = 1000  # `validate --json` lists this many; `total` says how many there are


def register(sub) -> None:
    p = sub.add_parser("stats", help="count the graph's nodes and edges by kind")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_stats))

    p = sub.add_parser("validate", help="check a seed data directory; report file:line problems")
    p.add_argument("dir", nargs="?", default=str(DEFAULT_SEED_DIR))
    add_json_flag(p)
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("resolve", help="turn council names as people write them into GSS codes")
    p.add_argument("names", nargs="+", metavar="NAME")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_resolve))

    p = sub.add_parser("show", help="a node, its neighbours and each edge's provenance")
    p.add_argument("id", metavar="ID", help="a node id, or a council name")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_show))

    p = sub.add_parser("history", help="who changed what and when (the store's journal)")
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument("--limit", type=count(1, 1_000_000), default=50)
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_history))

    p = sub.add_parser("app", help="start the Streamlit app (local mode without sign-in on "
                                   "127.0.0.1; sign-in when [auth] is configured)")
    p.add_argument("--port", type=port, default=None,
                   help="default: STREAMLIT_SERVER_PORT, else 8501")
    p.add_argument("--address", default=None,
                   help="address to serve on (default: STREAMLIT_SERVER_ADDRESS, else "
                        "127.0.0.1); anything but loopback needs sign-in configured")
    p.add_argument("--secrets", metavar="FILE", default=None,
                   help="Streamlit secrets file with the [auth] sign-in settings "
                        "(default: .streamlit/secrets.toml here, then in your home)")
    p.add_argument("--roles", metavar="FILE", default=None,
                   help="who may change what when signed in (default: PEERLINK_ROLES or "
                        "~/.peerlink/roles.yaml)")
    p.set_defaults(run=graph_errors_as_cli(cmd_app))


def cmd_stats(args) -> int:
    stats = load_snapshot().stats()
    if args.json:
        print_json(stats)
        return 0
    print(f"councils: {stats['councils']['current']} current, "
          f"{stats['councils']['abolished']} abolished")
    kinds = {kind_words(kind): n for kind, n in stats["nodes"].items()}
    links = {relationship_words(kind): n for kind, n in stats["edges"].items()}
    width = max(map(len, [*kinds, *links])) + 2
    print("records:")
    for words, n in sorted(kinds.items()):
        print(f"  {words:<{width}}{n:>6,}")
    print("relationships (one record to another):")
    for words, n in sorted(links.items()):
        print(f"  {words:<{width}}{n:>6,}")
    return 0


def cmd_validate(args) -> int:
    try:
        seed = load_dir(Path(args.dir))
        seed.graph()
        if any((Path(args.dir) / f).exists() for f in (AREAS_FILE, ROYAL_BOROUGHS_FILE)):
            load_name_tables(args.dir)  # the resolver's place tables, when the directory has them
    except LoadError as exc:
        if args.json:
            print_json({"ok": False, "problems": [
                {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
                for p in exc.problems[:MAX_JSON_PROBLEMS]],
                "total": len(exc.problems)})
        n = print_problems(exc.problems)
        raise CliError(f"{n:,} problem(s) in {args.dir}") from None
    if args.json:
        print_json({"ok": True, "nodes": len(seed.nodes), "edges": len(seed.edges)})
    else:
        print(f"ok: {args.dir}: {len(seed.nodes)} records, {len(seed.edges)} stated edges")
    return 0


def cmd_resolve(args) -> int:
    kg = load_snapshot()
    resolver = Resolver(kg.councils(status=None))
    found = [resolver.resolve(name) for name in args.names]
    if args.json:
        print_json([r.to_json() for r in found])
        return 0 if all(r.code for r in found) else 1
    for r in found:
        if r.code is None:
            alts = r.alternatives_text(limit=5)
            print(f"{r.query!r}: no match" + (f" (closest: {alts})" if alts else ""))
        else:
            line = f"{r.query!r}: {r.code} {r.name} [{r.status}, score {r.score:.0f}]"
            if r.successors:
                line += " -> " + ", ".join(f"{s} {kg.name(s)}" for s in r.successors)
            print(line)
    return 0 if all(r.code for r in found) else 1


def find_node_id(kg: KnowledgeGraph, ref: str) -> str:
    if ref in kg:
        return ref
    found = Resolver(kg.councils(status=None)).resolve(ref)
    if found.code:
        return found.code
    raise CliError(f"no node with id {ref!r}")


def show_json(kg: KnowledgeGraph, node_id: str) -> dict:
    node = kg.node(node_id)
    props = node.model_dump(mode="json", exclude={"id", "kind", "name"})
    edges = []
    for edge, direction, other in kg.neighbours(node_id):
        edges.append({
            "type": edge.type.value,
            "direction": direction,
            "other": {"id": other.id, "kind": other.kind.value, "name": other.name},
            "props": edge.props,
            "provenance": edge.provenance.model_dump(mode="json")
            | {"citation": cite(edge.provenance, kg)},
        })
    edges.sort(key=lambda e: (e["type"], e["direction"], e["other"]["id"]))
    return {"id": node.id, "kind": node.kind.value, "name": node.name, "properties": props,
            "edges": edges}


def cmd_show(args) -> int:
    kg = load_snapshot()
    data = show_json(kg, find_node_id(kg, args.id))
    if args.json:
        print_json(data)
        return 0
    code = f", {data['id']}" if data["kind"] in CODED else ""
    print(f"{data['name']} ({kind_words(data['kind'])[:-1]}{code})")
    for key, value in data["properties"].items():
        if value not in (None, [], {}, ""):
            print(f"  {_words(key)}: {_value_words(kg, value)}")
    for e in data["edges"]:
        extra = f" ({_value_words(kg, e['props'])})" if e["props"] else ""
        other = e["other"]
        code = f" ({other['id']})" if other["kind"] in CODED else ""  # GSS codes, not slugs
        print(f"  {relationship_words(e['type'], incoming=e['direction'] != 'out')}: "
              f"{other['name']}{code}{extra}")
        print(f"       source: {e['provenance']['citation']}")
    return 0


CODED = {NodeKind.COUNCIL.value, NodeKind.REGION.value}


def _words(key: str) -> str:
    return key.replace("_", " ")


def _value_words(kg: KnowledgeGraph, value) -> str:
    """A property as a person reads it: a record's id as its name, a group of fields as
    'field: value' pairs."""
    if isinstance(value, dict):
        return "; ".join(f"{_words(k)}: {_value_words(kg, v)}" for k, v in value.items()
                         if v not in (None, [], {}, ""))
    if isinstance(value, list):
        return ", ".join(_value_words(kg, v) for v in value)
    if isinstance(value, str) and value in kg:
        return kg.name(value)
    return str(value)


def cmd_history(args) -> int:
    store = open_store()
    try:
        records = store.history(args.id, limit=args.limit)
        kg = store.snapshot() if records and not args.json else None
        seed = getattr(store, "seed", None)
    finally:
        store.close()
    if args.json:
        print_json([r.model_dump(mode="json") for r in records])
        return 0
    if not records:
        print("no changes recorded")
        return 0
    originals = {n.id: n for n in (seed() if callable(seed) else load_dir(DEFAULT_SEED_DIR)).nodes}
    for line in history_sentences(records, kg, originals.get):
        print(line)
    return 0


def app_address(args) -> tuple[int, str]:
    """Where the app serves: --port/--address, else Streamlit's own environment variables
    (STREAMLIT_SERVER_PORT, STREAMLIT_SERVER_ADDRESS), else 127.0.0.1:8501."""
    where = args.port
    if where is None:
        text = os.environ.get("STREAMLIT_SERVER_PORT", "").strip()
        try:
            where = port(text) if text else 8501
        except argparse.ArgumentTypeError as exc:
            raise CliError(f"STREAMLIT_SERVER_PORT: {exc}", 2) from None
    address = args.address or os.environ.get("STREAMLIT_SERVER_ADDRESS", "").strip() \
        or "127.0.0.1"
    return where, address


def cmd_app(args) -> int:
    from app.auth import sign_in_problem

    env = os.environ.copy()
    if args.roles:
        env["PEERLINK_ROLES"] = str(Path(args.roles).resolve())
    where, address = app_address(args)
    problem, signed_in = sign_in_problem(address, args.secrets, env.get("PEERLINK_ROLES"))
    if problem:
        raise CliError(problem)
    entry = Path(__file__).resolve().parents[1] / "streamlit_app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry),
           "--server.port", str(where), "--server.address", address,
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if args.secrets:
        cmd += ["--secrets.files", str(Path(args.secrets).resolve())]
    print("sign-in required (OpenID Connect)" if signed_in else
          "local mode: no sign-in, this computer only", flush=True)
    # Become streamlit (no child left behind when this process is stopped).
    os.execve(sys.executable, cmd, env)
    return 0  # not reached
