"""Network explorer (analyst): the graph filtered, around one node, or two regions side by
side, coloured by region, kind or community, sized by centrality, exportable; paths; demand
against supply by theme and region; the region's RAG ratings; learning networks.

Every choice on the Network tab is bound to the page address, so the view can be shared and
reopened."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import explorer_panels, network_chart, state, ui
from app.ui import md
from graph import analytics
from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph
from graph.schema import NodeKind
from graph.wording import relationship_words
from matcher import groups

KIND_CHOICES = [k.value for k in NodeKind if k not in (NodeKind.DOCUMENT,)]
DEFAULT_KINDS = sorted(k.value for k in analytics.VIEW_KINDS)
FILTERED, EGO, COMPARE = "Filtered network", "Around one node", "Two regions side by side"
MEASURES = {"degree": "degree centrality", "betweenness": "betweenness centrality"}
TABS = ["Network", "Demand and supply", "Self-improving system (RAG)", "Learning networks"]
QP = "query-params"


@st.cache_data(show_spinner="Laying out the network...", max_entries=32)
def network(_kg: KnowledgeGraph, token: tuple, mode: str, regions: tuple, themes: tuple,
            center: str | None, kinds: tuple, radius: int, measure: str, cap: int):
    """The graph to draw, its centrality, communities and layout, and how many nodes were
    left out by the cap."""
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
    return g, scores, dropped, analytics.communities(g), analytics.layout(g)


def draw(g, scores, community, pos, key: str, highlight=(), height: int = 620,
         legend_at: str = "right") -> str | None:
    if not tab_net.open:  # a chart drawn in a hidden tab collapses to nothing
        return None
    return network_chart.draw_network(
        g, key=key, sizes=scores, colour_by=colour_by, community=community, pos=pos,
        names=names, highlight=highlight, height=height, size_title=MEASURES[measure],
        legend_at=legend_at)


def summary(g, community) -> str:
    n = g.number_of_nodes()
    return (f"{n} nodes, {g.number_of_edges()} links, "
            f"{len(set(community.values()))} communities")


kg = state.kg()
token = (state.where(), state.generation())
region = state.region()
all_regions = sorted(r.id for r in kg.nodes(NodeKind.REGION))
st.title("Network explorer")
st.caption("How councils, practice, organisations and networks connect; where demand for "
           "expertise and its supply do not meet; how the region rates itself.")

tab_net, tab_heat, tab_rag, tab_groups = st.tabs(TABS, key=state.X_TAB, bind=QP)

# ---------------------------------------------------------------- network
with tab_net:
    mode = st.radio("Show", [FILTERED, EGO, COMPARE], key=state.X_MODE, horizontal=True,
                    bind=QP)
    left, right = st.columns([1, 3])
    center, radius, regions, themes = None, 1, (), ()
    with left:
        if mode == EGO:
            center = ui.council_picker(kg, state.resolver(), state.X_CENTER, state.X_CENTER_PICK,
                                       label="Council at the centre", bind=QP)
            radius = st.radio("Steps out", [1, 2], key=state.X_RADIUS, horizontal=True,
                              bind=QP)
        elif mode == COMPARE:
            first = st.selectbox("Region", all_regions, key=state.X_COMPARE_A, bind=QP,
                                 format_func=kg.name,
                                 index=all_regions.index(region) if region else 0)
            second = st.selectbox("Beside", all_regions, key=state.X_COMPARE_B, bind=QP,
                                  format_func=kg.name, index=1)
        else:
            if state.X_REGIONS not in st.session_state and region:
                st.session_state[state.X_REGIONS] = [region]
            regions = tuple(st.multiselect("Regions", all_regions, key=state.X_REGIONS,
                                           format_func=kg.name, bind=QP, filter_mode="contains",
                                           placeholder="All of England"))
        if mode != EGO:
            themes = tuple(st.multiselect(
                "Themes", sorted(t.id for t in kg.nodes(NodeKind.THEME)), key=state.X_THEMES,
                format_func=kg.name, placeholder="All themes", bind=QP,
                **ui.THEME_PICKER))
        kinds = tuple(st.multiselect("Kinds of node", KIND_CHOICES, default=DEFAULT_KINDS,
                                     key=state.X_KINDS, bind=QP,
                                     format_func=network_chart.kind_words))
        measure = st.radio("Size", list(MEASURES), key=state.X_MEASURE, bind=QP,
                           format_func=MEASURES.get, horizontal=True)
        colour_by = st.radio("Colour", list(network_chart.COLOUR_BY), key=state.X_COLOUR,
                             bind=QP, horizontal=True,
                             help="community: groups of nodes more tightly linked to each "
                                  "other than to the rest (Louvain method)")
        names = st.radio("Names on", list(network_chart.NAMES), key=state.X_NAMES, bind=QP,
                         format_func=network_chart.NAMES.get)
        cap = st.slider("Most nodes drawn", 50, 800, 300, step=50, key=state.X_MAX_NODES,
                        bind=QP)
        st.caption("The address bar holds these choices: copy it to share this view.")
    settings = (tuple(sorted(kinds)), int(radius), measure, int(cap))
    g = None
    if mode == EGO and not center:
        right.info("Choose a council to see what surrounds it.")
    elif mode == COMPARE:
        with right:
            cols = st.columns(2)
            for col, code, key in ((cols[0], first, state.X_GRAPH), (cols[1], second,
                                                                       state.X_GRAPH_B)):
                view, scores, dropped, community, pos = network(
                    kg, token, FILTERED, (code,), tuple(sorted(themes)), None, *settings)
                with col:
                    st.markdown(f"**{md(kg.name(code))}**")
                    st.caption(summary(view, community)
                               + (f" ({dropped} least central not drawn)" if dropped else ""))
                    draw(view, scores, community, pos, key, height=480, legend_at="bottom")
                    ranked = sorted(view.nodes, key=lambda n: (-scores.get(n, 0.0), n))
                    st.dataframe(pd.DataFrame([
                        {"most central": view.nodes[n]["name"],
                         "kind": network_chart.kind_words(view.nodes[n]["kind"]),
                         MEASURES[measure]: round(scores[n], 3)} for n in ranked[:8]]),
                        hide_index=True, width="stretch")
    else:
        try:
            g, scores, dropped, community, pos = network(
                kg, token, mode, tuple(sorted(regions)), tuple(sorted(themes)), center,
                *settings)
        except GraphError as exc:
            right.error(md(exc))
    if g is not None:
        with right:
            st.caption(summary(g, community)
                       + (f" ({dropped} least central nodes not drawn)" if dropped else "")
                       + ". Hover a node for its name; click it for its details; scroll to "
                       "zoom, drag to pan.")
            clicked = draw(g, scores, community, pos, state.X_GRAPH,
                           highlight=[center] if center else [])
            explorer_panels.downloads(g, scores, community, "peerlink-network")
        if g.number_of_nodes():
            ranked = sorted(g.nodes, key=lambda n: (-scores.get(n, 0.0), n))
            st.markdown("**Most central**")
            st.dataframe(pd.DataFrame([
                {"name": g.nodes[n]["name"], "kind": network_chart.kind_words(g.nodes[n]["kind"]),
                 "region": g.nodes[n]["region_name"] or "", "community": community[n],
                 MEASURES[measure]: round(scores[n], 3)}
                for n in ranked[:10]]), hide_index=True)
            if clicked and clicked in g:
                st.session_state[state.X_DETAIL] = clicked
            options = sorted(g.nodes, key=lambda n: g.nodes[n]["name"])
            if st.session_state.get(state.X_DETAIL) not in options:
                st.session_state.pop(state.X_DETAIL, None)
            detail = st.selectbox("Details of", options, key=state.X_DETAIL, index=None,
                                  format_func=lambda n: f"{g.nodes[n]['name']} "
                                  f"({network_chart.kind_words(g.nodes[n]['kind'])})",
                                  placeholder="Click a node or choose one")
            if detail:
                node = kg.node(detail)
                st.markdown(f"**{md(node.name)}** \u00b7 "
                            f"{md(network_chart.kind_words(node.kind.value))}")
                if node.kind == NodeKind.COUNCIL:
                    ui.profile_link(detail, kg)
                if node.description:
                    st.markdown(md(node.description))
                st.dataframe(pd.DataFrame([
                    {"relationship": relationship_words(e.type, incoming=d != "out"),
                     "other": o.name, "kind": network_chart.kind_words(o.kind.value),
                     "source": ui.edge_source(e, kg)}
                    for e, d, o in kg.neighbours(detail)]), hide_index=True)

    st.subheader("Shortest path")
    choices = sorted((n for n in kg.nodes() if n.kind.value in KIND_CHOICES
                      and not (n.kind == NodeKind.COUNCIL and n.status != "current")),
                     key=lambda n: (n.kind.value, n.name))
    ids = [n.id for n in choices]
    a_col, b_col = st.columns(2)
    fmt = lambda n: f"{kg.name(n)} ({network_chart.kind_words(kg.node(n).kind.value)})"  # noqa: E731
    a = a_col.selectbox("From", ids, key=state.X_PATH_FROM, index=None, format_func=fmt,
                        placeholder="Type to search", filter_mode="contains")
    b = b_col.selectbox("To", ids, key=state.X_PATH_TO, index=None, format_func=fmt,
                        placeholder="Type to search", filter_mode="contains")
    if a and b:
        try:
            path = analytics.shortest_path(kg, a, b, [NodeKind(k) for k in kinds])
        except GraphError as exc:
            st.warning(md(exc))
        else:
            st.markdown(f"**{len(path) - 1} step(s)** from {md(path[0].name)} to "
                        f"{md(path[-1].name)}")
            st.dataframe(pd.DataFrame([
                {"step": i, "name": s.name, "kind": network_chart.kind_words(s.kind),
                 "via": "; ".join(relationship_words(t) for t in s.via),
                 "source": "; ".join(s.citations)} for i, s in enumerate(path)]),
                hide_index=True)

# ---------------------------------------------------------------- demand and supply
with tab_heat:
    detail = st.toggle("Sub-themes", key=state.X_HEAT_DETAIL, bind=QP,
                       help="Off: sub-themes count towards their broad theme")
    metric = st.radio("Colour by", list(explorer_panels.HEAT_METRICS), key=state.X_HEAT_METRIC,
                      horizontal=True, bind=QP, format_func=explorer_panels.HEAT_METRICS.get)
    chart = explorer_panels.heatmap(kg, detail, metric)
    if chart is None:
        st.info("No priorities or shared practice are recorded yet.")
    else:
        if tab_heat.open:  # a chart drawn in a hidden tab collapses to nothing
            st.vega_lite_chart(spec=chart, width="stretch", height=chart["height"])
        st.caption("Each cell: councils with the theme as a priority / councils, "
                   "organisations and networks there with practice to share.")
        gaps = explorer_panels.gap_rows(kg, region)
        where = f"in {kg.name(region)}" if region else "in any region"
        st.markdown("**Where a region has demand and no supply: sources outside it**")
        st.caption("Sub-themes are counted on their own here, whatever the heatmap shows.")
        if gaps:
            st.dataframe(pd.DataFrame(gaps), hide_index=True, width="stretch")
        else:
            st.caption(f"No gaps {md(where)}: every theme a council there asks for has a "
                       "source of practice in its own region.")

# ---------------------------------------------------------------- RAG
with tab_rag:
    explorer_panels.rag_panel(kg, region)

# ---------------------------------------------------------------- learning networks
with tab_groups:
    where = kg.name(region) if region else "England"
    st.caption(f"Proposed for {md(where)} (change the region in the sidebar).")
    size = st.slider("Councils per group", 3, 6, 3, key=state.X_GROUP_SIZE)
    st.markdown("**Learning groups around a common challenge**")
    found = [grp.to_json() for grp in groups.learning_groups(kg, region or None, size=size)]
    if not found:
        st.caption("No group found: no theme here has both a council sharing practice "
                   "and councils asking for it.")
    for grp in found[:10]:
        with st.expander(f"{md(grp['theme']['name'])}: "
                         + ", ".join(md(m["name"]) for m in grp["members"])):
            st.dataframe(pd.DataFrame([
                {"council": m["name"], "region": kg.name(m.get("region") or ""),
                 "role": m.get("role", "")} for m in grp["members"]]), hide_index=True)
            ui.bullets(grp["reasons"])
            ui.sources(grp["evidence"], kg)
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
