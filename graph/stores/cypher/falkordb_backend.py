"""The Cypher store's connection to FalkorDB, through its native protocol (`falkordb` client).

FalkorDB has no multi-statement transactions: each statement is atomic, and `write_tx` runs
them in order. It cannot store the NUL character, which is refused here with a clear error.

A push must become visible whole or not at all, so `write_whole` writes into a copy: the
graph a URL names (`peerlink`) is a pointer, the Redis key `peerlink-live:<name>`, to the
physical graph readers use (`<name>` itself until the first push). A push copies the live
graph (`GRAPH.COPY`) to `<name>~<token>`, writes there, then retires the live graph's
counter only if no edit claimed it meanwhile, and moves the pointer. Readers keep reading the
old graph until then; a push killed part-way leaves only an unused copy, removed by the next
push. The graph before the live one is kept (readers may still be on it) and then deleted.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
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
from graph.stores.cypher.queries import (
    COUNTER,
    Q_COUNTER_BUMP,
    Q_COUNTER_READ,
    Q_COUNTER_RETIRE,
    Q_INDEXES,
)


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


PUSH_LOCK_MS = 15000  # a killed push holds the lock this long at most


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


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
        self._live_key = f"peerlink-live:{graph}"
        self._previous_key = f"peerlink-previous:{graph}"
        self._push_lock = f"peerlink-pushing:{graph}"
        self._physical = graph
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

    def _select(self):
        """The physical graph readers use now (the pointer a push moves)."""
        try:
            name = self._db.connection.get(self._live_key)
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None
        physical = _text(name) if name else self.graph_name
        if physical != self._physical:
            self._graph, self._physical = self._db.select_graph(physical), physical
        return self._graph

    def _run_on(self, graph, query: str, params: dict[str, Any] | None) -> list[list[Any]]:
        _check_text(params)
        try:
            return [list(row) for row in graph.query(query, params).result_set]
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        return self._run_on(self._select(), query, params)

    def write_tx(self, statements: Sequence[Statement], guard_first: int = 0) -> None:
        # No multi-statement transactions: each statement is atomic; run in order, on the
        # graph that was live when the edit started (a push retires it only if no edit
        # claimed its counter, so an edit never lands in a retired graph).
        graph = self._select()
        for i, (query, params) in enumerate(statements):
            rows = self._run_on(graph, query, params)
            if i == guard_first - 1 and not rows:
                raise Conflict()

    def write_whole(self, statements: Sequence[Statement]) -> None:
        """Write into a copy of the live graph, then swap it in (see the module docstring).
        One push at a time per graph: a lock key, renewed while the push writes, that
        expires PUSH_LOCK_MS after a push is killed."""
        token = uuid.uuid4().hex[:12]
        r = self._db.connection
        deadline = time.monotonic() + self.timeout
        try:
            while not r.set(self._push_lock, token, nx=True, px=PUSH_LOCK_MS):
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.where}: another push to this graph is still "
                                     "running; try again when it has finished")
                time.sleep(0.2)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None
        try:
            self._push_into_copy(statements, token)
        finally:
            try:
                if _text(r.get(self._push_lock) or "") == token:
                    r.delete(self._push_lock)
            except Exception:  # noqa: BLE001, S110 - it expires by itself
                pass

    def _push_into_copy(self, statements: Sequence[Statement], token: str) -> None:
        live = self._select()
        live_name = self._physical
        r = self._db.connection
        rows = self._run_on(live, Q_COUNTER_READ, {"name": COUNTER})
        version = rows[0][1] if rows else 0
        staging_name = f"{self.graph_name}~{token}"
        try:
            self._tidy(keep={live_name})
            r.execute_command("GRAPH.COPY", live_name, staging_name)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None
        staging = self._db.select_graph(staging_name)
        for query, params in statements:
            retry(lambda q=query, p=params: self._run_on(staging, q, p))
            r.pexpire(self._push_lock, PUSH_LOCK_MS)  # still pushing
        # one more move than the retired graph's, so no reader mistakes one for the other
        retry(lambda: self._run_on(staging, Q_COUNTER_BUMP, {"name": COUNTER}))
        claimed = self._run_on(live, Q_COUNTER_RETIRE, {"name": COUNTER, "version": version})
        if not claimed:
            self._drop(staging_name)
            raise StoreError(f"{self.where}: the graph was edited during the push, which "
                             "was not applied; push again")
        previous = r.get(self._previous_key)
        r.set(self._live_key, staging_name)
        r.set(self._previous_key, live_name)
        if previous and _text(previous) not in (live_name, staging_name):
            self._drop(_text(previous))

    def _tidy(self, keep: set[str]) -> None:
        """Remove copies left by pushes that never finished (not live, not the previous)."""
        r = self._db.connection
        previous = r.get(self._previous_key)
        keep = keep | ({_text(previous)} if previous else set())
        for raw in r.execute_command("GRAPH.LIST"):
            name = _text(raw)
            if name.startswith(self.graph_name + "~") and name not in keep:
                self._drop(name)

    def _drop(self, name: str) -> None:
        try:
            self._db.connection.execute_command("GRAPH.DELETE", name)
        except Exception:  # noqa: BLE001, S110 - already gone is fine
            pass

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
