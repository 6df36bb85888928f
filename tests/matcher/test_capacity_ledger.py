"""The capacity signal reads the give-and-receive ledger: a council that has given far more
than it has received (a willing horse) ranks below an otherwise equal one, says so with the
ledger's own figures, and a council with no record stays "not recorded"."""

from __future__ import annotations

from graph.ledger import ledger
from graph.schema import EdgeType, Engagement
from matcher.partners import propose_partners
from tests.matcher.conftest import (
    BLACKPOOL,
    HALTON,
    HARTLEPOOL,
    ISLINGTON,
    WARRINGTON,
    council,
    edge,
    with_extra,
)

GIVER, TWIN = "E06000090", "E06000091"  # the giver's code sorts first: ties would favour it
HEAVY = ("Has led 4 reviews and partnerships since 2024 and received 1 "
         "(ranked lower to share the load)")


def dated(eid: str, provider: str, recipient: str, start: str,
          status: str = "completed", kind: str = "peer_review") -> Engagement:
    return Engagement(id=eid, name=f"engagement {eid}", type=kind, provider=provider,
                      recipient=recipient, status=status, start=start)


def twins(small_kg, records=(), **giver_kw):
    """Two councils alike in every fact (place, size, evidence), plus engagements."""
    alike = dict(lat=53.40, lon=-2.80, postcode_count=4000, occupied_km2=90)
    return with_extra(
        small_kg,
        nodes=[council(GIVER, "Giverton", **alike, **giver_kw),
               council(TWIN, "Twinford", **alike), *records],
        edges=[edge(c, EdgeType.SHARES_PRACTICE, "workforce.recruitment-retention", 0.9)
               for c in (GIVER, TWIN)])


def heavy_record(extra=()):
    """Giverton led four peer reviews and partnerships since 2024 and received one."""
    return [
        dated("g1", GIVER, BLACKPOOL, "2024-02-01"),
        dated("g2", GIVER, HARTLEPOOL, "2024-09-15"),
        dated("g3", GIVER, ISLINGTON, "2025-03-01", kind="improvement_partner"),
        dated("g4", GIVER, WARRINGTON, "2025-11-20", kind="mentoring"),
        dated("r1", BLACKPOOL, GIVER, "2025-06-01"),
        *extra,
    ]


def by_code(result) -> dict:
    return {p.code: p for p in result.partners}


def order(result) -> list[str]:
    return [p.code for p in result.partners if p.code in (GIVER, TWIN)]


def test_alike_councils_tie_and_the_tie_favours_the_first_code(small_kg):
    result = propose_partners(twins(small_kg), HALTON, top=20)
    assert order(result) == [GIVER, TWIN]
    found = by_code(result)
    assert found[GIVER].score == found[TWIN].score


def test_a_heavy_giver_drops_below_an_otherwise_equal_council(small_kg):
    balanced = [dated("t1", TWIN, HARTLEPOOL, "2024-05-01"),
                dated("t2", ISLINGTON, TWIN, "2025-01-10")]
    result = propose_partners(twins(small_kg, heavy_record(balanced)), HALTON, top=20)
    assert order(result) == [TWIN, GIVER]
    found = by_code(result)
    assert found[GIVER].signals["capacity"] < found[TWIN].signals["capacity"] == 1.0
    assert found[GIVER].score < found[TWIN].score


def test_the_reasons_give_the_ledgers_figures_in_plain_words(small_kg):
    balanced = [dated("t1", TWIN, HARTLEPOOL, "2024-05-01"),
                dated("t2", ISLINGTON, TWIN, "2025-01-10")]
    kg = twins(small_kg, heavy_record(balanced))
    found = by_code(propose_partners(kg, HALTON, top=20))
    assert [r for r in found[GIVER].reasons if r.startswith(("Capacity", "Has led"))] == [
        "Capacity not recorded", HEAVY]
    assert [r for r in found[TWIN].reasons if r.startswith(("Capacity", "Has led"))] == [
        "Capacity not recorded", "Has led 1 review or partnership since 2024 and received 1"]
    # the figures are the ledger's own
    rows = {r.code: r for r in ledger(kg).councils}
    assert (rows[GIVER].gave, rows[GIVER].received, rows[GIVER].since) == (4, 1, 2024)


def test_a_council_with_no_record_stays_not_recorded(small_kg):
    found = by_code(propose_partners(twins(small_kg, heavy_record()), HALTON, top=20))
    assert found[TWIN].signals["capacity"] is None
    assert found[TWIN].contributions["capacity"] is None
    assert "Capacity not recorded" in found[TWIN].reasons
    assert not any(r.startswith("Has led") for r in found[TWIN].reasons)


def test_stated_capacity_and_the_record_both_count(small_kg):
    kg = twins(small_kg, heavy_record(), capacity=4)
    giver = by_code(propose_partners(kg, HALTON, top=20))[GIVER]
    # no open engagements (all completed): 1.0 for places, then rested for giving 3 more
    assert giver.signals["capacity"] == round(1.0 / (1.0 + 3 / 2.0), 6)
    assert [r for r in giver.reasons if r.startswith(("Has capacity", "Has led"))] == [
        "Has capacity: 0 of 4 places taken", HEAVY]


def test_undated_engagements_give_no_since_and_unagreed_ones_do_not_count(small_kg):
    records = [Engagement(id="u1", name="u1", type="peer_review", provider=GIVER,
                          recipient=BLACKPOOL, status="completed"),
               dated("u2", GIVER, HARTLEPOOL, "2025-01-01", status="declined"),
               dated("u3", GIVER, ISLINGTON, "2025-01-01", status="proposed")]
    giver = by_code(propose_partners(twins(small_kg, records), HALTON, top=20))[GIVER]
    assert "Has led 1 review or partnership and received none" in giver.reasons
