"""graph.analytics: plain graph functions behind the explorer, on tiny hand-drawn graphs and
on the shipped seed."""

from __future__ import annotations

import pytest

from graph import analytics, ratings
from graph.errors import UnknownNode
from graph.knowledge import KnowledgeGraph
from graph.loader import load_graph
from graph.schema import (
    Characteristic,
    Council,
    Edge,
    EdgeType,
    Network,
    NodeKind,
    Organisation,
    Practice,
    Provenance,
    Region,
    Theme,
)

NW, YH = "E12000002", "E12000003"
P = Provenance(source="curated")


def council(code: str, name: str, region: str = NW, **kw) -> Council:
    return Council(id=code, name=name, type="unitary", region=region, **kw)


def edge(src: str, type_: EdgeType, dst: str, **props) -> Edge:
    return Edge(src=src, type=type_, dst=dst, provenance=P, props=props)


@pytest.fixture
def kg() -> KnowledgeGraph:
    return KnowledgeGraph(
        [Region(id=NW, name="North West"), Region(id=YH, name="Yorkshire"),
         Theme(id="workforce", name="Workforce"),
         Theme(id="workforce.retention", name="Retention", parent="workforce"),
         Theme(id="practice", name="Practice"),
         council("E06000006", "Halton"), council("E06000007", "Warrington"),
         council("E06000012", "NE Lincs", YH),
         council("E06000099", "Gone", status="abolished", successors=["E06000006"]),
         Network(id="nw-board", name="NW board", scope=NW),
         Organisation(id="isos", name="Isos"),
         Practice(id="p1", name="Retention scheme", summary="s", owners=["E06000012"],
                  themes=["workforce.retention"]),
         Characteristic(id="c2", name="Forum", number=2),
         Characteristic(id="c1", name="Networks", number=1)],
        [edge("E06000006", EdgeType.HAS_PRIORITY, "workforce.retention"),
         edge("E06000007", EdgeType.HAS_PRIORITY, "workforce"),
         edge("E06000006", EdgeType.MEMBER_OF, "nw-board"),
         edge("E06000007", EdgeType.MEMBER_OF, "nw-board"),
         edge("isos", EdgeType.SHARES_PRACTICE, "practice"),
         edge(NW, EdgeType.RATED, "c2", rag="red", date="2017-02-02"),
         edge(NW, EdgeType.RATED, "c1", rag="green", date="2017-02-02", notes="strong")])


def test_view_leaves_out_regions_documents_and_abolished_councils(kg):
    g = analytics.view(kg)
    assert NW not in g and "E06000099" not in g
    assert g.nodes["E06000006"]["region_name"] == "North West"
    assert g.edges["E06000006", "nw-board"]["types"] == ["MEMBER_OF"]


def test_filter_by_region_keeps_that_regions_councils_and_what_they_touch(kg):
    g = analytics.filtered(kg, regions=[NW])
    assert {"E06000006", "E06000007", "nw-board"} <= set(g)
    assert "E06000012" not in g and "p1" not in g  # Yorkshire's council and its practice


def test_filter_by_theme_keeps_sub_themes_and_councils_on_them(kg):
    g = analytics.filtered(kg, themes=["workforce"])
    assert {"workforce", "workforce.retention", "E06000006", "E06000007", "p1"} <= set(g)
    assert "practice" not in g and "isos" not in g


def test_filter_by_kind(kg):
    g = analytics.filtered(kg, kinds=[NodeKind.COUNCIL, NodeKind.NETWORK])
    assert {d["kind"] for _, d in g.nodes(data=True)} == {"Council", "Network"}


def test_ego_graph_grows_with_radius_and_keeps_history(kg):
    one = set(analytics.ego(kg, "E06000006", 1))
    two = set(analytics.ego(kg, "E06000006", 2))
    # its abolished predecessor shows around it: the history stays in the graph
    assert one == {"E06000006", "E06000099", "workforce.retention", "nw-board"}
    assert {"E06000007", "workforce", "p1"} <= two


def test_ego_of_an_unknown_node_says_so(kg):
    with pytest.raises(UnknownNode, match="E06999999"):
        analytics.ego(kg, "E06999999")


def test_centrality_ranks_the_hub_first(kg):
    g = analytics.view(kg)
    for measure in ("degree", "betweenness"):
        scores = analytics.centrality(g, measure)
        assert max(scores, key=scores.get) in {"workforce.retention", "nw-board",
                                                "E06000006", "workforce"}
    with pytest.raises(ValueError, match="degree"):
        analytics.centrality(g, "pagerank")


def test_shortest_path_cites_each_step(kg):
    path = analytics.shortest_path(kg, "E06000006", "E06000007")
    assert [s.id for s in path] == ["E06000006", "nw-board", "E06000007"]
    assert path[1].via == ("MEMBER_OF",) and path[1].citations == ("curated",)


def test_no_path_explains_what_to_change(kg):
    with pytest.raises(analytics.NoPath, match="include more kinds"):
        analytics.shortest_path(kg, "E06000006", "isos")


def test_demand_and_supply_roll_up_to_broad_themes(kg):
    cells = {(c.theme, c.region): c for c in analytics.demand_supply(kg)}
    nw = cells[("workforce", NW)]
    assert (nw.demand, nw.supply) == (2, 0)
    assert nw.gap and nw.outside == ("NE Lincs",)  # the source outside the region
    yh = cells[("workforce", YH)]
    assert (yh.demand, yh.supply, yh.outside) == (0, 1, ())


def test_taking_part_or_working_on_it_is_not_supply():
    """A council that only shared learning on a theme it is working on is a peer, not a
    source: the region still shows a gap and points outside it."""
    kg = KnowledgeGraph(
        [Region(id=NW, name="North West"), Region(id=YH, name="Yorkshire"),
         Theme(id="workforce", name="Workforce"),
         council("E06000006", "Halton"), council("E06000012", "NE Lincs", YH)],
        [edge("E06000006", EdgeType.HAS_PRIORITY, "workforce", evidence="challenge"),
         edge("E06000006", EdgeType.SHARES_PRACTICE, "workforce", evidence="participation"),
         edge("E06000012", EdgeType.SHARES_PRACTICE, "workforce", evidence="offer")])
    cells = {(c.theme, c.region): c for c in analytics.demand_supply(kg)}
    nw = cells[("workforce", NW)]
    assert (nw.demand, nw.supply) == (1, 0)
    assert nw.gap and nw.outside == ("NE Lincs",)


def test_demand_and_supply_by_sub_theme(kg):
    cells = {(c.theme, c.region): c for c in analytics.demand_supply(kg, top_level=False)}
    assert cells[("workforce.retention", NW)].demand == 1
    assert cells[("workforce", NW)].demand == 1


def test_rag_table_is_in_the_characteristics_order(kg):
    rows = ratings.rag_table(kg, NW)
    assert [(r.number, r.rag) for r in rows] == [(1, "green"), (2, "red")]
    assert rows[0].notes == "strong" and rows[0].date == "2017-02-02"
    assert ratings.rag_table(kg, YH) == []


def test_the_north_west_rates_all_eight_characteristics_in_the_seed():
    rows = ratings.rag_table(load_graph(), NW)
    assert [r.number for r in rows] == list(range(1, 9))
    assert all(r.citation for r in rows)
