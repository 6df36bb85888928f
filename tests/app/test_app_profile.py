"""Council profile: facts with sources, an editable self-view and priorities saved through
the store, who changed what; data shown as text, never as HTML."""

from __future__ import annotations

import pytest

from app import state
from graph.schema import EdgeType
from graph.store import UpsertNode, open_store
from tests.app.apptest_helpers import new_app, open_page, read, unescape

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def halton(app):
    open_page(app, "profile")
    app.text_input(key=state.C_COUNCIL).input("Halton").run()
    assert not app.exception, app.exception
    return app


def test_profile_shows_the_council_its_connections_and_their_sources(halton):
    text = read(halton)
    assert [h.value for h in halton.header] == ["Halton"]
    for heading in ("Self-view", "Improvement priorities", "Connections", "Changes"):
        assert heading in text
    frames = [d.value for d in halton.dataframe]
    connections = [f for f in frames if "source" in f.columns and "name" in f.columns]
    assert connections, "neighbours are listed with their source"
    assert any("North West" in set(f["name"]) for f in connections)


def test_saving_the_self_view_needs_a_name(halton):
    halton.text_area(key=state.C_WORRIES).input("Our front door")
    halton.button(key=state.C_SAVE_VIEW).click().run()
    assert "Enter your name" in read(halton)
    assert open_store().snapshot().node("E06000006").self_view is None


def test_self_view_is_saved_durably_with_who_and_when(halton):
    halton.text_input(key=state.WHO).input("Ann Other").run()
    halton.text_area(key=state.C_GOOD).input("Children seen quickly")
    halton.text_area(key=state.C_WORRIES).input("Agency staff turnover")
    halton.button(key=state.C_SAVE_VIEW).click().run()
    assert "Self-view of Halton saved by Ann Other." in read(halton)
    store = open_store()  # a new store reads the journal from disk
    view = store.snapshot().node("E06000006").self_view
    assert view.what_good_looks_like == "Children seen quickly"
    assert view.what_worries_us == "Agency staff turnover"
    history = halton.dataframe[-1].value
    assert history.iloc[0]["who"] == "Ann Other"
    assert "updated the record of Halton" in history.iloc[0]["what"]


def test_priorities_are_added_and_removed_through_the_store(halton):
    kg = open_store().snapshot()
    before = sorted({e.dst for e in kg.out_edges("E06000006", EdgeType.HAS_PRIORITY)})
    assert before
    halton.text_input(key=state.WHO).input("Ann Other").run()
    halton.multiselect(key=state.C_PRIORITIES).unselect(before[0]).select(
        "workforce.supervision").run()
    halton.button(key=state.C_SAVE_PRIORITIES).click().run()
    assert "Priorities of Halton saved by Ann Other." in read(halton)
    edges = open_store().snapshot().out_edges("E06000006", EdgeType.HAS_PRIORITY)
    after = {e.dst for e in edges}
    assert before[0] not in after and "workforce.supervision" in after
    added = [e for e in edges if e.dst == "workforce.supervision"]
    assert added[0].provenance.source == "user:Ann Other"
    assert "Source: user:Ann Other" in read(halton)


def test_an_alias_holding_a_script_is_shown_as_text(journal):
    store = open_store()
    halton = store.snapshot().node("E06000006")
    store.apply([UpsertNode(node=halton.model_copy(
        update={"aliases": [*halton.aliases, SCRIPT]}))], "tester")
    store.close()
    at = new_app()
    open_page(at, "profile")
    at.text_input(key=state.C_COUNCIL).input("Halton").run()
    aliases = [m.value for m in at.markdown if m.value.startswith("**Also known as:**")]
    assert aliases and SCRIPT in unescape(aliases[0])  # a person reads the literal text
    assert "\\<script\\>" in aliases[0]  # escaped for Markdown, so never parsed as HTML
