"""`write_seed_dir` writes files the loader reads back to equal records."""

from __future__ import annotations

import os

import pytest

from graph.changes import AddEdge, UpsertNode, replay
from graph.errors import LoadError, StoreError
from graph.loader import load_dir
from graph.schema import Council, Edge, EdgeType, Provenance
from graph.snapshot_files import edge_file_name, write_seed_dir
from tests.store.sample import assert_same_records, sample_seed


def test_sample_graph_round_trips_through_files(tmp_path):
    seed = sample_seed()
    write_seed_dir(seed, tmp_path / "out")
    assert_same_records(load_dir(tmp_path / "out"), seed)
    # self-views cannot live in CSV, so councils went to YAML; regions stayed CSV
    assert (tmp_path / "out" / "councils.yaml").exists()
    assert (tmp_path / "out" / "regions.csv").exists()
    assert (tmp_path / "out" / "edges" / "user_alice.yaml").exists()


def test_plain_councils_are_written_as_csv_with_semicolon_lists(tmp_path):
    seed = sample_seed()
    plain = [n.model_copy(update={"self_view": None}) if isinstance(n, Council) else n
             for n in seed.nodes]
    plain = [n.model_copy(update={"aliases": [a for a in n.aliases if ";" not in a]})
             if isinstance(n, Council) else n for n in plain]
    seed = type(seed)(nodes=plain, edges=seed.edges, origins=seed.origins)
    write_seed_dir(seed, tmp_path / "out")
    text = (tmp_path / "out" / "councils.csv").read_text(encoding="utf-8")
    assert "E06000063;E06000064" in text
    assert_same_records(load_dir(tmp_path / "out"), seed)


def test_shipped_seed_and_journal_edits_round_trip_through_files(tmp_path):
    try:
        seed = load_dir()
    except LoadError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the shipped seed data does not load: {exc}")
        pytest.skip(f"the shipped seed data does not load yet: {exc}")
    council = next(n for n in seed.nodes if isinstance(n, Council))
    theme = next(n for n in seed.nodes if n.kind.value == "Theme")
    edited = replay(seed, [
        UpsertNode(node=council.model_copy(update={"capacity": 3})),
        AddEdge(edge=Edge(src=council.id, type=EdgeType.HAS_PRIORITY, dst=theme.id,
                          provenance=Provenance(source="user:dcs",
                                                recorded_at="2025-01-02T03:04:05+00:00"))),
    ])
    write_seed_dir(edited, tmp_path / "pulled")
    assert_same_records(load_dir(tmp_path / "pulled"), edited)


def test_writing_again_replaces_a_previous_pull_atomically(tmp_path):
    out = tmp_path / "out"
    write_seed_dir(sample_seed(), out)
    (out / "edges" / "stale.yaml").write_text("[]\n", encoding="utf-8")
    write_seed_dir(sample_seed(), out)
    assert not (out / "edges" / "stale.yaml").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp dirs left


def test_refuses_to_replace_a_directory_holding_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="other files"):
        write_seed_dir(sample_seed(), tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_edge_file_names_are_safe():
    assert edge_file_name("user:alice") == "user_alice.yaml"
    assert edge_file_name("../../etc/passwd") == "etc_passwd.yaml"
    assert edge_file_name("isos-regional-workshops-2016") == "isos-regional-workshops-2016.yaml"
