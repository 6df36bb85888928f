"""Whose sentence it is when a sentence names nobody: the council that opens its paragraph or
list item, or 'the county' after a sentence naming one; and a wrapped line that begins with
a figure goes on with the sentence before it."""

from __future__ import annotations

from matcher.extract import extract
from matcher.sentences import sentences

BURY, KENT, LEEDS, YORK = "E08000002", "E10000016", "E08000035", "E06000014"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


def test_a_wrapped_line_opening_with_a_figure_continues_the_sentence():
    text = "Repeat referrals are down from\n40% to 25% this year.\n2. Next item."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Repeat referrals are down from\n40% to 25% this year.", "2. Next item."]


def test_a_bold_label_makes_its_council_the_subject_of_the_whole_paragraph(seed_kg):
    text = ("**Bury.** Bury opened family hubs in every township last year. Re-referrals "
            "to children's social care have fallen by 30%.\n\n"
            "**Leeds.** Nothing to report.")
    assert (BURY, "impact", "system.front-door") in _claims(seed_kg, text)


def test_a_list_item_opened_by_a_council_is_about_it_throughout(seed_kg):
    text = ("1. York has brought in family group conferences.\n   Re-referrals went down "
            "by 12 points.\n2. Leeds sent apologies.")
    assert (YORK, "impact", "system.front-door") in _claims(seed_kg, text)


def test_a_paragraph_opened_by_two_councils_or_by_none_gives_no_subject(seed_kg):
    assert _claims(seed_kg, "Kent and Leeds met in June. Re-referrals fell by 12%.") == set()
    assert _claims(seed_kg, "The region met in June. Re-referrals fell by 12%.\n\n"
                            "Leeds sent apologies.") == set()


def test_a_council_named_mid_paragraph_is_no_subject_for_what_follows(seed_kg):
    text = "The region's meeting was chaired by a manager from Leeds. Re-referrals fell by 12%."
    assert _claims(seed_kg, text) == set()


def test_the_county_stands_for_the_council_just_named(seed_kg):
    text = ("Kent's early help teams now sit in schools. The county is still struggling to "
            "recruit experienced social workers.")
    assert (KENT, "challenge", "workforce.recruitment-retention") in _claims(seed_kg, text)


def test_a_lists_lead_in_gives_its_theme_to_the_items_under_it(seed_kg):
    text = ("Offers of help with family hubs:\n- York will host visits in June.\n"
            "- Kent can send its guidance.\n\nLeeds will host visits in June.")
    assert _claims(seed_kg, text) == {(YORK, "offer", "system.early-help"),
                                      (KENT, "offer", "system.early-help")}
