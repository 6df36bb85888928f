"""Session-wide guard: no test reads or writes the user's own journal (~/.peerlink).

Tests that care about the journal set their own PEERLINK_JOURNAL; every other test (including
CLI commands run in-process) gets an empty one in a temporary folder, so the suite's results
never depend on what a person did with peerlink on the same machine.
"""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _journal_outside_home(tmp_path_factory):
    previous = os.environ.get("PEERLINK_JOURNAL")
    os.environ["PEERLINK_JOURNAL"] = str(tmp_path_factory.mktemp("journal") / "journal.sqlite")
    yield
    if previous is None:
        os.environ.pop("PEERLINK_JOURNAL", None)
    else:
        os.environ["PEERLINK_JOURNAL"] = previous
