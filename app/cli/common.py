"""Helpers every CLI command shares: opening the store, printing, failing cleanly."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from graph.errors import GraphError, LoadError
from graph.knowledge import KnowledgeGraph
from graph.resolve import Resolver
from graph.stores import open_store


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = 1) -> int:
    print(f"peerlink: error: {message}", file=sys.stderr)
    return code


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print a stable JSON shape")


def graph_errors_as_cli(fn: Callable) -> Callable:
    """Turn the graph's own errors into a one-line CLI error (no traceback)."""

    @wraps(fn)
    def run(args):
        try:
            return fn(args)
        except LoadError as exc:
            for problem in exc.problems:
                print(str(problem), file=sys.stderr)
            raise CliError(f"{len(exc.problems)} problem(s) in the data; nothing loaded") from None
        except GraphError as exc:
            raise CliError(str(exc)) from None

    return run


def load_snapshot() -> KnowledgeGraph:
    store = open_store()
    try:
        return store.snapshot()
    finally:
        store.close()


def resolve_council(kg: KnowledgeGraph, name: str, current_only: bool = True) -> str:
    """One GSS code for a council as a person wrote it, or a CliError naming alternatives."""
    found = Resolver(kg.councils(status=None)).resolve(name)
    if found.code is None:
        alts = found.alternatives_text()
        hint = f"; did you mean: {alts}?" if alts else ""
        raise CliError(f"no council matches {name!r}{hint}")
    if current_only and found.status == "abolished":
        if len(found.successors) == 1:
            return found.successors[0]
        names = ", ".join(f"{kg.name(s)} ({s})" for s in found.successors)
        raise CliError(f"{found.name} was abolished; choose one of its successors: {names}")
    return found.code
