"""No lost updates on the embedded store: edits are field-level changes made against the
version the editor saw. Two clients (two store objects on one journal, as two app processes
would be) edit the same council."""

from __future__ import annotations

import pytest

from graph.changes import EditConflict, UpsertNode, update_fields
from graph.schema import SelfView
from graph.stores import EmbeddedStore

HALTON = "E06000006"


@pytest.fixture
def two_clients(tmp_path):
    a = EmbeddedStore(journal=tmp_path / "journal.sqlite")
    b = EmbeddedStore(journal=tmp_path / "journal.sqlite")
    yield a, b
    a.close()
    b.close()


def test_saving_one_field_from_a_stale_page_keeps_anothers_change_to_another_field(
        two_clients):
    a, b = two_clients
    seen_by_a = a.snapshot().node(HALTON)  # A opens the council
    b.apply([update_fields(b.snapshot().node(HALTON), capacity=3)], "bob")  # B saves capacity
    a.apply([update_fields(seen_by_a, self_view=SelfView(what_worries_us="turnover"))], "ann")
    for client in (a, b):
        halton = client.snapshot().node(HALTON)
        assert halton.capacity == 3  # B's change survives A's save
        assert halton.self_view.what_worries_us == "turnover"


def test_a_whole_record_written_from_a_stale_page_is_what_loses_updates(two_clients):
    """Why edits are field-level: the old way (upsert the record the page read) reverts B."""
    a, b = two_clients
    seen_by_a = a.snapshot().node(HALTON)
    b.apply([update_fields(b.snapshot().node(HALTON), capacity=3)], "bob")
    a.apply([UpsertNode(node=seen_by_a.model_copy(update={
        "self_view": SelfView(what_worries_us="turnover")}))], "ann")
    assert a.snapshot().node(HALTON).capacity is None  # B's capacity silently reverted


def test_two_editors_changing_the_same_field_the_second_is_refused_with_who_and_what(
        two_clients):
    a, b = two_clients
    seen_by_a = a.snapshot().node(HALTON)
    b.apply([update_fields(b.snapshot().node(HALTON),
                           self_view=SelfView(what_worries_us="bob's view"))], "bob")
    with pytest.raises(EditConflict) as info:
        a.apply([update_fields(seen_by_a, self_view=SelfView(what_worries_us="ann's"))], "ann")
    [conflict] = info.value.conflicts
    assert (conflict.field, conflict.who) == ("self_view", "bob")
    assert str(info.value).startswith("the self-view of Halton was changed by bob at ")
    assert str(info.value).endswith("after you opened it: reload to see the latest, or "
                                    "re-apply your change over it")
    assert a.snapshot().node(HALTON).self_view.what_worries_us == "bob's view"  # not written
    assert [r.who for r in a.history(HALTON)] == ["bob"]
    # re-applying over the latest version is an ordinary save
    a.apply([update_fields(a.snapshot().node(HALTON),
                           self_view=SelfView(what_worries_us="ann's"))], "ann")
    assert b.snapshot().node(HALTON).self_view.what_worries_us == "ann's"
