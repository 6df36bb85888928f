"""A shared graph on a Cypher server: Neo4j 5 (Bolt) or FalkorDB (its native protocol).

One portable openCypher subset serves both servers (see NOTES.md for what runs on both);
only the connection and the passing of parameters differ, in a small `_Backend` per server.

Safety: every value reaches the server as a parameter. Query text is fixed at import time:
the only names spliced into it are labels and relationship types taken from the schema's
enums (`NodeKind`, `EdgeType`), checked by `_name`. `ALL_QUERIES` holds every query this
module can send; the tests check that nothing else is ever sent.

Model on the server:

- nodes `(:Node:<Kind> {id, kind, name, ...})`: scalar fields as native properties, lists of
  strings as lists, anything nested (a council's self-view) as a JSON string named in the
  node's `_json` list. None and empty lists are left out (their defaults restore them).
- stated edges `[:TYPE {source, locator, confidence, since, recorded_at, props_json,
  derived: false}]`, keyed by (src, TYPE, dst, source) as `replay` keys them;
- derived edges (a council's region, a practice's owners ...) are also written, marked
  `derived: true, derived_from: <record id>`, so the graph reads naturally in Neo4j Browser,
  Bloom or FalkorDB Browser. `pull` ignores them; `KnowledgeGraph` recreates them.
- the journal: `(:Change {seq, at, who, batch, payload, touches})`, and one
  `(:Counter {name: 'changes', seq, version})`: `seq` numbers journal entries, `version`
  moves on every write (snapshots are cached against it).

Concurrent edits: `apply` validates against the state it pulled at a known `version`, then
claims the counter only if `version` has not moved (a conditional update, done after taking
the counter's write lock on Neo4j); if another client got there first it re-pulls,
re-validates and tries again. On Neo4j the claim, the data writes and the journal are one
transaction. FalkorDB has no multi-statement transactions: each statement is atomic, and
they run in dependency order (claim, nodes, edges, journal); a connection lost part-way
leaves the earlier statements applied, which `StoreError` reports.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from graph.errors import ChangeRejected, StoreError
from graph.knowledge import KnowledgeGraph, derived_edges
from graph.loader import Origin, SeedData, check_references
from graph.schema import NODE_MODELS, Edge, EdgeType, Node, NodeKind, Provenance
from graph.store import (
    _CHANGE,
    AddEdge,
    Change,
    ChangeRecord,
    RemoveEdge,
    RemoveNode,
    UpsertNode,
    check_changes,
    now_iso,
    prepare_changes,
)

COUNTER = "changes"
RETRIES = 3  # transient failures retried per statement (idempotent ones only)
BACKOFF = (0.2, 0.5, 1.0)
APPLY_ATTEMPTS = 20  # optimistic-concurrency retries when another client wrote first

# ---------------------------------------------------------------------- query text

_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")


def _name(value: NodeKind | EdgeType | str) -> str:
    """A label or relationship type for query text: only schema enum values (or `Node`)."""
    if isinstance(value, NodeKind | EdgeType):
        text = value.value
    elif value in ("Node",):
        text = value
    else:
        raise ValueError(f"{value!r} is not a schema label or relationship type")
    if not _NAME.match(text):
        raise ValueError(f"{text!r} is not a safe Cypher name")
    return text


def _labelled(template: str, **names: NodeKind | EdgeType | str) -> str:
    """Fill `<key>` slots in a query template with checked schema names (never data)."""
    out = template
    for key, value in names.items():
        out = out.replace(f"<{key}>", _name(value))
    if "<" in out.replace("<>", "").replace("<-", "").replace("<=", ""):
        raise ValueError(f"unfilled slot in query: {out}")
    return out


Q_INDEXES = (
    "CREATE INDEX FOR (n:Node) ON (n.id)",
    "CREATE INDEX FOR (c:Change) ON (c.seq)",
    "CREATE INDEX FOR (c:Counter) ON (c.name)",
)
Q_COUNTER_INIT = (
    "MERGE (c:Counter {name: $name}) "
    "ON CREATE SET c.seq = 0, c.version = 0 "
    "RETURN c.seq, c.version"
)
Q_COUNTER_READ = "MATCH (c:Counter {name: $name}) RETURN c.seq, c.version"
Q_COUNTER_BUMP = (
    "MATCH (c:Counter {name: $name}) SET c.version = c.version + 1 RETURN c.seq, c.version"
)
# Neo4j: a write to the counter first takes its lock, so the conditional claim below reads
# the committed value and two clients cannot both claim the same version.
Q_COUNTER_LOCK = "MATCH (c:Counter {name: $name}) SET c.lock = $token"
Q_COUNTER_CLAIM = (
    "MATCH (c:Counter {name: $name}) WHERE c.version = $version "
    "SET c.version = c.version + 1, c.seq = c.seq + $n "
    "RETURN c.seq, c.version"
)

_OTHER_KINDS = {k: ":".join(_name(o) for o in NodeKind if o != k) for k in NodeKind}
Q_UPSERT_NODES = {
    k: _labelled(
        "UNWIND $rows AS r MERGE (n:Node {id: r.id}) SET n = r.props SET n:<kind> "
        "REMOVE n:" + _OTHER_KINDS[k],
        kind=k,
    )
    for k in NodeKind
}
Q_DELETE_NODE = "MATCH (n:Node {id: $id}) DETACH DELETE n"
Q_DELETE_DERIVED_OUT = (
    "UNWIND $ids AS id MATCH (n:Node {id: id})-[e]->() WHERE e.derived_from = id DELETE e"
)
Q_DELETE_DERIVED_IN = (
    "UNWIND $ids AS id MATCH ()-[e]->(n:Node {id: id}) WHERE e.derived_from = id DELETE e"
)
Q_MERGE_EDGES = {
    t: _labelled(
        "UNWIND $rows AS r MATCH (a:Node {id: r.src}) MATCH (b:Node {id: r.dst}) "
        "MERGE (a)-[e:<type> {source: r.source, derived: r.derived}]->(b) SET e = r.props",
        type=t,
    )
    for t in EdgeType
}
Q_REMOVE_EDGE = {
    t: _labelled(
        "MATCH (a:Node {id: $src})-[e:<type>]->(b:Node {id: $dst}) "
        "WHERE e.derived = false AND ($source IS NULL OR e.source = $source) DELETE e",
        type=t,
    )
    for t in EdgeType
}
Q_PULL_NODES = "MATCH (n:Node) RETURN properties(n)"
Q_PULL_EDGES = (
    "MATCH (a:Node)-[e]->(b:Node) WHERE e.derived = false "
    "RETURN a.id, type(e), b.id, properties(e)"
)
Q_COUNT_NODES = "MATCH (n:Node) RETURN count(n)"
Q_COUNT_EDGES = "MATCH (:Node)-[e]->(:Node) RETURN e.derived, count(e)"
Q_JOURNAL_WRITE = (
    "UNWIND $rows AS r CREATE (c:Change {seq: r.seq, at: r.at, who: r.who, batch: r.batch, "
    "payload: r.payload, touches: r.touches})"
)
Q_HISTORY = (
    "MATCH (c:Change) RETURN c.seq, c.at, c.who, c.payload ORDER BY c.seq DESC LIMIT $limit"
)
Q_HISTORY_NODE = (
    "MATCH (c:Change) WHERE $id IN c.touches "
    "RETURN c.seq, c.at, c.who, c.payload ORDER BY c.seq DESC LIMIT $limit"
)


def _all_queries() -> frozenset[str]:
    out: set[str] = set()
    for name, value in globals().items():
        if not name.startswith("Q_"):
            continue
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, dict):
            out.update(value.values())
        elif isinstance(value, tuple):
            out.update(value)
    return frozenset(out)


ALL_QUERIES = _all_queries()

# ---------------------------------------------------------------------- record encoding

_NODE_META = {"_json"}


def node_props(node: Node) -> dict[str, Any]:
    """A node's properties on the server (see the module docstring)."""
    data = node.model_dump(mode="json")
    out: dict[str, Any] = {}
    as_json: list[str] = []
    for key, value in data.items():
        if value is None or value == []:
            continue
        if isinstance(value, dict) or (
            isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            out[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
            as_json.append(key)
        else:
            out[key] = value
    if as_json:
        out["_json"] = as_json
    return out


def node_from_props(props: dict[str, Any]) -> Node:
    data = dict(props)
    for key in data.pop("_json", None) or []:
        data[key] = json.loads(data[key])
    kind = NodeKind(data.pop("kind"))
    return NODE_MODELS[kind].model_validate(data)


def edge_props(edge: Edge, derived_from: str | None = None) -> dict[str, Any]:
    p = edge.provenance
    props = {
        "source": p.source,
        "locator": p.locator,
        "confidence": p.confidence,
        "since": p.since,
        "recorded_at": p.recorded_at,
        "props_json": json.dumps(edge.props, ensure_ascii=False, sort_keys=True)
        if edge.props else None,
        "derived": edge.derived,
        "derived_from": derived_from,
    }
    return {k: v for k, v in props.items() if v is not None}


def edge_row(edge: Edge, derived_from: str | None = None) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "source": edge.provenance.source,
            "derived": edge.derived, "props": edge_props(edge, derived_from)}


def edge_from_props(src: str, type_: str, dst: str, props: dict[str, Any]) -> Edge:
    prov = Provenance(
        source=props["source"],
        locator=props.get("locator"),
        confidence=props.get("confidence", 1.0),
        since=props.get("since"),
        recorded_at=props.get("recorded_at"),
    )
    extra = json.loads(props["props_json"]) if props.get("props_json") else {}
    return Edge(src=src, type=EdgeType(type_), dst=dst, provenance=prov, props=extra)


def _chunks(items: list, size: int) -> Iterable[list]:
    size = max(1, int(size))
    for i in range(0, len(items), size):
        yield items[i:i + size]


# ---------------------------------------------------------------------- backends


class _Conflict(Exception):
    """Another client moved the change counter between our read and our claim."""


class _Transient(Exception):
    """A failure worth retrying (connection dropped, server busy or loading)."""


Statement = tuple[str, dict[str, Any]]


class _Backend:
    """Connection and parameter passing for one server. Rows are lists of values."""

    where: str  # for messages: "FalkorDB at 127.0.0.1:6390"
    transactional: bool

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        raise NotImplementedError

    def write_tx(self, statements: Sequence[Statement], guard_first: int = 0) -> None:
        """Run statements as one unit where the server can. If statement `guard_first - 1`
        returns no rows, stop (and roll back where possible) by raising `_Conflict`."""
        raise NotImplementedError

    def create_index(self, query: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise StoreError("FalkorDB cannot store the NUL character (\\x00) in text")
    elif isinstance(value, dict):
        for v in value.values():
            _check_text(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _check_text(v)


class _FalkorBackend(_Backend):
    transactional = False

    def __init__(self, host: str, port: int, graph: str, password: str | None = None,
                 timeout: float = 300.0):
        try:
            import redis
            from falkordb import FalkorDB
            from redis.backoff import NoBackoff
            from redis.retry import Retry
        except ImportError as exc:
            raise StoreError(f"the falkordb client is not installed: {exc}") from None
        self._redis = redis
        self.where = f"FalkorDB at {host}:{port}"
        self.graph_name = graph
        try:
            self._db = FalkorDB(host=host, port=port, password=password,
                                socket_connect_timeout=5, socket_timeout=timeout,
                                retry=Retry(NoBackoff(), 0))
            self._graph = self._db.select_graph(graph)
        except Exception as exc:  # noqa: BLE001 - the client raises redis errors at connect
            raise self._error(exc) from None

    def _error(self, exc: Exception) -> Exception:
        r = self._redis.exceptions
        text = " ".join(str(exc).split())
        if isinstance(exc, r.AuthenticationError):
            return StoreError(f"{self.where} refused the password "
                              "(set PEERLINK_FALKORDB_PASSWORD)")
        if isinstance(exc, r.BusyLoadingError):
            return _Transient(f"{self.where} is loading its data: {text}")
        if isinstance(exc, r.ConnectionError | r.TimeoutError | ConnectionError | OSError):
            low = text.lower()
            if "refused" in low:
                return StoreError(f"cannot reach {self.where}: connection refused")
            return _Transient(f"lost connection to {self.where}: {text}")
        if isinstance(exc, r.ResponseError) and "NOAUTH" in text:
            return StoreError(f"{self.where} needs a password (set PEERLINK_FALKORDB_PASSWORD)")
        if isinstance(exc, r.ResponseError):
            return StoreError(f"{self.where} refused a query: {text}")
        return StoreError(f"{self.where}: {type(exc).__name__}: {text}")

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        _check_text(params)
        try:
            return [list(row) for row in self._graph.query(query, params).result_set]
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None

    def write_tx(self, statements: Sequence[Statement], guard_first: int = 0) -> None:
        # No multi-statement transactions: each statement is atomic; run in order.
        for i, (query, params) in enumerate(statements):
            rows = self.run(query, params)
            if i == guard_first - 1 and not rows:
                raise _Conflict()

    def create_index(self, query: str) -> None:
        try:
            self.run(query)
        except StoreError as exc:
            if "already indexed" not in str(exc):
                raise

    def close(self) -> None:
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001, S110 - closing a dead connection is fine
            pass


class _Neo4jBackend(_Backend):
    transactional = True

    def __init__(self, uri: str, auth: tuple[str, str] | None, database: str | None):
        try:
            import neo4j
            from neo4j import GraphDatabase
        except ImportError as exc:
            raise StoreError(f"the neo4j driver is not installed: {exc}") from None
        self._neo4j = neo4j
        self.database = database
        safe = urlsplit(uri)
        self.where = f"Neo4j at {safe.scheme}://{safe.hostname}:{safe.port or 7687}"
        try:
            self._driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0,
                                                max_transaction_retry_time=5.0,
                                                connection_acquisition_timeout=10.0)
            self._driver.verify_connectivity()
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None

    def _error(self, exc: Exception) -> Exception:
        e = self._neo4j.exceptions
        text = " ".join(str(getattr(exc, "message", None) or exc).split())
        if isinstance(exc, e.AuthError):
            return StoreError(f"{self.where} refused the credentials "
                              "(set PEERLINK_NEO4J_USER and PEERLINK_NEO4J_PASSWORD)")
        if isinstance(exc, e.ServiceUnavailable | e.SessionExpired | e.TransientError
                      | e.IncompleteCommit | ConnectionError | OSError):
            if "refused" in text.lower() or "couldn't connect" in text.lower():
                return StoreError(f"cannot reach {self.where}: connection refused")
            return _Transient(f"lost connection to {self.where}: {text}")
        if isinstance(exc, e.Neo4jError):
            return StoreError(f"{self.where} refused a query: {text}")
        if isinstance(exc, e.DriverError):
            return StoreError(f"{self.where}: {text}")
        return StoreError(f"{self.where}: {type(exc).__name__}: {text}")

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        try:
            result = self._driver.execute_query(query, params or {}, database_=self.database)
            return [list(r.values()) for r in result.records]
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None

    def write_tx(self, statements: Sequence[Statement], guard_first: int = 0) -> None:
        def work(tx) -> None:
            for i, (query, params) in enumerate(statements):
                rows = list(tx.run(query, params))
                if i == guard_first - 1 and not rows:
                    raise _Conflict()  # not a driver error: the transaction rolls back

        try:
            with self._driver.session(database=self.database) as session:
                session.execute_write(work)
        except _Conflict:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None

    def create_index(self, query: str) -> None:
        try:
            self.run(query)
        except StoreError as exc:
            text = str(exc)
            if "already exists" not in text and "EquivalentSchemaRule" not in text:
                raise

    def close(self) -> None:
        self._driver.close()


# ---------------------------------------------------------------------- the store


def _retry(fn: Callable[[], Any], attempts: int = RETRIES) -> Any:
    """Run an idempotent call, retrying transient failures a bounded number of times."""
    for i in range(attempts + 1):
        try:
            return fn()
        except _Transient as exc:
            if i == attempts:
                raise StoreError(str(exc)) from None
            time.sleep(BACKOFF[min(i, len(BACKOFF) - 1)])
    raise AssertionError("unreachable")


def _once(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except _Transient as exc:
        raise StoreError(f"{exc}; the write may be partly applied: check, then retry") from None


class CypherStore:
    """The `GraphStore` protocol on a Cypher server, plus `push` and `pull` of whole graphs."""

    def __init__(self, backend: _Backend, description: str):
        self._b = backend
        self._description = description
        self._lock = threading.Lock()
        self._ready = False
        self._state: tuple[int, int, SeedData] | None = None  # (version, seq, records)
        self._cache: tuple[int, KnowledgeGraph] | None = None

    # ------------------------------------------------------------------ connecting

    @classmethod
    def from_url(cls, url: str) -> CypherStore:
        """`falkordb://HOST:PORT/GRAPH` (password from PEERLINK_FALKORDB_PASSWORD), or a
        `bolt://`/`neo4j://` URI (+s/+ssc) with PEERLINK_NEO4J_USER, PEERLINK_NEO4J_PASSWORD
        and optional PEERLINK_NEO4J_DATABASE from the environment."""
        parts = urlsplit(url)
        scheme = parts.scheme
        if parts.username or parts.password:
            raise StoreError("put credentials in the environment, not in PEERLINK_GRAPH")
        if scheme == "falkordb":
            host = parts.hostname or "127.0.0.1"
            try:
                port = parts.port or 6379
            except ValueError:
                raise StoreError(f"bad port in {url!r}") from None
            graph = unquote(parts.path.lstrip("/")) or "peerlink"
            if not re.fullmatch(r"[A-Za-z0-9_.:-]+", graph):
                raise StoreError(f"graph name {graph!r}: use letters, digits, _ . : -")
            password = os.environ.get("PEERLINK_FALKORDB_PASSWORD") or None
            backend: _Backend = _FalkorBackend(host, port, graph, password)
            return cls(backend, f"{backend.where}, graph {graph!r}")
        if scheme in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"):
            user = os.environ.get("PEERLINK_NEO4J_USER")
            password = os.environ.get("PEERLINK_NEO4J_PASSWORD")
            auth = (user or "neo4j", password) if password else None
            database = os.environ.get("PEERLINK_NEO4J_DATABASE") or None
            backend = _Neo4jBackend(url, auth, database)
            where = backend.where + (f", database {database!r}" if database else "")
            return cls(backend, where)
        raise StoreError(f"{url!r} is not a Cypher store URL (bolt://, neo4j://, falkordb://)")

    def describe(self) -> str:
        return self._description

    def close(self) -> None:
        self._b.close()

    def __enter__(self) -> CypherStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        if self._ready:
            return
        for q in Q_INDEXES:
            _retry(lambda q=q: self._b.create_index(q))
        _retry(lambda: self._b.run(Q_COUNTER_INIT, {"name": COUNTER}))
        self._ready = True

    def _counter(self) -> tuple[int, int]:
        self._ensure_schema()
        rows = _retry(lambda: self._b.run(Q_COUNTER_READ, {"name": COUNTER}))
        if not rows:
            self._ready = False  # the graph was dropped under us: recreate
            self._ensure_schema()
            rows = _retry(lambda: self._b.run(Q_COUNTER_READ, {"name": COUNTER}))
        seq, version = rows[0]
        return int(seq or 0), int(version or 0)

    # ------------------------------------------------------------------ whole graphs

    def push(self, seed: SeedData, batch_size: int = 500, check: bool = True) -> dict:
        """Write every node, derived edge and stated edge (MERGE on ids: idempotent).

        Nothing is deleted except derived edges of the pushed records, which are rewritten
        from their fields. Returns counts and timing."""
        if check:
            problems = check_references(
                seed.nodes, [(e, Origin("push", None)) for e in seed.edges],
                {n.id: seed.origins.get(n.id, Origin("push", None)) for n in seed.nodes})
            if problems:
                raise ChangeRejected("; ".join(str(p) for p in problems[:5]))
        started = time.perf_counter()
        with self._lock:
            self._ensure_schema()
            by_kind: dict[NodeKind, list[dict]] = defaultdict(list)
            for node in seed.nodes:
                by_kind[node.kind].append({"id": node.id, "props": node_props(node)})
            for kind, rows in by_kind.items():
                for chunk in _chunks(rows, batch_size):
                    _retry(lambda c=chunk, k=kind: self._b.run(Q_UPSERT_NODES[k], {"rows": c}))
            derived = self._derived_rows(seed.nodes)
            if derived:
                ids = [n.id for n in seed.nodes]
                for chunk in _chunks(ids, batch_size):
                    _retry(lambda c=chunk: self._b.run(Q_DELETE_DERIVED_OUT, {"ids": c}))
                    _retry(lambda c=chunk: self._b.run(Q_DELETE_DERIVED_IN, {"ids": c}))
            n_derived = self._write_edges(derived, batch_size)
            stated: dict[EdgeType, list[dict]] = defaultdict(list)
            for edge in seed.edges:
                if not edge.derived:
                    stated[edge.type].append(edge_row(edge))
            n_stated = self._write_edges(stated, batch_size)
            _retry(lambda: self._b.run(Q_COUNTER_BUMP, {"name": COUNTER}))
            self._state = self._cache = None
        seconds = time.perf_counter() - started
        records = len(seed.nodes) + n_stated
        return {"nodes": len(seed.nodes), "edges": n_stated, "derived_edges": n_derived,
                "seconds": round(seconds, 3),
                "records_per_second": round(records / seconds, 1) if seconds else None}

    @staticmethod
    def _derived_rows(nodes: Iterable[Node]) -> dict[EdgeType, list[dict]]:
        out: dict[EdgeType, list[dict]] = defaultdict(list)
        for node in nodes:
            for edge in derived_edges(node):
                out[edge.type].append(edge_row(edge, derived_from=node.id))
        return out

    def _write_edges(self, rows_by_type: dict[EdgeType, list[dict]], batch_size: int) -> int:
        n = 0
        for etype, rows in rows_by_type.items():
            for chunk in _chunks(rows, batch_size):
                _retry(lambda c=chunk, t=etype: self._b.run(Q_MERGE_EDGES[t], {"rows": c}))
            n += len(rows)
        return n

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
            node_rows = _retry(lambda: self._b.run(Q_PULL_NODES))
            edge_rows = _retry(lambda: self._b.run(Q_PULL_EDGES))
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
        nodes = _retry(lambda: self._b.run(Q_COUNT_NODES))[0][0]
        edges = dict(_retry(lambda: self._b.run(Q_COUNT_EDGES)))
        return {"nodes": int(nodes), "edges": int(edges.get(False, 0)),
                "derived_edges": int(edges.get(True, 0))}

    # ------------------------------------------------------------------ the protocol

    def snapshot(self) -> KnowledgeGraph:
        with self._lock:
            version, _, seed = self._pull_locked()
            if self._cache is None or self._cache[0] != version:
                self._cache = (version, seed.graph())
            return self._cache[1]

    def apply(self, changes: Sequence[Change], who: str) -> None:
        changes = prepare_changes(changes, who)
        at = now_iso()
        if not changes:
            return
        batch = f"{at}:{uuid.uuid4().hex}"
        with self._lock:
            for _attempt in range(APPLY_ATTEMPTS):
                version, seq, state = self._pull_locked()
                check_changes(state, changes)  # raises ChangeRejected
                statements = self._statements(state, changes, version, seq, who, at, batch)
                try:
                    _once(lambda s=statements: self._b.write_tx(s, guard_first=2))
                except _Conflict:
                    self._state = None
                    time.sleep(random.uniform(0.0, 0.02 * (1 + _attempt)))  # noqa: S311
                    continue
                finally:
                    self._cache = None
                self._state = None
                return
        raise StoreError(f"{self._description} kept changing while we wrote; try again")

    def _statements(self, state: SeedData, changes: list[Change], version: int, seq: int,
                    who: str, at: str, batch: str) -> list[Statement]:
        kinds = {n.id: n.kind for n in state.nodes}
        out: list[Statement] = [
            (Q_COUNTER_LOCK, {"name": COUNTER, "token": batch}),
            (Q_COUNTER_CLAIM, {"name": COUNTER, "version": version, "n": len(changes)}),
        ]
        for change in changes:
            if isinstance(change, UpsertNode):
                node = change.node
                out.append((Q_DELETE_DERIVED_OUT, {"ids": [node.id]}))
                out.append((Q_DELETE_DERIVED_IN, {"ids": [node.id]}))
                out.append((Q_UPSERT_NODES[node.kind],
                            {"rows": [{"id": node.id, "props": node_props(node)}]}))
                for etype, rows in self._derived_rows([node]).items():
                    out.append((Q_MERGE_EDGES[etype], {"rows": rows}))
                kinds[node.id] = node.kind
            elif isinstance(change, RemoveNode):
                out.append((Q_DELETE_NODE, {"id": change.id}))
                kinds.pop(change.id, None)
            elif isinstance(change, AddEdge):
                out.append((Q_MERGE_EDGES[change.edge.type], {"rows": [edge_row(change.edge)]}))
            elif isinstance(change, RemoveEdge):
                out.append((Q_REMOVE_EDGE[change.type],
                            {"src": change.src, "dst": change.dst, "source": change.source}))
        journal = [
            {"seq": seq + i + 1, "at": at, "who": who, "batch": batch,
             "payload": _CHANGE.dump_json(c).decode(), "touches": sorted(_touches(c))}
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
            rows = _retry(lambda: self._b.run(Q_HISTORY, {"limit": int(limit)}))
        else:
            rows = _retry(lambda: self._b.run(Q_HISTORY_NODE,
                                              {"id": node_id, "limit": int(limit)}))
        return [ChangeRecord(seq=int(s), at=a, who=w, change=_CHANGE.validate_json(p))
                for s, a, w, p in rows]


def _touches(change: Change) -> set[str]:
    if isinstance(change, UpsertNode):
        return {change.node.id}
    if isinstance(change, RemoveNode):
        return {change.id}
    if isinstance(change, AddEdge):
        return {change.edge.src, change.edge.dst}
    return {change.src, change.dst}


__all__ = ["ALL_QUERIES", "CypherStore", "edge_props", "node_from_props", "node_props"]
