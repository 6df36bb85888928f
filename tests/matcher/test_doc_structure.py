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


def test_a_document_from_one_council_speaks_of_it_as_we(seed_kg):
    text = ("# Our front door\n\n*From the director's blog, Halton Borough Council*\n\n"
            "We rebuilt our front door last year.\n\n"
            "\"We would not have managed it alone,\" said a manager from Wigan.\n")
    assert _claims(seed_kg, text) == {(HALTON, "practice", "system.front-door")}


def test_a_case_study_lead_naming_one_council_makes_it_the_writer(seed_kg):
    text = ("# Open doors\n\nHow Wigan thinks about its front door.\n\n"
            "## What we did\n\n- We set up a front door shared with the police.\n")
    assert _claims(seed_kg, text) == {(WIGAN, "practice", "system.front-door")}


def test_a_regional_teams_we_is_no_council(seed_kg):
    # no byline names a council: 'we' is the team that wrote the note
    text = ("# Regional note\n\nWritten by the regional improvement team.\n\n"
            "We set up a front door workshop. Halton and Wigan came.\n")
    assert (HALTON, "practice", "system.front-door") not in _claims(seed_kg, text)
    assert not {c for c in _claims(seed_kg, text) if c[1] == "practice"}


def test_a_byline_naming_two_councils_names_no_writer(seed_kg):
    text = ("Prepared by Halton for Wigan's board.\n\nWe set up a new front door.\n")
    assert _claims(seed_kg, text) == set()


def test_a_loss_nobody_suffered_is_no_challenge(seed_kg):
    def challenges(text):
        return {c for c in _claims(seed_kg, text) if c[1] == "challenge"}
    assert challenges("Halton: not one of the newly qualified staff taken on last year "
                      "has left.") == set()
    assert challenges("Halton: six of the newly qualified staff taken on last year have "
                      "left.") == {(HALTON, "challenge", "workforce.recruitment-retention")}


def test_a_heading_saying_what_its_items_are_gives_them_that_kind(seed_kg):
    text = ("## What we did\n\n- Wigan: a front door shared with the police.\n\n"
            "## Learning sets\n\n- Halton and York began meeting about their front doors.\n\n"
            "## Areas for development\n\n- Leeds: its front door.\n\n"
            "## Impact\n\n- Wigan: repeat referrals to the front door.\n")
    assert _claims(seed_kg, text) == {
        (WIGAN, "practice", "system.front-door"), (HALTON, "participation", "system.front-door"),
        (YORK, "participation", "system.front-door"), (LEEDS, "challenge", "system.front-door"),
        (WIGAN, "impact", "system.front-door")}


def test_peer_challenges_under_a_heading_are_taking_part_not_a_councils_challenge(seed_kg):
    text = "## Peer challenges\n\n- Halton: its front door, in May.\n"
    assert _claims(seed_kg, text) == {(HALTON, "participation", "system.front-door")}


def test_a_quoted_speaker_credits_the_council_whose_people_helped_them(seed_kg):
    text = ("## What councils said\n\n\"Leeds's front door managers spent a week with ours.\n"
            "It changed everything.\"\n(York, head of service)\n")
    assert _claims(seed_kg, text) == {(LEEDS, "endorsement", "system.front-door")}


def test_a_speaker_named_before_the_quotation_credits_the_helper(seed_kg):
    text = ("Halton told the board in May: \"Talking to Wigan's front door team saved us "
            "a year.\"\n")
    assert _claims(seed_kg, text) == {(WIGAN, "endorsement", "system.front-door")}


def test_a_quotation_with_no_speaker_or_no_help_received_credits_nobody(seed_kg):
    assert _claims(seed_kg, "\"Leeds's front door managers spent a week with ours.\"\n") == set()
    assert _claims(seed_kg, "\"Leeds's front door managers work hard.\"\n(York, director)\n") \
        == set()


def test_a_council_named_like_a_word_is_read_before_its_speakers_title(seed_kg):
    # 'Reading the notes' is no council; 'Reading's director' is one
    from matcher.mentions import find_mentions
    councils = [m.text for m in find_mentions(
        "OPENING REMARKS\nReading's director began.\n\nReading the notes, we agreed.",
        seed_kg) if m.kind == "council"]
    assert councils == ["Reading"]
