"""The stores that hold the graph, and `open_store`, the one way to open the configured one.

- `embedded`: the shipped seed data plus a local SQLite journal (the default);
- `cypher`: a shared graph on a Cypher server, Neo4j 5 over Bolt or FalkorDB.

Every store meets `GraphStore` (protocol.py); the changes it accepts live in graph/changes.py.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from graph.errors import StoreError
from graph.stores.embedded import EmbeddedStore, default_journal_path
from graph.stores.protocol import GraphStore
from graph.stores.schemes import CYPHER_SCHEMES

if TYPE_CHECKING:
    from graph.stores.cypher import CypherStore


def __getattr__(name: str):
    # The Cypher store (and its server drivers) loads only when a shared graph is asked
    # for, so a command on the embedded default does not pay for importing it.
    if name == "CypherStore":
        from graph.stores.cypher import CypherStore

        return CypherStore
    raise AttributeError(name)


def open_store(url: str | None = None) -> GraphStore:
    """The store `PEERLINK_GRAPH` names: unset or `embedded` for the local default,
    `file:PATH` for a journal elsewhere, `bolt://`, `neo4j://` or `falkordb://` for a
    shared server."""
    url = url if url is not None else os.environ.get("PEERLINK_GRAPH", "")
    if url in ("", "embedded"):
        return EmbeddedStore()
    if url.startswith("file:"):
        return EmbeddedStore(journal=url.removeprefix("file://").removeprefix("file:"))
    if url.split("://", 1)[0] in CYPHER_SCHEMES:
        from graph.stores.cypher import CypherStore

        return CypherStore.from_url(url)
    raise StoreError(
        f"PEERLINK_GRAPH={url!r} is not a store: use 'embedded', file:PATH, bolt://, "
        "neo4j:// or falkordb://HOST:PORT/GRAPH"
    )


__all__ = ["CypherStore", "EmbeddedStore", "GraphStore", "default_journal_path", "open_store"]
