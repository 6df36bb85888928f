"""The explorer's current view as files an analyst opens elsewhere: GraphML and GEXF (Gephi,
yEd, Cytoscape desktop) and node and link tables.

A view (see `graph.analytics.view`) carries lists and None values that GraphML and GEXF
cannot hold; here every attribute becomes a plain string or number, and the measures shown
on screen (centrality, community) travel with the nodes.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("a", kind="Council", name="Halton", region="E12000002",
...            region_name="North West")
>>> g.add_node("b", kind="Theme", name="Early help", region=None, region_name=None)
>>> g.add_edge("a", "b", types=["HAS_PRIORITY"], citations=["Doc, s.1"])
>>> b"Early help" in to_graphml(g, {"a": 1.0, "b": 1.0}, {"a": 1, "b": 1})
True
>>> [r["name"] for r in node_rows(g, {}, {})]
['Halton', 'Early help']
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import networkx as nx

from graph.wording import relationship_words


def _plain(g: nx.Graph, centrality: Mapping[str, float],
           community: Mapping[str, int]) -> nx.Graph:
    out = nx.Graph()
    for n, d in g.nodes(data=True):
        out.add_node(n, label=d["name"], kind=d["kind"], region=d.get("region_name") or "",
                     centrality=round(float(centrality.get(n, 0.0)), 6),
                     community=int(community.get(n, 0)))
    for a, b, d in g.edges(data=True):
        out.add_edge(a, b, relationship="; ".join(relationship_words(t)
                                                  for t in d.get("types", [])),
                     sources="; ".join(d.get("citations", [])))
    return out


def to_graphml(g: nx.Graph, centrality: Mapping[str, float],
               community: Mapping[str, int]) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(_plain(g, centrality, community), buf)
    return buf.getvalue()


def to_gexf(g: nx.Graph, centrality: Mapping[str, float],
            community: Mapping[str, int]) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(_plain(g, centrality, community), buf)
    return buf.getvalue()


def node_rows(g: nx.Graph, centrality: Mapping[str, float],
              community: Mapping[str, int]) -> list[dict]:
    """One row per node: what a spreadsheet needs to sort and filter the view."""
    return [{"id": n, "name": d["name"], "kind": d["kind"], "region": d.get("region_name") or "",
             "centrality": round(float(centrality.get(n, 0.0)), 4),
             "community": community.get(n, "")}
            for n, d in g.nodes(data=True)]


def link_rows(g: nx.Graph) -> list[dict]:
    """One row per link, its ends by name and its relationships in words."""
    return [{"from": g.nodes[a]["name"], "to": g.nodes[b]["name"],
             "relationship": "; ".join(relationship_words(t) for t in d.get("types", [])),
             "sources": "; ".join(d.get("citations", []))}
            for a, b, d in g.edges(data=True)]
