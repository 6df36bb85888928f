"""A shared graph on a Cypher server: the `GraphStore` protocol plus `push` and `pull` of
whole graphs, on Neo4j 5 or FalkorDB alike (queries.py, encoding.py, one backend per server).

Besides the records (encoding.py), the server holds derived edges (so the graph reads
naturally in Neo4j Browser, Bloom or FalkorDB Browser; `pull` ignores them and
`KnowledgeGraph` recreates them), the journal `(:Change {seq, at, who, batch, payload,
touches})`, and one `(:Counter {name: 'changes', seq, version})`: `seq` numbers journal
entries, `version` moves on every write (snapshots are cached against it).

Concurrent edits: `apply` validates against the state it pulled at a known `version`, then
claims the counter only if `version` has not moved (a conditional update, done after taking
the counter's write lock on Neo4j); if another client got there first it re-pulls,
re-validates and tries again. On Neo4j the claim, the data writes and the journal are one
transaction. FalkorDB has no multi-statement transactions: each statement is atomic, and
they run in dependency order (claim, nodes, edges, journal); a connection lost part-way
leaves the earlier statements applied, which `StoreError` reports.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence

from graph.changes import (
    AddEdge,
    Change,
    ChangeRecord,
    EditConflict,
    RemoveEdge,
    RemoveNode,
    UpdateNode,
    UpsertNode,
    change_from_json,
    change_to_json,
    check_changes,
    explain_conflict,
    now_iso,
    prepare_changes,
    touched_ids,
    updated,
)
from graph.errors import ChangeRejected, StoreError
from graph.knowledge import KnowledgeGraph, derived_edges
from graph.loader import Origin, SeedData, check_references
from graph.schema import EdgeType, Node, NodeKind
from graph.stores.cypher.backend import (
    BATCH,
    Backend,
    Conflict,
    Statement,
    Transient,
    chunks,
    once,
    retry,
)
from graph.stores.cypher.connect import connect
from graph.stores.cypher.encoding import edge_from_props, edge_row, node_from_props, node_props
from graph.stores.cypher.queries import (
    COUNTER,
    Q_COUNT_EDGES,
    Q_COUNT_NODES,
    Q_COUNTER_BUMP,
    Q_COUNTER_CLAIM,
    Q_COUNTER_INIT,
    Q_COUNTER_LOCK,
    Q_COUNTER_READ,
    Q_DELETE_DERIVED_IN,
    Q_DELETE_DERIVED_OUT,
    Q_DELETE_NODE,
    Q_HISTORY,
    Q_HISTORY_NODE,
    Q_JOURNAL_WRITE,
    Q_MERGE_EDGES,
    Q_PULL_EDGES,
    Q_PULL_NODES,
    Q_REMOVE_EDGE,
    Q_UPSERT_NODES,
)
from graph.stores.protocol import Guard

APPLY_ATTEMPTS = 20  # optimistic-concurrency retries when another client wrote first


class CypherStore:
    """The `GraphStore` protocol on a Cypher server, plus `push` and `pull` of whole graphs."""

    def __init__(self, backend: Backend, description: str):
        self.backend = backend
        self._description = description
        self._lock = threading.Lock()
        self._ready = False
        self._state: tuple[int, int, SeedData] | None = None  # (version, seq, records)
        self._cache: tuple[int, KnowledgeGraph] | None = None

    # ------------------------------------------------------------------ connecting

    @classmethod
    def from_url(cls, url: str) -> CypherStore:
        """The store at a `falkordb://`, `bolt://` or `neo4j://` URL (see connect.py)."""
        backend, description = connect(url)
        return cls(backend, description)

    def describe(self) -> str:
        return self._description

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> CypherStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        if self._ready:
            return
        for q in self.backend.schema:
            retry(lambda q=q: self.backend.create_index(q))
        if not retry(lambda: self.backend.run(Q_COUNTER_READ, {"name": COUNTER})):
            # a write like any other (two clients starting at once make one counter); only
            # when missing, so a reader never waits for a push to finish
            retry(lambda: self.backend.write_tx([(Q_COUNTER_INIT, {"name": COUNTER})]))
        self._ready = True

    def _counter(self) -> tuple[int, int]:
        self._ensure_schema()
        rows = retry(lambda: self.backend.run(Q_COUNTER_READ, {"name": COUNTER}))
        if not rows:
            self._ready = False  # the graph was dropped under us: recreate
            self._ensure_schema()
            rows = retry(lambda: self.backend.run(Q_COUNTER_READ, {"name": COUNTER}))
        seq, version = rows[0]
        return int(seq or 0), int(version or 0)

    # ------------------------------------------------------------------ whole graphs

    def push(self, seed: SeedData, batch_size: int = BATCH, check: bool = True) -> dict:
        """Write every node, derived edge and stated edge (MERGE on ids: idempotent); on
        Neo4j visible at once or not at all (`Backend.write_whole`).

        Nothing is deleted except derived edges of the pushed records, which are rewritten
        from their fields. Returns counts and timing."""
        if check:
            problems = check_references(
                seed.nodes, [(e, Origin("push", None)) for e in seed.edges],
                {n.id: seed.origins.get(n.id, Origin("push", None)) for n in seed.nodes})
            if problems:
                raise ChangeRejected("; ".join(str(p) for p in problems[:5]))
        started = time.perf_counter()
        statements, n_stated, n_derived = self._push_statements(seed, batch_size)
        with self._lock:
            self._ensure_schema()
            try:
                self.backend.write_whole(statements)
            except Transient as exc:
                raise StoreError(f"{exc}; the push was not applied: push again") from None
            finally:
                self._state = self._cache = None
        seconds = time.perf_counter() - started
        records = len(seed.nodes) + n_stated
        return {"nodes": len(seed.nodes), "edges": n_stated, "derived_edges": n_derived,
                "seconds": round(seconds, 3),
                "records_per_second": round(records / seconds, 1) if seconds else None}

    def _push_statements(self, seed: SeedData,
                         batch_size: int) -> tuple[list[Statement], int, int]:
        """Every write of a push, in batches: nodes, then their derived edges (the old ones
        deleted first), then stated edges, then the version moves."""
        out: list[Statement] = []
        by_kind: dict[NodeKind, list[dict]] = defaultdict(list)
        for node in seed.nodes:
            by_kind[node.kind].append({"id": node.id, "props": node_props(node)})
        for kind, rows in by_kind.items():
            out += [(Q_UPSERT_NODES[kind], {"rows": c}) for c in chunks(rows, batch_size)]
        derived = self._derived_rows(seed.nodes)
        if derived:
            for chunk in chunks([n.id for n in seed.nodes], batch_size):
                out += [(Q_DELETE_DERIVED_OUT, {"ids": chunk}),
                        (Q_DELETE_DERIVED_IN, {"ids": chunk})]
        stated: dict[EdgeType, list[dict]] = defaultdict(list)
        for edge in seed.edges:
            if not edge.derived:
                stated[edge.type].append(edge_row(edge))
        for rows_by_type in (derived, stated):
            for etype, rows in rows_by_type.items():
                out += [(Q_MERGE_EDGES[etype], {"rows": c}) for c in chunks(rows, batch_size)]
        out.append((Q_COUNTER_BUMP, {"name": COUNTER}))
        return (out, sum(len(r) for r in stated.values()),
                sum(len(r) for r in derived.values()))

    @staticmethod
    def _derived_rows(nodes: Iterable[Node]) -> dict[EdgeType, list[dict]]:
        out: dict[EdgeType, list[dict]] = defaultdict(list)
        for node in nodes:
            for edge in derived_edges(node):
                out[edge.type].append(edge_row(edge, derived_from=node.id))
        return out

    def pull(self) -> SeedData:
        """Every node and stated edge on the server, as validated records."""
        with self._lock:
            return self._pull_locked()[2]

    def _pull_locked(self) -> tuple[int, int, SeedData]:
        """Pull at a known version. Nodes and edges are two reads, so a write landing between
        them shows as a moved version: read again (a few times), then settle for a
        consistent subset (edges whose ends were read) that is not cached."""
        seq, version = self._counter()
        if self._state is not None and self._state[0] == version:
            return self._state
        for _attempt in range(3):
            node_rows = retry(lambda: self.backend.run(Q_PULL_NODES))
            edge_rows = retry(lambda: self.backend.run(Q_PULL_EDGES))
            seq_after, version_after = self._counter()
            if version_after == version:
                break
            seq, version = seq_after, version_after
        else:
            version = -1  # never matches: the next call pulls again
        nodes = []
        origin = Origin(self._description, None)
        for (props,) in node_rows:
            try:
                nodes.append(node_from_props(dict(props)))
            except Exception as exc:  # noqa: BLE001 - a record someone edited by hand
                raise StoreError(f"{self._description}: node {props.get('id')!r} "
                                 f"is not a valid record: {exc}".splitlines()[0]) from None
        ids = {n.id for n in nodes}
        edges = [edge_from_props(s, t, d, dict(p)) for s, t, d, p in edge_rows
                 if s in ids and d in ids]
        seed = SeedData(nodes=nodes, edges=edges, origins={n.id: origin for n in nodes})
        self._state = (version, seq, seed)
        return self._state

    def counts(self) -> dict[str, int]:
        """Nodes, stated and derived edges on the server (for checks and the CLI)."""
        self._ensure_schema()
        nodes = retry(lambda: self.backend.run(Q_COUNT_NODES))[0][0]
        edges = dict(retry(lambda: self.backend.run(Q_COUNT_EDGES)))
        return {"nodes": int(nodes), "edges": int(edges.get(False, 0)),
                "derived_edges": int(edges.get(True, 0))}

    # ------------------------------------------------------------------ the protocol

    def snapshot(self) -> KnowledgeGraph:
        with self._lock:
            version, _, seed = self._pull_locked()
            return self._graph_locked(version, seed)

    def _graph_locked(self, version: int, seed: SeedData) -> KnowledgeGraph:
        if self._cache is None or self._cache[0] != version:
            self._cache = (version, seed.graph())
        return self._cache[1]

    def apply(self, changes: Sequence[Change], who: str, guard: Guard | None = None) -> None:
        changes = prepare_changes(changes, who)
        at = now_iso()
        if not changes:
            return
        batch = f"{at}:{uuid.uuid4().hex}"
        with self._lock:
            for _attempt in range(APPLY_ATTEMPTS):
                version, seq, state = self._pull_locked()
                if guard is not None:  # against the version the claim below must still hold
                    guard(self._graph_locked(version, state))
                try:
                    check_changes(state, changes)  # raises ChangeRejected
                except EditConflict as exc:
                    raise explain_conflict(exc, lambda i: self.history(i, 20)) from None
                statements = self._statements(changes, version, seq, who, at, batch, state)
                try:
                    once(lambda s=statements: self.backend.write_tx(s, guard_first=2))
                except Conflict:
                    self._state = None
                    time.sleep(random.uniform(0.0, 0.02 * (1 + _attempt)))  # noqa: S311
                    continue
                finally:
                    self._cache = None
                self._state = None
                return
        raise StoreError(f"{self._description} kept changing while we wrote; try again")

    def _statements(self, changes: list[Change], version: int, seq: int,
                    who: str, at: str, batch: str, state: SeedData) -> list[Statement]:
        out: list[Statement] = [
            (Q_COUNTER_LOCK, {"name": COUNTER, "token": batch}),
            (Q_COUNTER_CLAIM, {"name": COUNTER, "version": version, "n": len(changes)}),
        ]
        nodes = {n.id: n for n in state.nodes}
        for change in changes:
            if isinstance(change, UpdateNode):
                # Written as the whole record it makes from `state`: the version claim above
                # fails if anyone wrote since `state` was read, so no one's change is undone.
                change = UpsertNode(node=updated(nodes[change.id], change))
            if isinstance(change, UpsertNode):
                nodes[change.node.id] = change.node
                node = change.node
                out.append((Q_DELETE_DERIVED_OUT, {"ids": [node.id]}))
                out.append((Q_DELETE_DERIVED_IN, {"ids": [node.id]}))
                out.append((Q_UPSERT_NODES[node.kind],
                            {"rows": [{"id": node.id, "props": node_props(node)}]}))
                for etype, rows in self._derived_rows([node]).items():
                    out.append((Q_MERGE_EDGES[etype], {"rows": rows}))
            elif isinstance(change, RemoveNode):
                out.append((Q_DELETE_NODE, {"id": change.id}))
            elif isinstance(change, AddEdge):
                out.append((Q_MERGE_EDGES[change.edge.type], {"rows": [edge_row(change.edge)]}))
            elif isinstance(change, RemoveEdge):
                out.append((Q_REMOVE_EDGE[change.type],
                            {"src": change.src, "dst": change.dst, "source": change.source}))
        journal = [
            {"seq": seq + i + 1, "at": at, "who": who, "batch": batch,
             "payload": change_to_json(c), "touches": sorted(touched_ids(c))}
            for i, c in enumerate(changes)
        ]
        out.append((Q_JOURNAL_WRITE, {"rows": journal}))
        # Move the version again at the end: a reader that pulled part-way through (possible
        # on FalkorDB, which has no multi-statement transactions) sees it move and re-pulls.
        out.append((Q_COUNTER_BUMP, {"name": COUNTER}))
        return out

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]:
        self._ensure_schema()
        if node_id is None:
            rows = retry(lambda: self.backend.run(Q_HISTORY, {"limit": int(limit)}))
        else:
            rows = retry(lambda: self.backend.run(Q_HISTORY_NODE,
                                              {"id": node_id, "limit": int(limit)}))
        return [ChangeRecord(seq=int(s), at=a, who=w, change=change_from_json(p))
                for s, a, w, p in rows]
