"""The statements that recreate a whole graph (nodes, edges, journal, counter) as it was read,
for a push written into a staging graph (falkordb_backend.py) before it goes live."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from graph.schema import EdgeType, NodeKind
from graph.stores.cypher.backend import Statement, chunks
from graph.stores.cypher.queries import (
    Q_COPY_CREATE_CHANGES,
    Q_COPY_CREATE_COUNTERS,
    Q_COPY_CREATE_EDGES,
    Q_COPY_CREATE_NODES,
    Q_COPY_READ_CHANGES,
    Q_COPY_READ_COUNTERS,
    Q_COPY_READ_EDGES,
    Q_COPY_READ_NODES,
)

Read = Callable[[str], list[list[Any]]]  # runs a fixed read query on the live graph
def copy_statements(read: Read) -> list[Statement]:
    """Every statement that recreates the graph `read` reads from, nodes before edges."""
    out: list[Statement] = []
    nodes: dict[NodeKind, list[dict]] = defaultdict(list)
    for kind, props in read(Q_COPY_READ_NODES):
        nodes[NodeKind(kind)].append(props)
    for kind, rows in nodes.items():
        out += [(Q_COPY_CREATE_NODES[kind], {"rows": c}) for c in chunks(rows)]
    edges: dict[EdgeType, list[dict]] = defaultdict(list)
    for src, etype, dst, props in read(Q_COPY_READ_EDGES):
        edges[EdgeType(etype)].append({"src": src, "dst": dst, "props": props})
    for etype, rows in edges.items():
        out += [(Q_COPY_CREATE_EDGES[etype], {"rows": c}) for c in chunks(rows)]
    for read_query, create in ((Q_COPY_READ_CHANGES, Q_COPY_CREATE_CHANGES),
                               (Q_COPY_READ_COUNTERS, Q_COPY_CREATE_COUNTERS)):
        rows = [props for (props,) in read(read_query)]
        out += [(create, {"rows": c}) for c in chunks(rows)]
    return out
