"""`peerlink allocate` end to end: files in, a valid round out, faults located, CSV safe."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.loader import DEFAULT_SEED_DIR

EXAMPLES = DEFAULT_SEED_DIR / "examples"


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "PEERLINK_JOURNAL": str(tmp_path / "journal.sqlite"),
            "PEERLINK_GRAPH": "embedded"}


def allocate(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "allocate", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def council_of(reviewers_csv: Path) -> dict[str, str]:
    with reviewers_csv.open(encoding="utf-8") as fh:
        return {row["reviewer_id"]: row["council"] for row in csv.DictReader(fh)}


def test_example_round_is_filled_within_the_rules(env):
    out = allocate(env, "--requests", EXAMPLES / "requests.csv",
                   "--reviewers", EXAMPLES / "reviewers.csv", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {"assignments", "unfilled", "objective", "solver", "seconds"} <= set(result)
    assert result["solver"] == "exact"
    rows = result["assignments"]
    assert rows and set(rows[0]) == {"request_id", "reviewer_id", "role", "score"}
    with (EXAMPLES / "requests.csv").open(encoding="utf-8") as fh:
        requests = {r["request_id"]: r["council"] for r in csv.DictReader(fh)}
    reviewer_council = council_of(EXAMPLES / "reviewers.csv")
    teams: dict[str, list[str]] = {}
    for row in rows:
        teams.setdefault(row["request_id"], []).append(reviewer_council[row["reviewer_id"]])
    for request_id, councils in teams.items():
        assert len(councils) == len(set(councils)), f"{request_id} has two from one council"
        assert requests[request_id].replace(".", "") not in [c.replace(".", "")
                                                             for c in councils]
    given = {(reviewer_council[r["reviewer_id"]].lower(), requests[r["request_id"]].lower())
             for r in rows}
    assert not {(a, b) for a, b in given if (b, a) in given}, "reciprocal reviews"


def test_malformed_rows_are_located_and_nothing_is_solved(env, tmp_path):
    requests = write(tmp_path / "requests.csv",
                     "request_id,council,focus,roles\n"
                     "Q1,Halton,system.front-door,dcs:1;ad:1\n"
                     "Q2,Atlantis Borough Council,early help,dcs:1\n"
                     "Q3,Wirral,early help,dcs:one\n")
    reviewers = write(tmp_path / "reviewers.csv",
                      "reviewer_id,council,role,expertise,capacity\n"
                      "R1,Warrington,dcs,system.front-door,lots\n")
    out_csv = tmp_path / "out.csv"
    out = allocate(env, "--requests", requests, "--reviewers", reviewers, "--out", out_csv)
    assert out.returncode == 1
    assert f"{requests}:3: council: no council matches 'Atlantis Borough Council'" in out.stderr
    assert f"{requests}:4: roles: 'dcs:one': count must be a whole number" in out.stderr
    assert f"{reviewers}:2: capacity: 'lots' is not a whole number" in out.stderr
    assert "nothing was solved" in out.stderr
    assert not out_csv.exists()


def test_unknown_role_is_a_located_fault_not_an_unfillable_place(env, tmp_path):
    requests = write(tmp_path / "r.csv", "request_id,council,focus,roles\n"
                                         "Q1,Halton,early help,dcs:1;adx:1\n")
    reviewers = write(tmp_path / "p.csv", "reviewer_id,council,role,expertise,capacity\n"
                                          "R1,Warrington,dcs,early help,1\n"
                                          "R2,Wirral,directr,early help,1\n")
    out = allocate(env, "--requests", requests, "--reviewers", reviewers)
    assert out.returncode == 1
    assert f"{requests}:2: roles: 'adx' is not a role we know (roles: DCS, AD," in out.stderr
    assert f"{reviewers}:3: role: 'directr' is not a role we know" in out.stderr
    assert "nothing was solved" in out.stderr


def test_focus_naming_no_theme_is_a_located_fault(env, tmp_path):
    requests = write(tmp_path / "r.csv", "request_id,council,focus,roles\n"
                                         "Q1,Halton,zxqv wibble,dcs:1\n")
    reviewers = write(tmp_path / "p.csv", "reviewer_id,council,role,expertise,capacity\n"
                                          "R1,Warrington,dcs,early help,1\n")
    out = allocate(env, "--requests", requests, "--reviewers", reviewers)
    assert out.returncode == 1
    assert f"{requests}:2: focus: no theme matches 'zxqv wibble'" in out.stderr


def test_unfilled_slot_says_why(env, tmp_path):
    requests = write(tmp_path / "r.csv", "request_id,council,focus,roles\n"
                                         "Q1,Halton,early help,dcs:1;ad:1\n")
    reviewers = write(tmp_path / "p.csv", "reviewer_id,council,role,expertise,capacity\n"
                                          "R1,Warrington,dcs,early help,1\n"
                                          "R2,Halton,ad,early help,1\n")
    out = allocate(env, "--requests", requests, "--reviewers", reviewers, "--json")
    result = json.loads(out.stdout)
    assert [a["reviewer_id"] for a in result["assignments"]] == ["R1"]
    [gap] = result["unfilled"]
    assert gap["request_id"] == "Q1" and gap["role"] == "ad" and gap["missing"] == 1
    assert "Halton" in gap["reason"]


def test_locked_pair_is_kept(env):
    out = allocate(env, "--requests", EXAMPLES / "requests.csv",
                   "--reviewers", EXAMPLES / "reviewers.csv", "--lock", "PR-03:R-033", "--json")
    assert out.returncode == 0, out.stderr
    pairs = {(a["request_id"], a["reviewer_id"]) for a in json.loads(out.stdout)["assignments"]}
    assert ("PR-03", "R-033") in pairs


def test_lock_naming_an_unknown_reviewer_is_refused(env):
    out = allocate(env, "--requests", EXAMPLES / "requests.csv",
                   "--reviewers", EXAMPLES / "reviewers.csv", "--lock", "PR-03:R-999")
    assert out.returncode == 2
    assert "no reviewer 'R-999'" in out.stderr


def test_csv_export_neutralises_formula_cells(env, tmp_path):
    requests = write(tmp_path / "r.csv", "request_id,council,focus,roles\n"
                                         "=1+1,Halton,early help,dcs:1\n")
    reviewers = write(tmp_path / "p.csv", "reviewer_id,council,role,expertise,capacity\n"
                                          "@SUM(A1),Warrington,dcs,early help,1\n")
    out_csv = tmp_path / "out.csv"
    out = allocate(env, "--requests", requests, "--reviewers", reviewers, "--out", out_csv)
    assert out.returncode == 0, out.stderr
    with out_csv.open(encoding="utf-8") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["request_id"] == "'=1+1" and row["reviewer_id"] == "'@SUM(A1)"


def test_teams_csv_names_councils_and_roles_like_the_app(env, tmp_path):
    from matcher.allocation import TEAM_COLUMNS

    out_csv = tmp_path / "teams.csv"
    out = allocate(env, "--requests", EXAMPLES / "requests.csv",
                   "--reviewers", EXAMPLES / "reviewers.csv", "--out", out_csv)
    assert out.returncode == 0, out.stderr
    with out_csv.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert tuple(reader.fieldnames) == TEAM_COLUMNS
    assert "score" not in reader.fieldnames
    first = rows[0]
    assert first["reviewed council"] and not first["reviewed council"].startswith("E0")
    assert first["reviewer council"] and not first["reviewer council"].startswith("E0")
    assert first["role"] in {"DCS", "AD", "lead member"} and float(first["fit"]) >= 0


def test_history_forbids_a_reviewer_returning_to_a_council(env, tmp_path):
    requests = write(tmp_path / "r.csv", "request_id,council,focus,roles\n"
                                         "Q1,Halton,early help,dcs:1\n")
    reviewers = write(tmp_path / "p.csv", "reviewer_id,council,role,expertise,capacity\n"
                                          "R1,Warrington,dcs,early help,1\n"
                                          "R2,Wigan,dcs,front door,1\n")
    history = write(tmp_path / "h.csv", "reviewer_id,reviewer_council,council_reviewed\n"
                                        "R1,Warrington,Halton\n")
    args = ("--requests", requests, "--reviewers", reviewers, "--json")
    fresh = json.loads(allocate(env, *args).stdout)
    assert [a["reviewer_id"] for a in fresh["assignments"]] == ["R1"]  # best fit
    again = allocate(env, *args, "--history", history, "--repeat", "forbid")
    assert again.returncode == 0, again.stderr
    assert [a["reviewer_id"] for a in json.loads(again.stdout)["assignments"]] == ["R2"]


def test_history_with_an_unknown_council_is_located(env, tmp_path):
    history = write(tmp_path / "h.csv", "reviewer_id,reviewer_council,council_reviewed\n"
                                        "R1,Warrington,Gotham City\n")
    out = allocate(env, "--requests", EXAMPLES / "requests.csv", "--reviewers",
                   EXAMPLES / "reviewers.csv", "--history", history)
    assert out.returncode == 1
    assert f"{history}:2: council_reviewed: no council matches 'Gotham City'" in out.stderr
