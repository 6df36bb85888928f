"""What a sentence says about a council: the cue words of each kind of claim, whose work a
cue describes, and the council names that are also ordinary words."""

from __future__ import annotations

import pytest

from matcher.extract import extract


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


OLDHAM, BOLTON, WIGAN, LEEDS = "E08000004", "E08000001", "E08000010", "E08000035"
HALTON, YORK, BURY, BLACKPOOL = "E06000006", "E06000014", "E08000002", "E06000009"
KIRKLEES, STOCKPORT = "E08000034", "E08000007"


@pytest.mark.parametrize(("text", "claim"), [
    # difficulty, not only "struggling" or "wants help"
    ("Oldham asked the region for advice on its early help offer.",
     (OLDHAM, "challenge", "system.early-help")),
    ("Bolton is finding it hard to recruit team managers.",
     (BOLTON, "challenge", "workforce.team-managers")),
    ("Wigan has lost several of its team managers this year.",
     (WIGAN, "challenge", "workforce.team-managers")),
    # a measured change is impact
    ("Leeds has brought down its use of locums.", (LEEDS, "impact", "workforce.agency-market")),
    # something done is practice
    ("Halton told us how it redesigned its front door.", (HALTON, "practice", "system.front-door")),
    ("York is now extending its family hubs to every district.",
     (YORK, "practice", "system.early-help")),
    ("Oldham uses a practice model built on relationships.",
     (OLDHAM, "practice", "practice.practice-framework")),
    ("Wigan adopted restorative practice across its teams.",
     (WIGAN, "practice", "practice.practice-framework")),
    # an open door is an offer
    ("Bury is open to visits from councils interested in its family hubs.",
     (BURY, "offer", "system.early-help")),
])
def test_cue_words_beyond_the_first_ones(seed_kg, text, claim):
    assert claim in _claims(seed_kg, text)


def test_a_change_stated_right_after_a_theme_is_its_impact_not_the_practice_before_it(seed_kg):
    found = _claims(seed_kg, "Wigan has introduced group supervision for every team, and staff "
                             "surveys show morale has risen.")
    assert (WIGAN, "impact", "workforce.motivation-loyalty") in found
    assert (WIGAN, "practice", "workforce.motivation-loyalty") not in found
    assert (WIGAN, "practice", "workforce.supervision") in found


def test_what_help_is_asked_for_is_a_challenge_never_practice(seed_kg):
    found = _claims(seed_kg, "Bolton asked for advice on embedding its new practice model.")
    assert found == {(BOLTON, "challenge", "practice.practice-framework")}


def test_used_to_is_no_practice(seed_kg):
    found = _claims(seed_kg, "Leeds used to struggle with staff turnover.")
    assert found == {(LEEDS, "challenge", "workforce.recruitment-retention")}


def test_now_working_on_is_still_a_challenge_never_practice(seed_kg):
    found = _claims(seed_kg, "York is now working on its front door.")
    assert found == {(YORK, "challenge", "system.front-door")}


def test_what_another_unnamed_council_has_done_is_not_the_subjects(seed_kg):
    found = _claims(seed_kg, "Blackpool wants help from a council that has stabilised its "
                             "front door.")
    assert found == {(BLACKPOOL, "challenge", "system.front-door")}


def test_a_section_heading_gives_its_theme_to_sentences_naming_none(seed_kg):
    text = "## Peer challenge\n\nKirklees agreed to send reviewers."
    assert _claims(seed_kg, text) == {(KIRKLEES, "participation", "change.peer-review")}


def test_a_document_title_gives_no_theme_to_its_sentences(seed_kg):
    text = "# Peer challenge day: note\n\nStockport took part in the evidence programme."
    assert (STOCKPORT, "participation", "change.peer-review") not in _claims(seed_kg, text)


@pytest.mark.parametrize("name", ["Wakefield", "Sutton", "Rutland"])
def test_a_council_that_is_also_a_word_is_the_council_when_a_verb_follows(seed_kg, name):
    found = extract(f"{name} took part in the regional audit programme.", seed_kg)
    assert [m.text for m in found.mentions if m.kind == "council"] == [name]
    assert {c.kind for c in found.claims} == {"participation"}


def test_a_council_that_is_also_a_word_is_not_one_before_an_ordinary_word(seed_kg):
    found = extract("Reading the notes took an hour. Bury the past, one member said.", seed_kg)
    assert [m for m in found.mentions if m.kind == "council"] == []
