"""Network explorer: the network filtered and around one node, details, shortest path,
demand against supply, the region's RAG ratings, learning networks."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app import explorer_panels, state, ui
from graph import analytics
from graph.loader import load_graph
from tests.app.apptest_helpers import ENTRY, open_page, read


def test_explorer_draws_the_network_and_ranks_the_most_central(app):
    open_page(app, "explorer")
    text = read(app)
    assert "Network explorer" in text
    assert " nodes, " in text and " links, " in text and " communities." in text
    central = app.tabs[0].dataframe[0].value
    assert list(central.columns[:3]) == ["name", "kind", "region"]
    assert len(central) == 10


def test_filtering_by_region_keeps_only_that_regions_councils(app):
    open_page(app, "explorer")
    app.multiselect(key=state.X_REGIONS).select("E12000002").run()
    central = app.tabs[0].dataframe[0].value
    regions = set(central[central["kind"] == "Council"]["region"])
    assert regions <= {"North West"}


def test_node_details_list_relationships_with_sources(app):
    open_page(app, "explorer")
    app.selectbox(key=state.X_DETAIL).select("E06000006").run()
    assert "Halton" in read(app)
    detail = app.tabs[0].dataframe[1].value
    assert {"relationship", "other", "source"} <= set(detail.columns)


def test_ego_view_centres_on_a_council(app):
    open_page(app, "explorer")
    app.radio(key=state.X_MODE).set_value("Around one node").run()
    app.text_input(key=state.X_CENTER).input("Halton").run()
    app.radio(key=state.X_RADIUS).set_value(2).run()
    assert "Using Halton (E06000006)" in read(app)
    assert " nodes, " in read(app)


def test_shortest_path_names_each_step_and_its_source(app):
    open_page(app, "explorer")
    app.selectbox(key=state.X_PATH_FROM).select("E06000006")
    app.selectbox(key=state.X_PATH_TO).select("E08000012").run()
    assert "step(s) from Halton to Liverpool" in read(app)
    path = app.tabs[0].dataframe[-1].value
    assert path.iloc[0]["name"] == "Halton" and path.iloc[-1]["name"] == "Liverpool"
    assert all(path["source"].iloc[1:].str.len() > 0)


def test_demand_and_supply_points_to_sources_outside_a_region_without_any(app):
    open_page(app, "explorer")
    heat = app.tabs[1]
    text = "\n".join(m.value for m in heat.markdown)
    assert "sources outside it" in text
    gaps = heat.dataframe[0].value if len(heat.dataframe) else None
    if gaps is not None:
        assert "sources outside the region" in gaps.columns


def test_rag_table_shows_the_north_west_ratings_with_their_source(app):
    app.selectbox(key=state.REGION).select("E12000002").run()
    open_page(app, "explorer")
    rag = app.tabs[2]
    assert "North West" in "\n".join(m.value for m in rag.markdown)
    table = rag.dataframe[0].value
    assert len(table) == 8
    assert list(table["number"]) == list(range(1, 9))
    assert set(table["rag"]) <= {"green", "amber-green", "yellow", "amber", "amber-red", "red"}
    assert table["citation"].str.contains("North West").all()


def test_learning_networks_are_proposed_with_reasons(app):
    app.selectbox(key=state.REGION).select("E12000002").run()
    open_page(app, "explorer")
    groups = app.tabs[3]
    text = "\n".join(m.value for m in groups.markdown)
    assert "Learning groups around a common challenge" in text
    assert [e for e in groups.expander], "at least one group is proposed in the North West"


@pytest.mark.parametrize("metric", ["gap", "demand", "supply"])
def test_the_heatmap_colours_by_each_measure_without_an_error(journal, metric):
    app = AppTest.from_file(str(ENTRY), default_timeout=120)
    app.switch_page("views/explorer.py").run()
    app.query_params[state.X_TAB] = "Demand and supply"  # charts draw in the open tab only
    app.run()
    assert len(app.get("vega_lite_chart")) == 1  # the heatmap, not the hidden network
    app.radio(key=state.X_HEAT_METRIC).set_value(metric).run()
    assert not app.exception, app.exception
    spec = explorer_panels.heatmap(load_graph(), False, metric)
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert "domainMid" not in scale or scale["domainMid"] == 0


def test_the_heatmap_gives_every_theme_row_room_to_read():
    kg = load_graph()
    for sub_themes in (False, True):
        rows = len({c.theme for c in analytics.demand_supply(kg, top_level=not sub_themes)})
        chart = explorer_panels.heatmap(kg, sub_themes, "gap")
        assert chart["height"] >= explorer_panels.HEAT_ROW_PX * rows


def test_gaps_are_listed_at_sub_theme_level_even_when_the_heatmap_shows_broad_themes():
    from graph.knowledge import KnowledgeGraph
    from graph.schema import Council, Edge, EdgeType, Provenance, Region, Theme

    def fact(src, type_, dst):
        return Edge(src=src, type=type_, dst=dst, provenance=Provenance(source="doc"))

    kg = KnowledgeGraph(
        [Region(id="E12000002", name="North West"),
         Theme(id="system", name="System"),
         Theme(id="system.early-help", name="Early help", parent="system"),
         Theme(id="system.front-door", name="Front door", parent="system"),
         Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
         Council(id="E06000007", name="Warrington", type="unitary", region="E12000002")],
        [fact("E06000006", EdgeType.HAS_PRIORITY, "system.early-help"),
         fact("E06000007", EdgeType.SHARES_PRACTICE, "system.front-door")])
    broad = [c for c in analytics.demand_supply(kg, top_level=True) if c.gap]
    assert broad == []  # the broad theme has a source in the region: no gap up there
    assert explorer_panels.gap_rows(kg, "E12000002") == [
        {"region": "North West", "theme": "Early help", "demand": 1,
         "sources outside the region": "none recorded"}]


def test_rag_text_is_readable_on_every_rating_colour():
    def luminance(hex_colour: str) -> float:
        def channel(v: int) -> float:
            c = v / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    for rag, background in ui.RAG_COLOURS.items():
        style = explorer_panels.rag_cell_style(rag)
        text = style.split("color: ")[-1]
        light, dark = sorted([luminance(background), luminance(text)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (rag, style)
    assert explorer_panels.rag_cell_style("yellow").endswith("color: #000000")


def test_the_view_is_read_from_the_page_address(journal):
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    at.query_params.update({state.X_MODE: "Around one node", state.X_CENTER: "Halton",
                            state.X_COLOUR: "community", state.X_RADIUS: "2"})
    at.switch_page("views/explorer.py").run()
    assert not at.exception, at.exception
    assert "Using Halton (E06000006)" in read(at)
    assert at.radio(key=state.X_COLOUR).value == "community"
    assert at.radio(key=state.X_RADIUS).value == 2


def test_two_regions_are_drawn_side_by_side(app):
    open_page(app, "explorer")
    app.radio(key=state.X_MODE).set_value("Two regions side by side").run()
    app.selectbox(key=state.X_COMPARE_A).select("E12000002").run()
    app.selectbox(key=state.X_COMPARE_B).select("E12000007").run()
    text = read(app)
    assert "North West" in text and "London" in text
    central = [d.value for d in app.tabs[0].dataframe if "most central" in d.value.columns]
    assert len(central) == 2


def test_node_details_say_relationships_in_words_and_link_a_council_to_its_profile(app):
    open_page(app, "explorer")
    app.selectbox(key=state.X_DETAIL).select("E06000006").run()
    detail = app.tabs[0].dataframe[1].value
    assert not detail["relationship"].str.contains("_").any()
    assert "is involved in" in set(detail["relationship"])
    [link] = [e.proto for e in app.get("page_link") if e.proto.label == "Profile of Halton"]
    assert link.query_string == f"{state.COUNCIL}=E06000006"
