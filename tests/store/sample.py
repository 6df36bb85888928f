"""A small hand-built graph holding every node kind, and helpers to compare records."""

from __future__ import annotations

from graph.loader import Origin, SeedData
from graph.schema import (
    Characteristic,
    Council,
    Document,
    Edge,
    EdgeType,
    Engagement,
    Network,
    Organisation,
    Practice,
    Provenance,
    Region,
    Reviewer,
    SelfView,
    Stage,
    SupportOffer,
    Theme,
)

INJECTION = 'O\'Brien"; MATCH (n) DETACH DELETE n //'
SCRIPT = "<script>alert(1)</script>"
AWKWARD = "back\\slash, new\nline, tab\t, quote ' and \" and `tick`, ünïcödé 😀 ${x} {a: 1}"


def sample_seed() -> SeedData:
    nodes = [
        Region(id="E12000002", name="North West", aliases=["NW", "the North West"]),
        Region(id="E12000001", name="North East"),
        Document(id="isos-2016", name="Isos workshops", publisher="Isos", date="2016-11"),
        Theme(id="workforce", name="Workforce", synonyms=["staff"]),
        Theme(id="workforce.recruitment", name="Recruitment", parent="workforce",
              description=AWKWARD),
        Council(id="E06000006", name="Halton", type="unitary", region="E12000002",
                lat=53.3339, lon=-2.6862, postcode_count=4321, occupied_km2=60,
                aliases=[INJECTION, SCRIPT, "Halton Borough Council"], capacity=2,
                self_view=SelfView(what_good_looks_like="Children 'safe'", support_wanted=AWKWARD),
                source="isos-2016", locator="p. 3"),
        Council(id="E10000006", name="Cumbria", type="county", region="E12000002",
                status="abolished", successors=["E06000063", "E06000064"], abolished="2023-04-01"),
        Council(id="E06000063", name="Cumberland", type="unitary", region="E12000002"),
        Council(id="E06000064", name="Westmorland and Furness", type="unitary",
                region="E12000002", lat=54.3, lon=-2.75),
        Council(id="E08000011", name="Knowsley", type="metropolitan_district",
                region="E12000002"),
        Organisation(id="isos", name="Isos Partnership", type="research body",
                     url="https://example.org/?a=1&b='2'"),
        Network(id="nw-sli", name="NW SLI", type="programme", scope="E12000002"),
        Practice(id="steering-groups", name="Steering groups", summary=AWKWARD,
                 owners=["E06000006", "isos"], themes=["workforce.recruitment"], year="2012"),
        Characteristic(id="shared-vision", name="Shared vision", number=1),
        Stage(id="getting-started", name="Getting started", order=1),
        SupportOffer(id="dcs-mentoring", name="DCS mentoring", roles=["dcs", "ad"],
                     regions=["E12000002"], provider="nw-sli", how_to_access="Ask."),
        Reviewer(id="r-001", name="Reviewer 1", council="E06000006", role="dcs",
                 expertise=["workforce"], capacity=3),
        Engagement(id="eng-001", name="Halton peer review", type="peer_review",
                   provider="E08000011", recipient="E06000006", themes=["workforce"],
                   status="completed", start="2024-01", end="2024-03", feedback=4.5),
    ]
    cur = Provenance(source="curated")
    edges = [
        Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="workforce.recruitment",
             provenance=Provenance(source="isos-2016", locator=INJECTION, confidence=0.8123456789,
                                   since="2016")),
        Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="workforce.recruitment",
             provenance=cur),  # same fact from a second source: both kept
        Edge(src="E06000006", type=EdgeType.MEMBER_OF, dst="nw-sli", provenance=cur),
        Edge(src="E12000002", type=EdgeType.RATED, dst="shared-vision", provenance=cur,
             props={"rag": "amber", "date": "2017-02-02", "score": 2.5, "n": 3, "ok": True,
                    "note": SCRIPT}),
        Edge(src="E06000006", type=EdgeType.AT_STAGE, dst="getting-started",
             provenance=Provenance(source="user:alice", recorded_at="2024-05-01T10:00:00+00:00")),
        Edge(src="isos", type=EdgeType.PARTNERS_WITH, dst="E08000011", provenance=cur),
    ]
    origin = Origin("sample", None)
    return SeedData(nodes=nodes, edges=edges, origins={n.id: origin for n in nodes})


def as_sets(seed: SeedData) -> tuple[dict, dict]:
    """Nodes by id, and stated edges by (src, type, dst, source): order and origins ignored."""
    nodes = {n.id: n for n in seed.nodes}
    edges = {(*e.key, e.provenance.source): e for e in seed.edges if not e.derived}
    return nodes, edges


def assert_same_records(got: SeedData, want: SeedData) -> None:
    got_nodes, got_edges = as_sets(got)
    want_nodes, want_edges = as_sets(want)
    assert sorted(got_nodes) == sorted(want_nodes)
    for node_id, node in want_nodes.items():
        assert got_nodes[node_id] == node, node_id
    assert sorted(got_edges) == sorted(want_edges)
    for key, edge in want_edges.items():
        assert got_edges[key] == edge, key


def expected_counts(seed: SeedData) -> dict[str, int]:
    """What `CypherStore.counts()` should say after pushing `seed` to an empty graph."""
    from graph.knowledge import derived_edges

    derived = {(*e.key, e.provenance.source) for n in seed.nodes for e in derived_edges(n)}
    stated = {(*e.key, e.provenance.source) for e in seed.edges if not e.derived}
    return {"nodes": len({n.id for n in seed.nodes}), "edges": len(stated),
            "derived_edges": len(derived)}
