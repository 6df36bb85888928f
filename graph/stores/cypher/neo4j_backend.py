"""The Cypher store's connection to Neo4j 5 (or Aura) over Bolt, with the official driver.

`write_tx` runs a whole edit, and `write_whole` a whole push, as one managed write
transaction: a conflict or an error rolls it all back, and readers see the graph before it
until it commits.

The driver has no read timeout of its own: a server that accepted the connection and then
stops answering (stopped, swapped out, a broken proxy) would hang a call for ever. So each
call runs on a worker thread and the caller gives up, with one line, when no statement has
completed for `query_timeout()` seconds (a long push that keeps making progress is not cut
short). The abandoned call holds one connection until the server answers or the process ends.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from graph.errors import StoreError
from graph.stores.cypher.backend import (
    CONNECT_TIMEOUT,
    Conflict,
    Statement,
    Transient,
    query_timeout,
)
from graph.stores.cypher.queries import Q_CONSTRAINTS

# The driver logs a failed routing lookup itself; peerlink reports it once, as StoreError.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class _Progress:
    """When the watched call last heard from the server."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def tick(self) -> None:
        self.last = time.monotonic()


class Neo4jBackend:
    """Neo4j over Bolt: one database (the server default unless named)."""

    transactional = True
    schema = Q_CONSTRAINTS

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
        self.timeout = query_timeout()
        self._abandoned: list[threading.Thread] = []  # calls given up on, perhaps still running
        try:
            # the Bolt handshake counts against the acquisition timeout: a port that
            # accepts and never answers fails after CONNECT_TIMEOUT seconds
            self._driver = GraphDatabase.driver(uri, auth=auth,
                                                connection_timeout=CONNECT_TIMEOUT,
                                                connection_acquisition_timeout=CONNECT_TIMEOUT,
                                                max_transaction_retry_time=5.0)
            self._driver.verify_connectivity()
        except Exception as exc:  # noqa: BLE001
            error = self._error(exc)
            raise (StoreError(str(error)) if isinstance(error, Transient) else error) from None

    def _error(self, exc: Exception) -> Exception:
        e = self._neo4j.exceptions
        text = " ".join(str(getattr(exc, "message", None) or exc).split())
        if isinstance(exc, e.AuthError):
            return StoreError(f"{self.where} refused the credentials "
                              "(set PEERLINK_NEO4J_USER and PEERLINK_NEO4J_PASSWORD)")
        if isinstance(exc, e.ServiceUnavailable | e.SessionExpired | e.TransientError
                      | e.IncompleteCommit | ConnectionError | OSError):
            low = text.lower()
            if "refused" in low:
                return StoreError(f"cannot reach {self.where}: connection refused")
            if "handshake" in low or "timed out" in low or "deadline" in low:
                return StoreError(f"{self.where} did not answer within {CONNECT_TIMEOUT:g}s")
            if "routing information" in low:
                return StoreError(f"cannot reach {self.where}: no routing information "
                                  "(is a Neo4j server running there?)")
            if "couldn't connect" in low or "cannot resolve" in low:
                return StoreError(f"cannot reach {self.where}: {text}")
            return Transient(f"lost connection to {self.where}: {text}")
        if isinstance(exc, e.Neo4jError):
            return StoreError(f"{self.where} refused a query: {text}")
        if isinstance(exc, e.DriverError):
            return StoreError(f"{self.where}: {text}")
        return StoreError(f"{self.where}: {type(exc).__name__}: {text}")

    def _watched(self, call: Callable[[_Progress], Any], writes: bool) -> Any:
        """Run `call` on a worker thread; give up when it has made no progress for
        `self.timeout` seconds (see the module docstring)."""
        progress, outcome, done = _Progress(), {}, threading.Event()

        def work() -> None:
            try:
                outcome["value"] = call(progress)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                outcome["error"] = exc
            finally:
                done.set()

        worker = threading.Thread(target=work, name="peerlink-neo4j-call", daemon=True)
        worker.start()
        while not done.wait(max(0.0, progress.last + self.timeout - time.monotonic())):
            if time.monotonic() - progress.last >= self.timeout:
                self._abandoned = [t for t in self._abandoned if t.is_alive()] + [worker]
                more = ("; the write may still land when it answers: check, then retry"
                        if writes else "")
                raise StoreError(f"{self.where} did not answer within {self.timeout:g}s{more}")
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        def call(_: _Progress) -> list[list[Any]]:
            try:
                result = self._driver.execute_query(query, params or {},
                                                    database_=self.database)
                return [list(r.values()) for r in result.records]
            except Exception as exc:  # noqa: BLE001
                raise self._error(exc) from None

        return self._watched(call, writes=False)

    def write_tx(self, statements: Sequence[Statement], guard_first: int = 0) -> None:
        def work(tx, progress: _Progress) -> None:
            progress.tick()  # a retried transaction starts its clock again
            for i, (query, params) in enumerate(statements):
                rows = list(tx.run(query, params))
                progress.tick()
                if i == guard_first - 1 and not rows:
                    raise Conflict()  # not a driver error: the transaction rolls back

        def call(progress: _Progress) -> None:
            try:
                with self._driver.session(database=self.database) as session:
                    session.execute_write(work, progress)
            except Conflict:
                raise
            except Exception as exc:  # noqa: BLE001
                raise self._error(exc) from None

        self._watched(call, writes=True)

    def write_whole(self, statements: Sequence[Statement]) -> None:
        """One transaction: readers see the graph before it until it commits."""
        self.write_tx(statements)

    def create_index(self, query: str) -> None:
        def call(_: _Progress) -> None:
            try:
                self._driver.execute_query(query, database_=self.database)
            except self._neo4j.exceptions.Neo4jError as exc:
                if exc.code != "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists":
                    raise self._error(exc) from None
            except Exception as exc:  # noqa: BLE001
                raise self._error(exc) from None

        self._watched(call, writes=True)

    def close(self) -> None:
        # A call given up on may still be using its connection: closing it from here at the
        # same moment races the driver's buffers, so let it finish first (one timeout in all).
        deadline = time.monotonic() + self.timeout
        for worker in self._abandoned:
            worker.join(max(0.0, deadline - time.monotonic()))
        try:  # closing sockets to a silent server must not hang the caller either
            self._watched(lambda _: self._driver.close(), writes=False)
        except Exception:  # noqa: BLE001 - a silent server, or a connection broken mid-call
            pass
