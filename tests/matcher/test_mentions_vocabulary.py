"""Themes the document reader finds from how prose talks about them (the taxonomy's naming and
hint words), sentence by sentence, and the words that must not name a theme alone."""

from __future__ import annotations

import pytest

from graph.knowledge import KnowledgeGraph
from graph.schema import NodeKind, Theme
from matcher.mentions import find_mentions
from matcher.theme_words import ThemeWords


def _themes(kg, text: str) -> set[str]:
    return {m.id for m in find_mentions(text, kg) if m.kind == "theme"}


@pytest.mark.parametrize(("text", "theme"), [
    ("Leeds has halved what it pays for locums.", "workforce.agency-market"),
    ("Bury is converting interim posts into permanent ones.", "workforce.agency-market"),
    ("Bolton is struggling to keep experienced staff.", "workforce.recruitment-retention"),
    ("Every contact is now screened by one team.", "system.front-door"),
    ("Oldham audits twenty case files a month.", "practice.quality-assurance"),
    ("Staff surveys in Wigan show that morale is up.", "workforce.motivation-loyalty"),
    ("Trafford has asked how councillors can question reports better.",
     "governance.political-scrutiny"),
    ("Salford is rethinking how it listens to children in its care.",
     "system.looked-after-children"),
    # the national name for the reformed early help service
    ("Leeds has opened four family help centres.", "system.early-help"),
    ("York rebuilt its duty system in the spring.", "system.front-door"),
    ("Managers see the figures in three different spreadsheets.",
     "change.data-and-intelligence"),
    ("Half its social work posts were filled through agencies.", "workforce.agency-market"),
    ("Wigan runs a course for aspiring heads of service.",
     "workforce.leadership-development"),
])
def test_prose_names_a_theme_without_its_name(seed_kg, text, theme):
    assert theme in _themes(seed_kg, text)


@pytest.mark.parametrize(("text", "theme"), [
    ("An interim report was circulated.", "workforce.agency-market"),
    ("The contact details are on the last page.", "system.front-door"),
    ("The full report goes to the board in May.", "change.data-and-intelligence"),
    ("Leeds's head of service presented.", "workforce.leadership-development"),
    ("Interim findings were discussed at length by the group before lunch, and the chair "
     "said the permanent record would follow.", "workforce.agency-market"),
])
def test_one_hint_word_or_two_far_apart_name_no_theme(seed_kg, text, theme):
    assert theme not in _themes(seed_kg, text)


def test_peer_challenge_as_a_heading_names_peer_review(seed_kg):
    # 'peer' and 'challenge' each belong to several themes, but only peer review says both
    assert "change.peer-review" in _themes(seed_kg, "## Peer challenge\n\nLeeds will go first.")


def test_a_phrase_cut_down_to_one_common_word_is_not_read_as_that_word():
    # 'help' is too common to read, so 'early help' would read as 'early' alone
    kg = KnowledgeGraph([Theme(id="s", name="System"),
                         Theme(id="s.eh", name="Prevention", parent="s",
                               naming_words=["early help", "family hubs"])])
    assert [sorted(c.stems) for c in ThemeWords(kg).cues] == [["famili", "hub"]]


def test_every_theme_with_reading_words_has_a_source_and_no_word_twice(seed_kg):
    for theme in seed_kg.nodes(NodeKind.THEME):
        words = [w.lower() for w in (*theme.naming_words, *theme.hint_words)]
        if words:
            assert theme.source and theme.locator, theme.id
            assert len(words) == len(set(words)), theme.id


@pytest.mark.parametrize(("text", "theme"), [
    # how practitioners and finance officers talk about each theme, in other word forms
    ("Bolton has lost nine experienced practitioners this year.",
     "workforce.recruitment-retention"),
    ("Each practitioner has a reflective session with a senior manager every month.",
     "workforce.supervision"),
    ("The service has overspent by £4m and members want a plan.", "governance.efficiencies"),
    ("Nobody can pull reports from the new case recording system yet.",
     "change.data-and-intelligence"),
    ("The quality of plans depends on which locality a child lives in.",
     "practice.consistency"),
    ("A duty manager looks at every new concern within a day.", "system.front-door"),
    ("Half the referrals ended in no further action.", "system.front-door"),
    ("Each return home from care now has a written plan.", "system.looked-after-children"),
    ("The region's improvement alliance met in May.", "change.sector-led-improvement"),
    ("The training course has room for twenty practitioners.",
     "workforce.training-development"),
])
def test_everyday_words_for_a_theme_name_it(seed_kg, text, theme):
    assert theme in _themes(seed_kg, text)


@pytest.mark.parametrize(("text", "theme"), [
    ("The figures are made up and not a record of anything.", "change.data-and-intelligence"),
    ("Local areas at different stages met together.", "practice.consistency"),
    ("She lost her notes on the train.", "workforce.recruitment-retention"),
])
def test_one_everyday_word_alone_names_no_theme(seed_kg, text, theme):
    assert theme not in _themes(seed_kg, text)
