"""Session-wide guard: no test reads or writes the user's own journal or cache (~/.peerlink).

Tests that care about the journal set their own PEERLINK_JOURNAL; every other test (including
CLI commands run in-process) gets an empty one in a temporary folder, so the suite's results
never depend on what a person did with peerlink on the same machine. The seed cache
(PEERLINK_CACHE_DIR) gets a temporary folder of its own too.
"""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _cache_outside_home(tmp_path_factory):
    previous = os.environ.get("PEERLINK_CACHE_DIR")
    os.environ["PEERLINK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("PEERLINK_CACHE_DIR", None)
    else:
        os.environ["PEERLINK_CACHE_DIR"] = previous


@pytest.fixture(scope="session", autouse=True)
def _journal_outside_home(tmp_path_factory):
    previous = os.environ.get("PEERLINK_JOURNAL")
    os.environ["PEERLINK_JOURNAL"] = str(tmp_path_factory.mktemp("journal") / "journal.sqlite")
    yield
    if previous is None:
        os.environ.pop("PEERLINK_JOURNAL", None)
    else:
        os.environ["PEERLINK_JOURNAL"] = previous
