"""What the matcher commands print is in people's words: no edge types, theme slugs, table
column numbers or snake_case names (issue: reasons people can trust)."""

from __future__ import annotations

import re

import pytest

from tests.cli.test_graph_cli import env, peerlink  # noqa: F401  (fixture)

INTERNAL = {
    "edge type": re.compile(r"\b[A-Z]{2,}_[A-Z_]{2,}\b"),
    "snake_case": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "slug": re.compile(r"\b(?:workforce|practice|system|governance|innovation|change)"
                       r"\.[a-z][a-z0-9-]+\b"),
    "column number": re.compile(r"\bcolumns? \d"),
}

COMMANDS = [
    ["partners", "Halton"],
    ["partners", "Halton", "--theme", "recruitment and retention"],
    ["partners", "Liverpool", "--theme", "think family"],
    ["partners", "NE Lincs", "--outside-region"],
    ["search", "how do we stop social workers leaving"],
    ["search", "integrated front door"],
    ["groups"],
    ["groups", "--region", "North West"],
    ["support", "--role", "lead member", "--region", "North West"],
]


PATH = re.compile(r"\S*/\S*")  # file paths (where the data lives) are shown as they are


def internal_names(text: str) -> dict[str, set[str]]:
    text = PATH.sub(" ", text)
    return {name: hits for name, p in INTERNAL.items() if (hits := set(p.findall(text)))}


def test_the_scan_catches_each_kind_of_internal_name():
    found = internal_names("SHARES_PRACTICE system.front-door column 3 lead_member")
    assert set(found) == set(INTERNAL)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_matcher_commands_print_no_internal_names(env, args):  # noqa: F811
    done = peerlink(env, *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert internal_names(done.stdout) == {}


@pytest.mark.parametrize("node", ["Halton", "workforce.supervision", "E12000002",
                                  "research-in-practice"])
def test_show_prints_a_record_and_its_links_in_words(env, node):  # noqa: F811
    done = peerlink(env, "show", node)
    assert done.returncode == 0, done.stderr
    assert internal_names(done.stdout) == {}


def test_show_names_the_link_and_the_other_end_as_a_person_would(env):  # noqa: F811
    shown = peerlink(env, "show", "Halton").stdout
    assert shown.startswith("Halton (council, E06000006)\n")
    assert "  region: North West\n" in shown
    assert "  is in: North West (E12000002)\n" in shown


def test_history_is_one_sentence_per_change(env, tmp_path):  # noqa: F811
    note = tmp_path / "note.md"
    note.write_text("# Lunch\n\nHalton offered to share its front door guidance.\n")
    assert peerlink(env, "ingest", str(note), "--apply", "--who", "Ann").returncode == 0
    history = peerlink(env, "history").stdout.splitlines()
    assert len(history) == 2 and internal_names("\n".join(history)) == {}
    assert history[0].endswith("Ann recorded that Halton shares practice on Integrated front "
                               "door and contact and referral")
