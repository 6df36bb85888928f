"""No lost updates on a shared graph: two clients of one real FalkorDB, and of one real Neo4j,
edit the same council against the versions they saw."""

from __future__ import annotations

import pytest

from graph.changes import EditConflict, update_fields
from graph.loader import load_dir
from graph.schema import SelfView

pytestmark = pytest.mark.server

HALTON = "E06000006"


def test_field_level_edits_from_two_clients_keep_both_and_refuse_a_stale_same_field(
        store, second_client):
    store.push(load_dir())
    seen_by_a = store.snapshot().node(HALTON)
    second_client.apply([update_fields(second_client.snapshot().node(HALTON), capacity=3)],
                        "bob")
    store.apply([update_fields(seen_by_a, self_view=SelfView(what_worries_us="turnover"))],
                "ann")
    halton = second_client.snapshot().node(HALTON)
    assert (halton.capacity, halton.self_view.what_worries_us) == (3, "turnover")

    with pytest.raises(EditConflict) as info:  # A again, from the page it opened first
        store.apply([update_fields(seen_by_a, capacity=1)], "ann")
    assert str(info.value).startswith("the capacity of Halton was changed by bob at ")
    assert store.snapshot().node(HALTON).capacity == 3
    assert [r.who for r in store.history(HALTON)] == ["ann", "bob"]
