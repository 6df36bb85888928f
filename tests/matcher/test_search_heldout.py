"""Held-out search cases written from the source documents as users would type them.

Each case is run through the same evaluation the CLI uses (`peerlink eval search`), so a case
passes only if at least `need` expected councils or names appear in the first `k` results.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main

HELDOUT = Path(__file__).with_name("search_heldout.json")
CASES = json.loads(HELDOUT.read_text(encoding="utf-8"))


def test_heldout_file_is_well_formed():
    assert len(CASES) >= 40
    for case in CASES:
        assert case["q"].strip()
        assert case.get("councils") or case.get("names")
        assert 5 <= case["k"] <= 10 and 1 <= case["need"] <= case["k"]


def test_every_heldout_search_case_passes(capsys):
    code = main(["eval", "search", str(HELDOUT), "--json"])
    data = json.loads(capsys.readouterr()[0])
    failed = [c for c in data["cases"] if not c["passed"]]
    assert data["total"] == len(CASES)
    assert not failed, json.dumps(failed, indent=1)
    assert code == 0


@pytest.mark.parametrize("case", CASES, ids=[c["q"][:50] for c in CASES])
def test_heldout_case(case, tmp_path, capsys):
    path = tmp_path / "one.json"
    path.write_text(json.dumps([case]), encoding="utf-8")
    main(["eval", "search", str(path), "--json"])
    data = json.loads(capsys.readouterr()[0])
    assert data["cases"][0]["passed"], data["cases"][0]
