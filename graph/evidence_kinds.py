"""The words of the evidence model: what a fact is evidence of, and whom it is about.

A leaf module (no imports from the rest of `graph`) so that the schema, the loader and the
evidence helpers (`graph.evidence`) share one definition; `graph.schema` re-exports it.
"""

from __future__ import annotations

from enum import StrEnum


class EvidenceKind(StrEnum):
    """What a fact linking a council or organisation to a theme or practice is evidence of.

    Only the strength kinds make a council a source of help; a challenge makes it a peer.
    """

    CHALLENGE = "challenge"  # working on it, a priority, asked for help
    PRACTICE = "practice"  # has done it
    IMPACT = "impact"  # a stated result
    PARTICIPATION = "participation"  # took part, shared learning at an event
    OFFER = "offer"  # says it can share
    ENDORSEMENT = "endorsement"  # a council it helped says it helped


STRENGTH_KINDS = frozenset(
    {EvidenceKind.PRACTICE, EvidenceKind.IMPACT, EvidenceKind.OFFER, EvidenceKind.ENDORSEMENT}
)


class EvidenceAbout(StrEnum):
    """Whom an evidence fact is stated about.

    A fact stated only about a group (a column of a table, a cohort at an event) is attached to
    a Network node standing for that group, never copied onto each member as if stated of it;
    members join the group with MEMBER_OF.
    """

    SUBJECT = "subject"  # the council or organisation the edge starts from
    GROUP = "group"  # the group the edge starts from; no member is named by the source


# Edge types (by name) that carry evidence about a theme or practice, the kinds each may
# carry, and the kind assumed when a record does not say (older journals and stores).
_ALL_KINDS = frozenset(EvidenceKind)
EVIDENCE_TYPES: dict[str, tuple[frozenset[EvidenceKind], EvidenceKind]] = {
    "HAS_PRIORITY": (frozenset({EvidenceKind.CHALLENGE}), EvidenceKind.CHALLENGE),
    "SHARES_PRACTICE": (_ALL_KINDS - {EvidenceKind.CHALLENGE}, EvidenceKind.PRACTICE),
    "DEVELOPED": (frozenset({EvidenceKind.PRACTICE, EvidenceKind.IMPACT}), EvidenceKind.PRACTICE),
    "INVOLVED_IN": (_ALL_KINDS - {EvidenceKind.CHALLENGE}, EvidenceKind.PARTICIPATION),
}
EVIDENCE_KEY = "evidence"  # Edge.props key holding the EvidenceKind
ABOUT_KEY = "about"  # Edge.props key holding the EvidenceAbout
