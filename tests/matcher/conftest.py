"""Small hand-built graphs for matcher tests, and the real seed graph (loaded once)."""

from __future__ import annotations

import pytest

from graph.knowledge import KnowledgeGraph
from graph.schema import (
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
    Stage,
    SupportOffer,
    Theme,
)

NW, NE, LDN = "E12000002", "E12000001", "E12000007"
HALTON, WARRINGTON, WIRRAL, BLACKPOOL = "E06000006", "E06000007", "E08000015", "E06000009"
ISLINGTON, HARTLEPOOL = "E09000019", "E06000001"
CUMBRIA, CUMBERLAND, WESTMORLAND = "E10000006", "E06000063", "E06000064"
DOC = "isos-regional-workshops-2016"


def prov(conf: float = 1.0, locator: str | None = "section 2, table (d)") -> Provenance:
    return Provenance(source=DOC, locator=locator, confidence=conf)


def edge(src: str, type_: EdgeType, dst: str, conf: float = 1.0, **props) -> Edge:
    return Edge(src=src, type=type_, dst=dst, provenance=prov(conf), props=props)


def council(code, name, region=NW, **kw) -> Council:
    kw.setdefault("type", "unitary")
    return Council(id=code, name=name, region=region, **kw)


def base_nodes() -> list:
    return [
        Document(id=DOC, name="Isos regional workshops 2016"),
        Region(id=NW, name="North West", aliases=["NW"]),
        Region(id=NE, name="North East"),
        Region(id=LDN, name="London"),
        Theme(id="workforce", name="Workforce", synonyms=["social workers"]),
        Theme(id="workforce.recruitment-retention", name="Recruiting and retaining social workers",
              parent="workforce", synonyms=["keeping experienced social workers", "retention"]),
        Theme(id="workforce.supervision", name="Supervision", parent="workforce"),
        Theme(id="system", name="Children's services system"),
        Theme(id="system.front-door", name="Integrated front door", parent="system",
              synonyms=["MASH", "multi-agency safeguarding hub"]),
        Theme(id="system.early-help", name="Early help", parent="system"),
        Stage(id="poor-to-fair", name="Poor to fair", order=2),
        Stage(id="fair-to-good", name="Fair to good", order=3),
    ]


@pytest.fixture
def small_kg() -> KnowledgeGraph:
    """Halton wants help on recruitment and retention; others have more or less to offer."""
    nodes = base_nodes() + [
        council(HALTON, "Halton", lat=53.33, lon=-2.70, postcode_count=3000, occupied_km2=60),
        council(WARRINGTON, "Warrington", lat=53.39, lon=-2.56, postcode_count=5000,
                occupied_km2=150),
        council(WIRRAL, "Wirral", type="metropolitan_district", lat=53.37, lon=-3.07,
                postcode_count=7000, occupied_km2=140),
        council(BLACKPOOL, "Blackpool", lat=53.82, lon=-3.02, postcode_count=3500,
                occupied_km2=40),
        council(ISLINGTON, "Islington", region=LDN, type="london_borough", lat=51.55,
                lon=-0.10, postcode_count=3100, occupied_km2=15),
        council(HARTLEPOOL, "Hartlepool", region=NE, lat=54.68, lon=-1.22,
                postcode_count=3000, occupied_km2=80),
        council(CUMBRIA, "Cumbria", type="county", status="abolished",
                successors=[CUMBERLAND, WESTMORLAND], abolished="2023-04-01"),
        council(CUMBERLAND, "Cumberland"),
        council(WESTMORLAND, "Westmorland and Furness"),
        Practice(id="islington-retention", name="Islington retention academy",
                 summary="A practice academy that keeps experienced social workers.",
                 owners=[ISLINGTON], themes=["workforce.recruitment-retention"],
                 source=DOC, locator="page 3"),
        Network(id="nw-network", name="North West DCS network", scope=NW),
    ]
    edges = [
        edge(HALTON, EdgeType.HAS_PRIORITY, "workforce.recruitment-retention"),
        edge(WIRRAL, EdgeType.SHARES_PRACTICE, "workforce.recruitment-retention", 0.9),
        edge(WARRINGTON, EdgeType.SHARES_PRACTICE, "workforce", 0.8),
        edge(HARTLEPOOL, EdgeType.SHARES_PRACTICE, "workforce.recruitment-retention", 0.9),
        edge(CUMBRIA, EdgeType.SHARES_PRACTICE, "workforce.recruitment-retention", 1.0),
        edge(HALTON, EdgeType.MEMBER_OF, "nw-network"),
        edge(WARRINGTON, EdgeType.MEMBER_OF, "nw-network"),
    ]
    return KnowledgeGraph(nodes, edges)


def with_extra(kg: KnowledgeGraph, nodes=(), edges=(), replace=()) -> KnowledgeGraph:
    """A copy of `kg` with nodes added (or replaced, by id) and edges added."""
    replaced = {n.id: n for n in replace}
    keep = [replaced.get(n.id, n) for n in kg.nodes()]
    stated = kg.stated_edges()
    return KnowledgeGraph(keep + list(nodes), stated + list(edges))


def engagement(eid, provider, recipient, status="active", feedback=None) -> Engagement:
    return Engagement(id=eid, name=f"engagement {eid}", type="improvement_partner",
                      provider=provider, recipient=recipient, status=status, feedback=feedback)


def offer(oid, name, roles, regions=(), provider=None) -> SupportOffer:
    return SupportOffer(id=oid, name=name, roles=list(roles), regions=list(regions),
                        provider=provider, source=DOC, locator="priority 1")


def organisation(oid, name, **kw) -> Organisation:
    return Organisation(id=oid, name=name, **kw)


@pytest.fixture(scope="session")
def seed_kg() -> KnowledgeGraph:
    from graph.loader import load_graph

    return load_graph()
