"""The network drawing: a legend for colour, shape and size, names on the most central
nodes, communities as a colour; exports that open elsewhere."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from app import network_chart
from app.export import to_csv
from graph import analytics, view_export
from graph.loader import load_graph


@pytest.fixture(scope="module")
def seed_view():
    kg = load_graph()
    g = analytics.filtered(kg, regions=["E12000002"])
    return g, analytics.centrality(g), analytics.communities(g), analytics.layout(g)


def _layers(spec: dict) -> list[dict]:
    return spec["layer"]


@pytest.mark.parametrize("colour_by", ["region", "kind", "community"])
def test_the_chart_has_a_legend_for_colour_shape_and_size(seed_view, colour_by):
    g, scores, community, pos = seed_view
    spec = network_chart.chart(g, pos, scores, colour_by, community)
    nodes = _layers(spec)[1]["encoding"]
    assert nodes["color"]["title"] == network_chart.COLOUR_BY[colour_by]
    assert nodes["shape"]["title"] == "Shape: kind of node"
    assert nodes["size"]["title"].startswith("Size: ")
    for channel in ("color", "shape", "size"):
        assert nodes[channel].get("legend") is not None, channel


def test_the_most_central_nodes_carry_their_names_and_every_node_on_hover(seed_view):
    g, scores, community, pos = seed_view
    frame = network_chart.node_frame(g, pos, scores)
    named = frame[frame["label"] != ""]
    assert len(named) == min(network_chart.CENTRAL_NAMES, len(frame))
    top = max(g.nodes, key=lambda n: (scores[n], ))
    assert g.nodes[top]["name"] in set(named["label"])
    every = network_chart.node_frame(g, pos, scores, names="all")
    assert (every["label"] == every["name"]).all()
    tooltip = _layers(network_chart.chart(g, pos, scores))[1]["encoding"]["tooltip"]
    assert {"field": "name", "title": "name", "type": "nominal"} in tooltip


def test_each_kind_of_node_has_its_own_shape_in_the_legend(seed_view):
    g, scores, community, pos = seed_view
    scale = _layers(network_chart.chart(g, pos, scores))[1]["encoding"]["shape"]["scale"]
    kinds = {network_chart.kind_words(d["kind"]) for _, d in g.nodes(data=True)}
    assert sorted(scale["domain"]) == sorted(kinds)
    assert len(set(scale["range"])) == len(scale["range"])


def test_communities_number_the_largest_first_and_cover_every_node(seed_view):
    g, _, community, _ = seed_view
    assert set(community) == set(g.nodes)
    sizes = [list(community.values()).count(c) for c in sorted(set(community.values()))]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) > 1


def test_layout_fills_the_square_and_is_the_same_every_time(seed_view):
    g, _, _, pos = seed_view
    assert analytics.layout(g) == pos
    xs = [x for x, _ in pos.values()]
    assert min(xs) == -1.0 and max(xs) == 1.0


def test_graphml_and_gexf_read_back_with_names_measures_and_relationships(seed_view):
    g, scores, community, _ = seed_view
    for data, read in ((view_export.to_graphml(g, scores, community), nx.read_graphml),
                       (view_export.to_gexf(g, scores, community), nx.read_gexf)):
        back = read(io.BytesIO(data))
        assert back.number_of_nodes() == g.number_of_nodes()
        assert back.number_of_edges() == g.number_of_edges()
        node = back.nodes["E06000006"]
        assert node["label"] == "Halton" and node["kind"] == "Council"
        assert node["community"] == community["E06000006"]
        relationships = {d["relationship"] for _, _, d in back.edges(data=True)}
        assert "is a member of" in relationships
        assert not any("_" in r for r in relationships)


def test_view_tables_are_spreadsheet_safe():
    g = nx.Graph()
    g.add_node("x", name="=HYPERLINK(\"http://bad\")", kind="Council", region_name=None)
    g.add_node("y", name="Halton", kind="Council", region_name="North West")
    g.add_edge("x", "y", types=["PARTNERS_WITH"], citations=["@doc"])
    nodes = list(csv.DictReader(io.StringIO(to_csv(view_export.node_rows(g, {}, {})))))
    assert nodes[0]["name"].startswith("'=")
    links = list(csv.DictReader(io.StringIO(to_csv(view_export.link_rows(g)))))
    assert links[0]["sources"] == "'@doc" and links[0]["relationship"] == "partners with"
