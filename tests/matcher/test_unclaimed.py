"""The sentences naming a council and a theme together of which the reader proposes nothing,
listed for a person to judge: never a pair it proposed a fact about there, a venue, an
apology, a heading or a roll-call."""

from __future__ import annotations

from matcher.extract import extract
from matcher.extract_parts import extract_in_parts

WIGAN, HALTON, BOLTON = "E08000010", "E06000006", "E08000001"


def _listed(kg, text: str) -> list[tuple[str, str, str]]:
    return [(u.subject, u.target, u.text) for u in extract(text, kg).unclaimed]


def test_a_council_and_a_theme_named_with_no_cue_are_listed_not_proposed(seed_kg):
    text = "Wigan's early help offer came up again over lunch."
    found = extract(text, seed_kg)
    assert found.claims == ()
    assert [(u.subject, u.target, u.start, u.end) for u in found.unclaimed] == [
        (WIGAN, "system.early-help", 0, len(text))]


def test_a_pair_the_reader_proposed_a_fact_about_is_not_listed_again(seed_kg):
    text = "Halton offered to share its front door guidance."
    found = extract(text, seed_kg)
    assert [(c.subject, c.target) for c in found.claims] == [(HALTON, "system.front-door")]
    assert found.unclaimed == ()


def test_venues_apologies_and_headings_list_nothing(seed_kg):
    for text in ("The early help day was held at Wigan town hall.",
                 "Bolton sent apologies for the supervision workshop.",
                 "## Wigan: early help\n\nThe morning began late."):
        assert _listed(seed_kg, text) == [], text


def test_a_sentence_naming_many_councils_and_themes_is_a_roll_call_not_listed(seed_kg):
    text = ("Wigan, Bolton, Halton and Oldham came, with their early help and "
            "supervision leads.")
    assert _listed(seed_kg, text) == []
    assert _listed(seed_kg, "Wigan came with its early help and supervision leads.") != []


def test_a_long_text_read_in_parts_lists_pairs_at_their_place_in_the_whole_text(seed_kg):
    part = "Some words of a note about nothing in particular.\n\n" * 40
    text = part + "Wigan's early help offer came up again over lunch.\n"
    whole = extract(text, seed_kg).unclaimed
    parts = extract_in_parts(text, seed_kg, part_chars=600).unclaimed
    assert parts == whole and len(whole) == 1
    assert text[whole[0].start:whole[0].end] == whole[0].text
