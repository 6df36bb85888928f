"""The changes a store accepts, the journal record of one, and the checks every store runs.

A change is one of four small records (upsert or remove a node, add or remove an edge).
Every store takes a batch of them through `prepare_changes` (validate, stamp a person's
provenance) and `check_changes` (replay over the current records and refuse the batch whole
if the result breaks a cross-record rule); `ChangeRecord` is one journal entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from graph.errors import ChangeRejected
from graph.loader import Origin, SeedData, check_references
from graph.schema import AnyNode, Edge, EdgeType, Node, Provenance
from graph.text import control_character_problem


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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


class UpdateNode(_Change):
    """Set some fields of a node, made against the values the editor saw (`seen`): the
    store refuses it if any of those fields has changed since (optimistic concurrency), and
    leaves every other field as it is now, so two people editing different fields of one
    record both keep their change."""

    op: Literal["update_node"] = "update_node"
    id: str
    values: dict[str, Any]  # field -> new value, as JSON (model_dump(mode="json"))
    seen: dict[str, Any]  # field -> the value the editor read


Change = Annotated[Union[UpsertNode, RemoveNode, AddEdge, RemoveEdge, UpdateNode],
                   Field(discriminator="op")]


@cache
def _changes() -> TypeAdapter:
    """Parses and serialises any change (journal payloads); built on first use, because
    building it builds every record's validator, which a read-only command never needs."""
    return TypeAdapter(Change)


def change_to_json(change: Change) -> str:
    return _changes().dump_json(change).decode()


def change_from_json(payload: str | bytes) -> Change:
    return _changes().validate_json(payload)


def touched_ids(change: Change) -> set[str]:
    """The node ids a change is about (a node's own id, or both ends of an edge)."""
    if isinstance(change, UpsertNode):
        return {change.node.id}
    if isinstance(change, RemoveNode | UpdateNode):
        return {change.id}
    if isinstance(change, AddEdge):
        return {change.edge.src, change.edge.dst}
    return {change.src, change.dst}


class ChangeRecord(BaseModel):
    """One journal entry: who changed what, when."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    seq: int
    at: str
    who: str
    change: Change

    def touches(self, node_id: str) -> bool:
        return node_id in touched_ids(self.change)


def update_fields(node: Node, **values: Any) -> UpdateNode:
    """Change only these fields of `node` as it was read (the version the editor saw).

    >>> from graph.schema import Council
    >>> halton = Council(id="E06000006", name="Halton", type="unitary", region="E12000002")
    >>> update_fields(halton, capacity=2).seen
    {'capacity': None}
    """
    before = node.model_dump(mode="json")
    try:
        after = type(node).model_validate({**before, **values}).model_dump(mode="json")
    except ValidationError as exc:
        raise ChangeRejected(_first_error(exc)) from None
    return UpdateNode(id=node.id, values={k: after[k] for k in values},
                      seen={k: before[k] for k in values})


def updated(node: Node, change: UpdateNode) -> Node:
    """`node` with the update's values set (validated as a whole record)."""
    try:
        return type(node).model_validate({**node.model_dump(mode="json"), **change.values})
    except ValidationError as exc:
        raise ChangeRejected(f"{node.id}: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg'].removeprefix('Value error, ')}"


FIELD_WORDS = {"self_view": "the self-view", "capacity": "the capacity"}


@dataclass(frozen=True)
class FieldConflict:
    """A field someone else changed after the editor read it."""

    node_id: str
    name: str  # the node's name, for people
    field: str
    seen: Any
    now: Any
    who: str | None = None  # who made the change the editor did not see, and when
    at: str | None = None

    def __str__(self) -> str:
        by = f" by {self.who}" if self.who else ""
        when = f" at {self.at}" if self.at else ""
        label = FIELD_WORDS.get(self.field, self.field.replace("_", " "))
        return f"{label} of {self.name} was changed{by}{when} after you opened it"


class EditConflict(ChangeRejected):
    """An update was made against values that have changed since; nothing was written."""

    def __init__(self, conflicts: Sequence[FieldConflict]):
        self.conflicts = list(conflicts)
        super().__init__("; ".join(str(c) for c in self.conflicts)
                         + ": reload to see the latest, or re-apply your change over it")


def find_conflicts(seed: SeedData, changes: Sequence[Change]) -> list[FieldConflict]:
    """Fields each update was made against that no longer hold the value the editor saw."""
    nodes = {n.id: n for n in seed.nodes}
    out = []
    for change in changes:
        if not isinstance(change, UpdateNode):
            continue
        node = nodes.get(change.id)
        if node is None:
            raise ChangeRejected(f"no node with id {change.id!r} to update (it was removed?)")
        now = node.model_dump(mode="json")
        for field, seen in change.seen.items():
            if now.get(field) != seen:
                out.append(FieldConflict(node.id, node.name, field, seen, now.get(field)))
    return out


def explain_conflict(exc: EditConflict,
                     history: Callable[[str], Sequence[ChangeRecord]]) -> EditConflict:
    """The conflict with who last changed each field, from `history(node_id)` (a store's
    journal for that node, newest first)."""
    records = [r for i in {c.node_id for c in exc.conflicts} for r in history(i)]
    records.sort(key=lambda r: r.seq, reverse=True)
    return EditConflict(attribute(exc.conflicts, records))


def attribute(conflicts: Sequence[FieldConflict],
              records: Sequence[ChangeRecord]) -> list[FieldConflict]:
    """Name who last changed each conflicting field, from journal records (newest first)."""
    out = []
    for c in conflicts:
        for r in records:
            ch = r.change
            if (isinstance(ch, UpdateNode) and ch.id == c.node_id and c.field in ch.values) \
                    or (isinstance(ch, UpsertNode) and ch.node.id == c.node_id):
                c = FieldConflict(c.node_id, c.name, c.field, c.seen, c.now, r.who, r.at)
                break
        out.append(c)
    return out


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
    if problem := control_character_problem(who):
        raise ChangeRejected(f"the name of who is making the change {problem}")
    at = now_iso()
    try:
        # Through JSON and back: every record is validated again, so a record changed with
        # model_copy (which skips validation) cannot smuggle in a bad value.
        checked = [_changes().validate_json(_changes().dump_json(c)) for c in changes]
    except ValidationError as exc:
        raise ChangeRejected(_first_error(exc)) from None
    return [stamp(c, who, at) for c in checked]


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
        elif isinstance(change, UpdateNode):
            if change.id in nodes:
                nodes[change.id] = updated(nodes[change.id], change)
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
    """Replay and check the result obeys every cross-record rule; raise ChangeRejected if not
    (EditConflict if an update was made against values that have changed since)."""
    conflicts = find_conflicts(seed, changes)
    if conflicts:
        raise EditConflict(conflicts)
    result = replay(seed, changes)
    edge_origin = Origin("change", None)
    problems = check_references(result.nodes, [(e, edge_origin) for e in result.edges],
                                result.origins)
    if problems:
        raise ChangeRejected("; ".join(str(p) for p in problems[:5]))
    return result


__all__ = [
    "AddEdge", "Change", "ChangeRecord", "EditConflict", "FieldConflict",
    "RemoveEdge", "RemoveNode", "UpdateNode", "UpsertNode", "attribute", "explain_conflict",
    "find_conflicts",
    "update_fields", "updated",
    "change_from_json", "change_to_json", "check_changes", "now_iso", "prepare_changes",
    "replay", "stamp", "touched_ids", "user_provenance",
]
