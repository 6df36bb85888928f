"""The shared-graph store contract, against a real FalkorDB and a real Neo4j (every test runs on
both: the `store` fixture is parametrized)."""

from __future__ import annotations

import os
import threading

import pytest

from graph.changes import AddEdge, RemoveEdge, RemoveNode, UpsertNode, replay
from graph.errors import ChangeRejected, LoadError
from graph.loader import load_dir
from graph.schema import Council, Edge, EdgeType, Provenance, Theme
from graph.stores import GraphStore
from tests.store.sample import (
    AWKWARD,
    INJECTION,
    SCRIPT,
    assert_same_records,
    expected_counts,
    sample_seed,
)

pytestmark = pytest.mark.server


def real_seed():
    try:
        return load_dir()
    except LoadError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the shipped seed data does not load: {exc}")
        pytest.skip(f"the shipped seed data does not load yet: {exc}")


def test_store_meets_the_protocol(store):
    assert isinstance(store, GraphStore)
    assert "graph" in store.describe() or "Neo4j" in store.describe()


def test_pull_returns_exactly_what_was_pushed_for_every_node_kind(store):
    seed = sample_seed()
    result = store.push(seed)
    assert (result["nodes"], result["edges"]) == (len(seed.nodes), len(seed.edges))
    assert_same_records(store.pull(), seed)


def test_snapshot_from_the_server_equals_the_source_graph(store):
    seed = sample_seed()
    store.push(seed)
    assert store.snapshot().stats() == seed.graph().stats()
    halton = store.snapshot().node("E06000006")
    assert halton.aliases[:2] == [INJECTION, SCRIPT]
    assert halton.self_view.support_wanted == AWKWARD


def test_shipped_seed_data_round_trips_through_the_server(store):
    seed = real_seed()
    store.push(seed)
    assert_same_records(store.pull(), seed)
    assert store.snapshot().stats() == seed.graph().stats()


def test_pushing_twice_changes_nothing(store):
    seed = sample_seed()
    store.push(seed, batch_size=3)
    before = store.counts()
    store.push(seed, batch_size=7)
    assert store.counts() == before
    assert before == expected_counts(seed)


def test_injection_strings_are_stored_literally_and_harm_nothing(store):
    seed = sample_seed()
    store.push(seed)
    evil = Council(id="E09000001", name=INJECTION, type="london_borough", region="E12000002",
                   aliases=[SCRIPT, AWKWARD, "x') RETURN 1 //", "\\'; DROP"],
                   description="line one\nline two\\n not a newline \u2028 \U0001f600")
    store.apply([UpsertNode(node=evil)], who=INJECTION)
    got = store.snapshot().node("E09000001")
    assert got == evil
    assert store.counts()["nodes"] == len(seed.nodes) + 1  # nothing was deleted
    assert store.history("E09000001")[0].who == INJECTION


def test_apply_writes_every_kind_of_change_and_the_journal(store):
    store.push(sample_seed())
    prov = Provenance(source="user:alice", confidence=0.7)
    store.apply([
        UpsertNode(node=Theme(id="workforce.supervision", name="Supervision",
                              parent="workforce")),
        AddEdge(edge=Edge(src="E08000011", type=EdgeType.SHARES_PRACTICE,
                          dst="workforce.supervision", provenance=prov)),
        RemoveEdge(src="E06000006", type=EdgeType.MEMBER_OF, dst="nw-sli"),
    ], who="alice")
    kg = store.snapshot()
    assert kg.theme_parent("workforce.supervision") == "workforce"
    shares = kg.out_edges("E08000011", EdgeType.SHARES_PRACTICE)
    assert [e.provenance.source for e in shares] == ["user:alice"]
    assert shares[0].provenance.recorded_at  # stamped by apply
    assert kg.out_edges("E06000006", EdgeType.MEMBER_OF) == []
    history = store.history()
    assert [r.change.op for r in history] == ["remove_edge", "add_edge", "upsert_node"]
    assert [r.seq for r in history] == [3, 2, 1]
    assert {r.who for r in history} == {"alice"}


def test_upsert_rewrites_derived_edges_and_remove_node_detaches(store):
    store.push(sample_seed())
    moved = Council(id="E08000011", name="Knowsley", type="metropolitan_district",
                    region="E12000001")
    store.apply([UpsertNode(node=moved)], who="bob")
    kg = store.snapshot()
    assert [e.dst for e in kg.out_edges("E08000011", EdgeType.IN_REGION)] == ["E12000001"]
    with pytest.raises(ChangeRejected):  # a practice still names isos as an owner
        store.apply([RemoveNode(id="isos")], who="bob")
    store.apply([RemoveEdge(src="isos", type=EdgeType.PARTNERS_WITH, dst="E08000011"),
                 UpsertNode(node=sample_seed().graph().node("steering-groups").model_copy(
                     update={"owners": ["E06000006"]})),
                 RemoveNode(id="isos")], who="bob")
    kg = store.snapshot()
    assert "isos" not in kg
    assert store.counts()["derived_edges"] == sum(1 for e in kg.edges() if e.derived)


def test_a_change_that_breaks_the_rules_is_refused_whole(store):
    seed = sample_seed()
    store.push(seed)
    bad = [UpsertNode(node=Theme(id="ok-theme", name="OK")),
           AddEdge(edge=Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="no-such-theme",
                             provenance=Provenance(source="user:x")))]
    with pytest.raises(ChangeRejected):
        store.apply(bad, who="x")
    assert "ok-theme" not in store.snapshot()
    assert store.history() == []


def test_edits_from_two_clients_at_once_both_land(store, second_client):
    store.push(sample_seed())
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def edit(client, who, n):
        try:
            start.wait()
            for i in range(n):
                client.apply([UpsertNode(node=Theme(id=f"{who}-{i}", name=f"{who} {i}",
                                                    parent="workforce"))], who=who)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(store, "alice", 5)),
               threading.Thread(target=edit, args=(second_client, "bob", 5))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    for client in (store, second_client):
        kg = client.snapshot()
        assert all(f"{w}-{i}" in kg for w in ("alice", "bob") for i in range(5))
    history = store.history()
    assert sorted(r.seq for r in history) == list(range(1, 11))  # no seq claimed twice
    assert {r.who for r in history} == {"alice", "bob"}


def test_snapshot_cache_follows_another_clients_writes(store, second_client):
    store.push(sample_seed())
    first = store.snapshot()
    assert store.snapshot() is first  # cached while nothing moves
    second_client.apply([UpsertNode(node=Theme(id="new-theme", name="New"))], who="bob")
    assert "new-theme" in store.snapshot()


def test_pull_after_edits_equals_replaying_the_journal(store):
    seed = sample_seed()
    store.push(seed)
    changes = [UpsertNode(node=Theme(id="t-extra", name="Extra", synonyms=["more"])),
               AddEdge(edge=Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="t-extra",
                                 provenance=Provenance(source="curated", confidence=0.25)))]
    store.apply(changes, who="carol")
    applied = [r.change for r in reversed(store.history())]
    assert_same_records(store.pull(), replay(seed, applied))


def test_two_clients_pushing_at_once_to_an_empty_graph_make_no_duplicates(store, second_client):
    seed = sample_seed()
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def push(client, batch):
        try:
            start.wait()
            client.push(seed, batch_size=batch)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(store, 1)),
               threading.Thread(target=push, args=(second_client, 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert store.counts() == expected_counts(seed)
    assert store.backend.run("MATCH (c:Counter) RETURN count(c)") == [[1]]
    store.apply([UpsertNode(node=Theme(id="after", name="After"))], who="alice")
    second_client.apply([UpsertNode(node=Theme(id="after-2", name="After 2"))], who="bob")
    assert [r.seq for r in store.history()] == [2, 1]


def test_two_clients_merging_the_same_edges_at_once_store_each_edge_once(store, second_client):
    # Many small writes racing on the same edges: FalkorDB lets two MERGEs both miss and
    # both create unless the backend makes writes take turns.
    rows = [{"id": f"race-{i}"} for i in range(721)]
    store.backend.write_tx([("UNWIND $rows AS r MERGE (:Node {id: r.id})",
                                {"rows": rows})])
    merge = ("MATCH (a:Node {id: $a}), (b:Node {id: $b}) "
             "MERGE (a)-[e:RACE {source: 'test'}]->(b) SET e.seen = coalesce(e.seen, 0) + 1")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def merge_all(client):
        try:
            start.wait()
            for i in range(720):
                client.backend.write_tx([(merge, {"a": f"race-{i}", "b": f"race-{i + 1}"})])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=merge_all, args=(c,)) for c in (store, second_client)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert store.backend.run("MATCH ()-[e:RACE]->() RETURN count(e), sum(e.seen)") == [[720, 1440]]
