"""CPU a light command spends, start to answer: `peerlink resolve/show/stats/search/partners`.

    .venv/bin/python bench/bench_cli.py [--repeat 7]

Each command runs in a fresh process (as a person runs it) after one warm-up run, so the seed
cache is filled, Python's compiled modules are written (PYTHONDONTWRITEBYTECODE is removed
from the commands' environment: a person's Python writes them) and the files are in the page
cache; the figure is the child's user + system
CPU (not wall time, which a busy machine stretches), median and least of the runs. The load
average is printed because other work on the machine slows even CPU time (shared caches).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

PEERLINK = Path(sys.executable).with_name("peerlink")
COMMANDS = (
    ("resolve", "Halton"),
    ("show", "Halton"),
    ("stats",),
    ("search", "keeping social workers"),
    ("partners", "Halton"),
)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cpu_seconds(argv: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| command | median CPU s | least CPU s |")
    print("|---|---:|---:|")
    for command in COMMANDS:
        argv = [str(PEERLINK), *command]
        cpu_seconds(argv)  # warm-up: fills the seed cache
        runs = [cpu_seconds(argv) for _ in range(args.repeat)]
        print(f"| peerlink {' '.join(command)} | {statistics.median(runs):.2f} | "
              f"{min(runs):.2f} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
