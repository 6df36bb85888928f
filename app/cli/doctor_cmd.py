"""`peerlink doctor`: check the embedded journal and, with --repair, fix it."""

from __future__ import annotations

import os
from pathlib import Path

from app.cli.common import add_json_flag, graph_errors_as_cli, print_json
from graph.loader import DEFAULT_SEED_DIR


def register(sub) -> None:
    p = sub.add_parser("doctor", help="check the local journal of edits (integrity, rows that "
                                      "cannot apply); --repair quarantines bad rows")
    p.add_argument("--journal", metavar="FILE", default=None,
                   help="journal to check (default: PEERLINK_JOURNAL or "
                        "~/.peerlink/journal.sqlite)")
    p.add_argument("--repair", action="store_true",
                   help="move bad rows to the quarantine table, salvage a damaged file, and "
                        "write a fresh checkpoint")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_doctor))


def cmd_doctor(args) -> int:
    from graph.stores.doctor import check_journal
    from graph.stores.embedded import default_journal_path

    path = Path(args.journal) if args.journal else default_journal_path()
    seed = Path(os.environ.get("PEERLINK_SEED_DIR") or DEFAULT_SEED_DIR)
    report = check_journal(path, seed, repair=args.repair)
    ok = report.healthy or report.repaired
    if args.json:
        print_json({"journal": report.journal, "rows": report.rows, "healthy": report.healthy,
                    "repaired": report.repaired, "problems": report.problems,
                    "actions": report.actions, "ok": ok})
    else:
        for line in report.lines():
            print(line)
        if not ok:
            print("run `peerlink doctor --repair` to quarantine them")
    return 0 if ok else 1
