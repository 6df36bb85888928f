from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.schema import Edge, EdgeType, NodeKind, Practice, Provenance
from matcher.evaluate import evaluate_search, match_search_case
from matcher.search import SearchIndex, search
from tests import DATA
from tests.matcher.conftest import DOC, ISLINGTON, organisation, with_extra

EVAL = DATA / "search_scenarios.json"
PARAPHRASES = DATA / "search_paraphrase_regression.json"


def _cases(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_index(seed_kg):
    return SearchIndex.for_graph(seed_kg)


def test_results_have_the_stable_shape(small_kg):
    data = search(small_kg, "retention").to_json()
    assert set(data) >= {"query", "results"}
    assert data["query"] == "retention"
    assert data["results"]
    for r in data["results"]:
        assert set(r) >= {"id", "kind", "name", "score", "owner", "reasons", "evidence"}
        assert r["reasons"]


def test_practice_owner_is_the_council_that_developed_it(small_kg):
    results = search(small_kg, "retention academy").results
    practice = next(r for r in results if r.kind == "Practice")
    assert practice.owner == {"id": ISLINGTON, "name": "Islington"}


def test_theme_synonym_finds_councils_that_share_practice(small_kg):
    ids = [r.id for r in search(small_kg, "how do we keep experienced social workers?")]
    assert "E08000015" in ids  # Wirral shares practice on recruitment and retention


def test_misspelt_query_still_matches(small_kg):
    ids = [r.id for r in search(small_kg, "retension academy")]
    assert "islington-retention" in ids


def test_abbreviation_is_expanded(small_kg):
    kg = with_extra(small_kg, edges=[Edge(src="E06000009", type=EdgeType.SHARES_PRACTICE,
                                          dst="system.front-door",
                                          provenance=Provenance(source=DOC, locator="p1"))])
    results = search(kg, "MASH").results
    assert results and results[0].id == "E06000009"
    assert any("front door" in r.lower() for r in results[0].reasons)


def test_gibberish_finds_nothing(small_kg):
    assert len(search(small_kg, "zzqx wibble")) == 0


def test_abolished_council_result_names_its_successors(small_kg):
    results = search(small_kg, "Cumbria").results
    cumbria = next(r for r in results if r.id == "E10000006")
    assert cumbria.extra["successors"] == ["E06000063", "E06000064"]
    assert any("abolished" in reason for reason in cumbria.reasons)


def test_kinds_filter(small_kg):
    results = search(small_kg, "retention", kinds=["Practice"]).results
    assert results and all(r.kind == "Practice" for r in results)


def test_results_are_diversified_across_kinds(small_kg):
    kg = with_extra(small_kg, nodes=[
        organisation("retention-org", "Retention Trust",
                     description="Helps councils keep social workers."),
        Practice(id="p2", name="Retention bonus", summary="Retention payments.",
                 themes=["workforce.recruitment-retention"])],
        edges=[Edge(src="retention-org", type=EdgeType.ADDRESSES,
                    dst="workforce.recruitment-retention",
                    provenance=Provenance(source=DOC, locator="p2"))])
    kinds = {r.kind for r in search(kg, "retention", top=5)}
    assert {"Council", "Practice", "Organisation"} <= kinds


def test_index_is_cached_per_graph(small_kg):
    assert SearchIndex.for_graph(small_kg) is SearchIndex.for_graph(small_kg)


def test_evidence_cites_sources_that_exist(seed_index, seed_kg):
    for q in ("integrated front door", "critical event audit"):
        for r in seed_index.search(q).results:
            for e in r.evidence:
                assert e["source"] == "curated" or e["source"] in seed_kg
                assert "citation" in e


@pytest.mark.parametrize("case", _cases(EVAL), ids=lambda c: c["q"])
def test_public_search_scenario_passes(seed_index, case):
    result = match_search_case(case, seed_index.search(case["q"], top=case["k"]).results)
    assert result.passed, result.detail


@pytest.mark.parametrize("case", _cases(PARAPHRASES), ids=lambda c: c["q"])
def test_paraphrase_regression_case_passes(seed_index, case):
    result = match_search_case(case, seed_index.search(case["q"], top=case["k"]).results)
    assert result.passed, result.detail


def test_all_eval_files_score_full_marks(seed_index):
    for path in (EVAL, PARAPHRASES):
        report = evaluate_search(_cases(path), lambda q, k: seed_index.search(q, top=k).results)
        assert report.score == 1.0, [c.to_json() for c in report.cases if not c.passed]


def test_paraphrases_do_not_copy_the_public_queries():
    public = {c["q"].lower() for c in _cases(EVAL)}
    mine = _cases(PARAPHRASES)
    assert len(mine) >= 25
    assert not public & {c["q"].lower() for c in mine}



def test_seed_index_excludes_node_kinds_not_asked_for(seed_index):
    kinds = {r.kind for r in seed_index.search("front door", top=30).results}
    assert NodeKind.THEME.value not in kinds and NodeKind.REGION.value not in kinds


@pytest.mark.parametrize("query", ["front door", "keeping social workers", "early help"])
def test_how_the_query_reached_a_theme_is_said_once_per_result(seed_index, query):
    results = seed_index.search(query, top=10)
    assert results.results
    for r in results.results:
        clauses = [reason.split("; ", 1)[1] for reason in r.reasons if "; your words" in reason]
        assert len(clauses) == len(set(clauses)), (r.name, r.reasons)
