"""Edits a person makes in the app, as batches of store changes.

Pure functions: they read a snapshot and return the changes to apply with
`GraphStore.apply(changes, who)`; they never write. Pages call these and never build records
themselves. What they write is what the matcher reads: a council's self-view, its priorities
(`HAS_PRIORITY`), `Council.capacity` (against the engagements the council provides), its
current `AT_STAGE` edge (the one with the latest `since`), and proposed engagements.

>>> from graph.schema import Region
>>> kg = KnowledgeGraph([
...     Region(id="E12000002", name="North West"),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
...     Stage(id="stage-poor-to-fair", name="Moving from poor to fair", order=2),
...     Stage(id="stage-starting-line", name="Getting to the starting line", order=1)])
>>> [s.id for s in journey_stages(kg)]
['stage-starting-line', 'stage-poor-to-fair']
>>> [c.op for c in stage_changes(kg, "E06000006", "stage-poor-to-fair", "Ann", "2025-05-01")]
['add_edge']
>>> [c.values for c in capacity_changes(kg.node("E06000006"), 2)]
[{'capacity': 2}]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from graph.changes import (
    AddEdge,
    Change,
    RemoveEdge,
    UpsertNode,
    update_fields,
    user_provenance,
)
from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph
from graph.schema import (
    Council,
    Edge,
    EdgeType,
    Engagement,
    NodeKind,
    SelfView,
    Stage,
    StatusChange,
)


def is_user_edit(edge: Edge) -> bool:
    """Whether a person entered this fact (rather than a source document or curation)."""
    return edge.provenance.source.startswith("user:")


def journey_stages(kg: KnowledgeGraph) -> list[Stage]:
    """The stages of the improvement journey, in order."""
    return sorted(kg.nodes(NodeKind.STAGE), key=lambda s: (s.order, s.id))  # type: ignore[attr-defined]


def current_stage(kg: KnowledgeGraph, council_id: str) -> Edge | None:
    """The council's `AT_STAGE` edge the matcher goes by: the one with the latest `since`
    (later edges win ties), or None when no stage is recorded."""
    best: Edge | None = None
    for edge in kg.out_edges(council_id, EdgeType.AT_STAGE):
        if kg.node(edge.dst).kind != NodeKind.STAGE:
            continue
        if best is None or (edge.provenance.since or "") >= (best.provenance.since or ""):
            best = edge
    return best


def capacity_changes(council: Council, capacity: int | None) -> list[Change]:
    """Set how many improvement engagements the council can support at once (None: unknown)."""
    if capacity is not None and (isinstance(capacity, bool) or capacity < 0):
        raise GraphError(f"capacity {capacity!r}: give a whole number of engagements, 0 or "
                         f"more, or leave it blank if unknown")
    if council.capacity == capacity:
        return []
    return [update_fields(council, capacity=capacity)]  # against the capacity as read


def stage_changes(kg: KnowledgeGraph, council_id: str, stage_id: str | None, who: str,
                  since: str) -> list[Change]:
    """Record the council's stage of the improvement journey as entered by `who` on `since`
    (an ISO date), replacing any stage a person entered before; None clears those entries.

    Stages taken from documents are kept: the new entry, dated `since`, is the newer fact.
    Nothing changes when `stage_id` is already the council's current stage.
    """
    if stage_id is not None and (stage_id not in kg or kg.node(stage_id).kind != NodeKind.STAGE):
        known = ", ".join(s.id for s in journey_stages(kg))
        raise GraphError(f"no journey stage {stage_id!r}: choose one of {known}")
    old = [e for e in kg.out_edges(council_id, EdgeType.AT_STAGE) if is_user_edit(e)]
    now = current_stage(kg, council_id)
    if (stage_id is None and not old) or (now is not None and now.dst == stage_id):
        return []
    changes: list[Change] = [
        RemoveEdge(src=council_id, type=EdgeType.AT_STAGE, dst=e.dst,
                   source=e.provenance.source) for e in old]
    if stage_id is not None:
        changes.append(AddEdge(edge=Edge(src=council_id, type=EdgeType.AT_STAGE, dst=stage_id,
                                         provenance=user_provenance(who, since=since))))
    return changes


def self_view_changes(council: Council, view: SelfView) -> list[Change]:
    """Replace the council's self-view (nothing when it is unchanged)."""
    if (council.self_view or SelfView()) == view:
        return []
    return [update_fields(council, self_view=view)]  # against the self-view as read


def priority_changes(kg: KnowledgeGraph, council_id: str, themes: Iterable[str],
                     who: str) -> list[Change]:
    """Make the council's improvement priorities exactly `themes`: remove the ones left out,
    add the new ones as entered by `who` (nothing when they are unchanged)."""
    wanted = list(dict.fromkeys(themes))
    current = {e.dst for e in kg.out_edges(council_id, EdgeType.HAS_PRIORITY)}
    changes: list[Change] = [RemoveEdge(src=council_id, type=EdgeType.HAS_PRIORITY, dst=t)
                             for t in sorted(current) if t not in wanted]
    changes += [AddEdge(edge=Edge(src=council_id, type=EdgeType.HAS_PRIORITY, dst=t,
                                  provenance=user_provenance(who)))
                for t in wanted if t not in current]
    return changes


def partner_proposal(kg: KnowledgeGraph, recipient: str, provider: str,
                     themes: Iterable[str], who: str, now: datetime) -> list[Change]:
    """Record `provider` proposed by `who` as improvement partner to `recipient` at `now`."""
    for code in (recipient, provider):
        if kg.get(code) is None or kg.node(code).kind != NodeKind.COUNCIL:
            raise GraphError(f"no council {code!r}: choose a council from the list")
    if recipient == provider:
        raise GraphError(f"{kg.name(recipient)} cannot be its own improvement partner")
    engagement = Engagement(  # a lower-case id: its outcome's evidence cites it as a source
        id=f"eng-{recipient}-{provider}-{now.strftime('%Y%m%dT%H%M%S')}".lower(),
        name=f"{kg.name(provider)} as improvement partner to {kg.name(recipient)}",
        type="improvement_partner", provider=provider, recipient=recipient,
        themes=[t for t in themes if t in kg], status="proposed",
        start=now.date().isoformat(), source=f"user:{who}",
        history=[StatusChange(status="proposed", who=who, at=now.isoformat())])
    return [UpsertNode(node=engagement)]
