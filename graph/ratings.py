"""A region's ratings of the characteristics of a self-improving system (RAG)."""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import UnknownNode
from graph.knowledge import KnowledgeGraph, cite
from graph.schema import EdgeType


@dataclass(frozen=True)
class Rating:
    """A region's rating of one characteristic of a self-improving system."""

    number: int | None
    characteristic: str
    name: str
    rag: str
    date: str | None
    notes: str | None
    citation: str

    def to_json(self) -> dict:
        return {"number": self.number, "characteristic": self.characteristic,
                "name": self.name, "rag": self.rag, "date": self.date, "notes": self.notes,
                "citation": self.citation}


def rag_table(kg: KnowledgeGraph, region: str) -> list[Rating]:
    """A region's RATED characteristics, in the characteristics' own order.

    Ratings come from `Region -RATED {rag, date}-> Characteristic` edges; a region without
    any gives an empty list.
    """
    if region not in kg:
        raise UnknownNode(region)
    out = []
    for edge in kg.out_edges(region, EdgeType.RATED):
        char = kg.node(edge.dst)
        number = getattr(char, "number", None)
        date = edge.props.get("date") or edge.provenance.since
        notes = edge.props.get("notes") or edge.props.get("note")
        out.append(Rating(number, char.id, char.name, str(edge.props.get("rag", "unrated")),
                          None if date is None else str(date),
                          None if notes is None else str(notes), cite(edge.provenance, kg)))
    out.sort(key=lambda r: (r.number is None, r.number or 0, r.name, r.date or ""))
    return out
