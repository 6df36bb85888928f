"""A network view drawn as a Vega-Lite chart: one mark per node at a fixed force-directed
position, shape by kind, colour by region, kind or community, size by centrality, with a
legend for each; names on the most central nodes (or all), every name on hover; zoom and pan;
a click on a node selects it.

Drawn as a Vega-Lite chart rather than a graph widget so the legend, the shapes and the names
are the chart's own (nothing else is painted over the graph), and data is only ever chart
data, never HTML. The specification is a plain dictionary (see app/charts.py for why not
Altair).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd
import streamlit as st

from graph import analytics

KIND_SHAPES = {
    "Council": "circle", "Theme": "diamond", "Practice": "square",
    "Organisation": "triangle-up", "Network": "cross", "Region": "triangle-down",
    "Document": "stroke", "Reviewer": "triangle-left", "Engagement": "triangle-right",
    "SupportOffer": "wedge", "Characteristic": "arrow", "Stage": "triangle",
}
KIND_WORDS = {"SupportOffer": "Support offer"}
REGION_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22",
]
NO_REGION = "no region"
NO_REGION_COLOUR = "#9e9e9e"
COLOUR_BY = {"region": "Region", "kind": "Kind of node", "community": "Community"}
NAMES = {"central": "the most central (the rest on hover)", "all": "every node"}
CENTRAL_NAMES = 15


def region_colours(regions: Iterable[str]) -> dict[str, str]:
    """A stable colour per region name (sorted order)."""
    return {r: REGION_COLOURS[i % len(REGION_COLOURS)]
            for i, r in enumerate(sorted(set(regions)))}


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind)


def node_frame(g: nx.Graph, pos: Mapping[str, tuple[float, float]],
               sizes: Mapping[str, float], colour_by: str = "region",
               community: Mapping[str, int] | None = None, names: str = "central",
               highlight: Iterable[str] = ()) -> pd.DataFrame:
    """One row per node: where it is drawn, its legend groups and its label ("" = hover)."""
    ranked = sorted(g.nodes, key=lambda n: (-sizes.get(n, 0.0), g.nodes[n]["name"]))
    named = set(ranked if names == "all" else ranked[:CENTRAL_NAMES]) | set(highlight)
    community = community or {}
    marked = set(highlight)
    rows = []
    for n in g.nodes:
        d = g.nodes[n]
        group = {"region": d.get("region_name") or NO_REGION,
                 "kind": kind_words(d["kind"]),
                 "community": f"community {community.get(n, 0)}"}[colour_by]
        x, y = pos[n]
        rows.append({"id": n, "name": d["name"], "kind": kind_words(d["kind"]),
                     "region": d.get("region_name") or NO_REGION, "group": group,
                     "centrality": round(float(sizes.get(n, 0.0)), 4), "x": x, "y": y,
                     "label": d["name"] if n in named else "",
                     "marked": 3 if n in marked else 0})
    return pd.DataFrame(rows)


def chart(g: nx.Graph, pos: Mapping[str, tuple[float, float]], sizes: Mapping[str, float],
          colour_by: str = "region", community: Mapping[str, int] | None = None,
          names: str = "central", highlight: Iterable[str] = (), height: int = 560,
          size_title: str = "centrality", legend_at: str = "right") -> dict:
    """The Vega-Lite specification: links, then nodes (clickable), then names."""
    nodes = node_frame(g, pos, sizes, colour_by, community, names, highlight)
    links = [{"x": pos[a][0], "y": pos[a][1], "x2": pos[b][0], "y2": pos[b][1]}
             for a, b in g.edges]
    axis = {"axis": None, "scale": {"domain": [-1.15, 1.15], "zero": False}}
    x = {"field": "x", "type": "quantitative", **axis}
    y = {"field": "y", "type": "quantitative", **axis}
    groups = set(nodes["group"]) if len(nodes) else set()
    if colour_by == "region":
        shown = sorted(groups - {NO_REGION})
        palette = region_colours(shown)
        domain = shown + ([NO_REGION] if NO_REGION in groups else [])
        colours = {"domain": domain, "range": [palette.get(r, NO_REGION_COLOUR) for r in domain]}
    else:
        colours = {"scheme": "category20"}
    kinds = sorted(set(nodes["kind"])) if len(nodes) else []
    shapes = {kind_words(k): s for k, s in KIND_SHAPES.items()}
    legend: dict = {"orient": legend_at, "labelLimit": 200}
    if legend_at == "bottom":
        legend |= {"direction": "horizontal", "columns": 3}
    node_layer = {
        "name": "nodes",
        "data": {"values": nodes.to_dict("records")},
        "mark": {"type": "point", "filled": True, "opacity": 0.9},
        "encoding": {
            "x": x, "y": y,
            "color": {"field": "group", "type": "nominal", "title": COLOUR_BY[colour_by],
                      "scale": colours, "legend": legend},
            "shape": {"field": "kind", "type": "nominal", "title": "Shape: kind of node",
                      "scale": {"domain": kinds,
                                "range": [shapes.get(k, "circle") for k in kinds]},
                      "legend": legend},
            "size": {"field": "centrality", "type": "quantitative",
                     "title": f"Size: {size_title}", "scale": {"range": [30, 700]},
                     "legend": {"orient": "bottom", "direction": "horizontal",
                                "tickCount": 4}},
            "stroke": {"value": "#111"},
            "strokeWidth": {"field": "marked", "type": "quantitative", "legend": None,
                            "scale": None},
            "tooltip": [{"field": "name", "title": "name", "type": "nominal"},
                        {"field": "kind", "title": "kind", "type": "nominal"},
                        {"field": "region", "title": "region", "type": "nominal"},
                        {"field": "centrality", "title": size_title,
                         "type": "quantitative"}],
        },
    }
    return {
        "height": height,
        "layer": [
            {"name": "links", "data": {"values": links},
             "mark": {"type": "rule", "color": "#c8c8c8", "strokeWidth": 0.7},
             "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
            node_layer,
            {"data": {"values": node_layer["data"]["values"]},
             "transform": [{"filter": "datum.label !== ''"}],
             "mark": {"type": "text", "dy": -11, "fontSize": 11, "color": "#222"},
             "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}}},
        ],
        "params": [
            {"name": "node", "select": {"type": "point", "fields": ["id"], "on": "click"},
             "views": ["nodes"]},
            {"name": "zoom", "select": {"type": "interval", "encodings": ["x", "y"]},
             "bind": "scales", "views": ["links"]},
        ],
    }


def draw_network(g: nx.Graph, key: str, sizes: Mapping[str, float] | None = None,
                 colour_by: str = "region", community: Mapping[str, int] | None = None,
                 pos: Mapping[str, tuple[float, float]] | None = None,
                 names: str = "central", highlight: Iterable[str] = (), height: int = 560,
                 size_title: str = "degree centrality", legend_at: str = "right") -> str | None:
    """Draw the view; return the id of the node the person clicked, if any."""
    if g.number_of_nodes() == 0:
        st.info("Nothing to draw: no node matches these choices.")
        return None
    sizes = sizes if sizes is not None else analytics.centrality(g)
    if colour_by == "community" and community is None:
        community = analytics.communities(g)
    pos = pos if pos is not None else analytics.layout(g)
    event = st.vega_lite_chart(spec=chart(g, pos, sizes, colour_by, community, names,
                                          highlight, height, size_title, legend_at),
                               width="stretch", key=key, on_select="rerun",
                               selection_mode="node")
    picked = (getattr(event, "selection", None) or {}).get("node") or []
    ids = [p.get("id") for p in picked if isinstance(p, Mapping)]
    return ids[0] if ids and ids[0] in g else None
