"""`KnowledgeGraph`: a typed, read-only snapshot of the graph, a directed multigraph.

The matcher and the app read only this; stores build it. Nodes hold their validated record,
edges hold their `Edge` (with provenance). Parallel edges of one type between the same two
nodes are kept apart by their source, so two documents stating the same fact both show.

The adjacency is networkx's own layout (node -> neighbour -> key -> edge, in insertion order)
held in plain dicts: importing networkx costs more CPU than a command like `peerlink resolve`
spends on everything else, and only the explorer's analytics use its algorithms
(`graph.analytics` builds networkx views from this snapshot).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property

from graph.errors import UnknownNode
from graph.schema import (
    Council,
    Edge,
    EdgeType,
    Engagement,
    Network,
    Node,
    NodeKind,
    Practice,
    Provenance,
    Reviewer,
    SupportOffer,
    Theme,
)


def edge_key(edge: Edge) -> str:
    return f"{edge.type.value}|{edge.provenance.source}"


def derived_edges(node: Node) -> list[Edge]:
    """Edges a record states through its own fields (a council's region, a theme's parent...)."""
    prov = node.provenance()
    out: list[tuple[str, EdgeType, str]] = []
    if isinstance(node, Council):
        out.append((node.id, EdgeType.IN_REGION, node.region))
        out += [(node.id, EdgeType.SUCCEEDED_BY, s) for s in node.successors]
    elif isinstance(node, Theme) and node.parent:
        out.append((node.id, EdgeType.PART_OF, node.parent))
    elif isinstance(node, Practice):
        out += [(o, EdgeType.DEVELOPED, node.id) for o in node.owners]
        out += [(node.id, EdgeType.ADDRESSES, t) for t in node.themes]
    elif isinstance(node, SupportOffer):
        if node.provider:
            out.append((node.provider, EdgeType.OFFERS, node.id))
        out += [(node.id, EdgeType.IN_REGION, r) for r in node.regions]
    elif isinstance(node, Network) and node.scope and node.scope.startswith("E12"):
        out.append((node.id, EdgeType.IN_REGION, node.scope))
    elif isinstance(node, Reviewer):
        out.append((node.id, EdgeType.WORKS_FOR, node.council))
        out += [(node.id, EdgeType.HAS_EXPERTISE, t) for t in node.expertise]
    elif isinstance(node, Engagement):
        out.append((node.provider, EdgeType.PROVIDED, node.id))
        out.append((node.recipient, EdgeType.RECEIVED, node.id))
        out += [(node.id, EdgeType.ABOUT, t) for t in node.themes]
    # Built from a validated record's own fields (no props, so nothing for Edge's checks to
    # refuse): constructed without validating again.
    return [Edge.model_construct(src=s, type=t, dst=d, provenance=prov, derived=True)
            for s, t, d in out]


class KnowledgeGraph:
    """A snapshot of the whole graph. Build it with `KnowledgeGraph(nodes, edges)`.

    Derived edges are added here from the records' fields; `edges` are the stated ones.

    >>> from graph.schema import Region, Theme
    >>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
    ...                      Theme(id="workforce", name="Workforce"),
    ...                      Theme(id="workforce.supervision", name="Supervision",
    ...                            parent="workforce")], [])
    >>> kg.node("workforce.supervision").name
    'Supervision'
    >>> [e.dst for e in kg.out_edges("workforce.supervision", EdgeType.PART_OF)]
    ['workforce']
    """

    def __init__(self, nodes: Iterable[Node], edges: Iterable[Edge] = ()):
        self._nodes: dict[str, Node] = {}
        # src -> dst -> key -> edge, and dst -> src -> key -> edge.
        self._succ: dict[str, dict[str, dict[str, Edge]]] = {}
        self._pred: dict[str, dict[str, dict[str, Edge]]] = {}
        node_list = list(nodes)
        for node in node_list:
            self._nodes[node.id] = node
            self._succ.setdefault(node.id, {})
            self._pred.setdefault(node.id, {})
        for node in node_list:
            for edge in derived_edges(node):
                self._add(edge)
        for edge in edges:
            self._add(edge)

    def _add(self, edge: Edge) -> None:
        # Endpoints were checked by the loader or the store; a dangling one here is a bug.
        if edge.src not in self._nodes or edge.dst not in self._nodes:
            raise UnknownNode(edge.src if edge.src not in self._nodes else edge.dst)
        key = edge_key(edge)  # the same key again replaces the edge, keeping its place
        self._succ[edge.src].setdefault(edge.dst, {})[key] = edge
        self._pred[edge.dst].setdefault(edge.src, {})[key] = edge

    # ------------------------------------------------------------------ nodes

    def __contains__(self, node_id: object) -> bool:
        try:
            return node_id in self._nodes
        except TypeError:  # an unhashable value is no node id
            return False

    def __len__(self) -> int:
        return len(self._nodes)

    def node(self, node_id: str) -> Node:
        try:
            return self._nodes[node_id]
        except (KeyError, TypeError):
            raise UnknownNode(node_id) from None

    def get(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def nodes(self, kind: NodeKind | None = None) -> list[Node]:
        if kind is None:
            return list(self._nodes.values())
        return list(self._by_kind.get(kind, ()))

    @cached_property
    def _by_kind(self) -> dict[NodeKind, list[Node]]:
        out: dict[NodeKind, list[Node]] = {}
        for node in self._nodes.values():
            out.setdefault(node.kind, []).append(node)
        return out

    def councils(self, status: str | None = "current") -> list[Council]:
        found = self._by_kind.get(NodeKind.COUNCIL, [])
        return [c for c in found if status is None or c.status == status]  # type: ignore[misc]

    def name(self, node_id: str) -> str:
        node = self.get(node_id)
        return node.name if node else node_id

    # ------------------------------------------------------------------ edges

    def edges(self, type: EdgeType | None = None) -> Iterator[Edge]:
        for by_dst in self._succ.values():
            for by_key in by_dst.values():
                for edge in by_key.values():
                    if type is None or edge.type == type:
                        yield edge

    def out_edges(self, node_id: str, type: EdgeType | None = None) -> list[Edge]:
        return self._edges_at(self._succ, node_id, type)

    def in_edges(self, node_id: str, type: EdgeType | None = None) -> list[Edge]:
        return self._edges_at(self._pred, node_id, type)

    @staticmethod
    def _edges_at(adjacency: dict[str, dict[str, dict[str, Edge]]], node_id: str,
                  type: EdgeType | None) -> list[Edge]:
        try:
            by_other = adjacency[node_id]
        except (KeyError, TypeError):
            raise UnknownNode(node_id) from None
        return [edge for by_key in by_other.values() for edge in by_key.values()
                if type is None or edge.type == type]

    def number_of_edges(self) -> int:
        return sum(len(by_key) for by_dst in self._succ.values() for by_key in by_dst.values())

    def neighbours(self, node_id: str) -> list[tuple[Edge, str, Node]]:
        """Every edge touching a node: (edge, 'out' or 'in', the node at the other end)."""
        out = [(e, "out", self.node(e.dst)) for e in self.out_edges(node_id)]
        out += [(e, "in", self.node(e.src)) for e in self.in_edges(node_id)]
        return out

    def stated_edges(self) -> list[Edge]:
        return [e for e in self.edges() if not e.derived]

    # ------------------------------------------------------------------ themes and places

    def theme_parent(self, theme_id: str) -> str | None:
        node = self.get(theme_id)
        return node.parent if isinstance(node, Theme) else None

    @cached_property
    def theme_children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for t in self.nodes(NodeKind.THEME):
            if t.parent:  # type: ignore[union-attr]
                out.setdefault(t.parent, []).append(t.id)  # type: ignore[union-attr]
        return out

    def region_of(self, council_id: str) -> str | None:
        node = self.get(council_id)
        return node.region if isinstance(node, Council) else None

    def current_successors(self, council_id: str) -> list[str]:
        """Current councils that took over an abolished one (following chains)."""
        seen: set[str] = set()
        out: list[str] = []
        todo = [council_id]
        while todo:
            code = todo.pop(0)
            if code in seen:
                continue
            seen.add(code)
            node = self.get(code)
            if not isinstance(node, Council):
                continue
            if node.status == "current" and code != council_id:
                out.append(code)
            else:
                todo.extend(node.successors)
        return out

    # ------------------------------------------------------------------ summaries

    def stats(self) -> dict:
        nodes = Counter(node.kind.value for node in self._nodes.values())
        edges = Counter(edge.type.value for edge in self.edges())
        councils = Counter(c.status for c in self.councils(status=None))
        return {
            "nodes": dict(sorted(nodes.items())),
            "edges": dict(sorted(edges.items())),
            "councils": {"current": councils.get("current", 0),
                         "abolished": councils.get("abolished", 0)},
        }


def cite(provenance: Provenance, kg: KnowledgeGraph | None = None) -> str:
    """A citation a person can follow: the document's title where the graph knows it."""
    doc = provenance.document
    title = kg.name(doc) if kg is not None and doc and doc in kg else provenance.source
    return title if not provenance.locator else f"{title}, {provenance.locator}"
