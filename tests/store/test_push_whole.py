"""A push becomes visible whole or not at all, on Neo4j (one transaction) and on FalkorDB (a
staging copy swapped in by one RENAME): readers during a push see the graph before it,
complete; a push killed midway leaves them that graph, and the next push completes cleanly
with nothing left over."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.synthetic import make_seed
from graph.stores import CypherStore
from tests.store.sample import as_sets, assert_same_records, expected_counts, sample_seed

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[2]


def bigger_seed():
    """The sample graph plus generated records that take seconds to push in small batches."""
    return make_seed(n_orgs=400, n_edges=4000, seed=5, base=sample_seed())


def test_readers_during_a_push_see_the_graph_before_it_or_after_it_whole(store, second_client,
                                                                           store_url):
    before = sample_seed()
    store.push(before)
    after = bigger_seed()
    done = threading.Event()
    errors: list[BaseException] = []

    batch = 2 if store_url.startswith("falkordb") else 25  # seconds long on either server

    def push():
        try:
            second_client.push(after, batch_size=batch)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=push)
    worker.start()
    seen_before = 0
    while not done.is_set():
        reader = CypherStore.from_url(store_url)  # a new client: nothing cached to hide behind
        try:
            nodes, edges = as_sets(reader.pull())
        finally:
            reader.close()
        if done.is_set():
            break  # this read may have started after the push finished
        assert (sorted(nodes), sorted(edges)) == tuple(map(sorted, as_sets(before)))
        seen_before += 1
    worker.join(300)
    assert not errors, errors
    assert seen_before >= 1  # the old graph was read, whole, while the push ran
    assert_same_records(store.pull(), after)
    assert store.counts() == expected_counts(after)


PUSH_SCRIPT = """
import sys
from bench.synthetic import make_seed
from graph.stores import CypherStore
from graph.stores import CypherStore
from tests.store.sample import sample_seed
n_orgs, n_edges = int(sys.argv[2]), int(sys.argv[3])
seed = make_seed(n_orgs=n_orgs, n_edges=n_edges, seed=5, base=sample_seed())
store = CypherStore.from_url(sys.argv[1])
print("pushing", flush=True)
store.push(seed, batch_size=2)
print("done", flush=True)
"""


def test_a_push_killed_midway_leaves_readers_the_graph_before_it(store, store_url):
    before = sample_seed()
    store.push(before)
    # big enough that the push is still running three seconds in (FalkorDB writes faster)
    size = ("2000", "30000") if store_url.startswith("falkordb") else ("400", "4000")
    proc = subprocess.Popen([sys.executable, "-c", PUSH_SCRIPT, store_url, *size], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "pushing\n"
        time.sleep(3)  # well into the writes: the whole push takes much longer
        assert proc.poll() is None, "the push finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert_same_records(store.pull(), before)
    assert store.counts() == expected_counts(before)
    after = bigger_seed()
    store.push(after)  # the next push completes, with nothing left over from the killed one
    assert_same_records(store.pull(), after)
    assert store.counts() == expected_counts(after)
    if store_url.startswith("falkordb"):  # the killed push's staging graph is gone
        graph = store.backend.graph_name
        assert [g for g in store.backend._command("GRAPH.LIST")
                if (g.decode() if isinstance(g, bytes) else g).startswith(graph)] == [graph]
