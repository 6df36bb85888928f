"""The embedded store's records held in memory and moved forward one journal row at a time.

`replay` in graph/changes.py rebuilds every record from the seed on each call; a store that
did that per write paid for the whole journal on every edit. `LiveState` is the same records
kept between writes, applying only rows it has not seen, each checked on its own: a row that
cannot apply (an edge to a node that is not there, an update of a removed node, a record
that no longer validates) raises `RowProblem` and changes nothing. Rows come in batches that
were written as one, so `apply_batch` applies a batch whole or, when any of its rows cannot
apply, not at all: a reader never sees part of an edit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from graph.changes import AddEdge, Change, RemoveEdge, RemoveNode, UpdateNode, UpsertNode, updated
from graph.errors import ChangeRejected
from graph.knowledge import derived_edges
from graph.loader import Origin, SeedData
from graph.schema import EDGE_ENDPOINTS, AnyNode, Edge, Node


@cache
def _node_adapter() -> TypeAdapter:
    return TypeAdapter(AnyNode)  # built on first use: a checkpoint is not read by every command

_JOURNAL_ORIGIN = Origin("journal", None)

EdgeKey = tuple[str, str, str, str]  # (src, type, dst, source), as `replay` keys them
# What one record looked like before a change: its id, node, origin and stated edges.
Saved = tuple[str, Node | None, Origin | None, list[Edge]]


class RowProblem(Exception):
    """Why one journal row cannot be applied (one line)."""


class LiveState:
    """Nodes and stated edges, indexed for cheap single changes."""

    def __init__(self, seed: SeedData):
        self.nodes: dict[str, Node] = {n.id: n for n in seed.nodes}
        self.origins: dict[str, Origin] = dict(seed.origins)
        self.edges: dict[EdgeKey, Edge] = {}
        self._by_node: dict[str, set[EdgeKey]] = defaultdict(set)
        for edge in seed.edges:
            self._add_edge(edge)

    def _add_edge(self, edge: Edge) -> None:
        key = (*edge.key, edge.provenance.source)
        self.edges[key] = edge
        self._by_node[edge.src].add(key)
        self._by_node[edge.dst].add(key)

    def _drop_edge(self, key: EdgeKey) -> None:
        edge = self.edges.pop(key, None)
        if edge is not None:
            self._by_node[edge.src].discard(key)
            self._by_node[edge.dst].discard(key)

    def _kind_problem(self, edge: Edge) -> str | None:
        for end in (edge.src, edge.dst):
            if end not in self.nodes:
                return f"{edge.type.value} edge to {end!r}, which is not in the graph"
        allowed_src, allowed_dst = EDGE_ENDPOINTS[edge.type]
        if self.nodes[edge.src].kind not in allowed_src or \
                self.nodes[edge.dst].kind not in allowed_dst:
            return f"{edge.type.value} cannot join {edge.src!r} to {edge.dst!r}"
        return None

    def _check_node(self, node: Node) -> None:
        for edge in derived_edges(node):
            other = edge.dst if edge.src == node.id else edge.src
            if other != node.id and other not in self.nodes:
                raise RowProblem(f"{node.id} names {other!r}, which is not in the graph")

    def apply(self, change: Change) -> None:
        """Apply one change, or raise RowProblem and leave everything as it was."""
        if isinstance(change, UpsertNode):
            self._check_node(change.node)
            self.nodes[change.node.id] = change.node
            self.origins.setdefault(change.node.id, _JOURNAL_ORIGIN)
        elif isinstance(change, UpdateNode):
            if change.id not in self.nodes:
                raise RowProblem(f"update of {change.id!r}, which is not in the graph")
            try:
                node = updated(self.nodes[change.id], change)
            except ChangeRejected as exc:
                raise RowProblem(str(exc)) from None
            self._check_node(node)
            self.nodes[change.id] = node
        elif isinstance(change, RemoveNode):
            self.nodes.pop(change.id, None)
            for key in list(self._by_node.pop(change.id, ())):
                self._drop_edge(key)
        elif isinstance(change, AddEdge):
            problem = self._kind_problem(change.edge)
            if problem:
                raise RowProblem(f"dangling edge: {problem}")
            self._add_edge(change.edge)
        elif isinstance(change, RemoveEdge):
            for key in list(self._by_node.get(change.src, ())):
                src, etype, dst, source = key
                if (src, etype, dst) == (change.src, change.type.value, change.dst) and (
                        change.source is None or source == change.source):
                    self._drop_edge(key)

    def apply_batch(self, changes: Sequence[Change], names: Sequence[str] = ()) -> None:
        """Apply every change in order, or raise RowProblem (naming the change that failed,
        by `names[i]` when given) and leave everything as it was."""
        saved: list[list[Saved]] = []
        for i, change in enumerate(changes, 1):
            saved.append([self._save(node_id) for node_id in _touched(change)])
            try:
                self.apply(change)
            except RowProblem as exc:
                for records in reversed(saved):
                    for record in records:
                        self._restore(record)
                name = names[i - 1] if names else f"change {i} of {len(changes)}"
                raise RowProblem(f"{name}: {exc}" if len(changes) > 1 else str(exc)) from None

    def _save(self, node_id: str) -> Saved:
        return (node_id, self.nodes.get(node_id), self.origins.get(node_id),
                [self.edges[k] for k in self._by_node.get(node_id, ())])

    def _restore(self, saved: Saved) -> None:
        # A record's stated edges change only through changes that name it, so putting back
        # its edges (restored newest change first) undoes exactly what the batch did.
        node_id, node, origin, edges = saved
        for target, value in ((self.nodes, node), (self.origins, origin)):
            if value is None:
                target.pop(node_id, None)
            else:
                target[node_id] = value
        for key in list(self._by_node.get(node_id, ())):
            self._drop_edge(key)
        for edge in edges:
            self._add_edge(edge)

    def seed(self) -> SeedData:
        """The records as `SeedData` (lists are fresh; the records themselves are frozen)."""
        return SeedData(nodes=list(self.nodes.values()), edges=list(self.edges.values()),
                        origins=dict(self.origins))

    # ------------------------------------------------------------------ checkpoints

    def to_json(self) -> str:
        return json.dumps({"nodes": [n.model_dump(mode="json") for n in self.nodes.values()],
                           "edges": [e.model_dump(mode="json") for e in self.edges.values()]},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, seed_origins: dict[str, Origin]) -> LiveState:
        data: dict[str, Any] = json.loads(text)
        nodes = [_node_adapter().validate_python(n) for n in data["nodes"]]
        edges = [Edge.model_validate(e) for e in data["edges"]]
        origins = {n.id: seed_origins.get(n.id, _JOURNAL_ORIGIN) for n in nodes}
        return cls(SeedData(nodes=nodes, edges=edges, origins=origins))


def _touched(change: Change) -> tuple[str, ...]:
    """The records whose node or stated edges a change can alter."""
    if isinstance(change, UpsertNode):
        return (change.node.id,)
    if isinstance(change, AddEdge):
        return (change.edge.src, change.edge.dst)
    if isinstance(change, RemoveEdge):
        return (change.src,)
    return (change.id,)  # UpdateNode, RemoveNode
