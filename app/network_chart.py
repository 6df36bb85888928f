"""A network view drawn as a Vega-Lite chart: one mark per node at a fixed force-directed
position, shape by kind, colour by region, kind or community, size by centrality, with a
legend for each; names on the most central nodes (or all), every name on hover; zoom and pan;
a click on a node selects it.

Drawn with Altair rather than a graph widget so the legend, the shapes and the names are the
chart's own (nothing else is painted over the graph), and data is only ever chart data,
never HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import altair as alt
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
          size_title: str = "centrality", legend_at: str = "right") -> alt.LayerChart:
    nodes = node_frame(g, pos, sizes, colour_by, community, names, highlight)
    links = pd.DataFrame([{"x": pos[a][0], "y": pos[a][1], "x2": pos[b][0], "y2": pos[b][1]}
                          for a, b in g.edges], columns=["x", "y", "x2", "y2"])
    axis = dict(axis=None, scale=alt.Scale(domain=[-1.15, 1.15], zero=False))
    x, y = alt.X("x:Q", **axis), alt.Y("y:Q", **axis)
    if colour_by == "region":
        shown = sorted(set(nodes["group"]) - {NO_REGION}) if len(nodes) else []
        palette = region_colours(shown)
        domain = shown + ([NO_REGION] if NO_REGION in set(nodes["group"]) else [])
        scale = alt.Scale(domain=domain, range=[palette.get(r, NO_REGION_COLOUR)
                                                for r in domain])
    else:
        scale = alt.Scale(scheme="category20")
    kinds = sorted(set(nodes["kind"])) if len(nodes) else []
    shapes = {kind_words(k): s for k, s in KIND_SHAPES.items()}
    legend = dict(orient=legend_at, labelLimit=200)
    if legend_at == "bottom":
        legend |= dict(direction="horizontal", columns=3)
    select = alt.selection_point(name="node", fields=["id"], on="click", empty=False)
    edge_layer = alt.Chart(links).mark_rule(color="#c8c8c8", strokeWidth=0.7).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q")
    node_layer = alt.Chart(nodes).mark_point(filled=True, opacity=0.9).encode(
        x=x, y=y,
        color=alt.Color("group:N", title=COLOUR_BY[colour_by], scale=scale,
                        legend=alt.Legend(**legend)),
        shape=alt.Shape("kind:N", title="Shape: kind of node",
                        scale=alt.Scale(domain=kinds, range=[shapes.get(k, "circle")
                                                             for k in kinds]),
                        legend=alt.Legend(**legend)),
        size=alt.Size("centrality:Q", title=f"Size: {size_title}",
                      scale=alt.Scale(range=[30, 700]),
                      legend=alt.Legend(orient="bottom", direction="horizontal", tickCount=4)),
        stroke=alt.value("#111"), strokeWidth=alt.StrokeWidth("marked:Q", legend=None,
                                                              scale=None),
        tooltip=[alt.Tooltip("name:N", title="name"), alt.Tooltip("kind:N", title="kind"),
                 alt.Tooltip("region:N", title="region"),
                 alt.Tooltip("centrality:Q", title=size_title)],
    ).add_params(select)
    label_layer = alt.Chart(nodes).transform_filter(alt.datum.label != "").mark_text(
        dy=-11, fontSize=11, color="#222").encode(x=x, y=y, text="label:N")
    return (edge_layer + node_layer + label_layer).properties(height=height).interactive()


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
    event = st.altair_chart(chart(g, pos, sizes, colour_by, community, names, highlight,
                                  height, size_title, legend_at),
                            width="stretch", key=key, on_select="rerun", selection_mode="node")
    picked = (getattr(event, "selection", None) or {}).get("node") or []
    ids = [p.get("id") for p in picked if isinstance(p, Mapping)]
    return ids[0] if ids and ids[0] in g else None
