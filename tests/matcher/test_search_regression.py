"""Search regression cases written from the source documents as users would type them.

Written alongside the vocabulary that makes them pass, so they guard against regressions and
are not a measure of unseen phrasings (see tests/data/README.md).

A case passes only if at least `need` expected councils or names appear in the first `k`
results, judged as `peerlink eval search` judges them. The whole file also runs through the CLI.
"""

from __future__ import annotations

import json

import pytest

from app.cli import main
from matcher.evaluate import match_search_case
from matcher.search import SearchIndex
from tests import DATA

REGRESSION = DATA / "search_regression.json"
CASES = json.loads(REGRESSION.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index(seed_kg) -> SearchIndex:
    return SearchIndex.for_graph(seed_kg)


def test_regression_file_is_well_formed():
    assert len(CASES) >= 40
    assert len({c["q"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert case["q"].strip()
        assert case.get("councils") or case.get("names")
        assert 5 <= case["k"] <= 10 and 1 <= case["need"] <= case["k"]


@pytest.mark.parametrize("case", CASES, ids=[c["q"][:50] for c in CASES])
def test_regression_case(index, case):
    results = index.search(case["q"], top=case["k"]).to_json()["results"]
    judged = match_search_case(case, results)
    assert judged.passed, judged.to_json()


def test_every_regression_search_case_passes_through_the_cli(capsys):
    code = main(["eval", "search", str(REGRESSION), "--json"])
    data = json.loads(capsys.readouterr()[0])
    failed = [c for c in data["cases"] if not c["passed"]]
    assert data["total"] == len(CASES)
    assert not failed, json.dumps(failed, indent=1)
    assert code == 0
