"""Every network call has a timeout: a port that accepts and never answers, or an address
with no Neo4j behind it, is one line of error, never a hang or a traceback (real sockets)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.changes import UpsertNode
from graph.errors import StoreError
from graph.schema import Theme
from graph.server import free_port
from graph.stores import CypherStore
from tests.store.conftest import empty
from tests.store.sample import sample_seed

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port whose connections the kernel accepts and nobody ever answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s.getsockname()[1]


def test_a_falkordb_port_that_never_answers_is_one_line_error(silent_port):
    with pytest.raises(StoreError) as err:
        CypherStore.from_url(f"falkordb://127.0.0.1:{silent_port}/g")
    assert str(err.value) == f"FalkorDB at 127.0.0.1:{silent_port} did not answer within 5s"


def test_a_bolt_port_that_never_answers_is_one_line_error(silent_port):
    with pytest.raises(StoreError) as err:
        CypherStore.from_url(f"bolt://127.0.0.1:{silent_port}")
    assert str(err.value) == f"Neo4j at bolt://127.0.0.1:{silent_port} did not answer within 5s"


@pytest.mark.parametrize("kind", ["silent", "closed"])
def test_a_neo4j_routing_address_with_no_server_is_one_line_error(kind, silent_port):
    port = silent_port if kind == "silent" else free_port()
    with pytest.raises(StoreError) as err:
        CypherStore.from_url(f"neo4j://127.0.0.1:{port}")
    assert str(err.value) == (f"cannot reach Neo4j at neo4j://127.0.0.1:{port}: no routing "
                              "information (is a Neo4j server running there?)")


@pytest.mark.parametrize("scheme", ["falkordb", "neo4j"])
def test_the_cli_says_one_line_and_no_traceback(scheme, silent_port, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERLINK_")}
    env["PEERLINK_GRAPH"] = f"{scheme}://127.0.0.1:{silent_port}"
    env["PEERLINK_JOURNAL"] = str(tmp_path / "journal.sqlite")
    done = subprocess.run([sys.executable, "-m", "app.cli", "stats"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peerlink: error: "), done.stderr
    assert f"127.0.0.1:{silent_port}" in lines[0]


def test_a_bad_timeout_setting_is_refused(monkeypatch):
    monkeypatch.setenv("PEERLINK_STORE_TIMEOUT", "soon")
    from graph.stores.cypher.backend import query_timeout

    with pytest.raises(StoreError, match="PEERLINK_STORE_TIMEOUT"):
        query_timeout()


@pytest.mark.server
def test_a_falkordb_that_stops_answering_mid_session_is_one_line_error(own_falkor,
                                                                      monkeypatch):
    monkeypatch.setenv("PEERLINK_STORE_TIMEOUT", "2")
    store = CypherStore.from_url(own_falkor.url)
    store.push(sample_seed())
    own_falkor.process.send_signal(signal.SIGSTOP)  # alive, connected, silent
    try:
        with pytest.raises(StoreError) as err:
            store.history()
        assert str(err.value) == f"FalkorDB at 127.0.0.1:{own_falkor.port} did not answer " \
                                 "within 2s"
    finally:
        own_falkor.process.send_signal(signal.SIGCONT)
        store.close()


def test_a_neo4j_that_stops_answering_mid_session_is_one_line_error(neo4j, monkeypatch):
    # The Bolt driver has no read timeout of its own: without the backend's watch this
    # read and this write would hang for as long as the server is stopped.
    monkeypatch.setenv("PEERLINK_STORE_TIMEOUT", "2")
    store = CypherStore.from_url(neo4j.url)
    empty(store)
    store.push(sample_seed())
    where = f"Neo4j at bolt://127.0.0.1:{neo4j.port}"
    neo4j.process.send_signal(signal.SIGSTOP)  # alive, connected, silent
    try:
        with pytest.raises(StoreError) as read:
            store.history()
        assert str(read.value) == f"{where} did not answer within 2s"
        with pytest.raises(StoreError) as write:
            store.apply([UpsertNode(node=Theme(id="while-stopped", name="While stopped"))],
                        who="alice")
        assert str(write.value).startswith(f"{where} did not answer within ")
        assert "\n" not in str(write.value)
    finally:
        neo4j.process.send_signal(signal.SIGCONT)
    store.close()
    again = CypherStore.from_url(neo4j.url)  # the server answers again: so does the store
    try:
        assert again.counts()["nodes"] >= len(sample_seed().nodes)
        empty(again)
    finally:
        again.close()
