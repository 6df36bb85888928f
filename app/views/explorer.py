"""Network explorer (analyst): the graph filtered or around one node, centrality, paths,
demand against supply by theme and region, the region's RAG ratings, learning networks."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app import state, ui
from app.ui import md
from graph import analytics
from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph
from graph.schema import NodeKind
from matcher import groups

KIND_CHOICES = [k.value for k in NodeKind if k not in (NodeKind.DOCUMENT,)]
DEFAULT_KINDS = sorted(k.value for k in analytics.VIEW_KINDS)
FILTERED, EGO = "Filtered network", "Around one node"


@st.cache_data(show_spinner="Laying out the network...", max_entries=32)
def network(_kg: KnowledgeGraph, token: int, mode: str, regions: tuple, themes: tuple,
            kinds: tuple, center: str | None, radius: int, measure: str, cap: int):
    """The graph to draw, its centrality, and how many nodes were left out by the cap."""
    kinds_ = [NodeKind(k) for k in kinds]
    if mode == EGO and center:
        g = analytics.ego(_kg, center, radius, kinds_)
    else:
        g = analytics.filtered(_kg, regions, themes, kinds_)
    scores = analytics.centrality(g, measure)
    dropped = 0
    if g.number_of_nodes() > cap:
        keep = sorted(g.nodes, key=lambda n: (-scores.get(n, 0.0), n))[:cap]
        if center and center in g and center not in keep:
            keep[-1] = center
        dropped = g.number_of_nodes() - len(keep)
        g = g.subgraph(keep).copy()
    return g, scores, dropped


kg = state.kg()
token = id(kg)
region = state.region()
st.title("Network explorer")
st.caption("How councils, practice, organisations and networks connect; where demand for "
           "expertise and its supply do not meet; how the region rates itself.")

tab_net, tab_heat, tab_rag, tab_groups = st.tabs(
    ["Network", "Demand and supply", "Self-improving system (RAG)", "Learning networks"])

# ---------------------------------------------------------------- network
with tab_net:
    mode = st.radio("Show", [FILTERED, EGO], key=state.X_MODE, horizontal=True)
    left, right = st.columns([1, 3])
    center = None
    radius = 1
    regions: tuple = ()
    themes: tuple = ()
    with left:
        if mode == EGO:
            center = ui.council_picker(kg, state.resolver(), state.X_CENTER, state.X_CENTER_PICK,
                                       label="Council at the centre")
            radius = st.radio("Steps out", [1, 2], key=state.X_RADIUS, horizontal=True)
        else:
            all_regions = sorted(r.id for r in kg.nodes(NodeKind.REGION))
            if state.X_REGIONS not in st.session_state:
                st.session_state[state.X_REGIONS] = [region] if region else []
            regions = tuple(st.multiselect("Regions", all_regions, key=state.X_REGIONS,
                                           format_func=kg.name,
                                           placeholder="All of England"))
            themes = tuple(st.multiselect(
                "Themes", sorted(t.id for t in kg.nodes(NodeKind.THEME)), key=state.X_THEMES,
                format_func=kg.name, placeholder="All themes"))
        kinds = tuple(st.multiselect("Kinds of node", KIND_CHOICES, default=DEFAULT_KINDS,
                                     key=state.X_KINDS))
        measure = st.radio("Node size", ["degree", "betweenness"], key=state.X_MEASURE,
                           format_func=lambda m: f"{m} centrality", horizontal=True)
        cap = st.slider("Most nodes drawn", 50, 800, 300, step=50, key=state.X_MAX_NODES)
    if mode == EGO and not center:
        right.info("Choose a council to see what surrounds it.")
        g = None
    else:
        try:
            g, scores, dropped = network(kg, token, mode, tuple(sorted(regions)),
                                         tuple(sorted(themes)), tuple(sorted(kinds)), center,
                                         int(radius), measure, int(cap))
        except GraphError as exc:
            right.error(md(exc))
            g = None
    if g is not None:
        with right:
            st.caption(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} links"
                       + (f" ({dropped} least central nodes not drawn)" if dropped else "")
                       + ". Size: " + measure + " centrality; colour: region. Click a node.")
            colours = ui.region_colours(r.id for r in kg.nodes(NodeKind.REGION))
            clicked = ui.draw_graph(g, key=state.X_GRAPH, sizes=scores, colours=colours,
                                    highlight=[center] if center else [])
            shown = sorted({d["region"] for _, d in g.nodes(data=True) if d["region"]})
            ui.region_legend(kg, {r: colours[r] for r in shown})
        if g.number_of_nodes():
            ranked = sorted(g.nodes, key=lambda n: (-scores.get(n, 0.0), n))
            st.markdown("**Most central**")
            st.dataframe(pd.DataFrame([
                {"name": g.nodes[n]["name"], "kind": g.nodes[n]["kind"],
                 "region": g.nodes[n]["region_name"] or "", measure: round(scores[n], 3)}
                for n in ranked[:10]]), hide_index=True)
            if clicked and clicked in g:
                st.session_state[state.X_DETAIL] = clicked
            options = sorted(g.nodes, key=lambda n: g.nodes[n]["name"])
            if st.session_state.get(state.X_DETAIL) not in options:
                st.session_state.pop(state.X_DETAIL, None)
            detail = st.selectbox("Details of", options, key=state.X_DETAIL, index=None,
                                  format_func=lambda n: f"{g.nodes[n]['name']} "
                                                        f"({g.nodes[n]['kind']})",
                                  placeholder="Click a node or choose one")
            if detail:
                node = kg.node(detail)
                st.markdown(f"**{md(node.name)}** \u00b7 {md(node.kind.value)} \u00b7 "
                            f"{md(detail)}")
                if node.description:
                    st.markdown(md(node.description))
                st.dataframe(pd.DataFrame([
                    {"relationship": e.type.value, "direction": d, "other": o.name,
                     "kind": o.kind.value, "source": ui.edge_source(e, kg)}
                    for e, d, o in kg.neighbours(detail)]), hide_index=True)

    st.subheader("Shortest path")
    choices = sorted((n for n in kg.nodes() if n.kind.value in KIND_CHOICES
                      and not (n.kind == NodeKind.COUNCIL and n.status != "current")),
                     key=lambda n: (n.kind.value, n.name))
    ids = [n.id for n in choices]
    a_col, b_col = st.columns(2)
    fmt = lambda n: f"{kg.name(n)} ({kg.node(n).kind.value})"  # noqa: E731
    a = a_col.selectbox("From", ids, key=state.X_PATH_FROM, index=None, format_func=fmt,
                        placeholder="Type to search")
    b = b_col.selectbox("To", ids, key=state.X_PATH_TO, index=None, format_func=fmt,
                        placeholder="Type to search")
    if a and b:
        try:
            path = analytics.shortest_path(kg, a, b, [NodeKind(k) for k in kinds])
        except GraphError as exc:
            st.warning(md(exc))
        else:
            st.markdown(f"**{len(path) - 1} step(s)** from {md(path[0].name)} to "
                        f"{md(path[-1].name)}")
            st.dataframe(pd.DataFrame([
                {"step": i, "name": s.name, "kind": s.kind, "via": ", ".join(s.via),
                 "source": "; ".join(s.citations)} for i, s in enumerate(path)]),
                hide_index=True)

# ---------------------------------------------------------------- demand and supply
with tab_heat:
    detail = st.toggle("Sub-themes", key=state.X_HEAT_DETAIL,
                       help="Off: sub-themes count towards their broad theme")
    cells = analytics.demand_supply(kg, top_level=not detail)
    metric = st.radio("Colour by", ["gap", "demand", "supply"], key=state.X_HEAT_METRIC,
                      horizontal=True,
                      format_func={"gap": "demand minus supply", "demand": "demand",
                                   "supply": "supply"}.get)
    frame = pd.DataFrame([c.to_json() | {"gap_value": c.demand - c.supply,
                                          "outside_text": "; ".join(c.outside)}
                          for c in cells])
    if frame.empty or not (frame["demand"].sum() or frame["supply"].sum()):
        st.info("No priorities or shared practice are recorded yet.")
    else:
        frame["label"] = frame["demand"].astype(str) + "/" + frame["supply"].astype(str)
        field = {"gap": "gap_value", "demand": "demand", "supply": "supply"}[metric]
        scheme = "redblue" if metric == "gap" else "blues"
        base = alt.Chart(frame).encode(
            x=alt.X("region_name:N", title="Region"),
            y=alt.Y("theme_name:N", title="Theme", axis=alt.Axis(labelLimit=320)),
        )
        heat = base.mark_rect().encode(
            color=alt.Color(f"{field}:Q", title=metric,
                            scale=alt.Scale(scheme=scheme, reverse=metric == "gap",
                                            domainMid=0 if metric == "gap" else None)),
            tooltip=["theme_name", "region_name", "demand", "supply", "outside_text"],
        )
        text = base.mark_text(fontSize=10).encode(text=alt.Text("label:N"))
        height = 28 * frame["theme"].nunique() + 40
        st.altair_chart((heat + text).properties(height=height), width="stretch")
        st.caption("Each cell: councils with the theme as a priority / councils, "
                   "organisations and networks there with practice to share.")
        gaps = [c for c in cells if c.gap and (not region or c.region == region)]
        st.markdown("**Where a region has demand and no supply: sources outside it**")
        if gaps:
            st.dataframe(pd.DataFrame([
                {"region": c.region_name, "theme": c.theme_name, "demand": c.demand,
                 "sources outside the region": "; ".join(c.outside) or "none recorded"}
                for c in gaps]), hide_index=True, width="stretch")
        else:
            st.caption("No gaps: every region with a priority has a source of its own.")

# ---------------------------------------------------------------- RAG
with tab_rag:
    rated = sorted({e.src for e in kg.edges() if e.type.value == "RATED"})
    chosen = region if region in rated else (rated[0] if rated else None)
    if chosen is None:
        st.info("No region has rated the characteristics of a self-improving system yet.")
    else:
        if region and region != chosen:
            st.caption(f"{md(kg.name(region))} has no ratings recorded; showing "
                       f"{md(kg.name(chosen))}.")
        st.markdown(f"**{md(kg.name(chosen))}**: characteristics of a self-improving system")
        rows = analytics.rag_table(kg, chosen)
        table = pd.DataFrame([r.to_json() for r in rows])[
            ["number", "name", "rag", "date", "notes", "citation"]]
        st.dataframe(
            table.style.map(lambda v: f"background-color: {ui.rag_colour(str(v))}; "
                                      "color: white", subset=["rag"]),
            hide_index=True, width="stretch")

# ---------------------------------------------------------------- learning networks
with tab_groups:
    where = kg.name(region) if region else "England"
    st.caption(f"Proposed for {md(where)} (change the region in the sidebar).")
    size = st.slider("Councils per group", 3, 6, 3, key=state.X_GROUP_SIZE)
    st.markdown("**Learning groups around a common challenge**")
    found = [g.to_json() for g in groups.learning_groups(kg, region or None, size=size)]
    if not found:
        st.caption("No group found: no theme here has both a council sharing practice "
                   "and councils asking for it.")
    for grp in found[:10]:
        with st.expander(f"{grp['theme']['name']}: "
                         + ", ".join(m["name"] for m in grp["members"])):
            st.dataframe(pd.DataFrame([
                {"council": m["name"], "region": kg.name(m.get("region") or ""),
                 "role": m.get("role", "")} for m in grp["members"]]), hide_index=True)
            ui.bullets(grp["reasons"])
            for ev in grp["evidence"][:6]:
                ui.source_caption(ui.citation(ev, kg))
    st.markdown("**Learning pairs: each can offer what the other needs**")
    pairs = [p.to_json() for p in groups.learning_pairs(kg, region or None, top=15)]
    if pairs:
        st.dataframe(pd.DataFrame([
            {"council A": p["a"]["name"], "offers": p["a_offers"]["name"],
             "council B": p["b"]["name"], "B offers": p["b_offers"]["name"],
             "kind": p["kind"], "score": p["score"],
             "sources": "; ".join(sorted({ui.citation(e, kg) for e in p["evidence"]}))}
            for p in pairs]), hide_index=True, width="stretch")
    else:
        st.caption("No learning pairs found.")
