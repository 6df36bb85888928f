"""What only a real Neo4j can show: real transactions (an edit that fails part-way leaves
nothing behind). The rest of the contract runs on Neo4j through the parametrized fixtures."""

from __future__ import annotations

import pytest

from graph.changes import UpsertNode
from graph.errors import StoreError
from graph.schema import Theme
from graph.stores import CypherStore
from tests.store.conftest import empty
from tests.store.sample import sample_seed

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
