"""Who is speaking and what a row says, from how a document is laid out, a promise of help and
what takes too long (round 9). Invented documents and sentences.

- A council's own report titled with its name, or a letter signed from one council, speaks for
  that council as 'we', even under a heading naming another council.
- A table row whose first cell is one council reads as sentences about it, cell by cell (cells
  separated by tabs, as the Word and HTML readers give them).
- Having agreed to help others ('has agreed to talk other councils through ...') is an offer;
  a refusal, or agreeing to something that is not help for others, offers nothing.
- What takes too long, or is a service's weakest area, is a challenge, unless negated.
"""

from __future__ import annotations

import pytest

from matcher.extract import extract

HALTON, WIGAN = "E06000006", "E08000010"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


def test_a_report_titled_with_one_councils_name_is_that_councils_we(seed_kg):
    text = ("# Halton Council\n\nReport to the scrutiny panel, May 2027\n\n## Progress\n\n"
            "We have halved repeat referrals at our front door since March.\n")
    assert _claims(seed_kg, text) == {(HALTON, "impact", "system.front-door")}


def test_a_title_saying_more_than_a_councils_name_gives_no_writer(seed_kg):
    for title in ("# Halton and Wigan", "# What Halton heard at the regional learning day"):
        text = f"{title}\n\nWe have halved repeat referrals at our front door since March.\n"
        assert _claims(seed_kg, text) == set(), title


def test_a_letter_signed_from_a_council_speaks_for_it_under_another_councils_heading(seed_kg):
    # the heading names the partner, but 'we' asked: the writer did, not the partner
    text = ("Dear Sam,\n\n## What Wigan did\n\nWe asked for help with our front door.\n\n"
            "With thanks,\n\nAlex Example\nDirector of Children's Services, Halton Borough "
            "Council\n")
    assert _claims(seed_kg, text) == {(HALTON, "challenge", "system.front-door")}


def test_an_it_sentence_under_the_partners_heading_stays_the_partners(seed_kg):
    text = ("Dear Sam,\n\n## What Wigan did\n\nIts managers have set up a new front door "
            "for us.\n\nYours sincerely,\n\nAlex Example, Halton Borough Council\n")
    assert (HALTON, "practice", "system.front-door") not in _claims(seed_kg, text)


def test_a_cell_saying_what_the_rows_council_set_up_is_its_practice(seed_kg):
    text = ("Council\tNotes\tContact\n\n"
            "Halton\tVisits to the front door hub it set up in 2019\tJo Bloggs\n")
    assert _claims(seed_kg, text) == {(HALTON, "practice", "system.front-door")}


def test_a_cue_in_one_sentence_of_a_cell_says_nothing_of_the_next_sentences_theme(seed_kg):
    text = ("Council\tNotes\tContact\n\n"
            "Wigan\tEvery child has had a named worker since 2020. Its front door is busy."
            "\tJo Bloggs\n")
    assert (WIGAN, "practice", "system.front-door") not in _claims(seed_kg, text)


def test_a_row_whose_first_cell_names_two_councils_gives_no_subject(seed_kg):
    text = ("Councils\tNotes\tContact\n\n"
            "Halton and Wigan\tVisits to the front door hub set up in 2019\tJo Bloggs\n")
    assert _claims(seed_kg, text) == set()


@pytest.mark.parametrize("text", [
    "Halton has agreed to talk other councils through its front door.",
    "Halton has agreed to meet other councils about its front door each month.",
])
def test_having_agreed_to_help_others_is_an_offer(seed_kg, text):
    assert (HALTON, "offer", "system.front-door") in _claims(seed_kg, text)


@pytest.mark.parametrize("text", [
    "Halton has not agreed to host visits to its front door.",
    "Halton has agreed to review its front door.",
])
def test_a_refusal_or_an_agreement_to_its_own_work_is_no_offer(seed_kg, text):
    assert (HALTON, "offer", "system.front-door") not in _claims(seed_kg, text)


@pytest.mark.parametrize("text", [
    "Wigan's care proceedings are taking far too long to conclude.",
    "Wigan's director calls its care proceedings the service's weakest area.",
])
def test_what_takes_too_long_or_is_weakest_is_a_challenge(seed_kg, text):
    assert _claims(seed_kg, text) == {(WIGAN, "challenge", "system.family-justice")}


def test_what_no_longer_takes_too_long_is_no_challenge(seed_kg):
    text = "Wigan's care proceedings no longer take too long to conclude."
    assert (WIGAN, "challenge", "system.family-justice") not in _claims(seed_kg, text)
