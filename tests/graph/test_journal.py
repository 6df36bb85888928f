"""The embedded journal scales and heals: checkpoints instead of full replays, bad rows
skipped with a warning naming them, `peerlink doctor` finds and quarantines them, and a full
disk, a read-only file or a damaged file give one-line errors and lose nothing acknowledged."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from app.cli import main
from graph.changes import update_fields
from graph.errors import StoreError
from graph.loader import DEFAULT_SEED_DIR
from graph.stores import EmbeddedStore
from graph.stores.embedded import CHECKPOINT_EVERY

HALTON, KNOWSLEY = "E06000006", "E08000011"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def journal(tmp_path) -> Path:
    return tmp_path / "journal.sqlite"


def capacity_rows(journal: Path, n: int, code: str = HALTON) -> None:
    """n journal rows (as the store writes them), each setting a council's capacity."""
    EmbeddedStore(journal=journal).close()  # creates the tables
    db = sqlite3.connect(journal)
    with db:
        db.executemany(
            "INSERT INTO changes (at, who, batch, payload) VALUES (?, 'tester', ?, ?)",
            [("2026-11-28T10:00:00+00:00", f"b{i}", json.dumps(
                {"op": "update_node", "id": code, "values": {"capacity": i % 7},
                 "seen": {"capacity": None if i == 0 else (i - 1) % 7}}))
             for i in range(n)])
    db.close()


def raw_insert(journal: Path, payload: str, batch: str | None = None) -> int:
    """One journal row, in a batch of its own unless `batch` names one."""
    db = sqlite3.connect(journal)
    with db:
        cur = db.execute("INSERT INTO changes (at, who, batch, payload) VALUES "
                         "('2026-11-28T10:00:00+00:00', 'someone', ?, ?)",
                         (batch or f"raw-{payload.__hash__()}-{os.urandom(4).hex()}", payload))
    seq = cur.lastrowid
    db.close()
    return seq


BAD_ROWS = {
    "not valid JSON": '{"op": "upsert_node", "node": {',
    "unknown kind of change": '{"op": "rename_everything", "id": "E06000006"}',
    "dangling edge: HAS_PRIORITY edge to 'E09999999', which is not in the graph": json.dumps(
        {"op": "add_edge", "edge": {"src": "E09999999", "type": "HAS_PRIORITY",
                                    "dst": "workforce", "provenance": {"source": "curated"}}}),
}


@pytest.mark.parametrize("reason", list(BAD_ROWS))
def test_a_bad_row_is_skipped_with_a_warning_naming_it_and_never_bricks_the_store(
        journal, caplog, reason):
    capacity_rows(journal, 1)
    seq = raw_insert(journal, BAD_ROWS[reason])
    caplog.set_level(logging.WARNING, logger="peerlink.journal")
    store = EmbeddedStore(journal=journal)
    kg = store.snapshot()  # opens, reads and builds despite the bad row
    assert kg.stats()["councils"]["current"] == 153
    [message] = [r.getMessage() for r in caplog.records]
    assert f"row {seq} skipped: {reason}" in message and "\n" not in message
    store.apply([update_fields(kg.node(KNOWSLEY), capacity=3)], "tester")  # writes still work
    assert store.snapshot().node(KNOWSLEY).capacity == 3
    assert store.history(limit=1)[0].seq == seq + 1
    assert store.skipped == {seq: reason}
    store.close()


def test_opening_starts_from_a_checkpoint_that_equals_a_full_replay(journal):
    capacity_rows(journal, CHECKPOINT_EVERY + 5)
    EmbeddedStore(journal=journal).snapshot()  # catches up 1005 rows: writes a checkpoint
    db = sqlite3.connect(journal)
    [(at_row,)] = db.execute("SELECT seq FROM checkpoints").fetchall()
    assert at_row >= CHECKPOINT_EVERY
    from_checkpoint = EmbeddedStore(journal=journal).snapshot()
    with db:
        db.execute("DELETE FROM checkpoints")
    db.close()
    full = EmbeddedStore(journal=journal).snapshot()
    assert from_checkpoint.node(HALTON) == full.node(HALTON)
    assert from_checkpoint.stats() == full.stats()
    assert full.node(HALTON).capacity == (CHECKPOINT_EVERY + 4) % 7


def test_a_checkpoint_is_not_used_with_other_seed_data(tmp_path, journal):
    seed = tmp_path / "seed"
    shutil.copytree(DEFAULT_SEED_DIR, seed)
    capacity_rows(journal, CHECKPOINT_EVERY)
    EmbeddedStore(seed_dir=seed, journal=journal).snapshot()
    regions = seed / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace(
        "North West,NW", "North West,NW;Greater North West", 1), encoding="utf-8")
    kg = EmbeddedStore(seed_dir=seed, journal=journal).snapshot()
    assert "Greater North West" in kg.node("E12000002").aliases  # the seed as it is now
    assert kg.node(HALTON).capacity == (CHECKPOINT_EVERY - 1) % 7  # and every journal row


def test_doctor_reports_then_repairs_bad_rows_and_the_journal_is_healthy_after(journal,
                                                                                capsys):
    capacity_rows(journal, 2)
    seqs = [raw_insert(journal, payload) for payload in BAD_ROWS.values()]
    capacity_after = raw_insert(journal, json.dumps(
        {"op": "update_node", "id": HALTON, "values": {"capacity": 5},
         "seen": {"capacity": 1}}))

    assert main(["doctor", "--journal", str(journal)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"journal {journal}: 6 rows, needs repair"
    assert [line.split(":", 1)[0].split(" (")[0] for line in out[1:4]] == [
        f"row {s}" for s in seqs]
    assert out[-1] == "run `peerlink doctor --repair` to quarantine them"

    assert main(["doctor", "--journal", str(journal), "--repair"]) == 0
    out = capsys.readouterr().out
    assert "moved 3 row(s) to the quarantine table" in out
    assert f"wrote a checkpoint at row {capacity_after}" in out
    assert main(["doctor", "--journal", str(journal)]) == 0
    assert capsys.readouterr().out.strip() == f"journal {journal}: 3 rows, healthy"
    db = sqlite3.connect(journal)
    assert [r[0] for r in db.execute("SELECT seq FROM quarantine ORDER BY seq")] == seqs
    db.close()
    assert EmbeddedStore(journal=journal).snapshot().node(HALTON).capacity == 5


def test_a_damaged_file_is_a_one_line_error_and_doctor_salvages_what_it_can(journal, capsys):
    journal.write_bytes(b"this is not a database at all " * 200)
    with pytest.raises(StoreError) as info:
        EmbeddedStore(journal=journal)
    assert str(info.value) == (f"cannot open journal {journal}: the journal file is damaged "
                               "(run `peerlink doctor --repair`)")
    assert main(["doctor", "--journal", str(journal), "--repair"]) == 0
    out = capsys.readouterr().out
    assert "set the damaged file aside" in out
    assert len(list(journal.parent.glob("journal.sqlite.damaged-*"))) == 1
    assert EmbeddedStore(journal=journal).snapshot().stats()["councils"]["current"] == 153


# ---------------------------------------------------------------------- full and read-only

_WRITER = textwrap.dedent("""
    import resource, signal, sys
    from graph.changes import update_fields
    from graph.errors import GraphError
    from graph.stores import EmbeddedStore
    journal, limit, uid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if uid >= 0:
        import os; os.setuid(uid)
    try:
        store = EmbeddedStore(journal=journal)
        council = store.snapshot().node("E06000006")
    except GraphError as exc:
        print("ERROR", exc)
        sys.exit(0)
    if limit:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, as a full disk gives
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    acknowledged = 0
    for i in range(100000):
        text = f"edit {i} " + "x" * 20000
        try:
            store.apply([update_fields(council, description=text)], "w")
        except GraphError as exc:
            print("ERROR", exc)
            break
        council = council.model_copy(update={"description": text})
        acknowledged += 1
        print("ACK", acknowledged, flush=True)
""")


def _run_writer(journal: Path, limit: int, uid: int = -1) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-c", _WRITER, str(journal), str(limit), str(uid)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    acks = [line for line in proc.stdout.splitlines() if line.startswith("ACK")]
    errors = [line for line in proc.stdout.splitlines() if line.startswith("ERROR")]
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return len(acks), errors[0] if errors else ""


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB filesystem (tmpfs, mounted as root), or None where mounting is not allowed."""
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
        capture_output=True).returncode == 0
    yield where if mounted else None
    if mounted:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.parametrize("how", ["a full filesystem", "a file size limit (ulimit -f)"])
def test_a_full_disk_is_a_one_line_error_and_every_acknowledged_write_is_kept(
        journal, tiny_disk, how):
    if how == "a full filesystem":
        if tiny_disk is None:
            if os.environ.get("CI"):
                pytest.fail("cannot mount a tmpfs: CI runs as root and must test a full disk")
            pytest.skip("mounting a tmpfs needs root; the ulimit case still runs")
        journal = tiny_disk / "journal.sqlite"
        expected = "the disk is full"
        limit = 0
    else:
        expected = "the disk could not be written (it may be full or failing)"
        limit = 600_000
    EmbeddedStore(journal=journal).close()  # create the file before the limit
    acknowledged, error = _run_writer(journal, limit=limit)
    assert acknowledged > 0
    assert error == f"ERROR journal write failed, nothing saved: {expected}"
    if tiny_disk is not None and how == "a full filesystem":
        shutil.copy(journal, journal.parent.parent / "copy.sqlite")  # read it with room
        for suffix in ("-wal", "-shm"):
            if Path(f"{journal}{suffix}").exists():
                shutil.copy(f"{journal}{suffix}", f"{journal.parent.parent}/copy.sqlite{suffix}")
        journal = journal.parent.parent / "copy.sqlite"
    store = EmbeddedStore(journal=journal)
    try:
        assert len(store.history(limit=10**6)) == acknowledged
        assert store.snapshot().node(HALTON).description.startswith(f"edit {acknowledged - 1} ")
    finally:
        store.close()


@pytest.mark.skipif(sys.platform != "linux", reason="file modes as on Linux")
def test_a_read_only_journal_is_a_one_line_error_and_nothing_is_lost():
    # root ignores file modes: the writer runs as an unprivileged user, as a deployment would,
    # so its journal lives where that user can reach it
    where = Path(tempfile.mkdtemp(prefix="peerlink-ro-"))
    journal = where / "journal.sqlite"
    try:
        capacity_rows(journal, 3)
        for path in where.iterdir():
            path.chmod(0o444)
        where.chmod(0o555)
        acknowledged, error = _run_writer(journal, limit=0,
                                          uid=65534 if os.geteuid() == 0 else -1)
        assert acknowledged == 0
        assert error == f"ERROR cannot open journal {journal}: the journal file is read-only"
        where.chmod(0o755)
        store = EmbeddedStore(journal=journal)
        assert len(store.history()) == 3
        store.close()
    finally:
        where.chmod(0o755)
        shutil.rmtree(where)
