"""What the Cypher store needs from a server connection (`Backend`), and how failures of one
are told apart and retried.

A backend runs fixed query text with parameters and returns rows as lists of values; only
the connection and the passing of parameters differ between servers (falkordb_backend.py,
neo4j_backend.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from graph.errors import StoreError

RETRIES = 3  # transient failures retried per statement (idempotent ones only)
BACKOFF = (0.2, 0.5, 1.0)
# A server must answer its first hello within CONNECT_TIMEOUT seconds (a port that accepts
# and then says nothing is a one-line error, not a hang), and every later call within
# query_timeout() seconds.
CONNECT_TIMEOUT = 5.0


def query_timeout() -> float:
    """Seconds a single call may take: PEERLINK_STORE_TIMEOUT, default 120."""
    try:
        value = float(os.environ.get("PEERLINK_STORE_TIMEOUT") or 120)
    except ValueError:
        raise StoreError("PEERLINK_STORE_TIMEOUT must be a number of seconds") from None
    if not 0 < value < 86400:
        raise StoreError("PEERLINK_STORE_TIMEOUT must be between 0 and 86400 seconds")
    return value

Statement = tuple[str, dict[str, Any]]
BATCH = 500  # rows per write statement unless a caller says otherwise


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    """`items` in consecutive lists of at most `size` (at least 1)."""
    size = max(1, int(size))
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Conflict(Exception):
    """Another client moved the change counter between our read and our claim."""


class Transient(Exception):
    """A failure worth retrying (connection dropped, server busy or loading)."""


class Backend(Protocol):
    """Connection and parameter passing for one server."""

    where: str  # for messages: "FalkorDB at 127.0.0.1:6390"
    transactional: bool
    schema: tuple[str, ...]  # the index or constraint statements this server needs

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """Run one statement; raise StoreError, or Transient when worth retrying."""
        ...

    def write_tx(self, statements: Sequence[Statement], guard_first: int = 0) -> None:
        """Run statements as one unit where the server can. If statement `guard_first - 1`
        returns no rows, stop (and roll back where possible) by raising `Conflict`."""
        ...

    def write_whole(self, statements: Sequence[Statement]) -> None:
        """Run a whole push: on Neo4j one transaction (readers see all of it or none); on
        FalkorDB each statement atomic, in order."""
        ...

    def create_index(self, query: str) -> None:
        """Create an index or constraint, doing nothing if it already exists."""
        ...

    def close(self) -> None: ...


def retry(fn: Callable[[], Any], attempts: int = RETRIES) -> Any:
    """Run an idempotent call, retrying transient failures a bounded number of times."""
    for i in range(attempts + 1):
        try:
            return fn()
        except Transient as exc:
            if i == attempts:
                raise StoreError(str(exc)) from None
            time.sleep(BACKOFF[min(i, len(BACKOFF) - 1)])
    raise AssertionError("unreachable")


def once(fn: Callable[[], Any]) -> Any:
    """Run a call that must not be repeated blindly (a write that may have landed)."""
    try:
        return fn()
    except Transient as exc:
        raise StoreError(f"{exc}; the write may be partly applied: check, then retry") from None
