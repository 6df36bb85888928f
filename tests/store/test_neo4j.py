"""What only a real Neo4j can show: real transactions (an edit that fails part-way leaves
nothing behind), and recovery after the server is killed mid-push."""

from __future__ import annotations

import threading
import time

import pytest

from bench.synthetic import make_seed
from graph.changes import UpsertNode
from graph.errors import StoreError
from graph.neo4j_server import start_neo4j
from graph.schema import Theme
from graph.stores import CypherStore
from tests.store.conftest import empty
from tests.store.sample import assert_same_records, expected_counts, sample_seed

pytestmark = pytest.mark.server


class FailsAtTheEnd:
    """A real Neo4j backend whose write transactions end with a statement the server
    refuses (division by zero), after every data and journal write of the edit."""

    def __init__(self, inner):
        self.inner = inner
        self.where, self.transactional = inner.where, inner.transactional
        self.schema = inner.schema

    def run(self, query, params=None):
        return self.inner.run(query, params)

    def write_tx(self, statements, guard_first=0):
        return self.inner.write_tx([*statements, ("RETURN 1 / $zero", {"zero": 0})],
                                   guard_first)

    def write_whole(self, statements):
        return self.inner.write_whole(statements)

    def create_index(self, query):
        return self.inner.create_index(query)

    def close(self):
        self.inner.close()


@pytest.fixture
def neo(neo4j):
    store = CypherStore.from_url(neo4j.url)
    empty(store)
    yield store
    empty(store)
    store.close()


def test_the_suite_runs_neo4j_5_26(neo4j):
    assert neo4j.version.startswith("5.26.")


def test_an_edit_that_fails_part_way_is_rolled_back_whole(neo):
    seed = sample_seed()
    neo.push(seed)
    before = neo.counts()
    failing = CypherStore(FailsAtTheEnd(neo.backend), neo.describe())
    with pytest.raises(StoreError, match="refused a query"):
        failing.apply([UpsertNode(node=Theme(id="half-done", name="Half done"))], who="alice")
    assert "half-done" not in neo.snapshot()
    assert neo.history() == []  # the journal row was rolled back with the node
    assert neo.counts() == before
    neo.apply([UpsertNode(node=Theme(id="whole", name="Whole"))], who="alice")
    assert [r.seq for r in neo.history()] == [1]  # the counter did not move either


def test_server_killed_mid_push_is_one_clear_error_then_a_clean_re_push(own_neo4j):
    seed = make_seed(n_orgs=600, n_edges=4000, seed=3)
    store = CypherStore.from_url(own_neo4j.url)
    outcome: dict = {}

    def push():
        try:
            outcome["result"] = store.push(seed, batch_size=100)
        except BaseException as exc:  # noqa: BLE001
            outcome["error"] = exc

    worker = threading.Thread(target=push)
    worker.start()
    probe = CypherStore.from_url(own_neo4j.url)
    deadline = time.monotonic() + 120
    while probe.counts()["nodes"] < 150 and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the push is properly under way
    probe.close()
    own_neo4j.kill()
    worker.join(120)
    assert not worker.is_alive()
    assert isinstance(outcome.get("error"), StoreError), outcome
    assert "\n" not in str(outcome["error"])
    with pytest.raises(StoreError) as down:  # while the server is down: one clear line
        store.snapshot()
    assert str(down.value).startswith(("cannot reach Neo4j at bolt://127.0.0.1:",
                                       "lost connection to Neo4j at bolt://127.0.0.1:"))
    assert "\n" not in str(down.value)
    again = start_neo4j(port=own_neo4j.port, data_dir=own_neo4j.data_dir, quick_start=True)
    try:
        store.push(seed, batch_size=500)
        store.push(seed, batch_size=500)  # and once more: still no duplicates
        assert store.counts() == expected_counts(seed)
        assert_same_records(store.pull(), seed)
    finally:
        store.close()
        again.stop()
