"""Evidence facts as graph edges: one place that says how a claim about a council or an
organisation (a challenge, practice, impact, participation, offer or endorsement, on a theme,
a practice or a network) is written, whichever channel it came through (a reviewed document,
a self-view, an engagement's outcome).

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

from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph
from graph.schema import Edge, EdgeType, EvidenceKind, NodeKind, Provenance, Scalar

E = EvidenceKind


def evidence_edge(kg: KnowledgeGraph, subject: str, kind: EvidenceKind | str, target: str,
                  provenance: Provenance, **props: Scalar) -> Edge:
    """The edge that records `subject` has `kind` evidence on `target`; GraphError if the
    graph cannot hold that fact (an unknown id, a challenge on a practice...)."""
    kind = E(kind)
    node, aim = kg.get(subject), kg.get(target)
    if node is None or node.kind not in (NodeKind.COUNCIL, NodeKind.ORGANISATION):
        raise GraphError(f"{subject!r} is not a council or organisation in the graph")
    if aim is None:
        raise GraphError(f"{target!r} is not in the graph")
    if aim.kind == NodeKind.THEME:
        if kind == E.CHALLENGE:
            if node.kind != NodeKind.COUNCIL:
                raise GraphError(f"only a council can be working on a challenge, not "
                                 f"{node.name}")
            etype = EdgeType.HAS_PRIORITY
        else:
            etype = EdgeType.SHARES_PRACTICE
    elif aim.kind == NodeKind.PRACTICE and kind != E.CHALLENGE:
        etype = EdgeType.INVOLVED_IN if kind == E.PARTICIPATION else EdgeType.DEVELOPED
    elif aim.kind == NodeKind.NETWORK and kind == E.PARTICIPATION:
        etype = EdgeType.INVOLVED_IN
    else:
        raise GraphError(f"a {kind.value} cannot be recorded on {aim.name} "
                         f"(a {aim.kind.value.lower()})")
    return Edge(src=subject, type=etype, dst=target, provenance=provenance,
                props={"evidence": kind.value, **props})


def evidence_kind(edge: Edge) -> str | None:
    """The evidence kind an edge records, where it says."""
    found = edge.props.get("evidence")
    return found if isinstance(found, str) and found in {k.value for k in E} else None
