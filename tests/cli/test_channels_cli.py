"""The evidence channels end to end, as a user runs them: a document read in and applied
changes another council's partners; an engagement completed "helped" makes its provider a
partner on that theme for a third council; the ledger counts it. The same run against a real
FalkorDB server is in tests/store/test_channels_shared.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTE = ROOT / "tests" / "data" / "ingest" / "regression" / "peer-challenge-day.md"
ROCHDALE, STOCKPORT, OLDHAM = "E08000005", "E08000007", "E08000004"


def run(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def ok(env, *args: str) -> str:
    done = run(env, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def partners(env, council: str, theme: str) -> dict:
    return {p["code"]: p for p in json.loads(ok(env, "partners", council, "--theme", theme,
                                                "--top", "50", "--json"))["partners"]}


@pytest.fixture
def embedded(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERLINK_")}
    return env | {"PEERLINK_GRAPH": "embedded",
                  "PEERLINK_JOURNAL": str(tmp_path / "journal.sqlite")}


def channels_end_to_end(env: dict) -> None:
    # a document, reviewed and applied, makes Rochdale a partner on peer challenge for Halton
    assert ROCHDALE not in partners(env, "Halton", "peer challenge")
    shown = json.loads(ok(env, "ingest", str(NOTE), "--json"))
    [doc] = shown
    assert set(doc) == {"document", "mentions", "claims", "unclaimed"}
    assert set(doc["document"]) == {"id", "title", "sha256", "chars"}
    assert ROCHDALE not in partners(env, "Halton", "peer challenge")  # nothing written yet
    text = ok(env, "ingest", str(NOTE), "--apply", "--who", "Ann Analyst")
    assert "recorded" in text
    found = partners(env, "Halton", "peer challenge")
    assert ROCHDALE in found
    assert doc["document"]["id"] in {e["source"] for e in found[ROCHDALE]["evidence"]}
    history = ok(env, "history")
    again = ok(env, "ingest", str(NOTE), "--apply", "--who", "Ann Analyst")
    assert "already in the graph: nothing changed" in again
    assert ok(env, "history") == history

    # an engagement completed "helped" makes Stockport a partner on supervision for Sefton
    before = partners(env, "Sefton", "supervision")
    assert STOCKPORT not in before
    eng = json.loads(ok(env, "engagement", "new", "--provider", "Stockport", "--recipient",
                        "Oldham", "--theme", "supervision", "--kind", "mentoring", "--who",
                        "Bo", "--json"))
    done = run(env, "engagement", "set", eng["id"], "--status", "completed", "--who", "Bo")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "cannot go from proposed to completed" in done.stderr
    for status in ("agreed", "active"):
        ok(env, "engagement", "set", eng["id"], "--status", status, "--who", "Bo")
    ok(env, "engagement", "set", eng["id"], "--status", "completed", "--who", "Cy",
       "--outcome", "helped", "--note", "supervision is steadier")
    after = partners(env, "Sefton", "supervision")
    assert STOCKPORT in after
    [ev] = [e for e in after[STOCKPORT]["evidence"] if e["source"] == eng["id"]]
    assert "endorsed by Oldham" in ev["citation"]
    done = run(env, "engagement", "set", eng["id"], "--status", "cancelled", "--who", "Cy",
               "--outcome", "helped")
    assert done.returncode == 1 and "final" in done.stderr

    listed = json.loads(ok(env, "engagement", "list", "--council", "Oldham", "--json"))
    [row] = listed["engagements"]
    assert [h["who"] for h in row["history"]] == ["Bo", "Bo", "Bo", "Cy"]
    assert row["outcome"] == "helped"

    led = json.loads(ok(env, "ledger", "--region", "North West", "--json"))
    rows = {r["code"]: r for r in led["councils"]}
    assert (rows[STOCKPORT]["gave"], rows[OLDHAM]["received"]) == (1, 1)
    assert rows[STOCKPORT]["balance"] == 1 and 0 < led["gini"] <= 1
    assert "Only give, never receive: Stockport" in ok(env, "ledger", "--region", "North West")


def test_channels_end_to_end_on_the_embedded_graph(embedded):
    channels_end_to_end(embedded)


def test_ingest_errors_are_one_line_and_nothing_is_written(embedded, tmp_path):
    bad = tmp_path / "notes.xls"
    bad.write_bytes(b"x")
    done = run(embedded, "ingest", str(NOTE), str(bad), "--apply", "--who", "Ann")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "notes.xls: cannot read .xls" in done.stderr
    done = run(embedded, "ingest", str(NOTE), "--apply")
    assert done.returncode == 2 and "--who" in done.stderr
    assert ok(embedded, "history").strip() == "no changes recorded"


def test_pairs_named_together_are_listed_for_a_person_and_never_applied(embedded, tmp_path):
    note = _lunch_note(tmp_path)
    [doc] = json.loads(ok(embedded, "ingest", str(note), "--json"))
    [listed] = doc["unclaimed"]
    assert (listed["subject"], listed["target"]) == ("E08000010", "system.early-help")
    assert listed["evidence"]["text"] == "Wigan's early help offer came up again over lunch."
    shown = ok(embedded, "ingest", str(note))
    assert "named together, nothing proposed: 1 (for a person to judge on Review documents; " \
           "--apply leaves them out)" in shown
    assert "    Wigan and Early help offer (characters " in shown
    assert "recorded 1 fact from this document" in ok(embedded, "ingest", str(note), "--apply",
                                                       "--who", "Ann")
    assert "E08000010" not in partners(embedded, "Halton", "early help")


def _lunch_note(tmp_path) -> Path:
    note = tmp_path / "lunch.md"
    note.write_text("# Learning set\n\nHalton offered to share its front door guidance.\n\n"
                    "Wigan's early help offer came up again over lunch.\n", encoding="utf-8")
    return note


def test_a_review_kept_in_a_file_is_what_apply_records(embedded, tmp_path):
    note = _lunch_note(tmp_path)
    [doc] = json.loads(ok(embedded, "ingest", str(note), "--json"))
    # the person rejects the proposed offer and records the listed pair as Wigan's practice
    [pair] = doc["unclaimed"]
    doc["claims"] = [pair | {"kind": "practice"}]
    review = tmp_path / "review.json"
    review.write_text(json.dumps([doc], indent=2), encoding="utf-8")
    done = ok(embedded, "ingest", str(note), "--apply", "--who", "Ann", "--reviewed", str(review))
    assert "recorded 1 fact from this document" in done
    history = ok(embedded, "history")
    assert "Ann recorded that Wigan shares practice on Early help offer" in history
    assert "Halton" not in history


def test_a_bad_review_file_names_its_line_and_field_and_writes_nothing(embedded, tmp_path):
    note = _lunch_note(tmp_path)
    [doc] = json.loads(ok(embedded, "ingest", str(note), "--json"))
    doc["claims"][0]["kind"] = "good at"
    review = tmp_path / "review.json"
    review.write_text(json.dumps([doc], indent=2), encoding="utf-8")
    line = json.dumps([doc], indent=2).splitlines().index('    "claims": [') + 2
    done = run(embedded, "ingest", str(note), "--apply", "--who", "Ann", "--reviewed",
               str(review))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert f"review.json: line {line}: claim 1: kind 'good at' is not one of" in done.stderr
    other = tmp_path / "other.md"
    other.write_text("Wigan came.\n", encoding="utf-8")
    doc["claims"][0]["kind"] = "offer"
    review.write_text(json.dumps([doc], indent=2), encoding="utf-8")
    done = run(embedded, "ingest", str(note), str(other), "--apply", "--who", "Ann",
               "--reviewed", str(review))
    assert done.returncode == 1 and "has no review of other.md" in done.stderr
    done = run(embedded, "ingest", str(note), "--reviewed", str(review))
    assert done.returncode == 2 and "--apply" in done.stderr
    assert ok(embedded, "history").strip() == "no changes recorded"


def test_allocate_save_writes_the_round_as_engagements_and_the_ledger_counts_them(embedded):
    examples = ROOT / "seed_data" / "examples"
    args = ["allocate", "--requests", str(examples / "requests.csv"), "--reviewers",
            str(examples / "reviewers.csv")]
    done = run(embedded, *args, "--save", "Autumn 2026")
    assert done.returncode == 2 and "--save needs --who" in done.stderr
    out = json.loads(ok(embedded, *args, "--save", "Autumn 2026", "--who", "Ann", "--json"))
    assert len(out["saved"]) == len(out["assignments"]) > 0
    listed = json.loads(ok(embedded, "engagement", "list", "--status", "agreed", "--json"))
    rows = listed["engagements"]
    assert len(rows) == len(out["assignments"])
    assert {r["kind"] for r in rows} == {"peer_review"} and {r["round"] for r in rows} == {
        "Autumn 2026"}
    led = json.loads(ok(embedded, "ledger", "--json"))
    assert sum(r["gave"] for r in led["councils"]) == len(out["assignments"])
    again = run(embedded, *args, "--save", "Autumn 2026", "--who", "Ann")
    assert again.returncode == 1 and "already saved" in again.stderr
