"""The store protocol, the changes it accepts, and the embedded store.

A store holds the graph and answers `snapshot()` with a `KnowledgeGraph`; every edit goes
through `apply(changes, who)` as one atomic batch, checked against the graph's rules first.
The embedded store is the shipped seed data plus a local SQLite journal of later changes:
each batch is one transaction (WAL, synchronous=FULL), so an edit survives a restart and a
crash, and a batch that breaks a rule is refused whole.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal, Protocol, Union, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from graph.errors import ChangeRejected, StoreError
from graph.knowledge import KnowledgeGraph
from graph.loader import DEFAULT_SEED_DIR, Origin, SeedData, check_references, load_dir
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
_CHANGE = TypeAdapter(Change)


class ChangeRecord(BaseModel):
    """One journal entry: who changed what, when."""

    model_config = ConfigDict(frozen=True)
    seq: int
    at: str
    who: str
    change: Change

    def touches(self, node_id: str) -> bool:
        c = self.change
        if isinstance(c, UpsertNode):
            return c.node.id == node_id
        if isinstance(c, RemoveNode):
            return c.id == node_id
        if isinstance(c, AddEdge):
            return node_id in (c.edge.src, c.edge.dst)
        return node_id in (c.src, c.dst)


@runtime_checkable
class GraphStore(Protocol):
    """What every store offers; the app and the CLI use nothing else."""

    def snapshot(self) -> KnowledgeGraph: ...

    def apply(self, changes: Sequence[Change], who: str) -> None: ...

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]: ...

    def describe(self) -> str: ...

    def close(self) -> None: ...


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
    return [stamp(_CHANGE.validate_python(c), who, at) for c in changes]


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


class EmbeddedStore:
    """Seed data plus a durable local SQLite journal. Nothing to install or start.

    >>> import tempfile, pathlib
    >>> store = EmbeddedStore(journal=pathlib.Path(tempfile.mkdtemp()) / "j.sqlite")
    >>> store.snapshot().stats()["councils"]["current"]
    153
    >>> store.close()
    """

    def __init__(self, seed_dir: Path | str | None = None, journal: Path | str | None = None):
        self.seed_dir = Path(seed_dir or os.environ.get("PEERLINK_SEED_DIR") or DEFAULT_SEED_DIR)
        self.journal_path = Path(journal or default_journal_path())
        self._lock = threading.Lock()
        self._seed: SeedData | None = None
        self._cache: tuple[int, KnowledgeGraph] | None = None
        try:
            self.journal_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.journal_path, check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                " at TEXT NOT NULL, who TEXT NOT NULL, batch TEXT NOT NULL, payload TEXT NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open journal {self.journal_path}: {exc}") from None

    def describe(self) -> str:
        return f"embedded (seed {self.seed_dir}, journal {self.journal_path})"

    def seed(self) -> SeedData:
        if self._seed is None:
            self._seed = load_dir(self.seed_dir)
        return self._seed

    def _records(self) -> list[ChangeRecord]:
        rows = self._db.execute("SELECT seq, at, who, payload FROM changes ORDER BY seq")
        return [ChangeRecord(seq=s, at=a, who=w, change=_CHANGE.validate_json(p))
                for s, a, w, p in rows]

    def _head(self) -> int:
        return self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0]

    def current(self) -> SeedData:
        """The seed records with the journal replayed over them."""
        return replay(self.seed(), [r.change for r in self._records()])

    def snapshot(self) -> KnowledgeGraph:
        with self._lock:
            head = self._head()
            if self._cache is None or self._cache[0] != head:
                self._cache = (head, self.current().graph())
            return self._cache[1]

    def apply(self, changes: Sequence[Change], who: str) -> None:
        changes = prepare_changes(changes, who)
        with self._lock:
            check_changes(self.current(), changes)
            batch = uuid.uuid4().hex  # groups one atomic batch in the journal
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(
                    "INSERT INTO changes (at, who, batch, payload) VALUES (?, ?, ?, ?)",
                    [(now_iso(), who, batch, _CHANGE.dump_json(c).decode()) for c in changes],
                )
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"journal write failed, nothing saved: {exc}") from None
            self._cache = None

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]:
        records = self._records()
        if node_id is not None:
            records = [r for r in records if r.touches(node_id)]
        return list(reversed(records))[:limit]

    def close(self) -> None:
        self._db.close()


def default_journal_path() -> Path:
    env = os.environ.get("PEERLINK_JOURNAL")
    if env:
        return Path(env)
    return Path.home() / ".peerlink" / "journal.sqlite"


def open_store(url: str | None = None) -> GraphStore:
    """The store `PEERLINK_GRAPH` names: unset or `embedded` for the local default,
    `bolt://`, `neo4j://` or `falkordb://` for a shared server."""
    url = url if url is not None else os.environ.get("PEERLINK_GRAPH", "")
    if url in ("", "embedded"):
        return EmbeddedStore()
    if url.startswith("file:"):
        return EmbeddedStore(journal=url.removeprefix("file://").removeprefix("file:"))
    if url.split("://", 1)[0] in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s",
                                  "neo4j+ssc", "falkordb"):
        try:
            from graph.cypher_store import CypherStore
        except ImportError as exc:  # the Cypher store lands in its own module
            raise StoreError(f"no Cypher store available: {exc}") from None
        return CypherStore.from_url(url)
    raise StoreError(
        f"PEERLINK_GRAPH={url!r} is not a store: use 'embedded', file:PATH, bolt://, "
        "neo4j:// or falkordb://HOST:PORT/GRAPH"
    )


__all__ = [
    "AddEdge", "Change", "ChangeRecord", "EmbeddedStore", "GraphStore", "RemoveEdge",
    "RemoveNode", "UpsertNode", "check_changes", "open_store", "prepare_changes", "replay",
    "user_provenance",
]
