"""Time each page's first render at England scale (the shipped seed: every English council)
with Streamlit's AppTest, and the first render of its main action. Target: < 2 s each.

Run: .venv/bin/python bench/bench_pages.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
ENTRY = str(ROOT / "app" / "streamlit_app.py")
TARGET = 2.0


def _actions():
    from app import state

    return {
        "home": None,
        "partners": ("type 'NE Lincs'",
                     lambda at: at.text_input(key=state.P_COUNCIL).input("NE Lincs").run()),
        "practice": ("search a question", lambda at: at.text_input(key=state.S_QUERY).input(
            "keeping experienced social workers").run()),
        "peer_review": ("staff the sample round",
                        lambda at: at.button(key=state.R_SOLVE).click().run()),
        "profile": ("open Halton",
                    lambda at: at.text_input(key=state.C_COUNCIL).input("Halton").run()),
        "explorer": ("ego view, 2 steps", lambda at: (
            at.radio(key=state.X_MODE).set_value("Around one node").run(),
            at.text_input(key=state.X_CENTER).input("Halton").run(),
            at.radio(key=state.X_RADIUS).set_value(2).run())[-1]),
    }


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_once(page: str, action) -> tuple[float, float, float | None]:
    """(cold start of the app, first render of the page, first render of its action)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PEERLINK_JOURNAL"] = str(Path(tmp) / "journal.sqlite")
        at = AppTest.from_file(ENTRY, default_timeout=120)
        cold = _timed(at.run)
        first = _timed(lambda: at.switch_page(f"views/{page}.py").run())
        assert not at.exception, at.exception
        acted = None
        if action is not None:
            acted = _timed(lambda: action[1](at))
            assert not at.exception, at.exception
        return cold, first, acted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from graph.stores import open_store

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PEERLINK_JOURNAL"] = str(Path(tmp) / "j.sqlite")
        stats = open_store().snapshot().stats()
    print(f"graph: {sum(stats['nodes'].values())} nodes, {sum(stats['edges'].values())} edges, "
          f"{stats['councils']['current']} current councils")
    print(f"{'page':<12} {'app cold':>9} {'page first':>11} {'action':>8}  action  "
          f"(median of {args.repeat}, seconds)")
    worst = 0.0
    for page, action in _actions().items():
        runs = [bench_once(page, action) for _ in range(args.repeat)]
        cold = statistics.median(r[0] for r in runs)
        first = statistics.median(r[1] for r in runs)
        acted = statistics.median(r[2] for r in runs) if action else None
        worst = max(worst, first, acted or 0.0)
        flag = "" if max(first, acted or 0.0) < TARGET else "  OVER TARGET"
        print(f"{page:<12} {cold:>9.2f} {first:>11.2f} "
              f"{'' if acted is None else f'{acted:.2f}':>8}  {action[0] if action else '-'}"
              f"{flag}")
    print(f"worst page or action render: {worst:.2f} s (target < {TARGET:.0f} s)")
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
