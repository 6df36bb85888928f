"""What every store offers (`GraphStore`); the app and the CLI use nothing else.

A store holds the graph and answers `snapshot()` with a `KnowledgeGraph`; every edit goes
through `apply(changes, who)` as one atomic batch, checked against the graph's rules first
(graph/changes.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from graph.changes import Change, ChangeRecord
from graph.knowledge import KnowledgeGraph


@runtime_checkable
class GraphStore(Protocol):
    """What every store offers; the app and the CLI use nothing else."""

    def snapshot(self) -> KnowledgeGraph: ...

    def apply(self, changes: Sequence[Change], who: str) -> None: ...

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]: ...

    def describe(self) -> str: ...

    def close(self) -> None: ...
