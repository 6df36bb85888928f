"""A light command starts without the heavy libraries, and each command's module is known."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from app.cli import COMMAND_MODULES, COMMANDS
from graph.loader import DEFAULT_SEED_DIR

# networkx is only for the explorer's analytics; the Cypher drivers only for a shared graph.
HEAVY = ("pandas", "numpy", "scipy", "ortools", "streamlit", "networkx", "neo4j", "falkordb")
PROBE = """
import json, sys
from app.cli import main
code = main({argv!r})
print(json.dumps({{"code": code, "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


@pytest.mark.parametrize("argv", [["resolve", "Halton", "--json"], ["stats", "--json"],
                                  ["show", "Halton", "--json"],
                                  ["search", "keeping social workers", "--json"],
                                  ["partners", "Halton", "--json"]])
def test_a_light_command_runs_without_importing_heavy_libraries(argv):
    out = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
                         capture_output=True, text=True, check=True)
    last = json.loads(out.stdout.strip().splitlines()[-1])
    assert last == {"code": 0, "heavy": []}


def test_the_probe_sees_the_solvers_that_allocate_imports():
    """The same probe reports a heavy import when a command does one, so the test above
    can fail."""
    examples = DEFAULT_SEED_DIR / "examples"
    argv = ["allocate", "--requests", str(examples / "requests.csv"),
            "--reviewers", str(examples / "reviewers.csv"), "--json"]
    out = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
                         capture_output=True, text=True, check=True)
    last = json.loads(out.stdout.strip().splitlines()[-1])
    assert last["code"] == 0 and {"scipy", "ortools"} <= set(last["heavy"])


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_each_command_is_mapped_to_the_module_that_registers_it(module):
    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(module).register(sub)
    assert {c for c, m in COMMANDS.items() if m == module} == set(sub.choices)
