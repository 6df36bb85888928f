"""Roles are checked in the store layer on a shared graph too (a real FalkorDB, and Neo4j
when configured): refused edits never reach the server, allowed ones carry the identity."""

from __future__ import annotations

import pytest

from graph.access import Actor, CheckedStore, PermissionDenied, UserRole
from graph.changes import UpsertNode
from graph.loader import load_dir
from graph.schema import SelfView

pytestmark = pytest.mark.server

HALTON, KNOWSLEY = "E06000006", "E08000011"


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
