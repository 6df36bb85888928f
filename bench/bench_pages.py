"""Time the app in a real browser: first render of each page and the main actions, warm.

Starts `streamlit run app/streamlit_app.py` on a free loopback port over a temporary journal,
drives Debian's chromium with Playwright (no downloads; the same flags as the browser tests),
visits every page once to warm the app, then times, ``--repeat`` times each (median):

- a page's first render: from the click on its sidebar link until its heading shows
  ("shown") and until Streamlit's script run has finished ("done");
- the actions: a partner lookup, a best-practice search, staffing the sample round and
  opening a council's profile, each asking something other than what the page shows (the
  council or question alternates), so each really runs.

What each page waits on: the slowest calls into graph/matcher/app while the page's script
runs, from a cProfile of the same page under Streamlit's AppTest (warm), listed after the
table. Target: <= 1 s for each render and action. Nothing here asserts on time.

Run: .venv/bin/python bench/bench_pages.py [--repeat N]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "app" / "streamlit_app.py"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run"]
TARGET = 1.0
PAGES = {  # sidebar link -> (heading, file)
    "Home": ("peerlink", "home"),
    "Find partners": ("Find improvement partners", "partners"),
    "Best practice": ("Best practice", "practice"),
    "Peer-review round": ("Peer-review round", "peer_review"),
    "Council profile": ("Council profile", "profile"),
    "Network explorer": ("Network explorer", "explorer"),
}
SETTLED = ("() => document.querySelector('[data-testid=stApp]')"
           "?.getAttribute('data-test-script-state') === 'notRunning'")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(journal: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if k != "PEERLINK_GRAPH"}
    env["PEERLINK_JOURNAL"] = str(journal)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ENTRY), "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start")


def _settle(page) -> None:
    page.wait_for_timeout(50)
    page.wait_for_function(SETTLED)


def _timed(page, act, shown, floor: float = 0.0) -> tuple[float, float]:
    """Seconds from ``act()`` until ``shown()`` returns, and until the script run ends.
    ``shown`` waits for something only the new run can show (the heading of the page
    opened, the answer to the new council), so the run has begun when it returns; where
    nothing new is certain to show (the same heading over a new answer), the end is only
    looked for after ``floor`` seconds, so the figure is at least that (an upper bound)."""
    start = time.perf_counter()
    act()
    shown()
    first = time.perf_counter() - start
    page.wait_for_timeout(floor * 1000)
    page.wait_for_function(SETTLED)
    return first, time.perf_counter() - start


def _go(page, link: str):
    heading = PAGES[link][0]
    return _timed(page, lambda: page.get_by_role("link", name=link).first.click(),
                  lambda: page.get_by_role("heading", name=heading).first.wait_for())


def _type(page, label: str, choices: list[tuple[str, str]], expect, floor: float = 0.0):
    """Type the first of ``choices`` (text, what the answer shows) that differs from what the
    box holds now, so every timed action asks a new question and really runs."""
    box = page.get_by_label(label, exact=True)
    now = box.input_value()
    text, shows = next(c for c in choices if c[0] != now)

    def act():
        box.fill(text)
        box.press("Enter")

    return _timed(page, act, lambda: expect(shows), floor)


def actions(page) -> dict:
    """name -> (page link, timed action)."""
    councils = [("NE Lincs", "North East Lincolnshire"), ("Wirral", "Wirral")]
    return {
        "partner lookup (NE Lincs or Wirral)": ("Find partners", lambda: _type(
            page, "Your council", councils, lambda name: page.get_by_role(
                "heading", name=f"Proposed partners for {name}").wait_for())),
        "search a question": ("Best practice", lambda: _type(
            page, "What are you looking for?",
            [("keeping experienced social workers", ""), ("a better front door", "")],
            lambda _: page.get_by_role("heading", name="Practice examples").wait_for(),
            floor=0.2)),
        "staff the sample round": ("Peer-review round", lambda: _timed(
            page, lambda: page.get_by_role("button", name="Staff the round").click(),
            lambda: page.get_by_text("Places filled", exact=True).first.wait_for(), 0.2)),
        "open a council's profile (Halton or Knowsley)": ("Council profile", lambda: _type(
            page, "Council", [("Halton", "Halton"), ("Knowsley", "Knowsley")],
            lambda name: page.get_by_role("heading", name=name).first.wait_for())),
    }


def browser_figures(repeat: int) -> tuple[float, list[tuple[str, float, float]]]:
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start(Path(tmp) / "journal.sqlite")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=FLAGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1600})
                page.set_default_timeout(120_000)
                cold = _timed(page, lambda: page.goto(url), lambda: page.get_by_role(
                    "heading", name="peerlink").wait_for())[1]
                for link in PAGES:  # warm-up: every page once, every action once
                    _go(page, link)
                for link, act in actions(page).values():
                    _go(page, link)
                    act()
                for link in PAGES:
                    runs = []
                    for _ in range(repeat):
                        _go(page, "Home" if link != "Home" else "Best practice")
                        runs.append(_go(page, link))
                    rows.append((f"page: {link}", statistics.median(r[0] for r in runs),
                                 statistics.median(r[1] for r in runs)))
                for name, (link, act) in actions(page).items():
                    runs = []
                    for _ in range(repeat):
                        _go(page, "Home")
                        _go(page, link)
                        runs.append(act())
                    rows.append((name, statistics.median(r[0] for r in runs),
                                 statistics.median(r[1] for r in runs)))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return cold, rows


def _ours(prof: cProfile.Profile, top: int) -> list[str]:
    """The slowest calls a page makes itself (callees of app/views/*.py), with their time."""
    found = []
    for (file, _line, func), (_cc, _nc, _tt, _cum, callers) in pstats.Stats(prof).stats.items():
        from_page = {k: v for k, v in callers.items() if "/app/views/" in k[0]}
        if from_page and "/app/views/" not in file:
            cum = sum(v[3] for v in from_page.values())
            where = Path(file)
            name = (str(where.relative_to(ROOT)) if where.is_relative_to(ROOT)
                    and ".venv" not in where.parts else where.parent.name + "/" + where.name)
            found.append((cum, f"{name}:{func}"))
    found.sort(reverse=True)
    return [f"{where} {cum * 1000:.0f} ms" for cum, where in found[:top]]


def waits_on(top: int = 3) -> dict[str, list[str]]:
    """For each page (and the partner lookup), the slowest calls into our own code while it
    renders, warm, under Streamlit's AppTest."""
    from streamlit.testing.v1 import AppTest

    from app import state

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PEERLINK_JOURNAL"] = str(Path(tmp) / "journal.sqlite")
        at = AppTest.from_file(str(ENTRY), default_timeout=300)
        at.run()
        steps = {name: (f"views/{name}.py", None) for _heading, name in PAGES.values()}
        steps["partner lookup"] = ("views/partners.py", lambda: at.text_input(
            key=state.COUNCIL).input("NE Lincs").run())
        for name, (view, act) in steps.items():
            for warm in (True, False):
                at.switch_page("views/home.py").run()
                prof = cProfile.Profile()

                def in_script_thread(*_args, prof=prof):  # AppTest runs pages in a thread
                    sys.setprofile(None)
                    prof.enable()

                threading.setprofile(in_script_thread)
                at.switch_page(view).run()
                if act is not None:
                    act()
                threading.setprofile(None)
                if not warm:
                    out[name] = _ours(prof, top)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} (1 min) at the start")
    cold, rows = browser_figures(args.repeat)
    print(f"app cold start (server up -> home heading in the browser): {cold:.2f} s\n")
    print(f"| warm, median of {args.repeat} | shown (s) | done (s) |")
    print("|---|---:|---:|")
    worst = 0.0
    for name, first, done in rows:
        worst = max(worst, done)
        flag = "" if done <= TARGET else " (over target)"
        print(f"| {name}{flag} | {first:.2f} | {done:.2f} |")
    print(f"\nworst: {worst:.2f} s (target <= {TARGET:.0f} s); load average at the end "
          f"{os.getloadavg()[0]:.1f}")
    print("\nWhat each page waits on (warm AppTest, cProfile, cumulative):")
    for name, listed in waits_on().items():
        print(f"- {name}: " + "; ".join(listed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
