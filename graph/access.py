"""Who may change what: roles, the roles file, and the permission-checked write path.

Four roles, from a small YAML file that maps a signed-in identity (an email address or an
OpenID Connect subject) to what that person may change:

- viewer: reads everything, changes nothing (also anyone signed in but not in the file);
- council editor (one council): that council's profile (self-view, capacity, description),
  its priorities, stage and the practice it shares; engagements it receives: proposing one
  and recording its outcome (status, end, feedback);
- SLI officer (one region): councils, reviewers (rounds) and engagements in that region;
- admin: anything.

`CheckedStore` wraps any store for one `Actor`: every `apply` is checked against these
rules before the store sees it, and the journal records the actor's identity, never a
typed name. The app hands pages only a checked store.

>>> halton = Actor("ann@halton.example", UserRole.COUNCIL_EDITOR, council="E06000006")
>>> halton.describe()
'ann@halton.example (council editor for E06000006)'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError, field_validator, model_validator

from graph.changes import (
    AddEdge,
    Change,
    ChangeRecord,
    RemoveEdge,
    RemoveNode,
    UpdateNode,
    UpsertNode,
    updated,
)
from graph.errors import ChangeRejected, LoadError, Problem
from graph.knowledge import KnowledgeGraph
from graph.loader import Origin, read_yaml_records, validation_problems
from graph.schema import (
    GSS_COUNCIL,
    GSS_REGION,
    Council,
    EdgeType,
    Engagement,
    Node,
    NodeKind,
    Record,
    Reviewer,
)
from graph.stores.protocol import GraphStore, Guard


class UserRole(StrEnum):
    VIEWER = "viewer"
    COUNCIL_EDITOR = "council editor"
    SLI_OFFICER = "SLI officer"
    ADMIN = "admin"


_ROLE_WORDS = {r.value.lower().replace(" ", "_"): r for r in UserRole}

# What a council editor may change on its own council's record, and which facts about it.
COUNCIL_PROFILE_FIELDS = frozenset({"self_view", "capacity", "description"})
COUNCIL_PROFILE_EDGES = frozenset({EdgeType.HAS_PRIORITY, EdgeType.AT_STAGE,
                                   EdgeType.SHARES_PRACTICE, EdgeType.OFFERS})
ENGAGEMENT_OUTCOME_FIELDS = frozenset({"status", "end", "feedback"})


class Grant(Record):
    """One line of the roles file: an identity and its role (with its council or region)."""

    email: str | None = None
    subject: str | None = None
    role: UserRole
    council: str | None = None
    region: str | None = None

    @field_validator("role", mode="before")
    @classmethod
    def _role_words(cls, v: object) -> object:
        key = str(v).strip().lower().replace(" ", "_").replace("-", "_")
        if key not in _ROLE_WORDS:
            raise ValueError("must be one of: " + ", ".join(r.value for r in UserRole))
        return _ROLE_WORDS[key]

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and ("@" not in v or " " in v):
            raise ValueError("must be an email address")
        return v.lower() if v else v

    @model_validator(mode="after")
    def _scope(self) -> Grant:
        if (self.email is None) == (self.subject is None):
            raise ValueError("give exactly one of email or subject")
        if self.role == UserRole.COUNCIL_EDITOR:
            if not self.council or not GSS_COUNCIL.match(self.council):
                raise ValueError("a council editor needs council: its GSS code (E06000006)")
        elif self.council is not None:
            raise ValueError(f"council is only for a council editor, not a {self.role}")
        if self.role == UserRole.SLI_OFFICER:
            if not self.region or not GSS_REGION.match(self.region):
                raise ValueError("an SLI officer needs region: its E12 code (E12000002)")
        elif self.region is not None:
            raise ValueError(f"region is only for an SLI officer, not a {self.role}")
        return self


@dataclass(frozen=True)
class Actor:
    """Who is making a change, and what their role lets them change."""

    identity: str  # recorded in the journal: an email, a subject, or (local mode) a name
    role: UserRole
    council: str | None = None
    region: str | None = None

    def describe(self, name: Callable[[str], str] = str) -> str:
        """Who and what role, e.g. `ann@halton.example (council editor for Halton)`;
        `name` turns a council or region code into its name."""
        scope = self.council or self.region
        return f"{self.identity} ({self.role}{' for ' + name(scope) if scope else ''})"


@dataclass(frozen=True)
class Roles:
    """The roles file, read and checked."""

    grants: tuple[Grant, ...]
    source: str

    def actor(self, email: str | None, subject: str | None) -> Actor:
        """The signed-in person's actor: matched on subject, then email; else a viewer."""
        email = (email or "").strip().lower() or None
        identity = email or subject or "unknown"
        for grant in self.grants:
            if (grant.subject and grant.subject == subject) or (
                    grant.email and grant.email == email):
                return Actor(identity, grant.role, grant.council, grant.region)
        return Actor(identity, UserRole.VIEWER)


def default_roles_path() -> Path:
    return Path(os.environ.get("PEERLINK_ROLES") or Path.home() / ".peerlink" / "roles.yaml")


def load_roles(path: Path | str, kg: KnowledgeGraph | None = None) -> Roles:
    """Read and check a roles file; every fault as `file:line: field: problem` (LoadError).
    With a graph, councils and regions must exist in it."""
    path = Path(path)
    if not path.is_file():
        raise LoadError([Problem(str(path), None, None, "no such roles file")])
    grants, problems, seen = [], [], {}
    for raw, origin in read_yaml_records(path, str(path)):
        try:
            grant = Grant.model_validate(raw)
        except ValidationError as exc:
            problems += validation_problems(exc, origin)
            continue
        key = grant.email or f"subject:{grant.subject}"
        if key in seen:
            problems.append(origin.at("email" if grant.email else "subject",
                                      f"{key} is already given a role at line {seen[key]}"))
        seen.setdefault(key, origin.line)
        problems += _unknown_scope(grant, origin, kg)
        grants.append(grant)
    if problems:
        raise LoadError(problems)
    return Roles(tuple(grants), str(path))


def _unknown_scope(grant: Grant, origin: Origin, kg: KnowledgeGraph | None) -> list[Problem]:
    if kg is None:
        return []
    for field, value, kind in (("council", grant.council, NodeKind.COUNCIL),
                               ("region", grant.region, NodeKind.REGION)):
        if value is not None and (value not in kg or kg.node(value).kind != kind):
            return [origin.at(field, f"no {kind.value.lower()} {value!r} in the graph")]
    return []


# ---------------------------------------------------------------------- the rules


class PermissionDenied(ChangeRejected):
    """The actor's role does not allow this change; nothing was written."""


def permission_problem(actor: Actor, changes: Sequence[Change],
                       kg: KnowledgeGraph) -> str | None:
    """Why `actor` may not make `changes` against the graph `kg` (one line), or None."""
    if actor.role == UserRole.ADMIN:
        return None
    if actor.role == UserRole.VIEWER:
        return (f"{actor.identity} is a viewer and cannot change the graph: ask an admin "
                "for a role")
    pending: dict[str, Node] = {}
    for change in changes:
        if isinstance(change, UpdateNode):  # judged by the record it would make
            old = _lookup(change.id, kg, pending)
            if old is None:
                continue  # the store refuses an update of a node that is not there
            try:
                change = UpsertNode(node=updated(old, change))
            except ChangeRejected:
                continue  # the store refuses it with the reason
        why = _change_problem(actor, change, kg, pending)
        if why:
            return f"{actor.describe(lambda c: _label(c, kg))} may not {why}"
        if hasattr(change, "node"):
            pending[change.node.id] = change.node
    return None


def _lookup(node_id: str, kg: KnowledgeGraph, pending: Mapping[str, Node]) -> Node | None:
    if node_id in pending:
        return pending[node_id]
    return kg.node(node_id) if node_id in kg else None


def _regions(node: Node | None, kg: KnowledgeGraph, pending: Mapping[str, Node]) -> set[str]:
    """The regions a node belongs to, for an SLI officer's scope."""
    if isinstance(node, Council):
        return {node.region}
    if isinstance(node, Reviewer):
        return _regions(_lookup(node.council, kg, pending), kg, pending)
    if isinstance(node, Engagement):
        return (_regions(_lookup(node.provider, kg, pending), kg, pending)
                | _regions(_lookup(node.recipient, kg, pending), kg, pending))
    return set()


def _label(node_id: str, kg: KnowledgeGraph) -> str:
    return kg.name(node_id) if node_id in kg else node_id


def _change_problem(actor: Actor, change: Change, kg: KnowledgeGraph,
                    pending: Mapping[str, Node]) -> str | None:
    if isinstance(change, AddEdge | RemoveEdge):
        src = change.edge.src if isinstance(change, AddEdge) else change.src
        etype = change.edge.type if isinstance(change, AddEdge) else change.type
        node = _lookup(src, kg, pending)
        if actor.role == UserRole.SLI_OFFICER:
            if actor.region in _regions(node, kg, pending):
                return None
            return f"change facts about {_label(src, kg)}, outside their region"
        if src == actor.council and etype in COUNCIL_PROFILE_EDGES:
            return None
        return f"change that fact about {_label(src, kg)}"
    if isinstance(change, RemoveNode):
        node = _lookup(change.id, kg, pending)
        if (actor.role == UserRole.SLI_OFFICER and isinstance(node, Engagement | Reviewer)
                and actor.region in _regions(node, kg, pending)):
            return None
        return f"remove {_label(change.id, kg)}"
    new = change.node
    old = _lookup(new.id, kg, pending)
    if actor.role == UserRole.SLI_OFFICER:
        if not isinstance(new, Council | Engagement | Reviewer):
            return f"change {new.name}: SLI officers change councils, reviewers and engagements"
        inside = actor.region in _regions(new, kg, pending)
        if old is not None:
            inside = inside and actor.region in _regions(old, kg, pending)
        return None if inside else f"change {new.name}, outside their region"
    return _council_editor_problem(actor, new, old)


def _council_editor_problem(actor: Actor, new: Node, old: Node | None) -> str | None:
    changed = set() if old is None else {
        f for f in type(new).model_fields if getattr(new, f) != getattr(old, f, None)}
    if isinstance(new, Council):
        if new.id != actor.council or old is None:
            return f"change {new.name}, another council"
        if changed - COUNCIL_PROFILE_FIELDS:
            return (f"change {', '.join(sorted(changed - COUNCIL_PROFILE_FIELDS))} of "
                    f"{new.name}: only its profile")
        return None
    if isinstance(new, Engagement):
        if new.recipient != actor.council or (
                isinstance(old, Engagement) and old.recipient != actor.council):
            return f"change {new.name}, an engagement their council did not receive"
        if old is None:
            return None if new.status == "proposed" else f"record {new.name} as {new.status}"
        if changed - ENGAGEMENT_OUTCOME_FIELDS:
            return (f"change {', '.join(sorted(changed - ENGAGEMENT_OUTCOME_FIELDS))} of "
                    f"{new.name}: only its outcome")
        return None
    return f"change {new.name}"


class CheckedStore:
    """A store seen through one actor: writes checked against the actor's role, recorded
    under the actor's identity. Reads pass straight through."""

    def __init__(self, store: GraphStore, actor: Actor):
        self.inner = store
        self.actor = actor

    def apply(self, changes: Sequence[Change], who: str | None = None,
              guard: Guard | None = None) -> None:
        """Apply as the actor; `who` is ignored (the identity is not the caller's to say).
        The role is checked by the store under its write lock, against the graph the batch
        is written over."""
        batch = list(changes)

        def allowed(kg: KnowledgeGraph) -> None:
            why = permission_problem(self.actor, batch, kg)
            if why:
                raise PermissionDenied(why)
            if guard is not None:
                guard(kg)

        self.inner.apply(batch, self.actor.identity, guard=allowed)

    def snapshot(self) -> KnowledgeGraph:
        return self.inner.snapshot()

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]:
        return self.inner.history(node_id, limit)

    def describe(self) -> str:
        return self.inner.describe()

    def close(self) -> None:
        self.inner.close()


__all__ = ["Actor", "CheckedStore", "Grant", "PermissionDenied", "Roles", "UserRole",
           "default_roles_path", "load_roles", "permission_problem"]
