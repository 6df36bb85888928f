"""The `peerlink` command line. Each command module registers its own subcommands.

Every command has `--json` with a stable shape; errors go to stderr as one line with a
non-zero exit.
"""

from __future__ import annotations

import argparse
import sys

from app.cli import allocate_cmd, graph_cmds, matcher_cmds, store_cmds
from app.cli.common import CliError, fail

# Modules that add subcommands; each exposes `register(subparsers)`.
COMMAND_MODULES = (graph_cmds, matcher_cmds, allocate_cmd, store_cmds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peerlink",
        description="Knowledge graph and matcher for sector-led improvement in children's "
        "services. The graph comes from PEERLINK_GRAPH (default: the embedded seed data).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CliError as exc:
        return fail(str(exc), exc.code)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
