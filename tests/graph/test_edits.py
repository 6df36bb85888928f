"""Profile edits: capacity and journey stage become store changes the matcher reads back."""

from __future__ import annotations

import pytest

from graph.edits import (
    capacity_changes,
    current_stage,
    journey_stages,
    stage_changes,
)
from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph
from graph.schema import Council, Edge, EdgeType, Provenance, Region, Stage
from graph.stores import EmbeddedStore
from matcher.profiles import Profiles

HALTON = "E06000006"


def tiny(*edges: Edge) -> KnowledgeGraph:
    return KnowledgeGraph([
        Region(id="E12000002", name="North West"),
        Council(id=HALTON, name="Halton", type="unitary", region="E12000002", capacity=3),
        Stage(id="stage-fair-to-good", name="Moving from fair to good", order=3),
        Stage(id="stage-starting-line", name="Getting to the starting line", order=1),
        Stage(id="stage-poor-to-fair", name="Moving from poor to fair", order=2),
    ], edges)


def at_stage(stage: str, source: str, since: str | None = None) -> Edge:
    return Edge(src=HALTON, type=EdgeType.AT_STAGE, dst=stage,
                provenance=Provenance(source=source, since=since))


def test_stages_come_in_journey_order():
    assert [s.order for s in journey_stages(tiny())] == [1, 2, 3]


def test_capacity_is_set_cleared_or_left_alone():
    halton = tiny().node(HALTON)
    [change] = capacity_changes(halton, 0)
    assert (change.id, change.values, change.seen) == (HALTON, {"capacity": 0},
                                                        {"capacity": 3})  # only capacity
    assert capacity_changes(halton, None)[0].values == {"capacity": None}
    assert capacity_changes(halton, 3) == []


@pytest.mark.parametrize("bad", [-1, True])
def test_a_negative_capacity_is_refused(bad):
    with pytest.raises(GraphError, match="0 or more"):
        capacity_changes(tiny().node(HALTON), bad)


def test_a_new_stage_replaces_earlier_user_entries_but_keeps_documented_ones():
    documented = at_stage("stage-poor-to-fair", "isos-regional-workshops-2016", "2016")
    kg = tiny(documented, at_stage("stage-starting-line", "user:Bob", "2024-01-01"))
    changes = stage_changes(kg, HALTON, "stage-fair-to-good", "Ann", "2025-05-01")
    assert [c.op for c in changes] == ["remove_edge", "add_edge"]
    assert (changes[0].dst, changes[0].source) == ("stage-starting-line", "user:Bob")
    added = changes[1].edge
    assert (added.dst, added.provenance.source, added.provenance.since) == (
        "stage-fair-to-good", "user:Ann", "2025-05-01")


def test_the_same_stage_again_changes_nothing_and_none_clears_user_entries():
    kg = tiny(at_stage("stage-starting-line", "user:Bob", "2024-01-01"))
    assert stage_changes(kg, HALTON, "stage-starting-line", "Ann", "2025-05-01") == []
    [clear] = stage_changes(kg, HALTON, None, "Ann", "2025-05-01")
    assert clear.op == "remove_edge" and clear.source == "user:Bob"
    assert stage_changes(tiny(), HALTON, None, "Ann", "2025-05-01") == []


def test_choosing_the_documented_current_stage_adds_nothing():
    kg = tiny(at_stage("stage-poor-to-fair", "isos-regional-workshops-2016", "2016"))
    assert stage_changes(kg, HALTON, "stage-poor-to-fair", "Ann", "2025-05-01") == []
    [change] = stage_changes(kg, HALTON, "stage-fair-to-good", "Ann", "2025-05-01")
    assert change.op == "add_edge"


def test_an_older_user_entry_chosen_again_becomes_current():
    kg = tiny(at_stage("stage-starting-line", "user:Bob", "2015"),
              at_stage("stage-poor-to-fair", "isos-regional-workshops-2016", "2016"))
    changes = stage_changes(kg, HALTON, "stage-starting-line", "Ann", "2025-05-01")
    assert [c.op for c in changes] == ["remove_edge", "add_edge"]


def test_an_unknown_stage_is_refused_with_the_choices():
    with pytest.raises(GraphError, match="choose one of stage-starting-line"):
        stage_changes(tiny(), HALTON, "stage-flying", "Ann", "2025-05-01")
    with pytest.raises(GraphError, match="no journey stage"):
        stage_changes(tiny(), HALTON, HALTON, "Ann", "2025-05-01")


def test_current_stage_is_the_latest_dated():
    kg = tiny(at_stage("stage-fair-to-good", "user:Bob", "2024-01-01"),
              at_stage("stage-poor-to-fair", "isos-regional-workshops-2016", "2016"))
    assert current_stage(kg, HALTON).dst == "stage-fair-to-good"
    assert current_stage(tiny(), HALTON) is None


def test_what_is_written_is_what_the_matcher_reads(tmp_path):
    store = EmbeddedStore(journal=tmp_path / "journal.sqlite")
    kg = store.snapshot()
    store.apply(capacity_changes(kg.node(HALTON), 1)
                + stage_changes(kg, HALTON, "stage-poor-to-fair", "Ann", "2025-05-01"), "Ann")
    kg = store.snapshot()
    store.apply(stage_changes(kg, HALTON, "stage-fair-to-good", "Ann", "2025-05-02"), "Ann")
    store.close()

    kg = EmbeddedStore(journal=tmp_path / "journal.sqlite").snapshot()
    assert kg.node(HALTON).capacity == 1
    order, stage, edge = Profiles.build(kg).stage[HALTON]
    assert (order, stage) == (3, "stage-fair-to-good")
    assert edge == current_stage(kg, HALTON)
    assert [e.dst for e in kg.out_edges(HALTON, EdgeType.AT_STAGE)] == ["stage-fair-to-good"]


def test_self_view_changes_replace_the_view_and_skip_an_unchanged_one():
    from graph.edits import self_view_changes
    from graph.schema import SelfView

    halton = tiny().node(HALTON)
    assert self_view_changes(halton, SelfView()) == []
    [change] = self_view_changes(halton, SelfView(what_we_can_share="an academy"))
    assert change.values["self_view"]["what_we_can_share"] == "an academy"
    assert set(change.values) == set(change.seen) == {"self_view"}  # nothing else is written


def test_priority_changes_remove_the_dropped_and_add_the_new():
    from graph.edits import priority_changes
    from graph.schema import Theme

    kg = KnowledgeGraph([*tiny().nodes(), Theme(id="a", name="A"), Theme(id="b", name="B")],
                        [Edge(src=HALTON, type=EdgeType.HAS_PRIORITY, dst="a",
                              provenance=Provenance(source="doc"))])
    changes = priority_changes(kg, HALTON, ["b"], "Ann")
    assert [(c.op, getattr(c, "dst", None) or c.edge.dst) for c in changes] == [
        ("remove_edge", "a"), ("add_edge", "b")]
    assert changes[1].edge.provenance.source == "user:Ann"
    assert priority_changes(kg, HALTON, ["a"], "Ann") == []


def test_a_partner_proposal_is_one_proposed_engagement():
    from datetime import datetime

    from graph.edits import partner_proposal

    kg = KnowledgeGraph([*tiny().nodes(), Council(id="E06000007", name="Warrington",
                                                  type="unitary", region="E12000002")])
    [change] = partner_proposal(kg, HALTON, "E06000007", ["nope"], "Ann",
                                datetime(2026, 3, 14, 10, 2))
    eng = change.node
    assert (eng.provider, eng.recipient, eng.status, eng.start) == (
        "E06000007", HALTON, "proposed", "2026-03-14")
    assert eng.name == "Warrington as improvement partner to Halton" and eng.themes == []
    with pytest.raises(GraphError, match="its own improvement partner"):
        partner_proposal(kg, HALTON, HALTON, [], "Ann", datetime(2026, 3, 14))
