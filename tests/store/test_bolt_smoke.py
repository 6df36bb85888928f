"""SMOKE TEST ONLY: the neo4j-driver path against FalkorDB's Bolt endpoint, with plain data.

FalkorDB's Bolt endpoint splices parameters into query text unescaped (quotes fail, crafted
strings execute), rounds floats to 6 places, crashes on parameters over about 4 KB and has
no transactions (see NOTES.md). So this checks only that the neo4j-driver backend connects,
batches and reports errors: plain ASCII data, small batches, no journal (its JSON payloads
hold quotes). It is never evidence that Neo4j behaviour is right; the full contract runs
against real Neo4j when PEERLINK_TEST_NEO4J_URI is set.
"""

from __future__ import annotations

import pytest

from graph.errors import StoreError
from graph.loader import Origin, SeedData
from graph.schema import Council, Edge, EdgeType, Provenance, Region, Theme
from graph.server import free_port
from graph.stores import CypherStore
from tests.store.conftest import start_or_fail
from tests.store.sample import assert_same_records, expected_counts

pytestmark = pytest.mark.server


def plain_seed() -> SeedData:
    nodes = [Region(id="E12000002", name="North West", aliases=["NW"]),
             Theme(id="workforce", name="Workforce"),
             Theme(id="workforce.recruitment", name="Recruitment", parent="workforce")]
    nodes += [Council(id=f"E0600{i:04d}", name=f"Council {i}", type="unitary",
                      region="E12000002", lat=53.25, lon=-2.5, postcode_count=1000 + i)
              for i in range(1, 13)]
    edges = [Edge(src=f"E0600{i:04d}", type=EdgeType.HAS_PRIORITY, dst="workforce.recruitment",
                  provenance=Provenance(source="curated", confidence=0.5))
             for i in range(1, 13)]
    return SeedData(nodes=nodes, edges=edges, origins={n.id: Origin("plain", None)
                                                       for n in nodes})


@pytest.fixture(scope="module")
def bolt_server(tmp_path_factory):
    srv = start_or_fail(tmp_path_factory.mktemp("bolt"), bolt_port=free_port(32767))
    yield srv
    srv.kill()


def test_smoke_neo4j_driver_connects_pushes_in_batches_and_pulls_plain_data(bolt_server):
    seed = plain_seed()
    store = CypherStore.from_url(bolt_server.bolt_url)
    try:
        assert store.describe().startswith("Neo4j at bolt://127.0.0.1:")
        store.push(seed, batch_size=4)
        store.push(seed, batch_size=5)  # idempotent over Bolt too
        assert store.counts() == expected_counts(seed)
        assert_same_records(store.pull(), seed)
        assert store.snapshot().stats() == seed.graph().stats()
    finally:
        store.close()


def test_smoke_neo4j_driver_reports_an_unreachable_server_in_one_line():
    port = free_port(32767)
    with pytest.raises(StoreError) as err:
        CypherStore.from_url(f"bolt://127.0.0.1:{port}")
    assert str(err.value) == f"cannot reach Neo4j at bolt://127.0.0.1:{port}: connection refused"
