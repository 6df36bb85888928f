"""Regression cases for council names as people write them: abbreviations, old councils, typos,
and names that are not English councils (which must resolve to nothing rather than a guess).

Written alongside the aliases that make them pass, so they guard against regressions and are not
a measure of unseen phrasings (see tests/data/README.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.loader import load_dir
from graph.resolve import Resolver
from graph.schema import Council
from tests import DATA

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seed_data"
REGRESSION = DATA / "resolve_regression.json"
CASES = [(q, sorted(codes))
         for q, codes in json.loads(REGRESSION.read_text(encoding="utf-8"))]
LOADER_FILES = ("councils.csv", "regions.csv", "documents.yaml", "themes.yaml")


@pytest.fixture(scope="module")
def resolver(tmp_path_factory) -> Resolver:
    tmp = tmp_path_factory.mktemp("seed")
    for name in LOADER_FILES:
        shutil.copy(SEED / name, tmp / name)
    return Resolver([n for n in load_dir(tmp).nodes if isinstance(n, Council)])


def test_regression_file_is_well_formed():
    assert len(CASES) >= 80
    assert len({q for q, _ in CASES}) == len(CASES)
    assert sum(1 for _, codes in CASES if not codes) >= 10


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[q for q, _ in CASES])
def test_regression_name_resolves_as_expected(resolver, query, expected):
    got = sorted(resolver.resolve(query).current_codes)
    if expected and not got:
        pytest.fail(f"{query!r}: no match, expected {expected}")
    assert got == expected, f"{query!r}: got {got}, expected {expected}"
