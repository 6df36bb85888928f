"""Review documents and Who gives and receives, driven as a person would: a note read in,
its facts reviewed and applied, the profiles it changed one click away; the ledger of an
engagement. Document text is shown escaped, never as HTML."""

from __future__ import annotations

from app import state
from graph.changes import UpsertNode
from graph.engagements import new_engagement, set_status
from graph.stores import open_store
from matcher.partners import propose_partners
from tests.app.apptest_helpers import open_page, read

NOTE = ("Rochdale offered to share its peer review toolkit with any council. "
        "Bolton sent apologies. <script>alert(1)</script>")
ROCHDALE = "E08000005"


def _paste(app, title="Peer challenge day", text=NOTE):
    open_page(app, "review_documents")
    app.text_input(key=state.D_PASTE_TITLE).input(title)
    app.text_area(key=state.D_PASTE).input(text)
    app.button(key=state.D_READ).click().run()
    assert not app.exception, app.exception


def test_a_pasted_note_is_shown_escaped_with_its_names_and_proposed_facts(app):
    _paste(app)
    text = read(app)
    assert "Names: Bolton, Rochdale." in text
    assert "Themes: Peer review and peer challenge." in text
    [shown] = [h.proto.body for h in app.get("html")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>" not in shown
    assert '<mark title="council: Rochdale"' in shown
    [table] = app.dataframe
    rows = table.value
    assert list(rows["who"]) == ["Rochdale"]  # Bolton's apology is a mention, not a fact
    assert list(rows["what"]) == ["can share it (offer)"]
    assert list(rows["on"]) == ["Peer review and peer challenge"]


def test_applying_needs_a_name_and_then_records_the_facts_for_partners(app):
    _paste(app)
    apply = [b for b in app.button if str(b.key).startswith(state.D_APPLY)][0]
    apply.click().run()
    assert "Enter your name in the sidebar first" in read(app)
    store = open_store()
    assert ROCHDALE not in {p.code for p in propose_partners(
        store.snapshot(), "E06000006", themes=["change.peer-review"]).partners}
    app.text_input(key=state.WHO).input("Ann Analyst").run()
    [b for b in app.button if str(b.key).startswith(state.D_APPLY)][0].click().run()
    assert not app.exception, app.exception
    assert "Recorded 1 fact from \u201cPeer challenge day\u201d." in read(app)
    assert "already in the graph" in read(app)
    assert ROCHDALE in {p.code for p in propose_partners(
        open_store().snapshot(), "E06000006", themes=["change.peer-review"]).partners}
    [link] = [e.proto for e in app.get("page_link") if e.proto.label == "Profile of Rochdale"]
    assert link.query_string == f"{state.COUNCIL}={ROCHDALE}"


def test_two_sentences_of_one_fact_are_both_proposed_and_recorded_as_one(app):
    _paste(app, "Two offers", "Rochdale offered to share its peer review toolkit.\n\n"
           "Later Rochdale offered to host peer review visits.")
    [table] = app.dataframe
    assert list(table.value["who"]) == ["Rochdale", "Rochdale"]
    app.text_input(key=state.WHO).input("Ann Analyst").run()
    [b for b in app.button if str(b.key).startswith(state.D_APPLY)][0].click().run()
    assert not app.exception, app.exception
    assert ("Recorded 1 fact (2 accepted: those naming the same council and theme are one "
            "fact citing each sentence) from \u201cTwo offers\u201d.") in read(app)


def test_pairs_named_together_are_listed_unticked_and_a_note_of_only_those_can_be_applied(app):
    _paste(app, "Lunch", "Rochdale offered to share its peer review toolkit.\n\n"
           "Wigan's early help offer came up again over lunch.")
    proposed, listed = app.dataframe
    assert list(proposed.value["who"]) == ["Rochdale"]
    assert list(listed.value["accept"]) == [False]  # the reader could not tell: a person must
    assert list(listed.value["who"]) == ["Wigan"] and list(listed.value["on"]) == [
        "Early help offer"]
    assert list(listed.value["what"]) == ["choose what it is evidence of"]
    assert "Named together, nothing proposed (1)" in [e.label for e in app.expander]
    assert "Apply 1 accepted fact from" in [b.label for b in app.button
                                            if str(b.key).startswith(state.D_APPLY)][0]
    _paste(app, "Only lunch", "Wigan's early help offer came up again over lunch.")
    assert "No facts proposed: the reader could not tell what the text states" in read(app)
    assert len(app.dataframe) == 3  # both notes' grids: the second's pair only


def _labelled(widgets, label):
    [widget] = [w for w in widgets if w.label == label]
    return widget


def test_a_fact_the_reader_did_not_propose_is_added_by_hand_on_its_sentence(app):
    _paste(app, "Afternoon", "The afternoon went well.\n\nLeeds talked us through how it answers "
           "calls now.")
    assert "No facts proposed: the text names no council or organisation" in read(app)
    assert "Add a fact the reader did not propose" in [e.label for e in app.expander]
    add = _labelled(app.button, "Add this fact")
    add.click().run()
    assert "Choose the sentence, the council or organisation" in read(app)
    sentence = _labelled(app.selectbox, "The sentence it rests on")
    assert sentence.options == ["Afternoon", "The afternoon went well.",
                                "Leeds talked us through how it answers calls now."]
    sentence.set_value(2)
    _labelled(app.selectbox, "Council or organisation").set_value("Leeds")
    _labelled(app.selectbox, "Evidence of").set_value("has done it (practice)")
    _labelled(app.selectbox, "Theme, practice or network").set_value(
        "Integrated front door and contact and referral")
    _labelled(app.button, "Add this fact").click().run()
    assert not app.exception, app.exception
    [added] = app.dataframe
    assert list(added.value["who"]) == ["Leeds"] and list(added.value["accept"]) == [True]
    app.text_input(key=state.WHO).input("Ann Analyst").run()
    [b for b in app.button if str(b.key).startswith(state.D_APPLY)][0].click().run()
    assert "Recorded 1 fact from \u201cAfternoon\u201d." in read(app)
    kg = open_store().snapshot()
    [fact] = [e for e in kg.out_edges("E08000035") if e.dst == "system.front-door"
              and e.provenance.source.startswith("doc-")]
    assert fact.provenance.locator == "characters 39-88"  # the sentence in the note as read


def test_the_ledger_page_says_who_gives_and_names_councils_that_only_give(app):
    open_page(app, "ledger")
    assert "No engagements recorded in England" in read(app)
    store = open_store()
    kg = store.snapshot()
    eng = new_engagement(kg, "E08000007", "E08000004", ["workforce.supervision"], "mentoring",
                         "Ann")
    store.apply([UpsertNode(node=eng)], "Ann")
    store.apply(set_status(store.snapshot(), eng.id, "agreed", "Ann"), "Ann")
    app.button(key=state.RELOAD).click().run()
    open_page(app, "ledger")
    text = read(app)
    assert "Only give, never receive: Stockport." in text
    assert "Engagements given: 1" in text
    assert [d.value for d in app.dataframe][0]["council"].tolist() == ["Stockport", "Oldham"]


def test_self_view_themes_become_offers_and_challenges_partners_use_at_once(app):
    open_page(app, "profile")
    app.text_input(key=state.COUNCIL).input("Oldham").run()
    app.text_input(key=state.WHO).input("Dee").run()
    app.text_area(key=state.C_SHARE).input("Our multi-agency safeguarding hub")
    app.text_area(key=state.C_SUPPORT).input("Keeping experienced social workers")
    app.multiselect(key=state.C_SHARE_THEMES).set_value(["system.front-door"])
    app.multiselect(key=state.C_SUPPORT_THEMES).set_value(["workforce.recruitment-retention"])
    app.button(key=state.C_SAVE_VIEW).click().run()
    assert not app.exception, app.exception
    assert "Self-view of Oldham saved by Dee." in read(app)
    assert "Can share: Integrated front door and contact and referral" in read(app)
    kg = open_store().snapshot()
    [offer] = [e for e in kg.out_edges("E08000004") if e.props.get("self_view") == "share"]
    assert (offer.dst, offer.props["evidence"], offer.provenance.source) == (
        "system.front-door", "offer", "user:Dee")
    assert offer.provenance.since and offer.provenance.recorded_at
    assert "E08000004" in {p.code for p in propose_partners(
        kg, "E06000006", themes=["system.front-door"]).partners}
    [want] = [e for e in kg.out_edges("E08000004") if e.props.get("self_view") == "support"]
    assert (want.type.value, want.props["evidence"]) == ("HAS_PRIORITY", "challenge")


def test_a_staffed_round_is_saved_as_peer_review_engagements_the_ledger_counts(app):
    open_page(app, "peer_review")
    app.button(key=state.R_SOLVE).click().run()
    assert not app.exception, app.exception
    app.text_input(key=state.WHO).input("Eve").run()
    app.text_input(key=state.R_SAVE_NAME).input("Autumn 2026")
    app.button(key=state.R_SAVE).click().run()
    assert not app.exception, app.exception
    text = read(app)
    assert "peer-review engagement(s) as round \u201cAutumn 2026\u201d, recorded by Eve" in text
    kg = open_store().snapshot()
    saved = [e for e in kg.nodes() if getattr(e, "round", None) == "Autumn 2026"]
    assert saved and {e.type for e in saved} == {"peer_review"}
    assert {e.status for e in saved} == {"agreed"} and all(e.reviewers for e in saved)
    app.button(key=state.R_SAVE).click().run()
    assert "already saved: choose another name" in read(app)
