"""Council profile: facts with sources, an editable self-view and priorities saved through
the store, who changed what; data shown as text, never as HTML."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from app import state
from graph.changes import UpsertNode
from graph.edits import current_stage
from graph.schema import EdgeType
from graph.stores import open_store
from matcher.partners import propose_partners
from tests.app.apptest_helpers import ENTRY, new_app, open_page, read, unescape

SCRIPT = "<script>alert(1)</script>"


def history(at) -> list[str]:
    """The profile's 'Changes' as the sentences a person reads, newest first."""
    lines = [unescape(m.value) for m in at.markdown if " — " in m.value]
    return [line.removeprefix("- ") for block in lines for line in block.split("\n")]


@pytest.fixture
def halton(app):
    open_page(app, "profile")
    app.text_input(key=state.COUNCIL).input("Halton").run()
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
    newest = history(halton)[0]
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4} \d\d:\d\d — Ann Other changed Halton's "
                        r"self-view: 'what good looks like' added 'Children seen quickly'; "
                        r"'what worries us' added 'Agency staff turnover'", newest), newest


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
    assert "Source: entered by Ann Other on " in read(halton)


def test_an_alias_holding_a_script_is_shown_as_text(journal):
    store = open_store()
    halton = store.snapshot().node("E06000006")
    store.apply([UpsertNode(node=halton.model_copy(
        update={"aliases": [*halton.aliases, SCRIPT]}))], "tester")
    store.close()
    at = new_app()
    open_page(at, "profile")
    at.text_input(key=state.COUNCIL).input("Halton").run()
    aliases = [m.value for m in at.markdown if m.value.startswith("**Also known as:**")]
    assert aliases and SCRIPT in unescape(aliases[0])  # a person reads the literal text
    assert "\\<script\\>" in aliases[0]  # escaped for Markdown, so never parsed as HTML


def test_capacity_and_stage_need_a_name(halton):
    halton.number_input(key=state.C_CAPACITY).set_value(0)
    halton.button(key=state.C_SAVE_STANDING).click().run()
    assert "Enter your name" in read(halton)
    assert open_store().snapshot().node("E06000006").capacity is None


def test_opening_a_profile_asks_for_no_name_and_saves_nothing(halton):
    assert "Enter your name" not in read(halton)
    halton.text_input(key=state.WHO).input("Ann Analyst").run()
    before = len(open_store().history())
    halton.text_input(key=state.COUNCIL).input("Warrington").run()
    assert "Nothing to save" not in read(halton)
    assert len(open_store().history()) == before


def save_standing(at, council: str, capacity: int | None, stage: str | None) -> str:
    at.text_input(key=state.COUNCIL).input(council).run()
    assert [h.value for h in at.header] == [council]
    at.number_input(key=state.C_CAPACITY).set_value(capacity)
    at.selectbox(key=state.C_STAGE).set_value(stage)
    at.button(key=state.C_SAVE_STANDING).click().run()
    assert not at.exception, at.exception
    return read(at)


def test_capacity_and_stage_are_saved_and_steer_partner_proposals(halton):
    halton.text_input(key=state.WHO).input("Ann Other").run()
    text = save_standing(halton, "Halton", None, "stage-poor-to-fair")
    assert "Capacity and stage of Halton saved by Ann Other." in text
    assert "Source: entered by Ann Other on " in text
    facts = halton.dataframe[0].value
    assert "Moving from poor to fair" in set(facts["value"])
    save_standing(halton, "Warrington", 2, "stage-fair-to-good")
    text = save_standing(halton, "Blackburn with Darwen", 0, None)
    assert "Capacity and stage of Blackburn with Darwen saved by Ann Other." in text
    assert history(halton)[0].endswith(
        "Ann Other set Blackburn with Darwen's capacity for engagements to 0 at once")

    kg = open_store().snapshot()  # a new store reads the journal from disk
    assert current_stage(kg, "E06000006").dst == "stage-poor-to-fair"
    assert current_stage(kg, "E06000006").provenance.source == "user:Ann Other"
    assert kg.node("E06000007").capacity == 2
    assert current_stage(kg, "E06000007").dst == "stage-fair-to-good"
    assert kg.node("E06000008").capacity == 0
    assert current_stage(kg, "E06000008") is None

    found = propose_partners(kg, "E06000006")
    excluded = {e.code: e.reason for e in found.excluded}
    assert "at capacity" in excluded["E06000008"]  # Blackburn with Darwen: full
    assert "E06000008" not in {p.code for p in found.partners + found.peers}
    # Warrington shares Halton's challenge (no stated strength): a peer, with the same signals
    warrington = next(p for p in found.peers if p.code == "E06000007")
    assert ("Further along the improvement journey (Moving from fair to good vs Moving from "
            "poor to fair)") in warrington.reasons
    assert "Has capacity: 0 of 2 places taken" in warrington.reasons


def test_a_new_stage_replaces_the_one_entered_before(halton):
    halton.text_input(key=state.WHO).input("Ann Other").run()
    save_standing(halton, "Halton", None, "stage-poor-to-fair")
    text = save_standing(halton, "Halton", None, "stage-fair-to-good")
    assert "saved by Ann Other" in text
    edges = open_store().snapshot().out_edges("E06000006", EdgeType.AT_STAGE)
    assert [e.dst for e in edges] == ["stage-fair-to-good"]
    assert any(line.endswith("Ann Other withdrew the stage 'Moving from poor to fair' "
                             "recorded for Halton") for line in history(halton))
    text = save_standing(halton, "Halton", None, "stage-fair-to-good")
    assert "Nothing to save" in text


def test_connections_read_as_relationships_without_ids_column_numbers_or_none(halton):
    labels = [e.label for e in halton.expander]
    assert "Halton is in (1)" in labels
    assert not any("_" in label for label in labels)
    frames = [d.value for d in halton.dataframe if "source" in d.value.columns]
    for frame in frames:
        assert list(frame.columns) == ["name", "kind", "note", "source", "confidence"]
        cells = {str(v) for v in frame.to_numpy().ravel()}
        assert "None" not in cells and not any(c.startswith("column") for c in cells)


def test_your_name_comes_back_from_the_page_address_after_a_reload(journal):
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    at.query_params.update({state.WHO: "Jo Bloggs (NW SLI team)", state.COUNCIL: "Halton"})
    at.switch_page("views/profile.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key=state.WHO).value == "Jo Bloggs (NW SLI team)"
    assert [h.value for h in at.header] == ["Halton"]


def test_a_name_holding_markdown_link_syntax_is_shown_as_text_in_headers(journal):
    link = "Halton [click me](https://evil.example)"
    store = open_store()
    halton = store.snapshot().node("E06000006")
    store.apply([UpsertNode(node=halton.model_copy(update={"name": link}))], "tester")
    store.close()
    at = new_app()
    open_page(at, "profile")
    at.text_input(key=state.COUNCIL).input("E06000006").run()
    [header] = [h.value for h in at.header]
    assert unescape(header) == link  # a person reads the literal name
    assert "\\[click me\\]" in header  # never parsed as a link
    labels = [e.label for e in at.expander if "Halton" in e.label]
    assert labels and all("\\[click me\\]" in label for label in labels)
