"""Who may change what, checked in the store layer: a viewer's and another council's edits
are refused by the store whatever the page does, and the journal records the identity."""

from __future__ import annotations

import pytest

from graph.access import Actor, CheckedStore, PermissionDenied, UserRole, load_roles
from graph.changes import AddEdge, RemoveNode, UpsertNode, update_fields, user_provenance
from graph.errors import LoadError
from graph.schema import Edge, EdgeType, Engagement, SelfView
from graph.stores import EmbeddedStore

HALTON, KNOWSLEY, NORTH_WEST = "E06000006", "E08000011", "E12000002"
LEEDS, YORKSHIRE = "E08000035", "E12000003"

VIEWER = Actor("vic@example.org", UserRole.VIEWER)
HALTON_EDITOR = Actor("ann@halton.example", UserRole.COUNCIL_EDITOR, council=HALTON)
NW_OFFICER = Actor("sam@nw.example", UserRole.SLI_OFFICER, region=NORTH_WEST)
ADMIN = Actor("root@example.org", UserRole.ADMIN)


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(journal=tmp_path / "journal.sqlite")
    yield s
    s.close()


def self_view_change(store, code: str, text: str) -> UpsertNode:
    council = store.snapshot().node(code)
    return UpsertNode(node=council.model_copy(update={
        "self_view": SelfView(what_worries_us=text)}))


def engagement(provider: str, recipient: str, status: str = "proposed") -> Engagement:
    return Engagement(id=f"eng-{provider}-{recipient}", name="partnership",
                      type="improvement_partner", provider=provider, recipient=recipient,
                      status=status)


def test_a_viewers_edit_is_refused_by_the_store_and_nothing_is_written(store):
    checked = CheckedStore(store, VIEWER)
    with pytest.raises(PermissionDenied, match="vic@example.org is a viewer"):
        checked.apply([self_view_change(store, HALTON, "ours")], "typed name")
    assert store.history() == []


def test_a_council_editor_changes_their_own_profile_recorded_under_their_identity(store):
    CheckedStore(store, HALTON_EDITOR).apply([self_view_change(store, HALTON, "ours")],
                                             "someone else typed this")
    [record] = store.history(HALTON)
    assert record.who == "ann@halton.example"
    assert store.snapshot().node(HALTON).self_view.what_worries_us == "ours"


def test_another_councils_profile_is_refused_to_a_council_editor(store):
    checked = CheckedStore(store, HALTON_EDITOR)
    with pytest.raises(PermissionDenied, match="may not change Knowsley, another council"):
        checked.apply([self_view_change(store, KNOWSLEY, "not ours")])
    priority = Edge(src=KNOWSLEY, type=EdgeType.HAS_PRIORITY, dst="workforce",
                    provenance=user_provenance("ann@halton.example"))
    with pytest.raises(PermissionDenied, match="may not change that fact about Knowsley"):
        checked.apply([AddEdge(edge=priority)])
    assert store.history() == []


def test_a_council_editor_may_not_rename_or_move_their_own_council(store):
    halton = store.snapshot().node(HALTON)
    with pytest.raises(PermissionDenied, match="may not change name, region of Halton"):
        CheckedStore(store, HALTON_EDITOR).apply([UpsertNode(node=halton.model_copy(
            update={"name": "Halton!", "region": "E12000001"}))])


def test_a_whole_batch_is_refused_when_one_change_is_not_allowed(store):
    mine = self_view_change(store, HALTON, "ours")
    theirs = self_view_change(store, KNOWSLEY, "theirs")
    with pytest.raises(PermissionDenied):
        CheckedStore(store, HALTON_EDITOR).apply([mine, theirs])
    assert store.history() == []


def test_a_council_editor_proposes_and_records_the_outcome_of_engagements_it_received(store):
    editor = CheckedStore(store, HALTON_EDITOR)
    editor.apply([UpsertNode(node=engagement(KNOWSLEY, HALTON))])
    done = engagement(KNOWSLEY, HALTON).model_copy(update={"status": "completed",
                                                            "feedback": 4.0})
    editor.apply([UpsertNode(node=done)])
    assert store.snapshot().node(done.id).feedback == 4.0
    moved = done.model_copy(update={"provider": LEEDS})
    with pytest.raises(PermissionDenied, match="may not change provider of partnership"):
        editor.apply([UpsertNode(node=moved)])
    with pytest.raises(PermissionDenied, match="did not receive"):
        editor.apply([UpsertNode(node=engagement(HALTON, KNOWSLEY))])


def test_an_sli_officer_changes_councils_and_engagements_in_their_region_only(store):
    officer = CheckedStore(store, NW_OFFICER)
    officer.apply([self_view_change(store, KNOWSLEY, "regional view"),
                   UpsertNode(node=engagement(HALTON, KNOWSLEY, "agreed"))])
    officer.apply([RemoveNode(id=engagement(HALTON, KNOWSLEY).id)])
    with pytest.raises(PermissionDenied, match="may not change Leeds, outside their region"):
        officer.apply([self_view_change(store, LEEDS, "not ours")])
    with pytest.raises(PermissionDenied, match="SLI officers change councils"):
        theme = store.snapshot().node("workforce")
        officer.apply([UpsertNode(node=theme.model_copy(update={"name": "Staff"}))])
    assert {r.who for r in store.history()} == {"sam@nw.example"}


def test_an_admin_may_change_anything(store):
    CheckedStore(store, ADMIN).apply([self_view_change(store, LEEDS, "admin")])
    assert store.history()[0].who == "root@example.org"


# ---------------------------------------------------------------------- the roles file


def test_roles_file_maps_emails_and_subjects_to_roles(tmp_path, store):
    path = tmp_path / "roles.yaml"
    path.write_text(
        "- email: Ann@Halton.example\n  role: council editor\n  council: E06000006\n"
        "- subject: '12345'\n  role: SLI officer\n  region: E12000002\n"
        "- email: root@example.org\n  role: admin\n", encoding="utf-8")
    roles = load_roles(path, store.snapshot())
    assert roles.actor("ann@halton.example", "x") == HALTON_EDITOR
    assert roles.actor(None, "12345").role == UserRole.SLI_OFFICER
    assert roles.actor("nobody@example.org", "9") == Actor("nobody@example.org",
                                                           UserRole.VIEWER)


def test_a_bad_roles_file_names_file_line_and_field(tmp_path, store):
    path = tmp_path / "roles.yaml"
    path.write_text(
        "- email: ann@halton.example\n  role: council editor\n"
        "- email: bob@example.org\n  role: superuser\n"
        "- email: cat@example.org\n  role: council editor\n  council: E06999999\n",
        encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_roles(path, store.snapshot())
    assert [str(p) for p in info.value.problems] == [
        f"{path}:1: a council editor needs council: its GSS code (E06000006)",
        f"{path}:4: role: must be one of: viewer, council editor, SLI officer, admin",
        f"{path}:7: council: no council 'E06999999' in the graph",
    ]


def test_the_example_roles_file_in_docs_is_valid(store):
    from pathlib import Path

    roles = load_roles(Path(__file__).resolve().parents[2] / "docs" / "roles.example.yaml",
                       store.snapshot())
    assert [g.role for g in roles.grants] == [UserRole.COUNCIL_EDITOR, UserRole.SLI_OFFICER,
                                              UserRole.ADMIN]


def test_field_updates_are_checked_like_whole_records(store):
    from graph.changes import update_fields

    halton, knowsley = store.snapshot().node(HALTON), store.snapshot().node(KNOWSLEY)
    editor = CheckedStore(store, HALTON_EDITOR)
    editor.apply([update_fields(halton, capacity=2)])
    with pytest.raises(PermissionDenied, match="may not change Knowsley, another council"):
        editor.apply([update_fields(knowsley, capacity=2)])
    with pytest.raises(PermissionDenied, match="may not change name of Halton"):
        editor.apply([update_fields(store.snapshot().node(HALTON), name="Halton Borough")])
    assert store.snapshot().node(HALTON).capacity == 2


def test_the_role_is_checked_against_another_clients_latest_write(store):
    # Two clients of one journal: the editor's client last read the engagement as Halton's;
    # an admin's client hands it to Knowsley; the editor's save is judged on the journal as
    # it is when the write is made, under the journal's write lock, and refused.
    partnership = engagement(LEEDS, HALTON, status="completed")
    store.apply([UpsertNode(node=partnership)], "admin")
    editor = CheckedStore(store, HALTON_EDITOR)
    assert store.snapshot().node(partnership.id).recipient == HALTON
    other = EmbeddedStore(journal=store.journal_path)
    other.apply([update_fields(partnership, recipient=KNOWSLEY)], "admin")
    other.close()
    with pytest.raises(PermissionDenied, match="did not receive"):
        editor.apply([update_fields(partnership, feedback=4.0)])
    assert store.snapshot().node(partnership.id).feedback is None
