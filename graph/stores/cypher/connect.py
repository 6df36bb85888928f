"""From a `PEERLINK_GRAPH` URL to a connected backend: which server, where, with which
credentials (from the environment only, never from the URL)."""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

from graph.errors import StoreError
from graph.stores.cypher.backend import Backend
from graph.stores.cypher.falkordb_backend import FalkorBackend
from graph.stores.cypher.neo4j_backend import Neo4jBackend
from graph.stores.schemes import NEO4J_SCHEMES


def connect(url: str) -> tuple[Backend, str]:
    """A backend for `url` and a description of it for messages.

    `falkordb://HOST:PORT/GRAPH` (password from PEERLINK_FALKORDB_PASSWORD), or a
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
        falkor = FalkorBackend(host, port, graph, password)
        return falkor, f"{falkor.where}, graph {graph!r}"
    if scheme in NEO4J_SCHEMES:
        user = os.environ.get("PEERLINK_NEO4J_USER")
        password = os.environ.get("PEERLINK_NEO4J_PASSWORD")
        auth = (user or "neo4j", password) if password else None
        database = os.environ.get("PEERLINK_NEO4J_DATABASE") or None
        neo = Neo4jBackend(url, auth, database)
        return neo, neo.where + (f", database {database!r}" if database else "")
    raise StoreError(f"{url!r} is not a Cypher store URL (bolt://, neo4j://, falkordb://)")
