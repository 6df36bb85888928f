"""Claims read through a document's structure and ordinary wording that notes written
elsewhere use: numbered headings, a sentence wrapped over lines, a heading that names what
its list items are (offers), a council lending staff to a team, asking whether anyone else
has solved something, measures in words, thanks to a council, and what 'anyone who' has done
belonging to someone else."""

from __future__ import annotations

from matcher.extract import extract
from matcher.mentions import sentences

LEEDS, YORK, HALTON, WIGAN = "E08000035", "E06000014", "E06000006", "E08000010"
KIRKLEES, BOLTON, DERBY = "E08000034", "E08000001", "E06000015"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


def test_a_numbered_heading_is_one_sentence_and_gives_its_theme():
    text = "## 2. Peer challenge\n\nKirklees agreed to send reviewers.\n\n3) A finding.\n"
    assert [text[a:b] for a, b in sentences(text)] == [
        "## 2. Peer challenge", "Kirklees agreed to send reviewers.", "3) A finding."]


def test_a_numbered_heading_gives_its_theme_to_sentences_naming_none(seed_kg):
    text = "## 2. Peer challenge\n\nKirklees agreed to send reviewers."
    assert _claims(seed_kg, text) == {(KIRKLEES, "participation", "change.peer-review")}


def test_a_cue_wrapped_over_two_lines_is_still_read(seed_kg):
    text = "Halton's repeat referrals to the front door are down 12\nper cent on last year."
    assert _claims(seed_kg, text) == {(HALTON, "impact", "system.front-door")}


def test_list_items_under_an_offers_heading_are_offers_unless_they_say_otherwise(seed_kg):
    text = ("## Offers\n\n- Leeds: visits to its front door, by arrangement.\n"
            "- York is struggling with its front door.\n\n## Dates\n\n"
            "- 3 May: Wigan front door meeting.\n")
    assert _claims(seed_kg, text) == {(LEEDS, "offer", "system.front-door"),
                                      (YORK, "challenge", "system.front-door")}


def test_lending_staff_to_a_team_is_taking_part_in_its_work(seed_kg):
    text = "Bolton and Wigan each lent a manager to the peer review team in May."
    assert _claims(seed_kg, text) == {(BOLTON, "participation", "change.peer-review"),
                                      (WIGAN, "participation", "change.peer-review")}


def test_asking_whether_anyone_has_solved_something_is_a_challenge(seed_kg):
    assert _claims(seed_kg, "Derby asked whether anyone had found a way to keep its "
                            "foster carers.") == {(DERBY, "challenge",
                                                   "system.looked-after-children")}
    assert _claims(seed_kg, "York expects Ofsted in spring and would welcome someone from an "
                            "inspected council to test its plans.") \
        == {(YORK, "challenge", "governance.inspection-response")}


def test_a_measure_against_an_earlier_one_in_words_is_impact(seed_kg):
    text = "Leeds now keeps four in five foster carers a year, up from three in five."
    assert _claims(seed_kg, text) == {(LEEDS, "impact", "system.looked-after-children")}


def test_thanks_to_a_council_and_the_best_support_endorse_the_helper(seed_kg):
    assert _claims(seed_kg, "Halton passed on its thanks to Wigan for help with its front "
                            "door.") == {(WIGAN, "endorsement", "system.front-door")}
    assert _claims(seed_kg, "York said the time Leeds's managers spent on its front door was "
                            "the best support it had.") \
        == {(LEEDS, "endorsement", "system.front-door")}


def test_what_anyone_else_has_done_is_not_the_subjects_practice(seed_kg):
    found = _claims(seed_kg, "Leeds would like to hear from anyone who has built up a pool of "
                             "foster carers.")
    assert (LEEDS, "practice", "system.looked-after-children") not in found


def test_a_peer_diagnostic_team_took_part_in_the_peer_review(seed_kg):
    text = ("Notes from the peer diagnostic in Derby. The team was two reviewers from Leeds "
            "and a manager from York.")
    assert {c for c in _claims(seed_kg, text) if c[0] != DERBY} == {
        (LEEDS, "participation", "change.peer-review"),
        (YORK, "participation", "change.peer-review")}


def test_an_organisation_on_a_review_team_took_part_like_the_councils(seed_kg):
    text = ("Notes from the peer review in Derby. The team was a manager from Leeds and a "
            "practice lead from Research in Practice.")
    assert {c for c in _claims(seed_kg, text) if c[0] != DERBY} == {
        (LEEDS, "participation", "change.peer-review"),
        ("research-in-practice", "participation", "change.peer-review")}


def test_sitting_in_on_a_group_is_taking_part_but_asking_others_to_join_is_not(seed_kg):
    assert _claims(seed_kg, "York has been sitting in on a regional group on family "
                            "hubs.") == {(YORK, "participation", "system.early-help")}
    assert _claims(seed_kg, "Leeds has a psychologist in each safeguarding team; social "
                            "workers can ask them to join a visit.") \
        <= {(LEEDS, "practice", "innovation.multi-agency-teams")}


def test_the_story_of_a_councils_service_is_its_practice(seed_kg):
    assert _claims(seed_kg, "Wigan told the story of its family hubs.") \
        == {(WIGAN, "practice", "system.early-help")}
