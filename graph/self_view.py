"""A council's self-view as evidence: the themes it says it can share become offers, the
themes it wants support on become challenges, each dated and signed by whoever entered them,
so partner and peer searches use them at once.

Pure: functions read a snapshot and return store changes.

>>> from graph.schema import Council, Region, Theme
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
...     Theme(id="system", name="System"), Theme(id="workforce", name="Workforce")])
>>> changes = self_view_evidence_changes(kg, "E06000006", ["system"], ["workforce"], "Ann",
...                                      "2026-03-01")
>>> [(c.edge.type.value, c.edge.dst, c.edge.props["evidence"]) for c in changes]
[('SHARES_PRACTICE', 'system', 'offer'), ('HAS_PRIORITY', 'workforce', 'challenge')]
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.changes import AddEdge, Change, RemoveEdge
from graph.claims import evidence_edge
from graph.knowledge import KnowledgeGraph
from graph.schema import Edge, EvidenceKind, Provenance

PARTS = {"share": (EvidenceKind.OFFER, "self-view: what we can share"),
         "support": (EvidenceKind.CHALLENGE, "self-view: what support we want")}


def self_view_evidence(kg: KnowledgeGraph, council_id: str) -> dict[str, list[Edge]]:
    """The council's self-view evidence now: 'share' and 'support' edges."""
    out: dict[str, list[Edge]] = {"share": [], "support": []}
    for edge in kg.out_edges(council_id):
        part = edge.props.get("self_view")
        if part in out:
            out[str(part)].append(edge)
    return out


def self_view_evidence_changes(kg: KnowledgeGraph, council_id: str, share: Sequence[str],
                      support: Sequence[str], who: str, since: str) -> list[Change]:
    """Changes that make the council's self-view evidence exactly `share` (offers) and
    `support` (challenges): themes no longer listed are removed, new ones added, dated
    `since` and signed by `who`; themes already recorded are left as they were."""
    now = self_view_evidence(kg, council_id)
    changes: list[Change] = []
    for part, wanted in (("share", share), ("support", support)):
        kind, locator = PARTS[part]
        have = {e.dst: e for e in now[part]}
        changes += [RemoveEdge(src=council_id, type=e.type, dst=e.dst,
                               source=e.provenance.source)
                    for t, e in have.items() if t not in wanted]
        for t in dict.fromkeys(wanted):
            if t in have:
                continue
            prov = Provenance(source=f"user:{who}", locator=locator, since=since)
            changes.append(AddEdge(edge=evidence_edge(kg, council_id, kind, t, prov,
                                                      self_view=part)))
    return changes
