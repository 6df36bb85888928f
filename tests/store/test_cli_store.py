"""`peerlink push`, `pull`, `stats` and `server` end to end, as separate processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from graph.loader import load_dir
from graph.server import free_port
from graph.snapshot_files import write_seed_dir
from tests.store.sample import assert_same_records, sample_seed

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[2]


def peerlink(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def env(tmp_path, falkor) -> dict:
    out = {k: v for k, v in os.environ.items() if not k.startswith("PEERLINK_")}
    out["PEERLINK_GRAPH"] = falkor.url_for(f"cli-{uuid.uuid4().hex[:8]}")
    out["PEERLINK_JOURNAL"] = str(tmp_path / "journal.sqlite")  # empty local journal
    return out


def test_push_stats_and_pull_round_trip(tmp_path, env):
    seed = sample_seed()
    write_seed_dir(seed, tmp_path / "seed")
    done = peerlink("push", "--seed", str(tmp_path / "seed"), "--batch", "5", "--json", env=env)
    assert done.returncode == 0, done.stderr
    pushed = json.loads(done.stdout)
    assert (pushed["nodes"], pushed["edges"]) == (len(seed.nodes), len(seed.edges))
    assert pushed["records_per_second"] > 0

    done = peerlink("stats", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == seed.graph().stats()

    done = peerlink("pull", str(tmp_path / "pulled"), "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["nodes"] == len(seed.nodes)
    assert_same_records(load_dir(tmp_path / "pulled"), seed)


def test_push_of_the_shipped_seed_prints_counts_and_rate(env):
    done = peerlink("push", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pushed ") and "records/s" in done.stdout
    assert json.loads(peerlink("stats", "--json", env=env).stdout) == load_dir().graph().stats()


def test_unreachable_server_exits_non_zero_with_one_line(env):
    port = free_port()
    env["PEERLINK_GRAPH"] = f"falkordb://127.0.0.1:{port}/g"
    for args in (("push",), ("pull", "somewhere"), ("stats", "--json")):
        done = peerlink(*args, env=env)
        assert done.returncode != 0
        assert done.stderr.strip().splitlines() == [
            f"peerlink: error: cannot reach FalkorDB at 127.0.0.1:{port}: connection refused"]


def test_push_without_a_shared_graph_says_what_to_set(env):
    env.pop("PEERLINK_GRAPH")
    done = peerlink("push", env=env)
    assert done.returncode != 0
    assert "PEERLINK_GRAPH" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def falkordb_server(tmp_path, env) -> tuple[subprocess.Popen, int]:
    """`peerlink server` started as a person would, on a free port, and that port."""
    port = free_port()
    return subprocess.Popen([sys.executable, "-m", "app.cli", "server", "--port", str(port),
                             "--data", str(tmp_path / "srv")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), port


def test_server_command_runs_until_interrupted(tmp_path, env):
    proc, port = falkordb_server(tmp_path, env)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        url = f"falkordb://127.0.0.1:{port}/peerlink"
        assert f"export PEERLINK_GRAPH={url}\n" in lines, lines
        env["PEERLINK_GRAPH"] = url
        write_seed_dir(sample_seed(), tmp_path / "seed")
        assert peerlink("push", "--seed", str(tmp_path / "seed"), env=env).returncode == 0
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in out


def test_a_second_ctrl_c_while_the_server_stops_still_stops_it_cleanly(tmp_path, env):
    # Ctrl-C only asks the command to stop; raised as KeyboardInterrupt mid-poll it could leave
    # the server's wait lock held and hang (seen once in CI), and a second one broke the stop.
    proc, _ = falkordb_server(tmp_path, env)
    try:
        [proc.stdout.readline() for _ in range(3)]  # running, export, "Ctrl-C stops it."
    finally:
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_server_command_runs_neo4j_until_interrupted(tmp_path, neo4j):
    # `neo4j` (the session's server) is asked for so that this skips or fails like every
    # other Neo4j test when Neo4j cannot start here; the command starts a second one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERLINK_")}
    env["PEERLINK_JOURNAL"] = str(tmp_path / "journal.sqlite")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "server", "--engine", "neo4j",
                             "--port", str(port), "--data", str(tmp_path / "neo4j")],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        assert lines[0].startswith(f"Neo4j {neo4j.version} running on 127.0.0.1:{port}"), lines
        url = f"bolt://127.0.0.1:{port}"
        assert lines[1] == f"export PEERLINK_GRAPH={url}\n", lines
        env["PEERLINK_GRAPH"] = url
        write_seed_dir(sample_seed(), tmp_path / "seed")
        done = peerlink("push", "--seed", str(tmp_path / "seed"), "--json", env=env)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["nodes"] == len(sample_seed().nodes)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    assert "stopped" in out
