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
