"""Fixtures for the shared-graph tests: a real FalkorDB started on loopback, and Neo4j when
PEERLINK_TEST_NEO4J_URI names one.

In CI (the `CI` variable is set) a server that cannot start FAILS the tests; elsewhere they
are skipped with the reason. The only other skip is the Neo4j run when
PEERLINK_TEST_NEO4J_URI is unset.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from graph.errors import StoreError
from graph.server import FalkorServer, start_falkordb
from graph.stores import CypherStore


def _cannot_start(what: str, exc: Exception) -> None:
    message = f"{what} could not start: {exc}"
    if os.environ.get("CI") or os.environ.get("PEERLINK_REQUIRE_SERVER"):
        pytest.fail(message + " (CI is set: server tests must run, not skip)")
    pytest.skip(message)


def start_or_fail(tmp_path, **kw) -> FalkorServer:
    try:
        return start_falkordb(data_dir=tmp_path, **kw)
    except StoreError as exc:
        _cannot_start("FalkorDB", exc)
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


def _neo4j_uri() -> str | None:
    return os.environ.get("PEERLINK_TEST_NEO4J_URI") or None


def _empty_neo4j(store: CypherStore) -> None:
    # Test-only: the Neo4j contract run uses (and empties) a throwaway database.
    store.backend.run("MATCH (n) DETACH DELETE n")


STORE_KINDS = ["falkordb"] + (["neo4j"] if os.environ.get("PEERLINK_TEST_NEO4J_URI") else [])


@pytest.fixture(params=STORE_KINDS)
def store(request, falkor) -> Iterator[CypherStore]:
    """A store on an empty graph: FalkorDB always; Neo4j when PEERLINK_TEST_NEO4J_URI is set
    (the run empties that database: point it at a throwaway server)."""
    if request.param == "falkordb":
        s = CypherStore.from_url(falkor.url_for(f"t-{uuid.uuid4().hex[:12]}"))
        yield s
        try:
            s.backend._graph.delete()
        except Exception:  # noqa: BLE001, S110 - best effort cleanup
            pass
        s.close()
        return
    s = CypherStore.from_url(_neo4j_uri())
    _empty_neo4j(s)
    yield s
    _empty_neo4j(s)
    s.close()


@pytest.fixture
def second_client(store) -> Iterator[CypherStore]:
    """Another client on the same graph as `store`."""
    b = store.backend
    if hasattr(b, "graph_name"):
        host, port = b.where.removeprefix("FalkorDB at ").rsplit(":", 1)
        other = CypherStore.from_url(f"falkordb://{host}:{port}/{b.graph_name}")
    else:
        other = CypherStore.from_url(_neo4j_uri())
    yield other
    other.close()
