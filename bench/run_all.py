"""Run every benchmark in turn and print their tables (`make bench`).

    .venv/bin/python bench/run_all.py [--quick]

Each benchmark is its own script, so each can also be run alone; figures are reported in
README.md with the command that produced them. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller generated graphs/rounds")
    args = parser.parse_args()
    runs = [
        ("bench_load.py", []),
        ("bench_ingest.py", []),
        ("bench_matcher.py", ["--skip-large"] if args.quick else []),
        ("bench_allocation.py", ["--quick"] if args.quick else []),
        ("bench_push.py", ["--quick"] if args.quick else []),
        ("bench_cli.py", []),
        ("bench_pages.py", []),
    ]
    failed = 0
    for script, extra in runs:
        print(f"\n## {script} {' '.join(extra)}\n", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / script), *extra], cwd=HERE.parent)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
