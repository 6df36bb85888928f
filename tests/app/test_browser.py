"""The running app in a real browser: Debian's chromium driven by Playwright (no downloads).

Starts `streamlit run app/streamlit_app.py` on a free loopback port over a temporary journal
(with a council alias and a description holding HTML, to prove data shows as text), clicks
through every page, runs one search and one partner query, and saves a screenshot of every
page (and of the explorer's views) to `screenshots/`; the run prints where they are. Skips
when /usr/bin/chromium is missing, unless PEERLINK_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pytest
from playwright.sync_api import expect

from graph.changes import UpsertNode
from graph.stores import open_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run"]
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
TIMEOUT = 60_000


def _need_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("PEERLINK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pytest.skip(f"{CHROMIUM} is missing (set PEERLINK_REQUIRE_BROWSER=1 to fail instead)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _need_browser()
    journal = tmp_path_factory.mktemp("browser") / "journal.sqlite"
    env = {k: v for k, v in os.environ.items()
           if k not in ("PEERLINK_GRAPH", "PEERLINK_SEED_DIR")}
    env["PEERLINK_JOURNAL"] = str(journal)
    previous = os.environ.get("PEERLINK_JOURNAL")
    os.environ["PEERLINK_JOURNAL"] = str(journal)
    try:
        store = open_store()
        halton = store.snapshot().node("E06000006")
        store.apply([UpsertNode(node=halton.model_copy(update={
            "aliases": [*halton.aliases, SCRIPT], "description": IMG}))], "browser-test")
        store.close()
    finally:
        os.environ["PEERLINK_JOURNAL"] = previous or ""
        if previous is None:
            os.environ.pop("PEERLINK_JOURNAL")
    port = _free_port()
    log = open(journal.parent / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "streamlit_app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("streamlit did not start: " + (journal.parent / "streamlit.log").read_text())
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url)
                if urlparse(r.url).hostname not in ("127.0.0.1", "localhost")
                and not r.url.startswith(("data:", "blob:", "about:")) else None)
        page.outside_requests = outside
        page.set_default_timeout(TIMEOUT)
        page.goto(server)
        page.get_by_role("heading", name="peerlink").wait_for()
        _settle(page)
        yield page
        browser.close()


def _settle(page) -> None:
    """Wait until the script run that the last action started has finished."""
    page.wait_for_timeout(150)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'")


def _go(page, link: str, heading: str) -> None:
    page.get_by_role("link", name=link).first.click()
    page.get_by_role("heading", name=heading).first.wait_for()
    _settle(page)


def _shot(page, name: str) -> None:
    _settle(page)
    page.wait_for_timeout(800)  # let charts and components paint
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _council(page, label: str, name: str) -> None:
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(name)
    box.press("Enter")
    _settle(page)


def test_home_shows_the_graph_counts(browser_page):
    page = browser_page
    page.get_by_text("Councils (current)", exact=True).first.wait_for()
    page.get_by_text("What would you like to do?").wait_for()
    _shot(page, "1-home")


def test_your_name_is_kept_in_the_address_and_survives_a_reload(browser_page):
    page = browser_page
    box = page.get_by_role("textbox", name="Your name")
    box.fill("Jo Bloggs (NW SLI team)")
    box.press("Enter")
    _settle(page)
    assert "who=Jo+Bloggs" in page.url
    page.reload()
    page.get_by_role("heading", name="peerlink").wait_for()
    _settle(page)
    expect(page.get_by_role("textbox", name="Your name")).to_have_value(
        "Jo Bloggs (NW SLI team)")  # filled from the address once the page has loaded


def test_find_partners_for_a_typed_abbreviation(browser_page):
    page = browser_page
    _go(page, "Find partners", "Find improvement partners")
    _council(page, "Your council", "NE Lincs")
    page.get_by_role("heading", name="Proposed partners for North East Lincolnshire").wait_for()
    page.get_by_text("Using North East Lincolnshire (E06000012)").wait_for()
    page.get_by_role("heading", name="Around the top match").wait_for()
    _shot(page, "2-partners")


def test_typing_part_of_a_theme_and_enter_adds_one_theme_not_every_match(browser_page):
    page = browser_page
    themes = page.locator("[data-testid=stMultiSelect]").first
    chips = themes.locator("[aria-label^='Remove ']")
    before = chips.count()
    assert before > 0  # prefilled from the council's priorities
    box = themes.locator("input").first
    box.click()
    box.fill("retain")
    box.press("Enter")
    _settle(page)
    page.keyboard.press("Escape")
    assert chips.count() == before + 1


def test_the_council_typed_on_one_page_is_there_on_the_next(browser_page):
    page = browser_page
    _go(page, "Council profile", "Council profile")
    page.get_by_role("heading", name="North East Lincolnshire").first.wait_for()
    expect(page.get_by_role("textbox", name="Council", exact=True)).to_have_value("NE Lincs")


def test_best_practice_search(browser_page):
    page = browser_page
    _go(page, "Best practice", "Best practice")
    box = page.get_by_label("What are you looking for?")
    box.fill("keeping experienced social workers")
    box.press("Enter")
    page.get_by_role("heading", name="Practice examples").wait_for()
    assert page.get_by_text("Source:").count() > 0
    _shot(page, "3-practice")
    page.get_by_role("tab", name="Menu of support").click()
    _settle(page)
    _shot(page, "3b-support-menu")


def test_peer_review_round_is_staffed(browser_page):
    page = browser_page
    _go(page, "Peer-review round", "Peer-review round")
    page.get_by_role("button", name="Staff the round").click()
    page.get_by_text("Places filled", exact=True).first.wait_for()
    page.get_by_role("heading", name="Load across councils").wait_for()
    _shot(page, "4-peer-review")


def test_profile_shows_html_in_data_as_text(browser_page):
    page = browser_page
    _go(page, "Council profile", "Council profile")
    _council(page, "Council", "Halton")
    page.get_by_role("heading", name="Halton").first.wait_for()
    page.get_by_text(SCRIPT).first.wait_for()  # the alias reads as typed
    scripts = page.evaluate(
        "() => [...document.querySelectorAll('script')].filter(s => "
        "s.textContent.includes('alert(1)')).length")
    assert scripts == 0
    assert page.evaluate("() => window.__pwned === undefined")
    page.get_by_text("Halton is in (1)").first.wait_for()
    _shot(page, "5-profile")


def _chart(page):
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    chart.locator("canvas, svg").first.wait_for()
    return chart


def test_network_explorer_draws_names_and_a_legend(browser_page):
    page = browser_page
    _go(page, "Network explorer", "Network explorer")
    page.get_by_text("communities. Hover a node").wait_for()
    _chart(page)
    page.wait_for_timeout(1500)
    _shot(page, "6-explorer-network")
    page.get_by_role("radio", name="community").check(force=True)
    _settle(page)
    assert "colour=community" in page.url
    _chart(page)
    _shot(page, "6a-explorer-communities")
    page.get_by_role("tab", name="Demand and supply").click()
    page.get_by_text("sources outside it").wait_for()
    heat = _chart(page).bounding_box()
    assert heat["height"] >= 6 * 26 + 100, heat  # six broad themes, each row readable
    _shot(page, "6b-explorer-demand-supply")
    page.get_by_role("tab", name="Self-improving system (RAG)").click()
    page.get_by_text("characteristics of a self-improving system").wait_for()
    _shot(page, "6c-explorer-rag")
    page.get_by_role("tab", name="Learning networks").click()
    page.get_by_text("Learning groups around a common challenge").wait_for()
    _shot(page, "6d-explorer-learning-networks")
    assert page.evaluate("() => window.__pwned === undefined")


def test_the_explorer_view_downloads_as_csv_and_graphml_when_asked(browser_page, server):
    """The files are made when a button is clicked (not on every run of the page): they
    still arrive whole, and hold the view that is drawn."""
    page = browser_page
    page.goto(f"{server}/explorer?view=Around+one+node&centre=Halton&steps=1")
    page.get_by_text("Using Halton (E06000006)").wait_for()
    _settle(page)
    _chart(page)
    page.get_by_role("button", name="Nodes (CSV)").wait_for()
    with page.expect_download() as got:
        page.get_by_role("button", name="Nodes (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(
        Path(got.value.path()).read_text(encoding="utf-8-sig"))))
    assert "Halton" in {r["name"] for r in rows}
    assert got.value.suggested_filename.endswith("-nodes.csv")
    _settle(page)
    with page.expect_download() as got:
        page.get_by_role("button", name="GraphML").click()
    view = nx.read_graphml(got.value.path())
    assert view.number_of_nodes() == len(rows)
    _settle(page)


def test_a_shared_explorer_address_reopens_the_same_view(browser_page, server):
    page = browser_page
    page.goto(f"{server}/explorer?view=Around+one+node&centre=Halton&steps=2&colour=kind")
    page.get_by_text("Using Halton (E06000006)").wait_for()
    _settle(page)
    _chart(page)
    assert page.get_by_role("radio", name="kind").is_checked()
    page.wait_for_timeout(1500)
    _shot(page, "6e-explorer-around-halton")
    # choices shown with their names travel as those names (North West, not E12000002)
    page.goto(f"{server}/explorer?view=Two+regions+side+by+side&compare=North+West&with=London")
    page.get_by_text("London", exact=True).first.wait_for()
    _settle(page)
    page.locator("[data-testid=stVegaLiteChart]").nth(1).wait_for()  # both regions drawn
    page.wait_for_timeout(1500)
    _shot(page, "6f-explorer-two-regions")


def test_nothing_was_fetched_from_outside(browser_page):
    assert browser_page.outside_requests == []
