"""Find partners: fuzzy council, prefilled themes, weights, results with sources, propose."""

from __future__ import annotations

import re

import pytest

from app import state
from graph.schema import EdgeType, Engagement, NodeKind
from graph.stores import open_store
from tests.app.apptest_helpers import open_page, read


@pytest.fixture
def partners(app):
    open_page(app, "partners")
    app.text_input(key=state.COUNCIL).input("NE Lincs").run()
    assert not app.exception, app.exception
    return app


def test_a_typed_abbreviation_finds_the_council(partners):
    assert "Using North East Lincolnshire (E06000012)" in read(partners)


def test_themes_are_prefilled_from_the_councils_priorities(partners):
    kg = open_store().snapshot()
    priorities = sorted({e.dst for e in kg.out_edges("E06000012", EdgeType.HAS_PRIORITY)})
    assert priorities, "the seed records priorities for North East Lincolnshire"
    assert sorted(partners.multiselect(key=state.P_THEMES).value) == priorities


def test_proposals_show_reasons_and_their_sources(partners):
    text = read(partners)
    assert "Proposed partners for North East Lincolnshire" in text
    assert "1. " in text
    assert "Source: " in text  # every piece of evidence cites where it came from
    assert "Around the top match:" in text


def test_weights_default_to_the_matchers_and_can_change_the_ranking(partners):
    from matcher.weights import Weights

    assert partners.slider(key=state.P_WEIGHT + "expertise").value == Weights().expertise
    partners.slider(key=state.P_WEIGHT + "expertise").set_value(0.0).run()
    assert not partners.exception


def test_outside_region_proposes_only_councils_elsewhere(partners):
    partners.toggle(key=state.P_OUTSIDE).set_value(True).run()
    heads = [m.value for m in partners.markdown if m.value.startswith("**1. ")
             or m.value.startswith("**2. ")]
    assert heads and all("Yorkshire and The Humber" not in h for h in heads)


def test_propose_is_refused_without_a_name(partners):
    partners.button(key=state.P_PROPOSE).click().run()
    assert "Enter your name" in read(partners)
    kg = open_store().snapshot()
    assert not kg.nodes(NodeKind.ENGAGEMENT)


def test_propose_records_a_proposed_engagement_with_who(partners):
    partners.text_input(key=state.WHO).input("Dee Sea").run()
    target = partners.selectbox(key=state.P_PROPOSE_TO).value
    partners.button(key=state.P_PROPOSE).click().run()
    assert "recorded by Dee Sea" in read(partners)
    store = open_store()
    engagements = store.snapshot().nodes(NodeKind.ENGAGEMENT)
    assert len(engagements) == 1
    eng = engagements[0]
    assert isinstance(eng, Engagement)
    assert (eng.provider, eng.recipient, eng.status) == (target, "E06000012", "proposed")
    assert store.history(eng.id)[0].who == "Dee Sea"


def test_an_ambiguous_name_offers_the_candidates(app):
    open_page(app, "partners")
    app.text_input(key=state.COUNCIL).input("Kingston").run()
    assert "No single council matches" in read(app)
    app.radio(key=state.COUNCIL_PICK).set_value("E09000021").run()
    assert ("Choose at least one theme you want help with: Kingston upon Thames has no "
            "recorded priorities.") in read(app)
    app.multiselect(key=state.P_THEMES).select("workforce").run()
    assert "Proposed partners for Kingston upon Thames" in read(app)


def test_both_lists_show_with_basis_and_no_internal_names(partners):
    from tests.cli.test_plain_words import internal_names

    text = read(partners)
    assert "Proposed partners for North East Lincolnshire" in text
    assert "Peers working on the same challenge" in text
    assert "has done it" in text  # the basis of each partner
    assert internal_names(text) == {}


def _tree_order(at) -> list[str]:
    """Each element's text (or widget label) in the order the page shows them."""
    out = []

    def visit(node):
        proto = getattr(node, "proto", None)
        text = getattr(node, "value", None) if node.type in (
            "markdown", "success", "subheader", "caption", "info") else None
        if text is None and proto is not None and hasattr(proto, "label"):
            text = proto.label
        if isinstance(text, str):
            out.append(text)
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return out


def test_the_proposal_is_confirmed_next_to_the_propose_button(partners):
    partners.text_input(key=state.WHO).input("Dee Sea").run()
    partners.button(key=state.P_PROPOSE).click().run()
    order = _tree_order(partners)
    confirmed = next(i for i, t in enumerate(order) if "recorded by Dee Sea" in t)
    assert confirmed > order.index("Propose"), "the confirmation shows under the button"


def test_clearing_every_theme_asks_for_one_instead_of_using_the_saved_priorities(partners):
    partners.multiselect(key=state.P_THEMES).set_value([]).run()
    text = read(partners)
    assert "Choose at least one theme you want help with." in text
    assert "Proposed partners" not in text


def test_the_sidebar_region_narrows_the_proposals(partners):
    partners.selectbox(key=state.REGION).select("E12000007").run()  # London
    text = read(partners)
    assert "Only councils in London" in text
    heads = [m.value for m in partners.markdown if m.value.startswith("**") and ". " in m.value
             and "\u00b7" in m.value]
    assert heads and all(" \u00b7 London" in h for h in heads), heads


def test_each_proposal_links_to_its_councils_profile_and_cites_each_source_once(partners):
    links = [e.proto for e in partners.get("page_link") if e.proto.label.startswith("Profile")]
    assert len(links) >= 3
    assert all(link.query_string.startswith(f"{state.COUNCIL}=E") for link in links)
    for box in partners.get("expandable"):
        sources = [c.value for c in box.caption if c.value.startswith("Source:")]
        assert len(sources) == len(set(sources)), "a source is cited once per card"


def test_no_command_line_flags_or_slugs_reach_the_page(partners):
    # (a Markdown table's rule line, |---|, is drawn as the table, not shown)
    text = "\n".join(line for line in read(partners).splitlines()
                     if not re.fullmatch(r"\|[-:|]+\|", line.strip()))
    assert "--" not in text and "SHARES_PRACTICE" not in text and "HAS_PRIORITY" not in text



def test_each_proposal_shows_its_signals_with_unknown_ones_not_recorded(partners):
    tables = [m.value for m in partners.markdown if m.value.startswith("| signal |")]
    cards = [m.value for m in partners.markdown if m.value.startswith("**1. ")]
    assert tables and len(tables) >= len(cards)
    first = tables[0].splitlines()
    signals = {row.split("|")[1].strip(): row.split("|")[3].strip() for row in first[2:]}
    assert set(signals) >= {"expertise", "capacity"}
    for value in signals.values():
        assert value == "not recorded" or 0.0 <= float(value) <= 1.0
    assert "not recorded" in signals.values()  # North East Lincolnshire's stage is unknown
