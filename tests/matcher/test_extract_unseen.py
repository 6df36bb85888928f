"""Claims stated the way new notes state them: a council named in the possessive, a list of
the people on a review team, praise of another council's help, a source reporting what a
council achieved, one council named twice in a sentence, "this" pointing at the sentence
before, measures against earlier measures, and a table whose first row names no themes."""

from __future__ import annotations

import pytest

from matcher.extract import extract

LEEDS, YORK, BOLTON, HALTON = "E08000035", "E06000014", "E08000001", "E06000006"
WIGAN, KIRKLEES, BARNSLEY, DERBY = "E08000010", "E08000034", "E08000016", "E06000015"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


def _councils(kg, text: str) -> list[str]:
    return [m.id for m in extract(text, kg).mentions if m.kind == "council"]


def test_a_council_named_in_the_possessive_is_found_and_can_be_the_subject(seed_kg):
    assert _councils(seed_kg, "We met at Wigan's town hall and heard from Derby’s team.") \
        == [WIGAN, DERBY]
    assert (LEEDS, "practice", "governance.political-scrutiny") in _claims(
        seed_kg, "Leeds's councillors on the scrutiny committee now visit a team each month.")


def test_everyone_listed_on_a_review_team_took_part_in_the_review_not_in_their_job_titles(
        seed_kg):
    text = ("Barnsley asked for a peer review of its services. The team was York's director, "
            "a service manager from Halton and, as member peer, a councillor from Bolton.")
    team = {c for c in _claims(seed_kg, text) if c[0] != BARNSLEY}
    assert team == {(YORK, "participation", "change.peer-review"),
                    (HALTON, "participation", "change.peer-review"),
                    (BOLTON, "participation", "change.peer-review")}


def test_praise_of_another_councils_help_endorses_the_helper_not_the_speaker(seed_kg):
    assert _claims(seed_kg, "Halton thanked Wigan, whose managers helped it rebuild how it "
                            "audits case files.") \
        == {(WIGAN, "endorsement", "practice.quality-assurance")}
    assert _claims(seed_kg, "Kirklees told us that Leeds's help with its front door was the "
                            "most useful support it had.") \
        == {(LEEDS, "endorsement", "system.front-door")}


def test_a_council_that_only_reports_is_a_source_and_the_council_reported_on_is_the_subject(
        seed_kg):
    found = _claims(seed_kg, "Cafcass told us that care proceedings for York children now "
                             "end in 30 weeks, against 45 last year.")
    assert found == {(YORK, "impact", "system.family-justice")}


def test_one_council_named_twice_in_a_sentence_owns_the_whole_sentence(seed_kg):
    found = _claims(seed_kg, "Derby audits case files with each worker, and Derby will send "
                             "its guidance to anyone who asks.")
    assert found == {(DERBY, "practice", "practice.quality-assurance"),
                     (DERBY, "offer", "practice.quality-assurance")}


def test_this_means_the_theme_of_the_sentence_before(seed_kg):
    found = _claims(seed_kg, "Too few care leavers have a home of their own. Bolton "
                             "recognises this and the work has barely begun.")
    assert found == {(BOLTON, "challenge", "system.looked-after-children")}


@pytest.mark.parametrize(("text", "claim"), [
    ("Leeds is still losing newly qualified social workers to agencies.",
     (LEEDS, "challenge", "workforce.recruitment-retention")),
    ("York has had three posts empty since spring; nobody applied.",
     (YORK, "challenge", "workforce.recruitment-retention")),
    ("Bolton wants to hear from councils that cut the time lost to forms and recording.",
     (BOLTON, "challenge", "workforce.social-worker-capacity")),
    ("Halton approved more foster carers this year than in the previous two years.",
     (HALTON, "impact", "system.looked-after-children")),
    ("Kirklees care proceedings now take 28 weeks, down from 40.",
     (KIRKLEES, "impact", "system.family-justice")),
    ("Wigan has kept all but one of its newly qualified social workers.",
     (WIGAN, "impact", "workforce.recruitment-retention")),
    ("Barnsley moved its whole workforce onto one shared model and would be glad to lend "
     "the trainers.", (BARNSLEY, "offer", "practice.practice-framework")),
    ("Derby sent two managers to a learning day with judges.",
     (DERBY, "participation", "system.family-justice")),
    ("Leeds tested weekend support for foster families.",
     (LEEDS, "practice", "system.looked-after-children")),
])
def test_ordinary_wording_of_each_kind_of_claim(seed_kg, text, claim):
    assert claim in _claims(seed_kg, text)


def test_working_on_something_is_not_being_good_at_it(seed_kg):
    found = _claims(seed_kg, "York is still losing too many social workers and is working on "
                             "retention.")
    assert {kind for _, kind, _ in found} == {"challenge"}


def test_a_venue_or_an_apology_in_the_possessive_is_still_no_claim(seed_kg):
    assert _claims(seed_kg, "The review was held at Leeds's civic hall; Wigan's director sent "
                            "apologies for the peer review.") == set()


def test_an_action_table_whose_first_row_names_no_themes_gives_no_table_claims(seed_kg):
    text = ("| Action | Lead | By |\n|---|---|---|\n"
            "| Share the practice model | Early help team | May |\n"
            "| Ask York about its family hubs | Bolton | June |\n")
    assert _claims(seed_kg, text) == set()


def test_a_theme_phrase_is_read_in_its_own_word_order(seed_kg):
    def themes(text):
        return {m.id for m in extract(text, seed_kg).mentions if m.kind == "theme"}
    assert "workforce.team-managers" in themes("Leeds trains its team managers.")
    assert "workforce.team-managers" not in themes("The senior management team met in May.")
    assert "system.looked-after-children" not in themes(
        "Leeds gives care for children with disabilities.")


@pytest.mark.parametrize(("text", "claim"), [
    # pressure and a poor judgement are challenges
    ("York is under pressure from rising numbers of children in care.",
     (YORK, "challenge", "system.looked-after-children")),
    ("Leeds lacks enough staff to cut its high caseloads.",
     (LEEDS, "challenge", "workforce.social-worker-capacity")),
    # a change seen, or a better judgement, is impact
    ("Bolton saw a sharp fall in its use of locums.", (BOLTON, "impact",
                                                      "workforce.agency-market")),
    # money or people put into something is practice
    ("Halton invested in reflective supervision for every team.",
     (HALTON, "practice", "workforce.supervision")),
    # belonging and speaking are participation
    ("Wigan joined the national family hubs pilot.", (WIGAN, "participation",
                                                      "system.early-help")),
    ("Kirklees spoke about its kinship care offer.",
     (KIRKLEES, "participation", "system.looked-after-children")),
    ("Barnsley is part of the regional theory of change network.",
     (BARNSLEY, "participation", "change.theory-of-change")),
])
def test_more_ordinary_wording_of_each_kind_of_claim(seed_kg, text, claim):
    assert claim in _claims(seed_kg, text)


def test_joined_up_work_and_a_meeting_hosted_elsewhere_are_no_participation(seed_kg):
    assert _claims(seed_kg, "Leeds offers a joined up service with its safeguarding "
                            "partners.") <= {(LEEDS, "offer", "system.partnership-working"),
                                             (LEEDS, "practice", "system.partnership-working")}
    # a sentence saying where the next meeting is says nothing of strength
    assert _claims(seed_kg, "The next meeting will be hosted by York, which runs family "
                            "hubs.") == set()


def test_early_help_said_alone_names_its_theme_though_help_alone_names_nothing(seed_kg):
    themes = lambda text: [m.id for m in extract(text, seed_kg).mentions  # noqa: E731
                           if m.kind == "theme"]
    assert "system.early-help" in themes("Kirklees talked about its work on early help.")
    assert themes("York asked for help with its plans.") == []


def test_an_action_in_minutes_offers_or_joins_in_the_infinitive(seed_kg):
    text = ("## Actions\n\n- Leeds to share its approach to reducing the use of agency staff.\n"
            "- Wigan to join the regional learning set on early help.\n")
    found = _claims(seed_kg, text)
    assert (LEEDS, "offer", "workforce.agency-market") in found
    assert (WIGAN, "participation", "system.early-help") in found
    assert not any(c[1] in ("offer", "practice") for c in found if c[0] == WIGAN)
