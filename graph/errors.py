"""Exceptions raised by the `graph` package."""

from __future__ import annotations

from dataclasses import dataclass


class GraphError(Exception):
    """Base class for every error the graph package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located to the file, line and field."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class LoadError(GraphError):
    """Input failed validation; nothing was loaded. `problems` lists every fault found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = str(problems[0]) if problems else "invalid input"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(head + more)


class UnknownNode(GraphError, KeyError):
    def __init__(self, node_id: str):
        self.node_id = node_id
        super().__init__(node_id)

    def __str__(self) -> str:
        return f"no node with id {self.node_id!r}"


class StoreError(GraphError):
    """A store could not be reached or refused a write; the message is one line for a person."""


class ChangeRejected(GraphError):
    """A change would break the graph's rules (unknown node, wrong edge endpoints, ...)."""
