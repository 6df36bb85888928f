"""Plain graph functions for the network explorer: filters, ego graphs, centrality, paths,
and demand against supply of expertise (a region's self-improving-system ratings are in
`graph.ratings`).

Every function takes a `KnowledgeGraph` snapshot (or a graph made here from one) and returns
plain data; nothing here draws, writes or imports the matcher or the app.

The explorer works on a *view*: an undirected simple `networkx.Graph` whose nodes carry
`kind`, `name`, `region` and `region_name`, and whose edges carry the relationship `types`
joining the two ends and their `citations`. Region and Document nodes are left out of views by
default: every council touches its region, so a region hub would make every path two steps
long and every council look central.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.errors import GraphError, UnknownNode
from graph.evidence import is_strength
from graph.knowledge import KnowledgeGraph, cite
from graph.schema import (
    Council,
    EdgeType,
    Network,
    Node,
    NodeKind,
    Reviewer,
    SupportOffer,
)

VIEW_KINDS: frozenset[NodeKind] = frozenset(
    {NodeKind.COUNCIL, NodeKind.THEME, NodeKind.PRACTICE, NodeKind.ORGANISATION,
     NodeKind.NETWORK}
)
"""Node kinds shown by default in the explorer."""



class NoPath(GraphError):
    """Two nodes are not joined in the chosen view."""


# ---------------------------------------------------------------------- where a node sits


def node_region(kg: KnowledgeGraph, node: Node) -> str | None:
    """The E12 region a node belongs to, where it has one.

    Councils carry their region; networks their regional scope; reviewers their council's
    region; organisations and support offers their IN_REGION edges (the first, by code).
    """
    if node.kind == NodeKind.REGION:
        return node.id
    if isinstance(node, Council):
        return node.region
    if isinstance(node, Network) and node.scope and node.scope.startswith("E12"):
        return node.scope
    if isinstance(node, Reviewer):
        return kg.region_of(node.council)
    if isinstance(node, SupportOffer) and node.regions:
        return sorted(node.regions)[0]
    if node.kind == NodeKind.ORGANISATION:
        regions = sorted(e.dst for e in kg.out_edges(node.id, EdgeType.IN_REGION))
        return regions[0] if regions else None
    return None


def theme_family(kg: KnowledgeGraph, themes: Iterable[str]) -> set[str]:
    """The given themes and every sub-theme beneath them."""
    out: set[str] = set()
    todo = [t for t in themes if t in kg]
    while todo:
        t = todo.pop()
        if t in out:
            continue
        out.add(t)
        todo.extend(kg.theme_children.get(t, []))
    return out


def theme_root(kg: KnowledgeGraph, theme_id: str) -> str:
    """The top-level theme a theme sits under (itself when it has no parent)."""
    seen = {theme_id}
    while (parent := kg.theme_parent(theme_id)) and parent not in seen:
        seen.add(parent)
        theme_id = parent
    return theme_id


# ---------------------------------------------------------------------- views


def view(kg: KnowledgeGraph, kinds: Iterable[NodeKind] | None = None,
         include_abolished: bool = False) -> nx.Graph:
    """An undirected simple graph of the chosen node kinds (default `VIEW_KINDS`).

    Parallel and opposite edges merge into one, keeping every relationship type and citation.

    >>> from graph.schema import Region, Theme
    >>> kg = KnowledgeGraph([Theme(id="workforce", name="Workforce"),
    ...                      Theme(id="workforce.supervision", name="Supervision",
    ...                            parent="workforce")])
    >>> g = view(kg)
    >>> g.edges["workforce", "workforce.supervision"]["types"]
    ['PART_OF']
    """
    wanted = set(VIEW_KINDS if kinds is None else kinds)
    g = nx.Graph()
    for node in kg.nodes():
        if node.kind not in wanted:
            continue
        if isinstance(node, Council) and node.status != "current" and not include_abolished:
            continue
        region = node_region(kg, node)
        g.add_node(node.id, kind=node.kind.value, name=node.name, region=region,
                   region_name=kg.name(region) if region else None)
    for edge in kg.edges():
        if edge.src not in g or edge.dst not in g or edge.src == edge.dst:
            continue
        if g.has_edge(edge.src, edge.dst):
            data = g.edges[edge.src, edge.dst]
        else:
            g.add_edge(edge.src, edge.dst, types=[], citations=[])
            data = g.edges[edge.src, edge.dst]
        if edge.type.value not in data["types"]:
            data["types"].append(edge.type.value)
        citation = cite(edge.provenance, kg)
        if citation not in data["citations"]:
            data["citations"].append(citation)
    return g


def filtered(kg: KnowledgeGraph, regions: Iterable[str] = (), themes: Iterable[str] = (),
             kinds: Iterable[NodeKind] | None = None, drop_isolated: bool = True) -> nx.Graph:
    """The view restricted to some regions and themes.

    Nodes with a region must be in one of `regions` (when given); nodes without one (themes,
    practices, national bodies) stay when they touch a kept node. With `themes`, theme nodes
    are the chosen themes and their sub-themes, and other nodes stay when they touch one of
    them directly or through one practice or network.
    """
    g = view(kg, kinds)
    regions = set(regions)
    if regions:
        located = [n for n, d in g.nodes(data=True) if d["region"] is not None]
        g.remove_nodes_from([n for n in located if g.nodes[n]["region"] not in regions])
        # an unlocated node survives only if it still touches a located one
        keep = {n for n, d in g.nodes(data=True) if d["region"] is not None}
        for n in list(g.nodes):
            if n not in keep and not any(m in keep for m in g.neighbors(n)):
                if g.nodes[n]["kind"] != NodeKind.THEME.value:
                    g.remove_node(n)
    chosen = theme_family(kg, themes)
    if chosen:
        other_themes = [n for n, d in g.nodes(data=True)
                        if d["kind"] == NodeKind.THEME.value and n not in chosen]
        g.remove_nodes_from(other_themes)
        direct = {m for t in chosen if t in g for m in g.neighbors(t)}
        via = {NodeKind.PRACTICE.value, NodeKind.NETWORK.value}
        second = {m for n in direct if g.nodes[n]["kind"] in via for m in g.neighbors(n)}
        keep = (chosen & set(g.nodes)) | direct | second
        g.remove_nodes_from([n for n in list(g.nodes) if n not in keep])
    if drop_isolated:
        g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    return g


def ego(kg: KnowledgeGraph, center: str, radius: int = 1,
        kinds: Iterable[NodeKind] | None = None) -> nx.Graph:
    """A node and everything within `radius` steps of it (1 or 2) in the view.

    >>> from graph.schema import Theme
    >>> kg = KnowledgeGraph([Theme(id="a", name="A"), Theme(id="a.b", name="B", parent="a"),
    ...                      Theme(id="a.b.c", name="C", parent="a.b")])
    >>> sorted(ego(kg, "a.b.c", 1))
    ['a.b', 'a.b.c']
    """
    if center not in kg:
        raise UnknownNode(center)
    wanted = set(VIEW_KINDS if kinds is None else kinds) | {kg.node(center).kind}
    g = view(kg, wanted, include_abolished=True)
    return nx.ego_graph(g, center, radius=max(1, min(int(radius), 2)))


def centrality(g: nx.Graph, measure: str = "degree") -> dict[str, float]:
    """Node centrality in [0, 1]: `degree` or `betweenness` (sampled above 1,500 nodes).

    >>> g = nx.star_graph(3)
    >>> centrality(g)[0]
    1.0
    """
    if g.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        return dict(nx.degree_centrality(g))
    if measure == "betweenness":
        k = 300 if g.number_of_nodes() > 1500 else None
        return dict(nx.betweenness_centrality(g, k=k, seed=0 if k else None))
    raise ValueError(f"unknown centrality {measure!r}: use 'degree' or 'betweenness'")


def communities(g: nx.Graph) -> dict[str, int]:
    """Each node's community (Louvain, fixed seed): 1 for the largest community, 2 for the
    next, and so on; an edgeless graph gives each node its own.

    >>> sorted(set(communities(nx.barbell_graph(5, 0)).values()))
    [1, 2]
    """
    if g.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(g, seed=0) if g.number_of_edges() else [
        {n} for n in g.nodes]
    ranked = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, members in enumerate(ranked, start=1) for n in members}


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions for drawing a view (force-directed, fixed seed, so a view always looks the
    same), each coordinate in [-1, 1]."""
    if g.number_of_nodes() == 0:
        return {}
    pos = nx.spring_layout(g, seed=0, k=3 / max(1, g.number_of_nodes()) ** 0.5,
                           iterations=100)
    # stretch each axis so the middle 96% of nodes fill the square (a few far-flung
    # components would otherwise squeeze everything else into the centre)
    def stretch(values: list[float]) -> list[float]:
        ranked = sorted(values)
        lo = ranked[int(0.02 * (len(ranked) - 1))]
        hi = ranked[int(0.98 * (len(ranked) - 1))]
        span = (hi - lo) or 1.0
        return [max(-1.0, min(1.0, 2 * (v - lo) / span - 1)) for v in values]

    nodes = list(pos)
    xs = stretch([float(pos[n][0]) for n in nodes])
    ys = stretch([float(pos[n][1]) for n in nodes])
    return {n: (x, y) for n, x, y in zip(nodes, xs, ys, strict=True)}


@dataclass(frozen=True)
class PathStep:
    """One node on a path, with the relationship that led to it from the previous node."""

    id: str
    kind: str
    name: str
    via: tuple[str, ...] = ()
    citations: tuple[str, ...] = field(default=())


def shortest_path(kg: KnowledgeGraph, a: str, b: str,
                  kinds: Iterable[NodeKind] | None = None) -> list[PathStep]:
    """The shortest chain of relationships joining two nodes, each step with its sources.

    Raises `NoPath` when the two are not joined in the view.

    >>> from graph.schema import Theme
    >>> kg = KnowledgeGraph([Theme(id="a", name="A"), Theme(id="a.b", name="B", parent="a"),
    ...                      Theme(id="a.c", name="C", parent="a")])
    >>> [s.name for s in shortest_path(kg, "a.b", "a.c")]
    ['B', 'A', 'C']
    """
    for ref in (a, b):
        if ref not in kg:
            raise UnknownNode(ref)
    wanted = set(VIEW_KINDS if kinds is None else kinds) | {kg.node(a).kind, kg.node(b).kind}
    g = view(kg, wanted, include_abolished=True)
    try:
        ids = nx.shortest_path(g, a, b)
    except nx.NetworkXNoPath:
        raise NoPath(f"{kg.name(a)} and {kg.name(b)} are not connected in this view: "
                     "include more kinds of node") from None
    steps = []
    for i, node_id in enumerate(ids):
        data = g.nodes[node_id]
        via: tuple[str, ...] = ()
        cites: tuple[str, ...] = ()
        if i:
            edge = g.edges[ids[i - 1], node_id]
            via, cites = tuple(edge["types"]), tuple(edge["citations"])
        steps.append(PathStep(node_id, data["kind"], data["name"], via, cites))
    return steps


# ---------------------------------------------------------------------- demand and supply


@dataclass(frozen=True)
class DemandSupply:
    """One cell of the heatmap: a theme in a region."""

    theme: str
    theme_name: str
    region: str
    region_name: str
    demand: int  # councils in the region with the theme (or a sub-theme) as a priority
    supply: int  # councils, organisations and networks in the region with practice to share
    outside: tuple[str, ...] = ()  # names of sources elsewhere, where the region has none

    @property
    def gap(self) -> bool:
        return self.demand > 0 and self.supply == 0

    def to_json(self) -> dict:
        return {"theme": self.theme, "theme_name": self.theme_name, "region": self.region,
                "region_name": self.region_name, "demand": self.demand, "supply": self.supply,
                "gap": self.gap, "outside": list(self.outside)}


def _supply_by_theme(kg: KnowledgeGraph) -> dict[str, dict[str, int]]:
    """theme -> {actor id: pieces of evidence of strength}: practice, impact, offers and
    endorsements stated about the actor itself (taking part, or a group's learning, is not
    supply: a council working on the same problem is a peer, not a source)."""
    out: dict[str, dict[str, int]] = {}

    def add(theme: str, actor: str) -> None:
        node = kg.get(actor)
        if isinstance(node, Council) and node.status != "current":
            return
        bucket = out.setdefault(theme, {})
        bucket[actor] = bucket.get(actor, 0) + 1

    for edge in kg.edges(EdgeType.SHARES_PRACTICE):
        if is_strength(edge):
            add(edge.dst, edge.src)
    for edge in kg.edges(EdgeType.DEVELOPED):
        if not is_strength(edge):
            continue
        for addressed in kg.out_edges(edge.dst, EdgeType.ADDRESSES):
            add(addressed.dst, edge.src)
    return out


def demand_supply(kg: KnowledgeGraph, top_level: bool = True,
                  outside_top: int = 3) -> list[DemandSupply]:
    """Demand (HAS_PRIORITY) against supply (SHARES_PRACTICE and practice) by theme and region.

    With `top_level`, sub-themes count towards their top-level theme. Where a region has
    demand and no supply, `outside` names the strongest sources in other regions.
    """
    def bucket(theme: str) -> str:
        return theme_root(kg, theme) if top_level else theme

    themes = sorted({bucket(t.id) for t in kg.nodes(NodeKind.THEME)})
    regions = sorted(r.id for r in kg.nodes(NodeKind.REGION))
    demand: dict[tuple[str, str], set[str]] = {}
    for edge in kg.edges(EdgeType.HAS_PRIORITY):
        node = kg.get(edge.src)
        if isinstance(node, Council) and node.status == "current":
            demand.setdefault((bucket(edge.dst), node.region), set()).add(node.id)
    supply: dict[tuple[str, str], set[str]] = {}
    evidence: dict[str, dict[str, int]] = {}
    for theme, actors in _supply_by_theme(kg).items():
        b = bucket(theme)
        for actor, n in actors.items():
            ev = evidence.setdefault(b, {})
            ev[actor] = ev.get(actor, 0) + n
            region = node_region(kg, kg.node(actor))
            if region is not None:
                supply.setdefault((b, region), set()).add(actor)
    out = []
    for theme in themes:
        for region in regions:
            d = len(demand.get((theme, region), ()))
            s = len(supply.get((theme, region), ()))
            outside: tuple[str, ...] = ()
            if d and not s:
                ranked = sorted(
                    ((n, a) for a, n in evidence.get(theme, {}).items()
                     if node_region(kg, kg.node(a)) != region),
                    key=lambda x: (-x[0], kg.name(x[1])))
                outside = tuple(kg.name(a) for _, a in ranked[:outside_top])
            out.append(DemandSupply(theme, kg.name(theme), region, kg.name(region), d, s,
                                    outside))
    return out
