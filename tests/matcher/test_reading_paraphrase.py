"""How the document reader finds themes said in other words and whom a sentence is about:
compounds read whole, a theme's own name word alone, phrases read close together, an offer at
the end of a sentence, an organisation named as the place where something happened, and a
title line kept out of the sentence below it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ingest.read import read_document
from graph.loader import load_dir
from matcher.extract import extract
from matcher.mentions import sentences

STOCKPORT, BOLTON, ST_HELENS, WARRINGTON = "E08000007", "E08000001", "E08000013", "E06000007"


@pytest.fixture(scope="module")
def kg():
    return load_dir().graph()


def themes(kg, text: str) -> set[str]:
    return {m.id for m in extract(text, kg).mentions if m.kind == "theme"}


def claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


def test_multi_agency_is_one_word_so_agency_staff_still_name_the_agency_market(kg):
    assert "workforce.agency-market" in themes(
        kg, "Stockport has cut its use of agency social workers.")
    assert "system.front-door" in themes(kg, "Bolton runs a multi-agency safeguarding hub.")
    assert "workforce.agency-market" not in themes(
        kg, "Bolton runs a multi-agency safeguarding hub.")


def test_a_word_of_a_themes_own_name_names_it_alone_in_that_form(kg):
    assert claims(kg, "Bolton is struggling with supervision.") == {
        (BOLTON, "challenge", "workforce.supervision")}
    assert "workforce.motivation-loyalty" in themes(kg, "Bolton is worried about morale.")
    # an adjective from a name word, or a word other themes share, is not enough alone
    assert "practice.consistency" not in themes(kg, "Bolton wants a consistent offer.")
    assert themes(kg, "Bolton is working on change.") == set()


def test_two_word_phrases_are_read_side_by_side_not_across_other_words(kg):
    assert "change.sector-led-improvement" not in themes(
        kg, "Bolton would welcome support with its early help offer.")
    assert "system.early-help" in themes(
        kg, "Bolton would welcome support with its early help offer.")


def test_an_organisation_named_after_a_preposition_is_not_the_one_acting(kg):
    text = ("St Helens took part in the Research in Practice evidence programme and shared "
            "what it learned about supervision.")
    assert claims(kg, text) == {(ST_HELENS, "participation", "workforce.supervision")}


def test_an_offer_at_the_end_of_a_sentence_offers_what_came_before(kg):
    text = ("Warrington has rebuilt its quality assurance, and said it is happy to share its "
            "tools.")
    assert claims(kg, text) == {(WARRINGTON, "practice", "practice.quality-assurance"),
                                (WARRINGTON, "offer", "practice.quality-assurance")}
    # not when another theme stands between them
    text = ("Warrington has rebuilt its quality assurance and its early help offer, and is "
            "happy to share its tools.")
    assert (WARRINGTON, "offer", "practice.quality-assurance") not in claims(kg, text)


def test_a_title_line_is_its_own_sentence_but_a_wrapped_line_is_not(kg):
    pdf = Path(__file__).resolve().parents[1] / "data" / "ingest" / "upload" / \
        "front-door-network-note.pdf"
    [claim] = extract(read_document(pdf).text, kg).claims
    assert claim.text == "Barnsley has reduced repeat referrals to its front door since 2024."
    wrapped = "The SLI team will pair Blackpool with\nHalton, which set up a front door."
    assert sentences(wrapped) == [(0, len(wrapped))]
