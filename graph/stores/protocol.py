"""What every store offers (`GraphStore`); the app and the CLI use nothing else.

A store holds the graph and answers `snapshot()` with a `KnowledgeGraph`; every edit goes
through `apply(changes, who)` as one atomic batch, checked against the graph's rules first
(graph/changes.py). A `guard` given to `apply` is called with the graph exactly as the batch
will be written over it, under the store's write lock (or again, if another client wrote
first), so a permission check cannot be overtaken by someone else's write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from graph.changes import Change, ChangeRecord
from graph.knowledge import KnowledgeGraph

# Raises ChangeRejected (nothing written) when the batch may not be made over this graph.
Guard = Callable[[KnowledgeGraph], None]


@runtime_checkable
class GraphStore(Protocol):
    """What every store offers; the app and the CLI use nothing else."""

    def snapshot(self) -> KnowledgeGraph: ...

    def apply(self, changes: Sequence[Change], who: str,
              guard: Guard | None = None) -> None: ...

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]: ...

    def describe(self) -> str: ...

    def close(self) -> None: ...
