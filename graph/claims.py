"""Evidence facts from the channels (a reviewed document, a self-view, an engagement's
outcome) as graph edges, checked against the graph: the subject is a council or organisation
in it and the target a theme, practice or network in it. The edge itself is built by
`graph.evidence.evidence_edge`, the one place every writer of evidence goes through; taking
part in a network is the one fact it does not build (an INVOLVED_IN edge to the network).

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Council, Region, Theme
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
...     Theme(id="system", name="System")])
>>> edge = evidence_edge(kg, "E06000006", "offer", "system", Provenance(source="curated"))
>>> edge.type.value, edge.props["evidence"]
('SHARES_PRACTICE', 'offer')
"""

from __future__ import annotations

from graph import evidence
from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph
from graph.schema import EVIDENCE_KEY, Edge, EdgeType, EvidenceKind, NodeKind, Provenance, Scalar

E = EvidenceKind


def evidence_edge(kg: KnowledgeGraph, subject: str, kind: EvidenceKind | str, target: str,
                  provenance: Provenance, **props: Scalar) -> Edge:
    """The edge that records `subject` has `kind` evidence on `target` (extra `props` kept);
    GraphError if the graph cannot hold that fact (an unknown id, a challenge on a practice,
    an organisation's challenge...)."""
    try:
        kind = E(kind)
    except ValueError:
        raise GraphError(f"no evidence kind {kind!r}: use one of "
                         f"{', '.join(k.value for k in E)}") from None
    node, aim = kg.get(subject), kg.get(target)
    if node is None or node.kind not in (NodeKind.COUNCIL, NodeKind.ORGANISATION):
        raise GraphError(f"{subject!r} is not a council or organisation in the graph")
    if aim is None:
        raise GraphError(f"{target!r} is not in the graph")
    if kind == E.CHALLENGE and node.kind != NodeKind.COUNCIL:
        raise GraphError(f"only a council can be working on a challenge, not {node.name}")
    if aim.kind == NodeKind.NETWORK and kind == E.PARTICIPATION:
        edge = Edge(src=subject, type=EdgeType.INVOLVED_IN, dst=target, provenance=provenance,
                    props={EVIDENCE_KEY: kind.value})
    elif aim.kind in (NodeKind.THEME, NodeKind.PRACTICE):
        try:
            edge = evidence.evidence_edge(subject, kind, target, provenance,
                                          target_kind=aim.kind)
        except ValueError as exc:
            raise GraphError(f"{aim.name}: {exc}") from None
    else:
        raise GraphError(f"a {kind.value} cannot be recorded on {aim.name} "
                         f"(a {aim.kind.value.lower()})")
    return edge.model_copy(update={"props": {**edge.props, **props}}) if props else edge
