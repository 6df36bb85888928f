"""Relationships and kinds of record in people's words, for everything the app, the CLI and
exports show.

>>> relationship_words("HAS_PRIORITY"), relationship_words("HAS_PRIORITY", incoming=True)
('has as a priority', 'is a priority of')
>>> kind_words("SupportOffer")
'support offers'
"""

from __future__ import annotations

from graph.schema import EdgeType, NodeKind

_KINDS: dict[NodeKind, str] = {
    NodeKind.COUNCIL: "councils",
    NodeKind.REGION: "regions",
    NodeKind.THEME: "themes",
    NodeKind.PRACTICE: "practice examples",
    NodeKind.ORGANISATION: "organisations",
    NodeKind.NETWORK: "networks",
    NodeKind.DOCUMENT: "documents",
    NodeKind.CHARACTERISTIC: "self-improving-system characteristics",
    NodeKind.STAGE: "improvement stages",
    NodeKind.SUPPORT_OFFER: "support offers",
    NodeKind.REVIEWER: "reviewers",
    NodeKind.ENGAGEMENT: "engagements",
}

# (read from the source, read from the target)
_WORDS: dict[EdgeType, tuple[str, str]] = {
    EdgeType.IN_REGION: ("is in", "includes"),
    EdgeType.SUCCEEDED_BY: ("was succeeded by", "succeeded"),
    EdgeType.PART_OF: ("is part of", "includes"),
    EdgeType.HAS_PRIORITY: ("has as a priority", "is a priority of"),
    EdgeType.SHARES_PRACTICE: ("shares practice on", "has practice shared by"),
    EdgeType.DEVELOPED: ("developed", "was developed by"),
    EdgeType.INVOLVED_IN: ("is involved in", "involves"),
    EdgeType.ADDRESSES: ("addresses", "is addressed by"),
    EdgeType.MEMBER_OF: ("is a member of", "has as a member"),
    EdgeType.RATED: ("rated", "was rated by"),
    EdgeType.AT_STAGE: ("is at the stage", "is the stage of"),
    EdgeType.OFFERS: ("offers", "is offered by"),
    EdgeType.SUPPORTS: ("supports", "is supported by"),
    EdgeType.RELATES_TO: ("relates to", "relates to"),
    EdgeType.WORKS_FOR: ("works for", "employs"),
    EdgeType.HAS_EXPERTISE: ("has expertise in", "is an expertise of"),
    EdgeType.PROVIDED: ("provided", "was provided by"),
    EdgeType.RECEIVED: ("received", "was received by"),
    EdgeType.ABOUT: ("is about", "is the subject of"),
    EdgeType.PARTNERS_WITH: ("partners with", "partners with"),
}


def relationship_words(edge_type: EdgeType | str, incoming: bool = False) -> str:
    """How a person would say the relationship (from its target's side with `incoming`)."""
    try:
        forward, backward = _WORDS[EdgeType(edge_type)]
    except (KeyError, ValueError):
        return str(edge_type).replace("_", " ").lower()
    return backward if incoming else forward


def kind_words(kind: NodeKind | str) -> str:
    """A kind of record as people say it, in the plural."""
    try:
        return _KINDS[NodeKind(kind)]
    except (KeyError, ValueError):
        return str(kind).lower()


def one_line(text: str, limit: int) -> str:
    """A text as one line of at most `limit` characters, cut with an ellipsis.

    >>> print(one_line("Leeds   audits  files every month.", 18))
    Leeds audits file…
    """
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"
