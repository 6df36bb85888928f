"""Writing a reviewed document: the document itself and the claims a person accepted, as one
batch whose every fact names the document and the characters it rests on.

The same file (by its bytes' sha256) is one document: applying it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.changes import AddEdge, Change, UpsertNode, now_iso
from graph.claims import evidence_edge
from graph.errors import GraphError
from graph.ingest.read import SourceText
from graph.knowledge import KnowledgeGraph
from graph.schema import STRENGTH_KINDS, Document, Edge, Provenance

PERSON_CONFIDENCE = 0.7
"""The confidence of a fact a person states without the reader's (a claim given without one,
a pair the reader listed as named together that the person ticked)."""


@dataclass(frozen=True)
class AcceptedClaim:
    """A claim as a person accepted it (perhaps edited): who, what kind, on what, and the
    characters of the document it rests on."""

    subject: str
    kind: str
    target: str
    confidence: float
    start: int
    end: int

    @classmethod
    def from_json(cls, data: dict) -> AcceptedClaim:
        ev = data.get("evidence") or {}
        return cls(data["subject"], data["kind"], data["target"],
                   float(data.get("confidence", PERSON_CONFIDENCE)), int(ev.get("start", 0)),
                   int(ev.get("end", 0)))


def already_ingested(kg: KnowledgeGraph, src: SourceText) -> bool:
    return src.document_id in kg


def document_record(src: SourceText, who: str, at: str | None = None) -> Document:
    at = at or now_iso()
    return Document(id=src.document_id, name=src.title, file=src.name, sha256=src.sha256,
                    date=at[:10], publisher=None, source=f"user:{who}",
                    description=f"Read in by {who} on {at[:10]}")


def ingest_changes(kg: KnowledgeGraph, src: SourceText, claims: Iterable[AcceptedClaim],
                   who: str, at: str | None = None) -> list[Change]:
    """The batch that registers the document and records its accepted claims; [] when the
    document is already in the graph. GraphError names the first claim the graph cannot hold.
    """
    if already_ingested(kg, src):
        return []
    at = at or now_iso()
    doc = document_record(src, who, at)
    found: dict[tuple[str, str, str], list[Edge]] = {}
    for i, c in enumerate(claims, 1):
        if not 0 <= c.start <= c.end <= len(src.text):
            raise GraphError(f"claim {i}: characters {c.start}-{c.end} are outside the text")
        prov = Provenance(source=doc.id, locator=f"characters {c.start}-{c.end}",
                          confidence=max(0.0, min(1.0, c.confidence)), since=at[:10])
        try:
            edge = evidence_edge(kg, c.subject, c.kind, c.target, prov)
        except (GraphError, ValueError) as exc:
            raise GraphError(f"claim {i} ({kg.name(c.subject)}, {c.kind}): {exc}") from None
        found.setdefault(edge.key, []).append(edge)
    return [UpsertNode(node=doc), *(AddEdge(edge=one_fact(same)) for same in found.values())]


def recorded_words(facts: int, accepted: int) -> str:
    """What an apply recorded, in words: `2 facts (3 accepted; ...)` when claims merged.

    >>> recorded_words(1, 1)
    '1 fact'
    >>> print(recorded_words(2, 3))  # doctest: +NORMALIZE_WHITESPACE
    2 facts (3 accepted: those naming the same council and theme are one fact
    citing each sentence)
    """
    text = f"{facts} fact" if facts == 1 else f"{facts} facts"
    if accepted > facts:
        text += (f" ({accepted} accepted: those naming the same council and theme are one fact "
                 f"citing each sentence)")
    return text


def one_fact(edges: list[Edge]) -> Edge:
    """Claims that land on the same fact (one edge per subject, link and target in a
    document) as one edge citing every sentence: of the strongest kind of evidence among them
    (a source of help before taking part, then the most confident), at the highest confidence,
    its locator listing each sentence's characters, with its kind where the kinds differ.

    >>> from graph.schema import EdgeType
    >>> def claim(kind, where, conf):
    ...     return Edge(src="E06000006", type=EdgeType.SHARES_PRACTICE, dst="system",
    ...                 props={"evidence": kind},
    ...                 provenance=Provenance(source="doc-1", locator=where, confidence=conf))
    >>> fact = one_fact([claim("participation", "characters 0-40", 0.7),
    ...                  claim("offer", "characters 80-120", 0.85),
    ...                  claim("offer", "characters 200-260", 0.6)])
    >>> fact.props["evidence"], fact.provenance.confidence
    ('offer', 0.85)
    >>> fact.provenance.locator
    'characters 0-40 (participation); characters 80-120 (offer); characters 200-260 (offer)'
    """
    best = max(edges, key=lambda e: (e.evidence in STRENGTH_KINDS,
                                     e.provenance.confidence))
    if len(edges) == 1:
        return best
    kinds = {e.evidence for e in edges}
    where = [e.provenance.locator or "" for e in edges]
    if len(kinds) > 1:
        where = [f"{w} ({e.evidence.value})" if e.evidence else w
                 for w, e in zip(where, edges, strict=True)]
    locator = "; ".join(dict.fromkeys(where))
    confidence = max(e.provenance.confidence for e in edges)
    return best.model_copy(update={"provenance": best.provenance.model_copy(
        update={"locator": locator, "confidence": confidence})})
