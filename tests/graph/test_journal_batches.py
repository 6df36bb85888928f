"""A batch is written as one and read as one: when any row of a journal batch cannot apply,
none of it does (a reader never sees half an edit), the warning names the batch, and
`peerlink doctor --repair` quarantines the whole batch."""

from __future__ import annotations

import json
import logging
import sqlite3

from app.cli import main
from graph.changes import AddEdge, RemoveEdge, RemoveNode, UpsertNode
from graph.loader import DEFAULT_SEED_DIR, load_dir
from graph.schema import Edge, EdgeType, Provenance, Theme
from graph.stores import EmbeddedStore
from graph.stores.live import LiveState, RowProblem
from tests.graph.test_journal import BAD_ROWS, HALTON, KNOWSLEY, capacity_rows, raw_insert

GOOD_CAPACITY = json.dumps({"op": "update_node", "id": KNOWSLEY, "values": {"capacity": 9},
                            "seen": {"capacity": None}})
GOOD_THEME = json.dumps({"op": "upsert_node", "node": {"kind": "Theme", "id": "t-batch",
                                                       "name": "Batch theme"}})


def write_batch(journal, payloads: list[str]) -> list[int]:
    return [raw_insert(journal, p, batch="one-edit") for p in payloads]


def test_a_batch_with_one_bad_row_applies_none_of_its_rows(tmp_path, caplog):
    journal = tmp_path / "journal.sqlite"
    capacity_rows(journal, 1)
    seqs = write_batch(journal, [GOOD_CAPACITY, BAD_ROWS["unknown kind of change"], GOOD_THEME])
    after = raw_insert(journal, GOOD_THEME.replace("t-batch", "t-after"))
    caplog.set_level(logging.WARNING, logger="peerlink.journal")
    store = EmbeddedStore(journal=journal)
    kg = store.snapshot()
    assert kg.node(KNOWSLEY).capacity is None  # the good rows of the bad batch did not apply
    assert "t-batch" not in kg
    assert "t-after" in kg  # the batch after it did
    [message] = [r.getMessage() for r in caplog.records]
    assert (f"the batch of rows {seqs[0]}-{seqs[-1]} skipped: row {seqs[1]}: "
            "unknown kind of change") in message
    assert sorted(store.skipped) == seqs and after not in store.skipped
    store.close()


def test_doctor_quarantines_the_whole_batch_and_keeps_the_rest(tmp_path, capsys):
    journal = tmp_path / "journal.sqlite"
    capacity_rows(journal, 1)
    seqs = write_batch(journal, [GOOD_CAPACITY, BAD_ROWS["not valid JSON"]])
    raw_insert(journal, GOOD_THEME)
    assert main(["doctor", "--journal", str(journal)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(f"the batch of rows {seqs[0]}-{seqs[1]} (")
    assert out[1].endswith(f"row {seqs[1]}: not valid JSON")
    assert main(["doctor", "--journal", str(journal), "--repair"]) == 0
    assert "moved 2 row(s) to the quarantine table" in capsys.readouterr().out
    db = sqlite3.connect(journal)
    assert [r[0] for r in db.execute("SELECT seq FROM quarantine ORDER BY seq")] == seqs
    db.close()
    kg = EmbeddedStore(journal=journal).snapshot()
    assert kg.node(KNOWSLEY).capacity is None and "t-batch" in kg


def test_a_failed_batch_leaves_nodes_and_edges_exactly_as_they_were():
    live = LiveState(load_dir(DEFAULT_SEED_DIR))
    before_nodes, before_edges = dict(live.nodes), dict(live.edges)
    halton_edges = [e for e in live.edges.values() if HALTON in (e.src, e.dst)]
    assert halton_edges  # the batch below removes real edges, which must come back
    theme = Theme(id="t-new", name="New")
    edge = Edge(src=HALTON, type=EdgeType.HAS_PRIORITY, dst="t-new",
                provenance=Provenance(source="curated"))
    first = halton_edges[0]
    batch = [UpsertNode(node=theme), AddEdge(edge=edge),
             RemoveEdge(src=first.src, type=first.type, dst=first.dst),
             RemoveNode(id=HALTON),
             AddEdge(edge=edge.model_copy(update={"src": "E09999999"}))]  # cannot apply
    try:
        live.apply_batch(batch)
    except RowProblem as exc:
        assert str(exc).startswith("change 5 of 5: dangling edge")
    else:
        raise AssertionError("the batch applied although its last change cannot")
    assert live.nodes == before_nodes and live.edges == before_edges
    assert {k for k in live._by_node[HALTON]} == {
        k for k, e in before_edges.items() if HALTON in (e.src, e.dst)}
    live.apply_batch(batch[:4])  # the same batch without the bad change applies whole
    assert HALTON not in live.nodes and "t-new" in live.nodes
