"""The one theme reader, shared by search, partners, brokering and the CLI."""

from __future__ import annotations

from graph.errors import Problem
from matcher.brokering import resolve_themes
from matcher.lexicon import stem
from matcher.themes import read_theme, read_themes


def test_a_council_code_is_not_a_theme(seed_kg):
    assert read_themes(seed_kg, ["E06000006"]) == []
    problems: list[Problem] = []
    assert resolve_themes(seed_kg, ["E06000006"], "r.csv", 3, "focus", problems) == ()
    assert [(p.line, p.field) for p in problems] == [(3, "focus")]
    assert "E06000006" in problems[0].message


def test_theme_ids_names_and_phrases_read_the_same_everywhere(seed_kg):
    assert read_theme(seed_kg, "system.front-door") == ["system.front-door"]
    assert read_theme(seed_kg, "MASH") == ["system.front-door"]
    assert read_theme(seed_kg, "front dor") == ["system.front-door"]
    assert read_theme(seed_kg, "bananas") == []
    assert read_themes(seed_kg, ["front door", "mash", "early help"])[0] == "system.front-door"


def test_word_families_share_a_stem_after_snowball():
    assert stem("organisational") == stem("organizational")
    assert stem("organisation") == stem("organisations") != stem("organ")
    assert stem("caring") == stem("care")
    assert stem("careers") != stem("care")
    assert stem("children") == stem("child")
