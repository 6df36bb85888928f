"""Recording evidence: one fact that a council, organisation or group is working on, has done,
achieved, shared, offered or been thanked for something about a theme or practice.

Every writer of evidence (seed data, document ingest, engagement outcomes) builds its edges here,
so the edge type, the evidence kind and whom the fact is about are chosen in one place.

>>> from graph.schema import Provenance
>>> edge = evidence_edge("E06000006", "practice", "system.front-door",
...                      Provenance(source="curated"))
>>> edge.type.value, edge.evidence.value, edge.about.value
('SHARES_PRACTICE', 'practice', 'subject')
>>> evidence_edge("E06000006", "challenge", "system.front-door",
...               Provenance(source="curated")).type.value
'HAS_PRIORITY'
"""

from __future__ import annotations

from graph.schema import (
    ABOUT_KEY,
    EVIDENCE_KEY,
    STRENGTH_KINDS,
    Edge,
    EdgeType,
    EvidenceAbout,
    EvidenceKind,
    NodeKind,
    Provenance,
    Scalar,
)


def evidence_edge(
    subject: str,
    kind: EvidenceKind | str,
    target: str,
    provenance: Provenance,
    *,
    target_kind: NodeKind = NodeKind.THEME,
    about_group: bool = False,
    note: str | None = None,
) -> Edge:
    """The edge stating that `subject` has `kind` evidence about `target`.

    Parameters
    ----------
    subject : a council, organisation or network id; with ``about_group=True`` the id of the
        Network node that stands for the group (a table column, a cohort) the source speaks of.
    kind : an EvidenceKind or its value (``"challenge"``, ``"practice"``, ...).
    target : a theme id (default) or, with ``target_kind=NodeKind.PRACTICE``, a practice id.
    provenance : the document and locator (or ``user:<who>``) the fact rests on; put the date
        the fact was true in ``since`` so partners can weigh recency.
    note : a short hedge or gloss in our own words, shown beside the fact.

    Raises ``ValueError`` for a kind that cannot be said of that target (a challenge about a
    practice) and pydantic's ``ValidationError`` for a malformed provenance.
    """
    kind = EvidenceKind(kind)
    if target_kind == NodeKind.THEME:
        edge_type = EdgeType.HAS_PRIORITY if kind == EvidenceKind.CHALLENGE \
            else EdgeType.SHARES_PRACTICE
    elif target_kind == NodeKind.PRACTICE:
        if kind == EvidenceKind.CHALLENGE:
            raise ValueError("a challenge is recorded against a theme, not a practice")
        edge_type = EdgeType.DEVELOPED if kind in (EvidenceKind.PRACTICE, EvidenceKind.IMPACT) \
            else EdgeType.INVOLVED_IN
    else:
        raise ValueError(f"evidence is about a theme or a practice, not a {target_kind.value}")
    props: dict[str, Scalar] = {EVIDENCE_KEY: kind.value}
    if about_group:
        props[ABOUT_KEY] = EvidenceAbout.GROUP.value
    if note:
        props["note"] = note
    return Edge(src=subject, type=edge_type, dst=target, provenance=provenance, props=props)


def is_strength(edge: Edge) -> bool:
    """True when the edge makes its subject a source of help (practice, impact, offer,
    endorsement) and is stated about the subject itself, not only about a group it is in."""
    return edge.evidence in STRENGTH_KINDS and edge.about == EvidenceAbout.SUBJECT


__all__ = ["evidence_edge", "is_strength"]
