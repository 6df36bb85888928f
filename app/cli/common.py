"""Helpers every CLI command shares: opening the store, printing, failing cleanly.

No input reaches a user as a traceback: `run_command` turns every error a person can cause
(bad data, a bad file, an infeasible request, an unreachable server) into one line on stderr
with a non-zero exit, and anything else into one "internal error" line (exit 70) that tests
treat as a bug. Output passes through `escaped_output`, so control characters from data (a
name carrying terminal escape sequences) print as `\\u001b`, never as escapes. Argument types
(`count`, `finite`, `port`) refuse values outside their range at parse time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, TextIO

from graph import wording
from graph.errors import GraphError, LoadError
from graph.knowledge import KnowledgeGraph
from graph.resolve import Resolver
from graph.stores import open_store

INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug, not the user's input
MAX_PROBLEMS_SHOWN = 20
MAX_MESSAGE = 500  # characters of one error line


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message as one line of at most `limit` characters."""
    return wording.one_line(message, limit)


def fail(message: str, code: int = 1) -> int:
    print(f"peerlink: error: {one_line(message)}", file=sys.stderr)
    return code


def print_json(data: Any) -> None:
    # allow_nan=False: a NaN or infinity is a bug to report, never JSON to hand on.
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    sys.stdout.write("\n")


def print_problems(problems: Iterable[object], limit: int = MAX_PROBLEMS_SHOWN) -> int:
    """Each problem on its own line on stderr, the first `limit` only, then how many more."""
    problems = list(problems)
    for problem in problems[:limit]:
        print(one_line(str(problem)), file=sys.stderr)
    if len(problems) > limit:
        print(f"... and {len(problems) - limit:,} more", file=sys.stderr)
    return len(problems)


# ---------------------------------------------------------------------- escaping output

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides that
# make text read differently from how it is stored.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    r"""Control characters as visible `\uXXXX` (also a valid escape inside a JSON string).

    >>> escape_controls("Knowsley\x1b[2J\x1b[31m")
    'Knowsley\\u001b[2J\\u001b[31m'
    >>> escape_controls("two\nlines\tok")
    'two\nlines\tok'
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class EscapingStream:
    """A text stream that escapes control characters in everything written to it."""

    def __init__(self, inner: TextIO):
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(escape_controls(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """stdout and stderr escape control characters while a command runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(out), EscapingStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


# ---------------------------------------------------------------------- argument types


def count(low: int = 1, high: int = 10_000) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, not {text[:40]}")
        return value

    parse.__name__ = "count"
    return parse


def finite(low: float = -math.inf, high: float = math.inf) -> Callable[[str], float]:
    """An argparse type: a finite number from `low` to `high`."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a number from {low:g} to {high:g}, "
                                             f"not {text[:40]}")
        return value

    parse.__name__ = "number"
    return parse


port = count(1, 65_535)


def check_output_file(path: Path | None, flag: str) -> None:
    """Refuse, before any work is done, an output path that cannot become a file."""
    if path is not None and path.is_dir():
        raise CliError(f"{flag} {str(path)[:120]} is a directory: name a file to write", 2)


def check_finite_weights(pairs: Iterable[str]) -> None:
    """`--weight NAME=VALUE` values must be finite: an infinite weight makes every score NaN."""
    for pair in pairs:
        _, _, value = pair.partition("=")
        with contextlib.suppress(ValueError):
            if not math.isfinite(float(value)):
                raise CliError(f"bad weight {pair[:60]!r}: the value must be a finite number", 2)


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print a stable JSON shape")


def graph_errors_as_cli(fn: Callable) -> Callable:
    """Turn the graph's own errors into a one-line CLI error (no traceback)."""

    @wraps(fn)
    def run(args):
        try:
            return fn(args)
        except LoadError as exc:
            n = print_problems(exc.problems)
            raise CliError(f"{n:,} problem(s) in the data; nothing loaded") from None
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


# ---------------------------------------------------------------------- running a command


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; every error becomes one line on stderr and an exit code."""
    try:
        return int(args.run(args) or 0)
    except CliError as exc:
        return fail(str(exc), exc.code)
    except LoadError as exc:
        n = print_problems(exc.problems)
        return fail(f"{n:,} problem(s) in the input; nothing was done")
    except GraphError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a path that is a directory, too long, unreadable; a full disk
        where = f"{str(exc.filename)[:120]}: " if exc.filename else ""
        return fail(f"{where}{exc.strerror or exc}", 1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence, see module docstring
        if _is_user_error(exc):
            return fail(str(exc), 2)
        return fail(f"internal error ({type(exc).__name__}: {exc}); please report it",
                    INTERNAL_ERROR)


def _is_user_error(exc: Exception) -> bool:
    """Errors the matcher raises about the request itself (imported only on this path)."""
    from matcher.allocation.model import AllocationError
    from matcher.partners import MatcherError
    from matcher.support import SupportError

    return isinstance(exc, AllocationError | MatcherError | SupportError)


def leaf_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parsers that end a command line (`partners`, `eval search`, ...)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield parser
    for action in subs:
        for child in dict.fromkeys(action.choices.values()):
            yield from leaf_parsers(child)
