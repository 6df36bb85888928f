"""Network explorer: the network filtered and around one node, details, shortest path,
demand against supply, the region's RAG ratings, learning networks."""

from __future__ import annotations

from app import state
from tests.app.apptest_helpers import open_page, read


def test_explorer_draws_the_network_and_ranks_the_most_central(app):
    open_page(app, "explorer")
    text = read(app)
    assert "Network explorer" in text
    assert " nodes, " in text and " links." in text
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
