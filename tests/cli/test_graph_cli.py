"""The graph commands, run as a user runs them: the installed `peerlink` script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.loader import DEFAULT_SEED_DIR

PEERLINK = [sys.executable, "-m", "app.cli"]


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "PEERLINK_JOURNAL": str(tmp_path / "journal.sqlite"),
            "PEERLINK_GRAPH": "embedded"}


def peerlink(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PEERLINK, *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_stats_json_counts_councils_regions_and_themes(env):
    out = peerlink(env, "stats", "--json")
    assert out.returncode == 0, out.stderr
    stats = json.loads(out.stdout)
    assert stats["councils"] == {"current": 153, "abolished": stats["councils"]["abolished"]}
    assert stats["councils"]["abolished"] >= 8
    assert stats["nodes"]["Region"] == 9
    assert stats["edges"]["IN_REGION"] >= 153
    for kind in ("Practice", "Organisation", "Network", "Characteristic", "SupportOffer"):
        assert stats["nodes"].get(kind, 0) > 0, kind


def test_stats_text_names_current_councils(env):
    out = peerlink(env, "stats")
    assert out.returncode == 0
    assert "councils: 153 current" in out.stdout


def test_stats_text_counts_records_and_relationships_in_peoples_words(env):
    out = peerlink(env, "stats")
    assert out.returncode == 0, out.stderr
    counts = json.loads(peerlink(env, "stats", "--json").stdout)
    assert "  has as a priority" in out.stdout and "  support offers" in out.stdout
    for line in out.stdout.splitlines()[1:]:
        words = line.rsplit(maxsplit=1)[0]
        assert "_" not in words and words == words.lower(), line  # no HAS_PRIORITY, SupportOffer
    priority = next(x for x in out.stdout.splitlines() if "has as a priority" in x)
    assert priority.split()[-1] == f"{counts['edges']['HAS_PRIORITY']:,}"


def test_resolve_json_shape_and_successors(env):
    out = peerlink(env, "resolve", "NE Lincs", "Cumbria", "Atlantis Borough Council", "--json")
    rows = json.loads(out.stdout)
    assert [r["query"] for r in rows] == ["NE Lincs", "Cumbria", "Atlantis Borough Council"]
    for row in rows:
        assert set(row) == {"query", "code", "name", "score", "status", "successors",
                            "alternatives"}
    assert rows[0]["code"] == "E06000012" and rows[0]["status"] == "current"
    assert rows[1]["status"] == "abolished"
    assert sorted(rows[1]["successors"]) == ["E06000063", "E06000064"]
    assert rows[2]["code"] is None
    assert out.returncode == 1  # one name did not resolve


def test_show_json_gives_region_edge_with_provenance(env):
    out = peerlink(env, "show", "E06000006", "--json")
    assert out.returncode == 0, out.stderr
    node = json.loads(out.stdout)
    assert node["id"] == "E06000006" and node["kind"] == "Council" and node["name"] == "Halton"
    [region] = [e for e in node["edges"] if e["type"] == "IN_REGION"]
    assert region["direction"] == "out"
    assert region["other"] == {"id": "E12000002", "kind": "Region", "name": "North West"}
    assert region["provenance"]["source"]
    assert any(e["provenance"]["source"] == "isos-regional-workshops-2016" for e in node["edges"])


def test_show_accepts_a_council_name(env):
    out = peerlink(env, "show", "Halton Borough Council", "--json")
    assert json.loads(out.stdout)["id"] == "E06000006"


def test_show_unknown_id_is_a_one_line_error(env):
    out = peerlink(env, "show", "no-such-thing-anywhere")
    assert out.returncode != 0
    assert out.stderr.strip().count("\n") == 0
    assert "no node with id 'no-such-thing-anywhere'" in out.stderr


def test_validate_passes_on_seed_data(env):
    out = peerlink(env, "validate")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok:")


def test_validate_reports_file_line_field_on_a_broken_copy(env, tmp_path):
    copy = tmp_path / "seed_data"
    shutil.copytree(DEFAULT_SEED_DIR, copy)
    councils = copy / "councils.csv"
    lines = councils.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("E08000012,"))
    lines[n] = lines[n].replace(",metropolitan_district,", ",parish,")
    councils.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = peerlink(env, "validate", str(copy))
    assert out.returncode == 1
    assert f"seed_data/councils.csv:{n + 1}: type: Input should be" in out.stderr


def test_every_cli_command_is_documented_in_the_readme():
    from app.cli import build_parser

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"peerlink {name}" in readme, f"`peerlink {name}` is not in README.md"
