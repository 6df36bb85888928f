"""Roles are checked in the store layer on a shared graph too (a real FalkorDB and a real
Neo4j): refused edits never reach the server, allowed ones carry the identity, and the role
is checked against the graph the write lands on."""

from __future__ import annotations

import pytest

from graph.access import Actor, CheckedStore, PermissionDenied, UserRole
from graph.changes import UpsertNode, update_fields
from graph.loader import load_dir
from graph.schema import Engagement, SelfView

pytestmark = pytest.mark.server

HALTON, KNOWSLEY, LEEDS = "E06000006", "E08000011", "E08000035"


def _view(store, code: str, text: str) -> UpsertNode:
    council = store.snapshot().node(code)
    return UpsertNode(node=council.model_copy(update={
        "self_view": SelfView(what_worries_us=text)}))


def test_refused_edits_never_reach_the_server_and_allowed_ones_record_identity(store):
    store.push(load_dir())
    viewer = CheckedStore(store, Actor("vic@example.org", UserRole.VIEWER))
    editor = CheckedStore(store, Actor("ann@halton.example", UserRole.COUNCIL_EDITOR,
                                       council=HALTON))
    with pytest.raises(PermissionDenied, match="is a viewer"):
        viewer.apply([_view(store, HALTON, "viewer's")])
    with pytest.raises(PermissionDenied, match="another council"):
        editor.apply([_view(store, KNOWSLEY, "not ours")])
    assert store.history() == []
    editor.apply([_view(store, HALTON, "ours")], "a typed name is ignored")
    [record] = store.history()
    assert record.who == "ann@halton.example"
    assert store.snapshot().node(HALTON).self_view.what_worries_us == "ours"
    assert store.snapshot().node(KNOWSLEY).self_view is None


def test_a_role_is_checked_against_the_graph_the_write_lands_on(store, second_client):
    # Halton's editor may record the outcome of an engagement Halton received. If an admin
    # hands the engagement to Knowsley after the role check passed and before the write, the
    # write must not land: the store re-checks the role against the graph it writes over.
    store.push(load_dir())
    partnership = Engagement(id="eng-race", name="partnership", type="improvement_partner",
                             provider=LEEDS, recipient=HALTON, status="completed")
    store.apply([UpsertNode(node=partnership)], who="admin")
    editor = CheckedStore(store, Actor("ann@halton.example", UserRole.COUNCIL_EDITOR,
                                       council=HALTON))
    checks: list[str] = []

    def admin_moves_it_in_between(kg) -> None:  # runs once the role check has passed
        checks.append(kg.node("eng-race").recipient)
        if len(checks) == 1:
            second_client.apply([update_fields(partnership, recipient=KNOWSLEY)], who="admin")

    with pytest.raises(PermissionDenied, match="did not receive"):
        editor.apply([update_fields(partnership, feedback=4.0)],
                     guard=admin_moves_it_in_between)
    assert checks == [HALTON]  # checked again after the admin's write, and refused
    assert store.snapshot().node("eng-race").feedback is None
    assert [r.who for r in store.history()] == ["admin", "admin"]
