"""The `peerlink` command line. Each command module registers its own subcommands.

Every command has `--json` with a stable shape; errors go to stderr as one line with a
non-zero exit (see `app.cli.common`: no input reaches a user as a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app.cli.common import escaped_output, fail, leaf_parsers, run_command

# Modules that add subcommands; each exposes `register(subparsers)`.
COMMAND_MODULES = (
    "app.cli.graph_cmds",
    "app.cli.matcher_cmds",
    "app.cli.allocate_cmd",
    "app.cli.store_cmds",
    "app.cli.doctor_cmd",
    "app.cli.channel_cmds",
)
# The module that registers each command, so that a command imports only its own module
# (and `peerlink resolve` never waits for pandas, SciPy or OR-Tools). A command missing here
# still works: every module is then imported. tests/cli/test_startup.py keeps this in step.
COMMANDS = {
    **dict.fromkeys(("stats", "validate", "resolve", "show", "history", "app"),
                    "app.cli.graph_cmds"),
    **dict.fromkeys(("partners", "search", "support", "groups", "eval"),
                    "app.cli.matcher_cmds"),
    "allocate": "app.cli.allocate_cmd",
    **dict.fromkeys(("push", "pull", "server"), "app.cli.store_cmds"),
    "doctor": "app.cli.doctor_cmd",
    **dict.fromkeys(("ingest", "engagement", "ledger"), "app.cli.channel_cmds"),
}


def _command_word(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; given the ``command`` word, only that command's module is imported."""
    parser = argparse.ArgumentParser(
        prog="peerlink",
        description="Knowledge graph and matcher for sector-led improvement in children's "
        "services. The graph comes from PEERLINK_GRAPH (default: the embedded seed data).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        importlib.import_module(name).register(sub)
    for leaf in leaf_parsers(parser):
        leaf.set_defaults(leaf_parser=leaf)  # so a misspelt flag is reported with its own usage
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    with escaped_output():
        if any("\0" in arg for arg in argv):
            return fail("arguments must not contain NUL bytes", 2)
        parser = build_parser(_command_word(argv))
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            args.leaf_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
