from __future__ import annotations

import pytest

from graph.schema import EdgeType
from matcher.groups import learning_groups, learning_pairs
from tests.matcher.conftest import BLACKPOOL, HALTON, NE, NW, WARRINGTON, WIRRAL, edge, with_extra


@pytest.fixture
def group_kg(small_kg):
    return with_extra(small_kg, edges=[
        edge(HALTON, EdgeType.SHARES_PRACTICE, "system.early-help"),
        edge(WIRRAL, EdgeType.HAS_PRIORITY, "system.early-help"),
        edge(BLACKPOOL, EdgeType.HAS_PRIORITY, "workforce.recruitment-retention"),
        edge(WARRINGTON, EdgeType.HAS_PRIORITY, "workforce.recruitment-retention"),
    ])


def test_learning_pair_is_councils_that_each_offer_what_the_other_needs(group_kg):
    pairs = learning_pairs(group_kg)
    pair = next(p for p in pairs if {p.a["code"], p.b["code"]} == {HALTON, WIRRAL})
    assert pair.kind == "complementary"
    offered = {pair.a_offers["theme"], pair.b_offers["theme"]}
    assert offered == {"system.early-help", "workforce.recruitment-retention"}
    assert len(pair.reasons) >= 2 and pair.evidence


def test_one_way_help_is_not_a_pair(group_kg):
    pairs = learning_pairs(group_kg)
    assert not any({p.a["code"], p.b["code"]} == {WIRRAL, BLACKPOOL} for p in pairs)


def test_learning_group_mixes_sharers_with_councils_that_need_it(group_kg):
    groups = learning_groups(group_kg, themes=["workforce.recruitment-retention"])
    assert groups
    g = groups[0]
    roles = {m["role"] for m in g.members}
    assert "shares" in roles or "both" in roles
    assert "needs" in roles or "both" in roles
    assert len(g.members) == 3
    assert g.reasons and g.evidence


def test_groups_can_be_kept_within_a_region(group_kg):
    for g in learning_groups(group_kg, region=NW, size=2):
        assert all(m["region"] == NW for m in g.members)
    assert all(m["region"] != NE for g in learning_groups(group_kg, region=NW, size=2)
               for m in g.members)


def test_group_size_must_be_at_least_two(group_kg):
    with pytest.raises(ValueError, match="at least 2"):
        learning_groups(group_kg, size=1)


def test_no_council_carries_every_group_when_others_can(seed_kg):
    # in the North West only Liverpool has stated strength evidence, so look at England
    groups = learning_groups(seed_kg)
    leads = [g.members[0]["code"] for g in groups]
    assert groups and len(set(leads)) > 1


def test_seed_pairs_and_groups_have_reasons(seed_kg):
    assert all(p.reasons for p in learning_pairs(seed_kg, region=NW))
    assert all(g.reasons for g in learning_groups(seed_kg))
