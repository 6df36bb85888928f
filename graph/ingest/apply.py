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
from graph.schema import Document, Edge, Provenance


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
                   float(data.get("confidence", 0.7)), int(ev.get("start", 0)),
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
    edges: dict[tuple[str, str, str], Edge] = {}
    for i, c in enumerate(claims, 1):
        if not 0 <= c.start <= c.end <= len(src.text):
            raise GraphError(f"claim {i}: characters {c.start}-{c.end} are outside the text")
        prov = Provenance(source=doc.id, locator=f"characters {c.start}-{c.end}",
                          confidence=max(0.0, min(1.0, c.confidence)), since=at[:10])
        try:
            edge = evidence_edge(kg, c.subject, c.kind, c.target, prov)
        except (GraphError, ValueError) as exc:
            raise GraphError(f"claim {i} ({kg.name(c.subject)}, {c.kind}): {exc}") from None
        key = (edge.src, edge.type.value, edge.dst)
        old = edges.get(key)
        if old is not None:  # one fact per pair: the stronger kind of evidence, both places
            if old.props.get("evidence") != edge.props.get("evidence") \
                    and old.provenance.confidence >= edge.provenance.confidence:
                continue
            locator = f"{old.provenance.locator}; {prov.locator}"
            edge = edge.model_copy(update={"provenance": prov.model_copy(
                update={"locator": locator,
                        "confidence": max(prov.confidence, old.provenance.confidence)})})
        edges[key] = edge
    return [UpsertNode(node=doc), *(AddEdge(edge=e) for e in edges.values())]
