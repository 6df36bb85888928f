"""What each node says about itself as text: the words search, query reading and theme
reading all share."""

from __future__ import annotations

from graph.schema import Document, Node, NodeKind, Organisation, Practice, SupportOffer, Theme

RESULT_KINDS: tuple[NodeKind, ...] = (
    NodeKind.PRACTICE,
    NodeKind.COUNCIL,
    NodeKind.ORGANISATION,
    NodeKind.NETWORK,
    NodeKind.SUPPORT_OFFER,
    NodeKind.DOCUMENT,
)
"""The kinds of node search returns."""


def own_text(n: Node) -> str:
    """A node's own words: name, aliases, description, summary, type, publisher, roles."""
    parts = [n.name, *n.aliases, n.description or ""]
    if isinstance(n, Practice):
        parts.append(n.summary)
    if isinstance(n, Organisation | Document) or n.kind == NodeKind.NETWORK:
        parts.append(str(getattr(n, "type", "") or ""))
    if isinstance(n, Document):
        parts.append(n.publisher or "")
    if isinstance(n, SupportOffer):
        parts += [r.replace("_", " ") for r in n.roles]
        parts.append(n.how_to_access or "")
    return " ".join(p for p in parts if p)


def theme_texts(t: Theme) -> list[str]:
    """The short phrases that name a theme: name, synonyms, aliases and the last id word."""
    return [t.name, *t.synonyms, *t.aliases, t.id.split(".")[-1].replace("-", " ")]
