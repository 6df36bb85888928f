"""Engagement lifecycle, outcomes as endorsement evidence, and the give/receive ledger."""

from __future__ import annotations

import pytest

from graph.changes import UpsertNode
from graph.engagements import engagement_kind, engagements, new_engagement, set_status
from graph.errors import GraphError
from graph.ledger import gini, ledger, only_givers, past_reviews
from graph.schema import EdgeType
from graph.stores import EmbeddedStore

HALTON, WARRINGTON, BURY = "E06000006", "E06000007", "E08000002"
FRONT_DOOR = "system.front-door"


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(journal=tmp_path / "j.sqlite")
    yield s
    s.close()


def _propose(store, who="Ann"):
    eng = new_engagement(store.snapshot(), WARRINGTON, HALTON, [FRONT_DOOR], "mentoring", who)
    store.apply([UpsertNode(node=eng)], who)
    return eng.id


def _move(store, eid, *statuses, who="Ann", **kw):
    for status in statuses:
        store.apply(set_status(store.snapshot(), eid, status, who, **kw), who)


def test_every_step_is_recorded_with_who_and_when(store):
    eid = _propose(store, "Ann")
    _move(store, eid, "agreed", who="Bo")
    _move(store, eid, "active", who="Cy")
    eng = store.snapshot().node(eid)
    assert [(h.status, h.who) for h in eng.history] == [
        ("proposed", "Ann"), ("agreed", "Bo"), ("active", "Cy")]
    assert all(h.at[:4].isdigit() for h in eng.history)
    assert [r.who for r in store.history(eid)][:3] == ["Cy", "Bo", "Ann"]


@pytest.mark.parametrize("path, bad, message", [
    ((), "completed", "cannot go from proposed to completed"),
    (("agreed", "active", "completed"), "proposed", "a completed engagement is final"),
    (("cancelled",), "agreed", "a cancelled engagement is final"),
    (("declined",), "active", "a declined engagement is final"),
])
def test_bad_transitions_are_refused_and_nothing_is_written(store, path, bad, message):
    eid = _propose(store)
    _move(store, eid, *path)
    before = len(store.history())
    with pytest.raises(GraphError, match=message):
        set_status(store.snapshot(), eid, bad, "Ann")
    assert len(store.history()) == before


def test_an_outcome_on_a_cancelled_engagement_is_refused(store):
    eid = _propose(store)
    with pytest.raises(GraphError, match="outcome is recorded when an engagement is completed"):
        set_status(store.snapshot(), eid, "cancelled", "Ann", outcome="helped")


def test_unknown_engagement_is_a_clear_error(store):
    with pytest.raises(GraphError, match="no engagement 'eng-nope'"):
        set_status(store.snapshot(), "eng-nope", "agreed", "Ann")


def test_helped_becomes_endorsement_evidence_for_the_provider_resting_on_the_engagement(store):
    eid = _propose(store)
    _move(store, eid, "agreed", "active")
    _move(store, eid, "completed", outcome="helped", note="calmer front door")
    kg = store.snapshot()
    eng = kg.node(eid)
    assert (eng.outcome, eng.outcome_themes, eng.note) == ("helped", [FRONT_DOOR],
                                                          "calmer front door")
    [edge] = [e for e in kg.out_edges(WARRINGTON, EdgeType.SHARES_PRACTICE)
              if e.provenance.source == eid]
    assert edge.dst == FRONT_DOOR
    assert edge.props == {"evidence": "endorsement", "endorsed_by": HALTON, "outcome": "helped"}
    assert edge.provenance.since == eng.end


def test_not_helped_records_the_verdict_but_no_endorsement(store):
    eid = _propose(store)
    _move(store, eid, "agreed", "active")
    _move(store, eid, "completed", outcome="not_helped")
    kg = store.snapshot()
    assert kg.node(eid).outcome == "not_helped"
    assert not [e for e in kg.out_edges(WARRINGTON) if e.provenance.source == eid]


def test_kinds_are_read_from_peoples_words():
    assert engagement_kind("Peer review") == "peer_review"
    assert engagement_kind("coaching") == "mentoring"
    assert engagement_kind("learning set") == "learning_set"
    with pytest.raises(GraphError, match="use one of improvement partner, peer review"):
        engagement_kind("picnic")


def test_ledger_counts_agreed_work_and_names_councils_that_only_give(store):
    eid = _propose(store)
    _move(store, eid, "agreed")
    other = new_engagement(store.snapshot(), WARRINGTON, BURY, [FRONT_DOOR], "peer review",
                           "Ann").model_copy(update={"reviewers": ["rv-1"]})
    store.apply([UpsertNode(node=other)], "Ann")  # proposed: not counted yet
    kg = store.snapshot()
    led = ledger(kg, region="E12000002")
    rows = {r.code: (r.gave, r.received, r.balance) for r in led.councils}
    assert rows == {WARRINGTON: (1, 0, 1), HALTON: (0, 1, -1)}
    assert only_givers(led) == [WARRINGTON]
    assert {(p.reviewer_id, p.reviewer_council, p.council_reviewed)
            for p in past_reviews(kg)} == {("", WARRINGTON, HALTON)}
    _move(store, other.id, "agreed")
    assert ("rv-1", WARRINGTON, BURY) in {
        (p.reviewer_id, p.reviewer_council, p.council_reviewed)
        for p in past_reviews(store.snapshot())}
    assert ledger(store.snapshot(), since=2999).councils == ()
    assert [e.id for e in engagements(store.snapshot(), council=BURY)] == [other.id]


def test_gini_is_zero_when_even_and_grows_as_one_council_carries_the_load():
    assert gini([2, 2, 2, 2]) == 0.0
    assert gini([0, 0, 0, 4]) == 0.75
    assert 0 < gini([1, 1, 2, 4]) < gini([0, 0, 1, 7])


def test_a_partnership_proposed_on_the_partners_page_can_end_in_an_endorsement(store):
    from datetime import datetime

    from graph.edits import partner_proposal

    [change] = partner_proposal(store.snapshot(), HALTON, WARRINGTON, [FRONT_DOOR], "Ann",
                                datetime(2026, 3, 14, 10, 2))
    store.apply([change], "Ann")
    eid = change.node.id
    assert [h.who for h in store.snapshot().node(eid).history] == ["Ann"]
    _move(store, eid, "agreed", "active")
    _move(store, eid, "completed", outcome="partly")
    [edge] = [e for e in store.snapshot().out_edges(WARRINGTON, EdgeType.SHARES_PRACTICE)
              if e.provenance.source == eid]
    assert edge.provenance.locator.startswith("partly endorsed by Halton")
