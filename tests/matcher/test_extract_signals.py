"""The kind of claim a sentence makes when it uses no listed cue phrase, read from general
signals: a completed action or routine is practice, room or welcome for others is an offer,
want and gaps are a challenge, belonging to shared work is participation; negated or hoped-for
work is no practice."""

from __future__ import annotations

import pytest

from matcher.extract import extract

KENT, LEEDS, YORK = "E10000016", "E08000035", "E06000014"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


@pytest.mark.parametrize(("text", "claim"), [
    # a completed action in the perfect, a routine, a judgement of strength: practice
    ("Kent has just finished a year of auditing case files with the families concerned.",
     (KENT, "practice", "practice.quality-assurance")),
    ("Every social worker in Leeds gets a monthly supervision session with a senior manager.",
     (LEEDS, "practice", "workforce.supervision")),
    ("Leeds redesigned its front door in the spring.", (LEEDS, "practice", "system.front-door")),
    ("York's family hubs have been in place for three years.",
     (YORK, "practice", "system.early-help")),
    ("Leeds's leaving care service is particularly strong.",
     (LEEDS, "practice", "system.looked-after-children")),
    # room or a welcome for others: an offer
    ("Kent has room for two more councils on its development programme for team managers.",
     (KENT, "offer", "workforce.team-managers")),
    ("Colleagues are welcome to spend a day with Leeds's front door team.",
     (LEEDS, "offer", "system.front-door")),
    # want, gaps and pressure: a challenge
    ("York cannot currently say how long families wait at its front door.",
     (YORK, "challenge", "system.front-door")),
    ("There are simply not enough foster carers in Leeds for the teenagers who need them.",
     (LEEDS, "challenge", "system.looked-after-children")),
    ("Kent is £3m over its budget for placements this year.",
     (KENT, "challenge", "system.looked-after-children")),
    # belonging to a shared piece of work: participation
    ("Leeds has been in a learning set on supervision since May.",
     (LEEDS, "participation", "workforce.supervision")),
    ("York's principal social worker sat as a reviewer on a regional peer review.",
     (YORK, "participation", "change.peer-review")),
])
def test_general_signals_give_the_kind_of_claim(seed_kg, text, claim):
    assert claim in _claims(seed_kg, text)


@pytest.mark.parametrize("text", [
    "Kent has not yet brought in family hubs.",
    "Leeds has not yet introduced family hubs in the west of the city.",
    "York hopes to have launched its family hubs by the spring.",
    "Leeds hopes to have rolled out family hubs by the spring.",
    "Kent has asked for a review of its front door.",
    "York's managers have worked with the front door team on the new form.",
    "Kent's director welcomed the new head of the front door.",
    "Leeds asked the region about family hubs.",
])
def test_negated_hoped_for_or_asked_for_work_is_no_practice(seed_kg, text):
    assert not {kind for _, kind, _ in _claims(seed_kg, text)} & {"practice", "impact"}


def test_a_hypothetical_is_no_participation(seed_kg):
    text = "Leeds would have been in a learning set on supervision if it had had the staff."
    assert not {kind for _, kind, _ in _claims(seed_kg, text)} & {"participation"}


def test_a_council_with_a_theme_and_no_signal_gives_no_claim(seed_kg):
    assert _claims(seed_kg, "Leeds and its family hubs were discussed over lunch.") == set()


@pytest.mark.parametrize(("text", "claim"), [
    # the staff 'from' a council who helped, credited by the council they helped
    ("Kent credited the practice leads from Leeds who coached its new team managers.",
     (LEEDS, "endorsement", "workforce.team-managers")),
    # a manager's recommendation of what another council's lead did with her staff
    ("York's director said the weeks Kent's audit lead spent with her managers had changed how "
     "they audit case files, and she recommended it to others.",
     (KENT, "endorsement", "practice.quality-assurance")),
])
def test_praise_of_another_councils_staff_endorses_that_council(seed_kg, text, claim):
    assert claim in _claims(seed_kg, text)


def test_an_action_row_owned_by_a_council_that_shares_something_is_its_offer(seed_kg):
    text = ("| Who | Action | By |\n|---|---|---|\n"
            "| York | Send its guidance on family hubs to all members | May |\n"
            "| Leeds | Ask Kent about its front door | June |\n")
    assert _claims(seed_kg, text) == {(YORK, "offer", "system.early-help")}
