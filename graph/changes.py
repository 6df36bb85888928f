"""The changes a store accepts, the journal record of one, and the checks every store runs.

A change is one of four small records (upsert or remove a node, add or remove an edge).
Every store takes a batch of them through `prepare_changes` (validate, stamp a person's
provenance) and `check_changes` (replay over the current records and refuse the batch whole
if the result breaks a cross-record rule); `ChangeRecord` is one journal entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from graph.errors import ChangeRejected
from graph.loader import Origin, SeedData, check_references
from graph.schema import AnyNode, Edge, EdgeType, Provenance


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UpsertNode(_Change):
    op: Literal["upsert_node"] = "upsert_node"
    node: AnyNode


class RemoveNode(_Change):
    op: Literal["remove_node"] = "remove_node"
    id: str


class AddEdge(_Change):
    op: Literal["add_edge"] = "add_edge"
    edge: Edge


class RemoveEdge(_Change):
    op: Literal["remove_edge"] = "remove_edge"
    src: str
    type: EdgeType
    dst: str
    source: str | None = None  # None removes the fact whatever its source


Change = Annotated[Union[UpsertNode, RemoveNode, AddEdge, RemoveEdge], Field(discriminator="op")]
CHANGE = TypeAdapter(Change)  # parses and serialises any change (journal payloads)


def change_to_json(change: Change) -> str:
    return CHANGE.dump_json(change).decode()


def change_from_json(payload: str | bytes) -> Change:
    return CHANGE.validate_json(payload)


def touched_ids(change: Change) -> set[str]:
    """The node ids a change is about (a node's own id, or both ends of an edge)."""
    if isinstance(change, UpsertNode):
        return {change.node.id}
    if isinstance(change, RemoveNode):
        return {change.id}
    if isinstance(change, AddEdge):
        return {change.edge.src, change.edge.dst}
    return {change.src, change.dst}


class ChangeRecord(BaseModel):
    """One journal entry: who changed what, when."""

    model_config = ConfigDict(frozen=True)
    seq: int
    at: str
    who: str
    change: Change

    def touches(self, node_id: str) -> bool:
        return node_id in touched_ids(self.change)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stamp(change: Change, who: str, at: str) -> Change:
    """Give an edit made by a person its provenance (`user:<who>`, recorded_at)."""
    if isinstance(change, AddEdge) and change.edge.provenance.source.startswith("user:"):
        prov = change.edge.provenance.model_copy(update={"recorded_at": at})
        return AddEdge(edge=change.edge.model_copy(update={"provenance": prov}))
    return change


def prepare_changes(changes: Sequence[Change], who: str) -> list[Change]:
    """Validate a batch and stamp a person's edits; every store does this before writing."""
    if not who or not who.strip():
        raise ChangeRejected("say who is making the change")
    at = now_iso()
    return [stamp(CHANGE.validate_python(c), who, at) for c in changes]


def user_provenance(who: str, **kw) -> Provenance:
    return Provenance(source=f"user:{who}", recorded_at=now_iso(), **kw)


def replay(seed: SeedData, changes: Sequence[Change]) -> SeedData:
    """Apply changes to seed records, returning new records (the inputs are not touched)."""
    nodes = {n.id: n for n in seed.nodes}
    origins = dict(seed.origins)
    edges: dict[tuple[str, str, str, str], Edge] = {
        (*e.key, e.provenance.source): e for e in seed.edges
    }
    for change in changes:
        if isinstance(change, UpsertNode):
            nodes[change.node.id] = change.node
            origins.setdefault(change.node.id, Origin("journal", None))
        elif isinstance(change, RemoveNode):
            nodes.pop(change.id, None)
            edges = {k: e for k, e in edges.items() if change.id not in (e.src, e.dst)}
        elif isinstance(change, AddEdge):
            e = change.edge
            edges[(*e.key, e.provenance.source)] = e
        elif isinstance(change, RemoveEdge):
            edges = {
                k: e for k, e in edges.items()
                if not (e.src == change.src and e.type == change.type and e.dst == change.dst
                        and (change.source is None or e.provenance.source == change.source))
            }
    return SeedData(nodes=list(nodes.values()), edges=list(edges.values()), origins=origins)


def check_changes(seed: SeedData, changes: Sequence[Change]) -> SeedData:
    """Replay and check the result obeys every cross-record rule; raise ChangeRejected if not."""
    result = replay(seed, changes)
    edge_origin = Origin("change", None)
    problems = check_references(result.nodes, [(e, edge_origin) for e in result.edges],
                                result.origins)
    if problems:
        raise ChangeRejected("; ".join(str(p) for p in problems[:5]))
    return result


__all__ = [
    "CHANGE", "AddEdge", "Change", "ChangeRecord", "RemoveEdge", "RemoveNode", "UpsertNode",
    "change_from_json", "change_to_json", "check_changes", "now_iso", "prepare_changes",
    "replay", "stamp", "touched_ids", "user_provenance",
]
