"""Evidence on edges: what a fact is evidence of and whom it is about, validated by the schema."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from graph.errors import LoadError
from graph.evidence import evidence_edge, is_strength
from graph.loader import load_dir
from graph.schema import Edge, EdgeType, EvidenceAbout, EvidenceKind, NodeKind, Provenance
from tests.graph.test_loader import broken  # noqa: F401  (fixture)

PROV = Provenance(source="curated", since="2024")


@pytest.mark.parametrize(("kind", "edge_type"), [
    ("challenge", EdgeType.HAS_PRIORITY),
    ("practice", EdgeType.SHARES_PRACTICE),
    ("impact", EdgeType.SHARES_PRACTICE),
    ("offer", EdgeType.SHARES_PRACTICE),
    ("endorsement", EdgeType.SHARES_PRACTICE),
    ("participation", EdgeType.SHARES_PRACTICE),
])
def test_evidence_about_a_theme_picks_the_edge_type_and_keeps_the_kind(kind, edge_type):
    edge = evidence_edge("E06000006", kind, "system.front-door", PROV)
    assert edge.type == edge_type
    assert edge.evidence == EvidenceKind(kind)
    assert edge.about == EvidenceAbout.SUBJECT
    assert edge.provenance.since == "2024"


def test_evidence_about_a_practice_uses_developed_or_involved_in():
    done = evidence_edge("E06000006", "impact", "p", PROV, target_kind=NodeKind.PRACTICE)
    took_part = evidence_edge("E06000006", "participation", "p", PROV,
                              target_kind=NodeKind.PRACTICE)
    assert (done.type, took_part.type) == (EdgeType.DEVELOPED, EdgeType.INVOLVED_IN)
    with pytest.raises(ValueError, match="against a theme"):
        evidence_edge("E06000006", "challenge", "p", PROV, target_kind=NodeKind.PRACTICE)


def test_only_strength_stated_of_the_subject_makes_a_source_of_help():
    assert is_strength(evidence_edge("E06000006", "offer", "t", PROV))
    assert not is_strength(evidence_edge("E06000006", "challenge", "t", PROV))
    assert not is_strength(evidence_edge("E06000006", "participation", "t", PROV))
    assert not is_strength(evidence_edge("cohort", "practice", "t", PROV, about_group=True))


def test_unknown_kind_or_kind_the_edge_type_cannot_carry_is_refused():
    with pytest.raises(ValueError):
        evidence_edge("E06000006", "rumour", "t", PROV)
    with pytest.raises(ValidationError, match="not one of"):
        Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="t", provenance=PROV,
             props={"evidence": "practice"})
    with pytest.raises(ValidationError, match="carry no evidence"):
        Edge(src="E06000006", type=EdgeType.MEMBER_OF, dst="n", provenance=PROV,
             props={"evidence": "practice"})
    with pytest.raises(ValidationError, match="'subject' or 'group'"):
        Edge(src="E06000006", type=EdgeType.SHARES_PRACTICE, dst="t", provenance=PROV,
             props={"about": "everyone"})


def test_edges_without_a_stated_kind_take_their_type_default():
    old = Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="t", provenance=PROV)
    assert old.evidence == EvidenceKind.CHALLENGE
    assert Edge(src="E06000006", type=EdgeType.MEMBER_OF, dst="n", provenance=PROV).evidence \
        is None


def test_a_group_fact_on_a_council_fails_at_file_and_line(broken):  # noqa: F811
    path = broken / "edges" / "zz-group.yaml"
    path.write_text(yaml.safe_dump([{
        "from": "E06000006", "type": "SHARES_PRACTICE", "to": "workforce",
        "source": "curated", "props": {"evidence": "practice", "about": "group"}}]))
    with pytest.raises(LoadError) as err:
        load_dir(broken)
    assert "zz-group.yaml:1: from:" in str(err.value)
    assert "Network node" in str(err.value)
