"""`peerlink allocate`: staff a round of peer reviews from two CSV files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.cli.common import (
    CliError,
    add_json_flag,
    check_output_file,
    count,
    graph_errors_as_cli,
    load_snapshot,
    print_json,
    print_problems,
)
from app.export import to_csv
from graph.changes import UpsertNode
from graph.engagements import round_engagements
from graph.errors import LoadError
from graph.ledger import past_reviews
from graph.peer_round import read_history, read_requests, read_reviewers
from graph.resolve import Resolver
from graph.roles import role_label
from graph.stores import open_store
from matcher.allocation import SOLVERS, TEAM_COLUMNS, allocation_to_json, allocation_to_rows
from matcher.allocation.exact import NODE_LIMIT
from matcher.allocation.staffing import staff_round


def register(sub) -> None:
    p = sub.add_parser("allocate", help="staff a round of peer reviews exactly and fairly")
    p.add_argument("--requests", required=True, type=Path, metavar="R.csv",
                   help="request_id, council, focus, roles")
    p.add_argument("--reviewers", required=True, type=Path, metavar="P.csv",
                   help="reviewer_id, council, role, expertise, capacity")
    p.add_argument("--history", type=Path, metavar="H.csv",
                   help="past reviews: reviewer_id, reviewer_council, council_reviewed "
                        "(default: the saved rounds and engagements in the graph)")
    p.add_argument("--save", metavar="NAME",
                   help="save the staffed round under NAME: its teams become peer-review "
                        "engagements (needs --who)")
    p.add_argument("--who", default=None, help="your name, recorded with --save")
    p.add_argument("--repeat", choices=("penalise", "forbid"), default="penalise",
                   help="a reviewer going back to a council they reviewed before (with --history)")
    p.add_argument("--out", type=Path, metavar="A.csv", help="write assignments as CSV")
    p.add_argument("--solver", choices=sorted(SOLVERS), default="exact")
    p.add_argument("--node-limit", type=count(1, 10**7), default=NODE_LIMIT, metavar="N",
                   help="branch-and-bound nodes per integer solve (exact solver; a work "
                        f"limit, so the same round always gives the same answer; default "
                        f"{NODE_LIMIT})")
    for flag, what in (("--force", "must be in the result"), ("--forbid", "must not be"),
                       ("--lock", "already published: kept exactly")):
        p.add_argument(flag, action="append", default=[], metavar="REQUEST:REVIEWER",
                       help=f"a pair that {what} (repeatable)")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_allocate))


def _pairs(values: list[str], flag: str) -> list[tuple[str, str]]:
    out = []
    for value in values:
        request_id, sep, reviewer_id = value.partition(":")
        if not sep or not request_id or not reviewer_id:
            raise CliError(f"{flag} {value!r}: write it as REQUEST_ID:REVIEWER_ID", 2)
        out.append((request_id, reviewer_id))
    return out


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_allocate(args) -> int:
    check_output_file(args.out, "--out")
    kg = load_snapshot()
    resolver = Resolver(kg.councils(status=None))
    problems = []
    requests = reviewers = []
    for reader, path, name in ((read_requests, args.requests, "requests"),
                               (read_reviewers, args.reviewers, "reviewers")):
        try:
            rows = reader(path, resolver, label=str(path))
        except LoadError as exc:
            problems += exc.problems
            continue
        if name == "requests":
            requests = rows
        else:
            reviewers = rows
    if args.save is not None and not (args.who and args.who.strip()):
        raise CliError("--save needs --who NAME: every change records who made it", 2)
    past = []
    if args.history:
        try:
            past = read_history(args.history, resolver, label=str(args.history))
        except LoadError as exc:
            problems += exc.problems
    else:  # the graph's own record: saved rounds and engagements
        past = past_reviews(kg)
    if not problems:
        known_requests = {r.request_id for r in requests}
        known_reviewers = {r.reviewer_id for r in reviewers}
        pairs = {flag: _pairs(getattr(args, flag.strip("-")), flag)
                 for flag in ("--force", "--forbid", "--lock")}
        for flag, found in pairs.items():
            for request_id, reviewer_id in found:
                if request_id not in known_requests:
                    raise CliError(f"{flag}: no request {request_id!r} in {args.requests}", 2)
                if reviewer_id not in known_reviewers:
                    raise CliError(f"{flag}: no reviewer {reviewer_id!r} in {args.reviewers}", 2)
        try:
            staffed = staff_round(kg, requests, reviewers, past, forced=pairs["--force"],
                                  forbidden=pairs["--forbid"], locked=pairs["--lock"],
                                  repeat=args.repeat, solver=args.solver,
                                  **({"node_limit": args.node_limit}
                                     if args.solver == "exact" else {}))
        except LoadError as exc:
            problems += exc.problems
    if problems:
        n = print_problems(problems)
        raise CliError(f"{n:,} problem(s) in the round's files; nothing was solved")

    instance, result = staffed.instance, staffed.allocation
    data = allocation_to_json(result)
    if args.save is not None:
        data["saved"] = save_round(kg, instance, result, args.save, args.who.strip())
    if args.out:
        rows, unfilled = allocation_to_rows(result, instance)
        write_atomically(args.out, to_csv(rows + unfilled, TEAM_COLUMNS))
    if args.json:
        print_json(data)
        return 0
    names = instance.council_names
    by_request: dict[str, list] = {}
    for a in result.assignments:
        by_request.setdefault(a.request_id, []).append(a)
    reviewer_council = {p.reviewer_id: p.council for p in instance.reviewers}
    for q in instance.requests:
        print(f"{q.request_id} {names.get(q.council, q.council)}")
        for a in by_request.get(q.request_id, []):
            council = reviewer_council[a.reviewer_id]
            print(f"    {role_label(a.role):<14}{a.reviewer_id:<12}"
                  f"{names.get(council, council):<32}fit {a.score:.2f}")
    for u in result.unfilled:
        print(f"UNFILLED {u.request_id} {role_label(u.role)} x{u.missing}: {u.reason}")
        for r in u.relaxations:
            print(f"    would fill: {r}")
    print(f"{len(result.assignments)} slots filled, {sum(u.missing for u in result.unfilled)} "
          f"unfilled; solver {result.solver} ({result.status}) in {result.seconds:.2f} s")
    if args.save is not None:
        print(f"saved as round {args.save.strip()!r}: {len(data['saved'])} peer-review "
              f"engagement(s), agreed, recorded by {args.who.strip()}")
    return 0


def save_round(kg, instance, result, name: str, who: str) -> list[str]:
    """Write the staffed teams as peer-review engagements in one batch; their ids."""
    councils = {q.request_id: (q.council, q.focus) for q in instance.requests}
    reviewer_council = {p.reviewer_id: p.council for p in instance.reviewers}
    placements = [(*councils[a.request_id], a.reviewer_id, reviewer_council[a.reviewer_id])
                  for a in result.assignments]
    saved = round_engagements(kg, name, placements, who)
    store = open_store()
    try:
        store.apply([UpsertNode(node=e) for e in saved], who)
    finally:
        store.close()
    return [e.id for e in saved]
