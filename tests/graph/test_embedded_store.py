"""The embedded store: edits are journalled durably, atomically, and survive restarts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from graph.changes import AddEdge, RemoveEdge, UpsertNode, user_provenance
from graph.errors import ChangeRejected
from graph.schema import EdgeType, SelfView
from graph.stores import EmbeddedStore


@pytest.fixture
def journal(tmp_path):
    return tmp_path / "journal.sqlite"


def halton_self_view(store: EmbeddedStore, worries: str) -> UpsertNode:
    halton = store.snapshot().node("E06000006")
    view = SelfView(what_worries_us=worries, what_we_can_share="our front door")
    return UpsertNode(node=halton.model_copy(update={"self_view": view}))


def test_edit_survives_a_restart(journal):
    store = EmbeddedStore(journal=journal)
    store.apply([halton_self_view(store, "agency spend")], who="sli-officer")
    store.close()

    reopened = EmbeddedStore(journal=journal)
    council = reopened.snapshot().node("E06000006")
    assert council.self_view.what_worries_us == "agency spend"
    [record] = reopened.history("E06000006")
    assert record.who == "sli-officer" and record.change.op == "upsert_node"
    reopened.close()


def test_priority_added_by_a_person_carries_their_provenance(journal):
    store = EmbeddedStore(journal=journal)
    edge = AddEdge(edge={"src": "E06000006", "type": "HAS_PRIORITY", "dst": "system.early-help",
                         "provenance": user_provenance("dcs-halton")})
    store.apply([edge], who="dcs-halton")
    [found] = [e for e in store.snapshot().out_edges("E06000006", EdgeType.HAS_PRIORITY)
               if e.dst == "system.early-help" and e.provenance.source.startswith("user:")]
    assert found.provenance.source == "user:dcs-halton"
    assert found.provenance.recorded_at

    store.apply([RemoveEdge(src="E06000006", type=EdgeType.HAS_PRIORITY,
                            dst="system.early-help", source="user:dcs-halton")], who="dcs-halton")
    assert not [e for e in store.snapshot().out_edges("E06000006", EdgeType.HAS_PRIORITY)
                if e.dst == "system.early-help" and e.provenance.source.startswith("user:")]
    store.close()


def test_batch_breaking_a_rule_is_refused_whole(journal):
    store = EmbeddedStore(journal=journal)
    good = halton_self_view(store, "should not be saved")
    bad = AddEdge(edge={"src": "E06000006", "type": "HAS_PRIORITY", "dst": "no-such-theme",
                        "provenance": user_provenance("x")})
    with pytest.raises(ChangeRejected, match="unknown id 'no-such-theme'"):
        store.apply([good, bad], who="x")
    assert store.history() == []
    assert store.snapshot().node("E06000006").self_view is None
    store.close()


def test_change_without_a_person_is_refused(journal):
    store = EmbeddedStore(journal=journal)
    with pytest.raises(ChangeRejected, match="who"):
        store.apply([halton_self_view(store, "x")], who=" ")
    store.close()


def test_journal_survives_kill_minus_nine_mid_write(tmp_path, journal):
    """A writer killed at any moment leaves whole batches only, and the store still opens."""
    script = tmp_path / "writer.py"
    script.write_text(textwrap.dedent(f"""
        from graph.changes import AddEdge, user_provenance
        from graph.stores import EmbeddedStore
        store = EmbeddedStore(journal={str(journal)!r})
        themes = ["workforce", "practice", "system", "governance", "innovation", "change"]
        i = 0
        while True:
            batch = [AddEdge(edge={{"src": "E06000006", "type": "HAS_PRIORITY",
                                    "dst": t, "props": {{"n": i}},
                                    "provenance": user_provenance("writer-%d" % i)}})
                     for t in themes]
            store.apply(batch, who="writer-%d" % i)
            i += 1
            print(i, flush=True)
    """))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    for _ in range(3):  # wait until a few batches are committed
        assert proc.stdout.readline(), "writer died before committing"
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    with sqlite3.connect(journal) as db:
        sizes = [n for (n,) in db.execute("SELECT COUNT(*) FROM changes GROUP BY batch")]
    assert sizes and all(n == 6 for n in sizes)  # no half-written batch
    store = EmbeddedStore(journal=journal)
    assert len(store.history(limit=10_000)) == 6 * len(sizes)
    store.snapshot()  # replays cleanly
    store.close()
