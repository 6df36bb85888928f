"""Every query the Cypher store sends, fixed at import time.

One portable openCypher subset serves Neo4j 5 and FalkorDB (NOTES.md lists what runs on both).
Every value reaches the server as a parameter. The only names spliced into query text are
labels and relationship types taken from the schema's enums (`NodeKind`, `EdgeType`),
checked by `schema_name`. `ALL_QUERIES` holds every query the store can send; the tests check
that nothing else is ever sent.
"""

from __future__ import annotations

import re

from graph.schema import EdgeType, NodeKind

COUNTER = "changes"  # the name of the one (:Counter) node

_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")


def schema_name(value: NodeKind | EdgeType | str) -> str:
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


def labelled(template: str, **names: NodeKind | EdgeType | str) -> str:
    """Fill `<key>` slots in a query template with checked schema names (never data)."""
    out = template
    for key, value in names.items():
        out = out.replace(f"<{key}>", schema_name(value))
    if "<" in out.replace("<>", "").replace("<-", "").replace("<=", ""):
        raise ValueError(f"unfilled slot in query: {out}")
    return out


# On FalkorDB two clients' MERGEs can race, so its backend makes writes take turns under a
# lock (falkordb_backend.py). Neo4j runs writes concurrently: MERGE is only safe against
# duplicates under a uniqueness constraint (two clients pushing at once made every node
# twice without one), and a unique `seq` refuses a journal entry numbered twice.
Q_INDEXES = (
    "CREATE INDEX FOR (n:Node) ON (n.id)",
    "CREATE INDEX FOR (c:Change) ON (c.seq)",
    "CREATE INDEX FOR (c:Counter) ON (c.name)",
)
Q_CONSTRAINTS = (
    "CREATE CONSTRAINT FOR (n:Node) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT FOR (c:Change) REQUIRE c.seq IS UNIQUE",
    "CREATE CONSTRAINT FOR (c:Counter) REQUIRE c.name IS UNIQUE",
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

_OTHER_KINDS = {k: ":".join(schema_name(o) for o in NodeKind if o != k) for k in NodeKind}
Q_UPSERT_NODES = {
    k: labelled(
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
    t: labelled(
        "UNWIND $rows AS r MATCH (a:Node {id: r.src}) MATCH (b:Node {id: r.dst}) "
        "MERGE (a)-[e:<type> {source: r.source, derived: r.derived}]->(b) SET e = r.props",
        type=t,
    )
    for t in EdgeType
}
Q_REMOVE_EDGE = {
    t: labelled(
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

# Copying the whole graph into a staging graph (FalkorDB pushes; see falkordb_backend.py):
# every node, edge, journal entry and the counter, read from the live graph and created as
# they were.
Q_COPY_READ_NODES = "MATCH (n:Node) RETURN n.kind, properties(n)"
Q_COPY_CREATE_NODES = {
    k: labelled("UNWIND $rows AS r CREATE (n:Node:<kind>) SET n = r", kind=k) for k in NodeKind
}
Q_COPY_READ_EDGES = "MATCH (a:Node)-[e]->(b:Node) RETURN a.id, type(e), b.id, properties(e)"
Q_COPY_CREATE_EDGES = {
    t: labelled("UNWIND $rows AS r MATCH (a:Node {id: r.src}) MATCH (b:Node {id: r.dst}) "
                "CREATE (a)-[e:<type>]->(b) SET e = r.props", type=t)
    for t in EdgeType
}
Q_COPY_READ_CHANGES = "MATCH (c:Change) RETURN properties(c)"
Q_COPY_CREATE_CHANGES = "UNWIND $rows AS r CREATE (c:Change) SET c = r"
Q_COPY_READ_COUNTERS = "MATCH (c:Counter) RETURN properties(c)"
Q_COPY_CREATE_COUNTERS = "UNWIND $rows AS r CREATE (c:Counter) SET c = r"


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
