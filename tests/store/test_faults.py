"""Persistence across restarts, and what a person sees when the server is down or dies."""

from __future__ import annotations

import threading
import time
from functools import partial

import pytest

import graph.stores.cypher.backend as backend
from bench.synthetic import make_seed
from graph.changes import UpsertNode
from graph.errors import StoreError
from graph.neo4j_server import start_neo4j
from graph.schema import Theme
from graph.server import free_port, start_falkordb
from graph.stores import CypherStore
from tests.store.conftest import start_neo4j_or_fail, start_or_fail
from tests.store.sample import assert_same_records, expected_counts, sample_seed

pytestmark = pytest.mark.server


def test_data_survives_a_clean_restart_on_the_same_data_dir(own_falkor):
    seed = sample_seed()
    store = CypherStore.from_url(own_falkor.url)
    store.push(seed)
    store.apply([UpsertNode(node=Theme(id="kept", name="Kept"))], who="alice")
    own_falkor.stop()
    again = start_falkordb(port=own_falkor.port, data_dir=own_falkor.data_dir)
    try:
        # the same client reconnects by itself (a transient failure, retried)
        kg = store.snapshot()
        assert "kept" in kg and "E06000006" in kg
        assert store.history()[0].who == "alice"
        fresh = CypherStore.from_url(again.url)
        assert_same_records(fresh.pull(), store.pull())
        fresh.close()
    finally:
        store.close()
        again.stop()


def test_acknowledged_writes_survive_a_kill_9(own_falkor):
    store = CypherStore.from_url(own_falkor.url)
    store.push(sample_seed())
    store.apply([UpsertNode(node=Theme(id="acked", name="Acked"))], who="bob")
    own_falkor.kill()  # no chance to save: the append-only file must hold it
    again = start_falkordb(port=own_falkor.port, data_dir=own_falkor.data_dir)
    try:
        assert "acked" in CypherStore.from_url(again.url).snapshot()
    finally:
        store.close()
        again.stop()


def test_server_not_running_is_one_clear_error():
    port = free_port()
    with pytest.raises(StoreError) as err:
        CypherStore.from_url(f"falkordb://127.0.0.1:{port}/g").snapshot()
    assert str(err.value) == f"cannot reach FalkorDB at 127.0.0.1:{port}: connection refused"
    with pytest.raises(StoreError, match="cannot reach Neo4j at bolt://127.0.0.1"):
        CypherStore.from_url(f"bolt://127.0.0.1:{port}")


def test_credentials_in_the_url_are_refused():
    with pytest.raises(StoreError, match="environment"):
        CypherStore.from_url("bolt://neo4j:secret@127.0.0.1:7687")


def test_transient_failures_are_retried_a_bounded_number_of_times(monkeypatch):
    monkeypatch.setattr(backend, "BACKOFF", (0.0,))
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 2:
            raise backend.Transient("lost connection to X: reset")
        return "ok"

    assert backend.retry(flaky) == "ok" and len(calls) == 2
    calls.clear()

    def dead():
        calls.append(1)
        raise backend.Transient("lost connection to X: reset")

    with pytest.raises(StoreError, match="lost connection"):
        backend.retry(dead)
    assert len(calls) == backend.RETRIES + 1


@pytest.mark.parametrize("engine", ["falkordb", "neo4j"])
def test_server_killed_mid_push_is_one_clear_error_then_a_clean_re_push(engine, tmp_path):
    if engine == "falkordb":
        srv, restart = start_or_fail(tmp_path / "data"), start_falkordb
    else:
        srv = start_neo4j_or_fail(tmp_path / "data")
        restart = partial(start_neo4j, quick_start=True)
    # big enough that the push is still running two seconds in (FalkorDB writes faster)
    seed = make_seed(n_orgs=2000, n_edges=30000, seed=3) if engine == "falkordb" else \
        make_seed(n_orgs=400, n_edges=3000, seed=3)
    store = CypherStore.from_url(srv.url)
    outcome: dict = {}

    def push():
        try:
            outcome["result"] = store.push(seed, batch_size=3)
        except BaseException as exc:  # noqa: BLE001
            outcome["error"] = exc

    worker = threading.Thread(target=push)
    worker.start()
    try:
        time.sleep(2)  # well into the writes: the whole push takes much longer
        assert worker.is_alive(), "the push finished before the server could be killed"
    finally:
        srv.kill()
    worker.join(120)
    assert not worker.is_alive()
    assert isinstance(outcome.get("error"), StoreError), outcome
    assert "\n" not in str(outcome["error"])
    with pytest.raises(StoreError) as down:  # while the server is down: one clear line
        store.snapshot()
    assert "\n" not in str(down.value) and "127.0.0.1" in str(down.value)
    again = restart(port=srv.port, data_dir=srv.data_dir)
    try:
        store.push(seed, batch_size=500)
        store.push(seed, batch_size=500)  # and once more: still no duplicates
        assert store.counts() == expected_counts(seed)
        assert_same_records(store.pull(), seed)
    finally:
        store.close()
        again.stop()
