"""Fixtures for the shared-graph tests: a real FalkorDB and a real Neo4j, each started on
loopback once for the session (tests that stop or kill a server start their own).

Neo4j is the community engine 5.26 LTS run by tests/neo4j/Launcher.java over the jars that
`make neo4j-jars` fetches. A server that cannot start FAILS the tests when CI,
PEERLINK_REQUIRE_SERVER (FalkorDB) or PEERLINK_REQUIRE_NEO4J (Neo4j) is set; elsewhere they
are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from graph.errors import StoreError
from graph.neo4j_server import Neo4jServer, start_neo4j
from graph.server import FalkorServer, start_falkordb
from graph.stores import CypherStore

STORE_KINDS = ["falkordb", "neo4j"]


def _cannot_start(what: str, exc: Exception, require: str) -> None:
    message = f"{what} could not start: {exc}"
    if os.environ.get("CI") or os.environ.get(require):
        pytest.fail(message + f" (CI or {require} is set: these tests must run, not skip)")
    pytest.skip(message)


def start_or_fail(tmp_path, **kw) -> FalkorServer:
    try:
        return start_falkordb(data_dir=tmp_path, **kw)
    except StoreError as exc:
        _cannot_start("FalkorDB", exc, "PEERLINK_REQUIRE_SERVER")
        raise  # unreachable: fail/skip raise


def start_neo4j_or_fail(tmp_path, **kw) -> Neo4jServer:
    try:
        return start_neo4j(data_dir=tmp_path, quick_start=True, **kw)
    except StoreError as exc:
        _cannot_start("Neo4j", exc, "PEERLINK_REQUIRE_NEO4J")
        raise  # unreachable: fail/skip raise


@pytest.fixture(scope="session")
def falkor(tmp_path_factory) -> Iterator[FalkorServer]:
    """One FalkorDB for the session; each test takes its own graph on it."""
    srv = start_or_fail(tmp_path_factory.mktemp("falkordb"))
    yield srv
    srv.stop()


@pytest.fixture
def own_falkor(tmp_path) -> Iterator[FalkorServer]:
    """A FalkorDB of this test's own, for tests that stop, kill or restart it."""
    srv = start_or_fail(tmp_path / "data")
    yield srv
    srv.kill()


@pytest.fixture(scope="session")
def neo4j(tmp_path_factory) -> Iterator[Neo4jServer]:
    """One Neo4j for the session (it takes seconds to start); tests empty its one database."""
    srv = start_neo4j_or_fail(tmp_path_factory.mktemp("neo4j"))
    yield srv
    srv.stop()


def empty(store: CypherStore) -> None:
    # Test-only: each test starts from an empty graph (Neo4j community has one database).
    store.backend.run("MATCH (n) DETACH DELETE n")


@pytest.fixture(params=STORE_KINDS)
def store_url(request) -> str:
    """The URL of an empty graph: a fresh graph on the session's FalkorDB, or the session's
    Neo4j database."""
    if request.param == "falkordb":
        return request.getfixturevalue("falkor").url_for(f"t-{uuid.uuid4().hex[:12]}")
    return request.getfixturevalue("neo4j").url


@pytest.fixture
def store(store_url) -> Iterator[CypherStore]:
    """A store on an empty graph, on FalkorDB and on Neo4j in turn."""
    s = CypherStore.from_url(store_url)
    empty(s)
    yield s
    try:
        empty(s)
    except StoreError:
        pass  # a test that stopped the server leaves nothing to clean
    s.close()


@pytest.fixture
def second_client(store, store_url) -> Iterator[CypherStore]:
    """Another client on the same graph as `store`."""
    other = CypherStore.from_url(store_url)
    yield other
    other.close()
