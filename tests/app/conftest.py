"""Fixtures for the app's tests: a temporary journal (never ~/.peerlink) and an AppTest."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.apptest_helpers import new_app


@pytest.fixture
def journal(tmp_path, monkeypatch) -> Path:
    """Point the app at a fresh journal over the shipped seed data."""
    path = tmp_path / "journal.sqlite"
    monkeypatch.setenv("PEERLINK_JOURNAL", str(path))
    monkeypatch.delenv("PEERLINK_GRAPH", raising=False)
    monkeypatch.delenv("PEERLINK_SEED_DIR", raising=False)
    return path


@pytest.fixture
def app(journal) -> AppTest:
    """The whole app (entry file with its navigation), run once on the Home page."""
    return new_app()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "browser_page" in item.fixturenames:
        page = item.funcargs.get("browser_page")
        try:
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / f"FAILED-{item.name}.png"))
        except Exception:  # noqa: BLE001 - a failed screenshot must not hide the failure
            pass


SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
_STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    """Say where this run's screenshots are, so a reviewer can look at them."""
    saved = sorted(p.name for p in SHOTS.glob("*.png") if p.stat().st_mtime >= _STARTED) \
        if SHOTS.is_dir() else []
    if saved:
        terminalreporter.write_line(f"screenshots of this run ({len(saved)}): {SHOTS}")
