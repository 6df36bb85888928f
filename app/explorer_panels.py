"""The network explorer's analysis panels: demand against supply, the region's RAG ratings,
and the downloads of the current view. The page lays them out; these draw them."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st

from app import state, ui
from app.export import to_csv
from app.ui import md
from graph import analytics, ratings, view_export
from graph.knowledge import KnowledgeGraph

HEAT_METRICS = {"gap": "demand minus supply", "demand": "demand", "supply": "supply"}
HEAT_ROW_PX = 26
HEAT_LABELS_PX = 130


def heat_scale(metric: str) -> dict:
    """The colour scale of the heatmap: diverging around 0 for the gap, sequential otherwise
    (Vega-Lite rejects a `domainMid` of null, so it is only given for the gap)."""
    if metric == "gap":
        return {"scheme": "redblue", "reverse": True, "domainMid": 0}
    return {"scheme": "blues"}


def heatmap(kg: KnowledgeGraph, sub_themes: bool, metric: str) -> dict | None:
    """Demand/supply per theme and region (a Vega-Lite specification), each cell labelled
    `demand/supply`, one row of `HEAT_ROW_PX` per theme; None when nothing is recorded."""
    cells = analytics.demand_supply(kg, top_level=not sub_themes)
    rows = [c.to_json() | {"gap_value": c.demand - c.supply,
                           "outside_text": "; ".join(c.outside),
                           "label": f"{c.demand}/{c.supply}"} for c in cells]
    if not any(r["demand"] or r["supply"] for r in rows):
        return None
    field = {"gap": "gap_value", "demand": "demand", "supply": "supply"}[metric]
    position = {
        "x": {"field": "region_name", "type": "nominal", "title": None,
              "axis": {"orient": "top", "labelAngle": -35, "labelLimit": 120,
                       "labelOverlap": False}},
        "y": {"field": "theme_name", "type": "nominal", "title": None,
              "axis": {"labelLimit": 360}},
    }
    tooltip = [{"field": "theme_name", "type": "nominal", "title": "theme"},
               {"field": "region_name", "type": "nominal", "title": "region"},
               {"field": "demand", "type": "quantitative"},
               {"field": "supply", "type": "quantitative"},
               {"field": "outside_text", "type": "nominal",
                "title": "sources outside the region"}]
    return {
        "data": {"values": rows},
        "height": heat_height(len({r["theme"] for r in rows})),
        "layer": [
            {"mark": {"type": "rect"},
             "encoding": {**position, "tooltip": tooltip,
                          "color": {"field": field, "type": "quantitative",
                                    "title": HEAT_METRICS[metric],
                                    "scale": heat_scale(metric)}}},
            {"mark": {"type": "text", "fontSize": 10},
             "encoding": {**position, "text": {"field": "label", "type": "nominal"}}},
        ],
    }


def heat_height(rows: int) -> int:
    """The chart's whole height: a row per theme and room above for the slanted region
    names (Streamlit fits the plot inside the height it is given)."""
    return HEAT_ROW_PX * rows + HEAT_LABELS_PX


def gap_rows(kg: KnowledgeGraph, region: str) -> list[dict]:
    """Every theme, at the finest level recorded, that a region asks for and has no source
    of in it, with the strongest sources elsewhere (the sidebar region only, when chosen)."""
    return [{"region": c.region_name, "theme": c.theme_name, "demand": c.demand,
             "sources outside the region": "; ".join(c.outside) or "none recorded"}
            for c in analytics.demand_supply(kg, top_level=False)
            if c.gap and (not region or c.region == region)]


def rag_text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` (#rrggbb), by WCAG contrast."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def rag_cell_style(rag: str) -> str:
    background = ui.rag_colour(str(rag))
    return f"background-color: {background}; color: {rag_text_colour(background)}"


def rag_panel(kg: KnowledgeGraph, region: str) -> None:
    rated = sorted({e.src for e in kg.edges() if e.type.value == "RATED"})
    chosen = region if region in rated else (rated[0] if rated else None)
    if chosen is None:
        st.info("No region has rated the characteristics of a self-improving system yet.")
        return
    if region and region != chosen:
        st.caption(f"{md(kg.name(region))} has no ratings recorded; showing "
                   f"{md(kg.name(chosen))}.")
    st.markdown(f"**{md(kg.name(chosen))}**: characteristics of a self-improving system")
    rows = ratings.rag_table(kg, chosen)
    table = pd.DataFrame([r.to_json() for r in rows])[
        ["number", "name", "rag", "date", "notes", "citation"]]
    st.dataframe(table.style.map(rag_cell_style, subset=["rag"]), hide_index=True,
                 width="stretch")


def downloads(g: nx.Graph, scores: dict, community: dict, stem: str) -> None:
    """The current view as GraphML and GEXF (for Gephi) and its nodes and links as CSV.

    Each file is made when its button is clicked (Streamlit calls the function then), not on
    every run of the page: making all four took a quarter of a second per run. A download
    does not rerun the page (a click on a second button during that rerun was lost)."""
    cols = st.columns(4)
    quiet = {"on_click": "ignore"}
    cols[0].download_button("GraphML", lambda: view_export.to_graphml(g, scores, community),
                            file_name=f"{stem}.graphml", mime="application/graphml+xml",
                            key=state.X_EXPORT + "graphml", help="Opens in Gephi, yEd, Cytoscape",
                            **quiet)
    cols[1].download_button("GEXF", lambda: view_export.to_gexf(g, scores, community),
                            file_name=f"{stem}.gexf", mime="application/xml",
                            key=state.X_EXPORT + "gexf", help="Gephi's own format", **quiet)
    cols[2].download_button(
        "Nodes (CSV)",
        lambda: to_csv(view_export.node_rows(g, scores, community)).encode("utf-8"),
        file_name=f"{stem}-nodes.csv", mime="text/csv", key=state.X_EXPORT + "nodes", **quiet)
    cols[3].download_button("Links (CSV)",
                            lambda: to_csv(view_export.link_rows(g)).encode("utf-8"),
                            file_name=f"{stem}-links.csv", mime="text/csv",
                            key=state.X_EXPORT + "links", **quiet)
