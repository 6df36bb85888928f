"""Who is speaking, from how a document is laid out (round 9): a council's own report titled
with its name, a letter signed from a council, and a 'we' sentence under a heading naming
another council. Invented documents."""

from __future__ import annotations

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
