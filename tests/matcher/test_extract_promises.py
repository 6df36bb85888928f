"""A promise of help already made is an offer (round 9): 'has agreed to talk other councils
through ...' offers what it names, as 'will talk ... through' does; a refusal, or agreeing to
something that is not help for others, offers nothing. Invented sentences."""

from __future__ import annotations

import pytest

from matcher.extract import extract

HALTON = "E06000006"


def _claims(kg, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


@pytest.mark.parametrize("text", [
    "Halton has agreed to talk other councils through its front door.",
    "Halton has agreed to meet other councils about its front door each month.",
])
def test_having_agreed_to_help_others_is_an_offer(seed_kg, text):
    assert (HALTON, "offer", "system.front-door") in _claims(seed_kg, text)


@pytest.mark.parametrize("text", [
    "Halton has not agreed to host visits to its front door.",
    "Halton has agreed to review its front door.",
])
def test_a_refusal_or_an_agreement_to_its_own_work_is_no_offer(seed_kg, text):
    assert (HALTON, "offer", "system.front-door") not in _claims(seed_kg, text)
