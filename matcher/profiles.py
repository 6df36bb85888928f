"""What each council, organisation or network can offer and needs, read once from a graph.

Every matcher module asks the same questions of the graph (which themes does this actor have
evidence on, which does it prioritise, which networks is it in, which engagements has it
provided), so they are answered once per snapshot and cached (`Profiles.for_graph`).

Evidence on a theme. Each fact says what it is evidence of (`graph.schema.EvidenceKind`):
practice, impact, offer and endorsement make an actor a source of help (`ThemeEvidence.strong`);
participation (took part, shared learning at an event) does not; a challenge is a need. Facts
stated only about a group (a table column) stay on the group's Network node and reach its
members as `via_group` evidence, never as their own.

==================  =========================================================  ========
link                graph facts                                                strength
==================  =========================================================  ========
shares_practice     actor -SHARES_PRACTICE-> theme                             1.0
developed           actor -DEVELOPED-> practice -ADDRESSES-> theme             0.9
involved            actor -INVOLVED_IN-> practice -ADDRESSES-> theme           0.7
addresses           practice/organisation/network/offer -ADDRESSES-> theme     1.0
priority            council -HAS_PRIORITY-> theme (a need)                     1.0
==================  =========================================================  ========

Each strength is multiplied by the provenance confidence of the edges behind it. An abolished
council's facts count for each current successor at `SUCCESSOR_FACTOR` (0.6) of their strength,
marked `inherited_from`, so that Cumbria's 2016 learning is evidence for Cumberland and for
Westmorland and Furness, at lower confidence.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import ClassVar

from graph.knowledge import KnowledgeGraph, cite
from graph.ledger import LedgerRow, ledger
from graph.schema import (
    STRENGTH_KINDS,
    Edge,
    EdgeType,
    Engagement,
    EvidenceAbout,
    EvidenceKind,
    NodeKind,
)

SUCCESSOR_FACTOR = 0.6
STRENGTH = {
    "shares_practice": 1.0,
    "developed": 0.9,
    "involved": 0.7,
    "addresses": 1.0,
    "priority": 1.0,  # a need, not an offer
}
OPEN_STATUSES = ("proposed", "agreed", "active")


def edge_evidence(kg: KnowledgeGraph, edge: Edge) -> dict:
    """An edge as evidence a person can follow: type, kind, ends, source, locator, citation."""
    p = edge.provenance
    return {
        "type": edge.type.value,
        "kind": edge.evidence.value if edge.evidence else None,
        "about": edge.about.value if edge.about else None,
        "from": edge.src,
        "to": edge.dst,
        "source": p.source,
        "locator": p.locator,
        "citation": cite(p, kg),
        "confidence": p.confidence,
        "since": p.since,
    }


_SAYS = {
    EvidenceKind.PRACTICE: "Has practice on {theme}",
    EvidenceKind.IMPACT: "Reports a result on {theme}",
    EvidenceKind.OFFER: "Offers to share its experience of {theme}",
    EvidenceKind.ENDORSEMENT: "A council it helped on {theme} says the help worked",
    EvidenceKind.PARTICIPATION: "Took part in an event on {theme} and shared its learning "
                                "(working on it; not stated as practice)",
}


@dataclass(frozen=True)
class ThemeEvidence:
    """One reason to think an actor has experience of (or a need on) a theme."""

    theme: str
    strength: float
    kind: str  # the link: shares_practice | developed | involved | addresses | priority
    edges: tuple[Edge, ...]
    via: str | None = None  # the practice, where the evidence runs through one
    inherited_from: str | None = None  # the abolished council the fact was stated about
    via_group: str | None = None  # the group (Network) the fact was stated about

    @property
    def basis(self) -> EvidenceKind | None:
        """What the first fact behind this is evidence of."""
        return self.edges[0].evidence if self.edges else None

    @property
    def since(self) -> str | None:
        return max((e.provenance.since or "" for e in self.edges), default="") or None

    @property
    def strong(self) -> bool:
        """Evidence that makes the actor a source of help (stated of the actor itself)."""
        return self.via_group is None and bool(self.edges) and all(
            e.evidence in STRENGTH_KINDS and e.about != EvidenceAbout.GROUP
            for e in self.edges if e.evidence is not None)

    def describe(self, kg: KnowledgeGraph) -> str:
        """Plain English with the citation, e.g. `Has practice on X (source, locator)`."""
        theme = kg.name(self.theme).lower() if self.theme in kg else self.theme
        first = self.edges[0] if self.edges else None
        where = f" ({cite(first.provenance, kg)})" if first is not None else ""
        if self.via_group:
            text = (f"Listed with {kg.name(self.via_group)}, whose examples include {theme}; "
                    f"the source does not say which council")
        elif self.kind == "shares_practice":
            text = _SAYS.get(self.basis or EvidenceKind.PRACTICE,
                             "Has practice on {theme}").format(theme=theme)
        elif self.kind == "developed":
            text = f"Developed '{kg.name(self.via or '')}', which addresses {theme}"
        elif self.kind == "involved":
            text = f"Took part in '{kg.name(self.via or '')}', which addresses {theme}"
        elif self.kind == "priority":
            text = f"Has {theme} as an improvement priority"
        else:
            text = f"Addresses {theme}"
        if self.inherited_from:
            text += (f" (stated of {kg.name(self.inherited_from)}, which it succeeded; "
                     f"counted at reduced confidence)")
        return text + where

    def evidence(self, kg: KnowledgeGraph) -> list[dict]:
        return [edge_evidence(kg, e) for e in self.edges]


@dataclass
class Profiles:
    """Per-actor theme evidence, needs, networks and engagements of one graph snapshot."""

    kg: KnowledgeGraph
    offers: dict[str, list[ThemeEvidence]] = field(default_factory=dict)
    needs: dict[str, list[ThemeEvidence]] = field(default_factory=dict)
    networks: dict[str, dict[str, Edge]] = field(default_factory=dict)
    engagements: dict[str, list[tuple[str, Engagement]]] = field(default_factory=dict)
    predecessors: dict[str, list[str]] = field(default_factory=dict)
    stage: dict[str, tuple[int, str, Edge]] = field(default_factory=dict)
    neighbours: dict[str, dict[str, Edge]] = field(default_factory=dict)
    by_theme: dict[str, list[tuple[str, ThemeEvidence]]] = field(default_factory=dict)
    group_needs: dict[str, list[ThemeEvidence]] = field(default_factory=dict)
    group_offers: dict[str, list[ThemeEvidence]] = field(default_factory=dict)
    member_needs: dict[str, list[ThemeEvidence]] = field(default_factory=dict)
    member_offers: dict[str, list[ThemeEvidence]] = field(default_factory=dict)
    give_record: dict[str, LedgerRow] = field(default_factory=dict)  # the ledger, per council

    _cache: ClassVar[weakref.WeakKeyDictionary] = weakref.WeakKeyDictionary()

    @classmethod
    def for_graph(cls, kg: KnowledgeGraph) -> Profiles:
        """The profiles of `kg`, built on first use and cached for the snapshot's lifetime."""
        found = cls._cache.get(kg)
        if found is None:
            with no_gc():
                found = cls.build(kg)
            cls._cache[kg] = found
        return found

    @classmethod
    def build(cls, kg: KnowledgeGraph) -> Profiles:
        p = cls(kg)
        themes = {t.id for t in kg.nodes(NodeKind.THEME)}
        practice_themes: dict[str, list[Edge]] = {}
        for pr in kg.nodes(NodeKind.PRACTICE):
            practice_themes[pr.id] = [e for e in kg.out_edges(pr.id, EdgeType.ADDRESSES)
                                      if e.dst in themes]
        for edge in kg.edges():
            t = edge.type
            if t == EdgeType.SHARES_PRACTICE and edge.dst in themes:
                ev = ThemeEvidence(edge.dst, _conf(edge), "shares_practice", (edge,))
                if edge.about == EvidenceAbout.GROUP:
                    p.group_offers.setdefault(edge.src, []).append(ev)
                else:
                    p._offer(edge.src, ev)
            elif t == EdgeType.HAS_PRIORITY and edge.dst in themes:
                ev = ThemeEvidence(edge.dst, _conf(edge), "priority", (edge,))
                if edge.about == EvidenceAbout.GROUP:
                    p.group_needs.setdefault(edge.src, []).append(ev)
                elif kg.node(edge.src).kind == NodeKind.COUNCIL:
                    p.needs.setdefault(edge.src, []).append(ev)
            elif t in (EdgeType.DEVELOPED, EdgeType.INVOLVED_IN) and edge.dst in practice_themes:
                if edge.about == EvidenceAbout.GROUP:
                    continue  # a group's shared learning is found through the group itself
                kind = "developed" if t == EdgeType.DEVELOPED else "involved"
                for addr in practice_themes[edge.dst]:
                    strength = STRENGTH[kind] * min(_conf(edge), _conf(addr))
                    p._offer(edge.src, ThemeEvidence(addr.dst, strength, kind, (edge, addr),
                                                     via=edge.dst))
            elif t == EdgeType.ADDRESSES and edge.dst in themes:
                p._offer(edge.src, ThemeEvidence(edge.dst, _conf(edge), "addresses", (edge,)))
            elif t in (EdgeType.MEMBER_OF, EdgeType.INVOLVED_IN):
                if kg.node(edge.dst).kind == NodeKind.NETWORK:
                    p.networks.setdefault(edge.src, {})[edge.dst] = edge
            elif t in (EdgeType.PROVIDED, EdgeType.RECEIVED):
                eng = kg.node(edge.dst)
                if isinstance(eng, Engagement):
                    p.engagements.setdefault(edge.src, []).append((t.value, eng))
            elif t == EdgeType.AT_STAGE:
                stage = kg.node(edge.dst)
                order = getattr(stage, "order", None)
                if order is not None:
                    old = p.stage.get(edge.src)
                    if old is None or (edge.provenance.since or "") >= (
                            old[2].provenance.since or ""):
                        p.stage[edge.src] = (int(order), edge.dst, edge)
            elif t in (EdgeType.PARTNERS_WITH, EdgeType.RELATES_TO):
                if edge.props.get("kind") == "statistical_neighbour":
                    p.neighbours.setdefault(edge.src, {})[edge.dst] = edge
                    p.neighbours.setdefault(edge.dst, {})[edge.src] = edge
        # a group's challenges reach its members, marked as stated of the group only
        for actor, nets in p.networks.items():
            for net in nets:
                for ev in p.group_needs.get(net, ()):
                    p.member_needs.setdefault(actor, []).append(replace(ev, via_group=net))
                for ev in p.group_offers.get(net, ()):
                    p.member_offers.setdefault(actor, []).append(replace(ev, via_group=net))
        # abolished councils' facts count, at reduced strength, for their successors
        for c in kg.councils(status="abolished"):
            for succ in kg.current_successors(c.id):
                p.predecessors.setdefault(succ, []).append(c.id)
                for ev in p.offers.get(c.id, ()):
                    p._offer(succ, replace(ev, strength=ev.strength * SUCCESSOR_FACTOR,
                                           inherited_from=c.id))
                for ev in p.needs.get(c.id, ()):
                    p.needs.setdefault(succ, []).append(
                        replace(ev, strength=ev.strength * SUCCESSOR_FACTOR, inherited_from=c.id))
                for group in (p.member_needs, p.member_offers):
                    for ev in group.get(c.id, ()):
                        group.setdefault(succ, []).append(replace(
                            ev, strength=ev.strength * SUCCESSOR_FACTOR, inherited_from=c.id))
        p.give_record = {row.code: row for row in ledger(kg).councils}
        for actor, evs in p.offers.items():
            evs.sort(key=lambda e: -e.strength)
            for ev in evs:
                p.by_theme.setdefault(ev.theme, []).append((actor, ev))
        return p

    def _offer(self, actor: str, ev: ThemeEvidence) -> None:
        self.offers.setdefault(actor, []).append(ev)

    # ------------------------------------------------------------------ questions

    def offered(self, actor: str) -> dict[str, ThemeEvidence]:
        """The strongest evidence per theme an actor has."""
        out: dict[str, ThemeEvidence] = {}
        for ev in self.offers.get(actor, ()):
            if ev.theme not in out or ev.strength > out[ev.theme].strength:
                out[ev.theme] = ev
        return out

    def needed(self, actor: str, *, inherited: bool = True) -> dict[str, ThemeEvidence]:
        """The themes a council prioritises (its own, then any inherited), strongest per theme."""
        out: dict[str, ThemeEvidence] = {}
        for ev in self.needs.get(actor, ()):
            if ev.inherited_from and not inherited:
                continue
            if ev.theme not in out or ev.strength > out[ev.theme].strength:
                out[ev.theme] = ev
        return out

    def open_load(self, actor: str) -> list[Engagement]:
        """Engagements the actor provides that are proposed, agreed or active."""
        return [e for how, e in self.engagements.get(actor, ())
                if how == "PROVIDED" and e.status in OPEN_STATUSES]


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large, acyclic indexes.

    Building allocates hundreds of thousands of small objects and none of them form cycles;
    without this, repeated full collections make a build several times slower.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _conf(edge: Edge) -> float:
    return float(edge.provenance.confidence)
