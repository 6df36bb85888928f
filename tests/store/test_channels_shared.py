"""The evidence channels end to end on a shared graph: a real FalkorDB started on loopback."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.cli.test_channels_cli import channels_end_to_end, ok

pytestmark = pytest.mark.server


@pytest.fixture
def shared(tmp_path, falkor) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERLINK_")}
    env |= {"PEERLINK_GRAPH": falkor.url_for(f"ch-{uuid.uuid4().hex[:8]}"),
            "PEERLINK_JOURNAL": str(tmp_path / "journal.sqlite")}
    ok(env, "push")
    return env


def test_channels_end_to_end_on_a_shared_falkordb(shared):
    channels_end_to_end(shared)
