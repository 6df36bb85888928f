from __future__ import annotations

import pytest

from graph.schema import EdgeType
from matcher.partners import MatcherError, propose_partners
from matcher.weights import Weights
from tests.matcher.conftest import (
    BLACKPOOL,
    CUMBERLAND,
    CUMBRIA,
    HALTON,
    HARTLEPOOL,
    ISLINGTON,
    WARRINGTON,
    WESTMORLAND,
    WIRRAL,
    council,
    edge,
    engagement,
    with_extra,
)


def codes(result) -> list[str]:
    return [p.code for p in result.partners]


def test_own_council_is_never_proposed(small_kg):
    result = propose_partners(small_kg, HALTON, top=50)
    assert HALTON not in codes(result)
    assert result.partners  # others are proposed


def test_only_strength_on_the_theme_or_a_narrower_one_makes_a_partner(small_kg):
    result = propose_partners(small_kg, HALTON, top=50)
    assert WIRRAL in codes(result) and HARTLEPOOL in codes(result)
    assert WARRINGTON not in codes(result)  # practice on the parent theme only
    assert BLACKPOOL not in codes(result)  # nothing recorded
    assert {p.basis for p in result.partners} <= {"practice", "impact", "offer", "endorsement"}


def test_councils_with_the_same_challenge_are_peers_never_partners(small_kg):
    kg = with_extra(small_kg, edges=[
        edge(BLACKPOOL, EdgeType.HAS_PRIORITY, "workforce.recruitment-retention"),
        edge(WARRINGTON, EdgeType.SHARES_PRACTICE, "workforce.recruitment-retention",
             evidence="participation")])
    result = propose_partners(kg, HALTON, top=50)
    assert BLACKPOOL not in codes(result) and WARRINGTON not in codes(result)
    peers = {p.code: p for p in result.peers}
    assert set(peers) == {BLACKPOOL, WARRINGTON}
    assert peers[BLACKPOOL].basis == "challenge"
    assert peers[WARRINGTON].basis == "participation"
    assert not set(peers) & set(codes(result))


def test_no_strength_evidence_gives_no_partners_and_says_how_evidence_gets_in(small_kg):
    kg = with_extra(small_kg, edges=[
        edge(BLACKPOOL, EdgeType.HAS_PRIORITY, "workforce.supervision"),
        edge(HALTON, EdgeType.HAS_PRIORITY, "workforce.supervision")])
    result = propose_partners(kg, HALTON, themes=["workforce.supervision"])
    assert result.partners == ()
    assert [p.code for p in result.peers] == [BLACKPOOL]
    note = " ".join(result.notes)
    assert "no partner is proposed" in note and "Evidence gets in" in note
    assert "listed as peers" in note


def test_a_group_fact_reaches_members_as_peers_with_the_hedge_kept(small_kg):
    from graph.schema import Network

    kg = with_extra(small_kg, nodes=[Network(id="column-1", name="Column one", type="cohort")],
                    edges=[edge(BLACKPOOL, EdgeType.MEMBER_OF, "column-1"),
                           edge("column-1", EdgeType.HAS_PRIORITY, "workforce.supervision",
                                evidence="challenge", about="group")])
    result = propose_partners(kg, HALTON, themes=["workforce.supervision"])
    assert result.partners == ()
    (peer,) = result.peers
    assert peer.code == BLACKPOOL
    assert "does not say which council" in peer.reasons[0]


def test_default_themes_are_the_councils_priorities(small_kg):
    result = propose_partners(small_kg, HALTON)
    assert [t["id"] for t in result.themes] == ["workforce.recruitment-retention"]
    assert result.themes_from == "priorities"


def test_council_without_priorities_says_so(small_kg):
    result = propose_partners(small_kg, BLACKPOOL)
    assert result.themes_from == "none"
    assert any("no recorded improvement priorities" in n for n in result.notes)


def test_theme_phrases_are_resolved(small_kg):
    result = propose_partners(small_kg, BLACKPOOL, themes=["keeping experienced social workers"])
    assert [t["id"] for t in result.themes] == ["workforce.recruitment-retention"]
    assert result.partners[0].signals["expertise"] > 0


def test_unmatched_theme_phrase_is_noted_not_guessed(small_kg):
    result = propose_partners(small_kg, HALTON, themes=["bananas"])
    assert result.themes == ()
    assert any("bananas" in n for n in result.notes)


def test_outside_region_changes_who_comes_first(small_kg):
    inside = propose_partners(small_kg, HALTON)
    outside = propose_partners(small_kg, HALTON, outside_region=True)
    assert inside.partners[0].code == WIRRAL  # same region, exact theme
    assert outside.partners[0].code in {HARTLEPOOL, ISLINGTON}
    assert all(p.region != "E12000002" for p in outside.partners + outside.peers)
    assert outside.partners[0].signals["proximity"] == 1.0
    assert any("Outside North West" in r for r in outside.partners[0].reasons)


def test_council_at_capacity_is_excluded(small_kg):
    kg = with_extra(small_kg, nodes=[engagement("e1", WIRRAL, BLACKPOOL)],
                    replace=[council(WIRRAL, "Wirral", type="metropolitan_district",
                                     capacity=1)])
    result = propose_partners(kg, HALTON)
    assert WIRRAL not in codes(result)
    assert [e.code for e in result.excluded] == [WIRRAL]
    assert "at capacity" in result.excluded[0].reason


def test_heavily_used_council_is_penalised(small_kg):
    busy = with_extra(small_kg, nodes=[engagement("e1", WIRRAL, BLACKPOOL),
                                       engagement("e2", WIRRAL, HARTLEPOOL, "agreed")],
                      replace=[council(WIRRAL, "Wirral", type="metropolitan_district",
                                       capacity=3)])
    free = with_extra(small_kg, replace=[council(WIRRAL, "Wirral",
                                                 type="metropolitan_district", capacity=3)])
    p_busy = next(p for p in propose_partners(busy, HALTON).partners if p.code == WIRRAL)
    p_free = next(p for p in propose_partners(free, HALTON).partners if p.code == WIRRAL)
    assert p_busy.signals["capacity"] < p_free.signals["capacity"]
    assert any("Heavily used" in r for r in p_busy.reasons)


def test_unknown_capacity_is_not_recorded_and_leaves_the_score(small_kg):
    known = with_extra(small_kg, replace=[council(WIRRAL, "Wirral",
                                                  type="metropolitan_district", capacity=4)])
    p_unknown = next(p for p in propose_partners(small_kg, HALTON).partners if p.code == WIRRAL)
    p_known = next(p for p in propose_partners(known, HALTON).partners if p.code == WIRRAL)
    assert p_unknown.signals["capacity"] is None
    assert "Capacity not recorded" in p_unknown.reasons
    assert p_unknown.contributions["capacity"] is None
    assert p_unknown.confidence < p_known.confidence


def test_abolished_councils_evidence_counts_for_successors_at_reduced_confidence(small_kg):
    result = propose_partners(small_kg, HALTON, top=20)
    by_code = {p.code: p for p in result.partners}
    assert CUMBRIA not in by_code  # abolished: never proposed itself
    for succ in (CUMBERLAND, WESTMORLAND):
        p = by_code[succ]
        assert p.signals["expertise"] < by_code[WIRRAL].signals["expertise"] + 0.2
        assert any("Cumbria" in r and "reduced confidence" in r for r in p.reasons)
        assert p.confidence < by_code[WIRRAL].confidence


def test_journey_prefers_a_council_further_along(small_kg):
    kg = with_extra(small_kg, edges=[
        edge(HALTON, EdgeType.AT_STAGE, "poor-to-fair"),
        edge(HARTLEPOOL, EdgeType.AT_STAGE, "fair-to-good"),
        edge(WIRRAL, EdgeType.AT_STAGE, "poor-to-fair")])
    by_code = {p.code: p for p in propose_partners(kg, HALTON).partners}
    assert by_code[HARTLEPOOL].signals["journey"] == 1.0
    assert by_code[WIRRAL].signals["journey"] == 0.5
    assert by_code[ISLINGTON].signals["journey"] is None  # not recorded, not neutral


def test_shared_network_and_good_past_engagement_build_relationship(small_kg):
    kg = with_extra(small_kg, nodes=[engagement("e1", HARTLEPOOL, HALTON, "completed", 5.0)],
                    edges=[edge(WARRINGTON, EdgeType.SHARES_PRACTICE,
                                "workforce.recruitment-retention")])
    by_code = {p.code: p for p in propose_partners(kg, HALTON).partners}
    assert by_code[WARRINGTON].signals["relationship"] > 0  # shared network
    assert by_code[HARTLEPOOL].signals["relationship"] == 1.0
    assert by_code[WIRRAL].signals["relationship"] == 0.0


def test_poor_feedback_caps_relationship(small_kg):
    kg = with_extra(small_kg, nodes=[engagement("e1", WARRINGTON, HALTON, "completed", 1.0)],
                    edges=[edge(WARRINGTON, EdgeType.SHARES_PRACTICE,
                                "workforce.recruitment-retention")])
    p = next(p for p in propose_partners(kg, HALTON).partners if p.code == WARRINGTON)
    assert p.signals["relationship"] == 0.0
    assert any("rated 1/5" in r for r in p.reasons)


def test_statistical_neighbour_lifts_context(small_kg):
    kg = with_extra(small_kg, edges=[edge(HALTON, EdgeType.PARTNERS_WITH, HARTLEPOOL,
                                          kind="statistical_neighbour")])
    before = next(p for p in propose_partners(small_kg, HALTON).partners
                  if p.code == HARTLEPOOL)
    after = next(p for p in propose_partners(kg, HALTON).partners if p.code == HARTLEPOOL)
    assert after.signals["context"] > before.signals["context"]
    assert "A statistical neighbour" in after.reasons


def test_missing_facts_never_crash(small_kg):
    result = propose_partners(small_kg, CUMBERLAND, themes=["workforce"], top=50)
    assert result.partners
    for p in result.partners:
        assert all(v is None or 0.0 <= v <= 1.0 for v in p.signals.values())
        assert 0.0 <= p.confidence <= 1.0


def test_weights_change_the_ranking(small_kg):
    only_proximity = Weights(expertise=0, journey=0, context=0, proximity=1, relationship=0,
                             capacity=0)
    result = propose_partners(small_kg, HALTON, weights=only_proximity, outside_region=True)
    assert all(p.score in (0.0, 1.0) for p in result.partners)
    assert result.weights["proximity"] == 1.0


def test_weights_must_be_non_negative_and_known():
    with pytest.raises(ValueError, match="bad weight"):
        Weights.parse(["expertise=-1"])
    with pytest.raises(ValueError, match="name one of"):
        Weights.parse(["fame=1"])


def test_unknown_council_is_a_clear_error(small_kg):
    with pytest.raises(MatcherError, match="resolve the name first"):
        propose_partners(small_kg, "E06999999")


def test_evidence_cites_real_documents_with_locators(small_kg):
    result = propose_partners(small_kg, HALTON)
    for p in result.partners:
        assert p.evidence
        for e in p.evidence:
            assert e["source"] in small_kg
            assert e["locator"]
            assert set(e) >= {"type", "from", "to", "source", "locator", "citation",
                              "confidence"}


def test_to_json_has_the_stable_shape(small_kg):
    data = propose_partners(small_kg, HALTON).to_json()
    assert set(data) >= {"council", "themes", "partners"}
    assert data["council"] == {"code": HALTON, "name": "Halton"}
    for p in data["partners"]:
        assert set(p) >= {"code", "name", "score", "signals", "reasons", "evidence"}
        assert set(p["signals"]) == {"expertise", "journey", "context", "proximity",
                                     "relationship", "capacity"}


def test_real_seed_partners_for_halton_cite_existing_documents(seed_kg):
    result = propose_partners(seed_kg, HALTON)
    assert result.partners
    assert HALTON not in codes(result)
    for p in result.partners:
        for e in p.evidence:
            assert e["source"] == "curated" or e["source"] in seed_kg
    cumberland = propose_partners(seed_kg, CUMBERLAND)
    assert cumberland.themes_from in ("inherited priorities", "priorities")


def test_partner_queries_written_from_the_documents_pass(seed_kg):
    import json
    from pathlib import Path

    from graph.resolve import Resolver
    from matcher.evaluate import grade_partners

    cases = json.loads((Path(__file__).parents[1] / "data" / "partner_queries.json")
                       .read_text(encoding="utf-8"))["cases"]
    resolver = Resolver(seed_kg.councils(status=None))

    def codes_of(name: str) -> list[str]:
        found = resolver.resolve(name).current_codes
        assert found, name
        return found

    grades, report = grade_partners(
        cases, lambda c: [p.code for p in propose_partners(
            seed_kg, codes_of(c["council"])[0], themes=c["themes"] or None).partners],
        codes_of)
    assert (grades.wrong, grades.questionable, grades.missing) == (0, 0, ())
    assert report.passed == len(cases)
