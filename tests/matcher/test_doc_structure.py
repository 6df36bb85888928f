"""What a document's structure says, whatever its sentences' words: a section headed by one
council's name is about that council, a paragraph label ('Can share:', 'Looking for:') or a
table column headed 'Offer' says what kind of thing is written under it. Invented documents."""

from __future__ import annotations

from matcher.extract import extract

LEEDS, YORK, HALTON, WIGAN = "E08000035", "E06000014", "E06000006", "E08000010"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


def test_a_section_headed_by_a_council_is_about_that_council(seed_kg):
    text = ("## Entries\n\n### Halton\n\nThe front door team has halved its repeat "
            "referrals since March.\n\n### Notes\n\nThe front door team has halved its "
            "repeat referrals too.\n")
    assert _claims(seed_kg, text) == {(HALTON, "impact", "system.front-door")}


def test_a_heading_naming_two_councils_gives_no_subject(seed_kg):
    text = ("### Halton and Wigan\n\nThe front door team has halved its repeat "
            "referrals since March.\n")
    assert _claims(seed_kg, text) == set()


def test_a_looking_for_label_is_a_challenge_whatever_the_help_is_said_to_do(seed_kg):
    # the wanted council 'has rebuilt' its front door: that is not York's practice, and
    # Leeds, named in passing inside York's entry, wants nothing
    text = ("### York\n\nLooking for: a council that has rebuilt its front door, as "
            "Leeds once did.\n")
    assert _claims(seed_kg, text) == {(YORK, "challenge", "system.front-door")}


def test_a_can_share_label_is_an_offer_of_what_it_names(seed_kg):
    text = "### Wigan\n\nCan share: a morning with the front door managers.\n"
    assert _claims(seed_kg, text) == {(WIGAN, "offer", "system.front-door")}


def test_a_label_outside_any_council_section_names_no_subject_of_its_own(seed_kg):
    text = "## Ideas\n\nLooking for: a council with a strong front door.\n"
    assert _claims(seed_kg, text) == set()


def test_a_column_headed_offer_gives_each_rows_council_an_offer(seed_kg):
    text = ("Council\tOffer\tUntil\n\nLeeds\tA day with the front door managers\tMay\n\n"
            "York\tLooking after the minutes\tJune\n")
    assert _claims(seed_kg, text) == {(LEEDS, "offer", "system.front-door")}
