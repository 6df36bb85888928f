"""A table row whose first cell is one council reads as sentences about that council (round
9): what its other cells say in prose's words was done, changed or offered is its claim.
Invented tables, cells separated by tabs as the Word and HTML readers give them."""

from __future__ import annotations

from matcher.extract import extract

HALTON, WIGAN = "E06000006", "E08000010"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


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
