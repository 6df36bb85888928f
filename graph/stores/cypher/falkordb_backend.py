"""The Cypher store's connection to FalkorDB, through its native protocol (`falkordb` client).

FalkorDB has no multi-statement transactions: each statement is atomic, and `write_tx` runs
them in order. It cannot store the NUL character, which is refused here with a clear error.

FalkorDB runs write queries from different connections side by side, and two MERGEs of
the same edge can both find nothing and both create it (measured: 8 duplicate edges in 30
rounds of two clients merging the same 49 edges). So every write here holds one lock per
graph, a Redis key on the same server (`writing`): writes from all peerlink clients take
turns, and a lock left by a client that died lapses within LOCK_TTL seconds.

A push becomes visible whole or not at all: under the write lock, `write_whole` recreates
the live graph in a staging graph (statements from staging.py), writes the push there, and
one `RENAME` makes the staging graph the live one. Readers read the graph before the push
until then; a push killed part-way leaves only an unused staging graph, which the next push
deletes. The copy is made with Cypher, not `GRAPH.COPY`: on FalkorDB 4.16.3 `GRAPH.COPY`
never answers when it starts while the server is saving in the background ("Can't fork for
module: File exists" in the server log), and `RESTORE` of a dumped graph crashed the server.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from graph.errors import StoreError
from graph.stores.cypher.backend import (
    CONNECT_TIMEOUT,
    Conflict,
    Statement,
    Transient,
    query_timeout,
    retry,
)
from graph.stores.cypher.queries import Q_INDEXES
from graph.stores.cypher.staging import copy_statements

STAGING = "~push~"  # a staging graph is named <graph>~push~<token>

# Seconds a write lock lives unless renewed. The holder renews it every third of that from
# a background thread, so a long push keeps it and a client that died frees it in seconds
# (the key may outlive a server restart; it lapses all the same).
LOCK_TTL = 10.0


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


class FalkorBackend:
    """FalkorDB through its native protocol: one graph on one server."""

    transactional = False
    schema = Q_INDEXES

    def __init__(self, host: str, port: int, graph: str, password: str | None = None):
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
        self.timeout = CONNECT_TIMEOUT
        try:
            # a quick hello first, so a server that never answers fails in seconds
            probe = redis.Redis(host=host, port=port, password=password,
                                socket_connect_timeout=CONNECT_TIMEOUT,
                                socket_timeout=CONNECT_TIMEOUT, retry=Retry(NoBackoff(), 0))
            try:
                probe.ping()
            finally:
                probe.close()
            self.timeout = query_timeout()
            self._db = FalkorDB(host=host, port=port, password=password,
                                socket_connect_timeout=CONNECT_TIMEOUT,
                                socket_timeout=self.timeout, retry=Retry(NoBackoff(), 0))
            self._graph = self._db.select_graph(graph)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - the client raises redis errors at connect
            error = self._error(exc)
            raise (StoreError(str(error)) if isinstance(error, Transient) else error) from None

    def _error(self, exc: Exception) -> Exception:
        r = self._redis.exceptions
        text = " ".join(str(exc).split())
        if isinstance(exc, r.AuthenticationError):
            return StoreError(f"{self.where} refused the password "
                              "(set PEERLINK_FALKORDB_PASSWORD)")
        if isinstance(exc, r.TimeoutError | TimeoutError):
            return StoreError(f"{self.where} did not answer within {self.timeout:g}s")
        if isinstance(exc, r.BusyLoadingError):
            return Transient(f"{self.where} is loading its data: {text}")
        if isinstance(exc, r.ConnectionError | r.TimeoutError | ConnectionError | OSError):
            low = text.lower()
            if "refused" in low:
                return StoreError(f"cannot reach {self.where}: connection refused")
            return Transient(f"lost connection to {self.where}: {text}")
        if isinstance(exc, r.ResponseError) and "NOAUTH" in text:
            return StoreError(f"{self.where} needs a password (set PEERLINK_FALKORDB_PASSWORD)")
        if isinstance(exc, r.ResponseError):
            return StoreError(f"{self.where} refused a query: {text}")
        return StoreError(f"{self.where}: {type(exc).__name__}: {text}")

    def _run_on(self, graph, query: str, params: dict[str, Any] | None) -> list[list[Any]]:
        _check_text(params)
        try:
            return [list(row) for row in graph.query(query, params).result_set]
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        return self._run_on(self._graph, query, params)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold this graph's write lock (see the module docstring) while the block runs."""
        lock = self._db.connection.lock(
            f"peerlink:writing:{self.graph_name}", timeout=LOCK_TTL,
            blocking_timeout=self.timeout, thread_local=False)
        try:
            acquired = lock.acquire()
        except Exception as exc:  # noqa: BLE001 - redis errors while taking the lock
            raise self._error(exc) from None
        if not acquired:
            raise StoreError(f"another client has been writing to {self.where} for over "
                             f"{self.timeout:g}s; try again when it has finished")
        done = threading.Event()

        def renew() -> None:
            while not done.wait(LOCK_TTL / 3):
                try:
                    lock.reacquire()
                except Exception:  # noqa: BLE001 - server gone or lock lapsed: the write fails
                    return

        renewer = threading.Thread(target=renew, name="peerlink-write-lock", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            done.set()
            renewer.join()
            try:
                lock.release()
            except Exception:  # noqa: BLE001, S110 - a lapsed lock is already free
                pass

    def write_tx(self, statements: Sequence[Statement], guard_first: int = 0) -> None:
        # No multi-statement transactions: each statement is atomic; run in order.
        with self.writing():
            for i, (query, params) in enumerate(statements):
                rows = self.run(query, params)
                if i == guard_first - 1 and not rows:
                    raise Conflict()

    def write_whole(self, statements: Sequence[Statement]) -> None:
        """Write into a copy of the live graph and swap it in (see the module docstring)."""
        staging = f"{self.graph_name}{STAGING}{uuid.uuid4().hex[:12]}"
        with self.writing():
            self._drop_abandoned_staging()
            try:
                graph = self._db.select_graph(staging)
                for query in self.schema:
                    self._create_index_on(graph, query)
                copy = copy_statements(lambda q: retry(lambda: self.run(q)))
                for query, params in [*copy, *statements]:
                    retry(lambda q=query, p=params: self._run_on(graph, q, p))
                self._command("RENAME", staging, self.graph_name)
            except BaseException:
                try:
                    self._command("DEL", staging)
                except StoreError:
                    pass  # the next push deletes it
                raise

    def _command(self, *args: str) -> Any:
        try:
            return self._db.connection.execute_command(*args)
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None

    def _drop_abandoned_staging(self) -> None:
        """Staging graphs of pushes that died; only called holding the write lock, so no
        push is writing to any of them."""
        pattern = "".join(f"\\{c}" if c in "*?[]\\" else c for c in self.graph_name)
        try:
            names = list(self._db.connection.scan_iter(match=f"{pattern}{STAGING}*"))
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None
        for name in names:
            self._command("DEL", name)

    def create_index(self, query: str) -> None:
        self._create_index_on(self._graph, query)

    def _create_index_on(self, graph, query: str) -> None:
        try:
            self._run_on(graph, query, None)
        except StoreError as exc:
            if "already indexed" not in str(exc):
                raise

    def close(self) -> None:
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001, S110 - closing a dead connection is fine
            pass
