"""Check and repair an embedded journal: `peerlink doctor [--repair]`.

Checks: the file is a sound SQLite database (`PRAGMA integrity_check`), every row is a
change we know (valid JSON, a known kind of change, a valid record), and every row applies
in order over the seed data (no edge to a node that is not there, no update of a removed
node). A batch was written as one, so it is judged as one: `repair` moves each batch with a
bad row, whole, into the `quarantine` table with its reason (it
can be read back and re-entered by hand), drops checkpoints, and writes a fresh one; a file
SQLite cannot read at all is set aside as `<name>.damaged-<time>` and its readable rows are
copied into a new journal. Nothing that applies cleanly is ever dropped.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from graph.changes import now_iso
from graph.errors import StoreError
from graph.loader import load_dir
from graph.seed_cache import seed_fingerprint
from graph.stores.embedded import apply_rows, describe_rows
from graph.stores.journal import Journal, Row, batches, sqlite_problem
from graph.stores.live import LiveState, RowProblem


@dataclass
class DoctorReport:
    journal: str
    rows: int = 0
    problems: list[str] = field(default_factory=list)  # one line each
    actions: list[str] = field(default_factory=list)  # what repair did
    healthy: bool = True
    repaired: bool = False

    def lines(self) -> list[str]:
        state = "healthy" if self.healthy else "repaired" if self.repaired else "needs repair"
        head = f"journal {self.journal}: {self.rows} rows, {state}"
        return [head, *self.problems, *self.actions]


def _integrity(path: Path) -> str | None:
    """Why SQLite cannot trust the file, or None."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchall()
            db.execute("SELECT COUNT(*) FROM changes").fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        return sqlite_problem(exc)
    if result != [("ok",)]:
        return "the journal file is damaged: " + "; ".join(r[0] for r in result[:3])
    return None


def _salvage(path: Path, report: DoctorReport) -> None:
    """Copy the readable rows of a damaged file into a new journal; keep the old one aside."""
    rows: list[tuple] = []
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for r in db.execute("SELECT seq, at, who, batch, payload FROM changes ORDER BY seq"):
                rows.append(r)
        finally:
            db.close()
    except sqlite3.Error as exc:
        report.actions.append(f"read {len(rows)} rows before the damage ({sqlite_problem(exc)})")
    aside = path.with_name(f"{path.name}.damaged-{now_iso().replace(':', '')}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            shutil.move(src, Path(f"{aside}{suffix}"))
    fresh = Journal(path)
    try:
        with fresh.writing("salvaging the journal") as w:
            w.executemany("INSERT INTO changes (seq, at, who, batch, payload) "
                          "VALUES (?, ?, ?, ?, ?)", rows)
    finally:
        fresh.close()
    report.actions.append(f"set the damaged file aside as {aside.name} and copied its "
                          f"{len(rows)} readable rows into a new journal")


def check_journal(path: Path, seed_dir: Path, repair: bool = False) -> DoctorReport:
    """Check (and with `repair`, fix) the journal at `path` over the seed data in `seed_dir`."""
    report = DoctorReport(str(path))
    if not path.exists():
        report.actions.append("no journal yet: nothing to check")
        return report
    damage = _integrity(path)
    if damage:
        report.healthy = False
        report.problems.append(damage)
        if not repair:
            return report
        _salvage(path, report)
    journal = Journal(path)
    try:
        bad = _scan(journal, seed_dir, report)
        if bad:
            report.healthy = False
        if repair and (bad or damage):
            _quarantine(journal, bad, report)
            _fresh_checkpoint(journal, seed_dir, report)
            report.repaired = True
    finally:
        journal.close()
    return report


def _scan(journal: Journal, seed_dir: Path, report: DoctorReport) -> list[tuple[Row, str]]:
    live = LiveState(load_dir(seed_dir))
    bad: list[tuple[Row, str]] = []
    for rows in batches(journal.rows_after(0)):
        report.rows += len(rows)
        try:
            apply_rows(live, rows)
        except RowProblem as exc:
            bad += [(row, str(exc)) for row in rows]
            first = rows[0]
            report.problems.append(f"{describe_rows(rows)} ({first.at}, {first.who}): {exc}")
    return bad


def _quarantine(journal: Journal, bad: list[tuple[Row, str]], report: DoctorReport) -> None:
    moved_at = now_iso()
    with journal.writing("quarantining rows") as db:
        db.executemany(
            "INSERT OR REPLACE INTO quarantine (seq, at, who, batch, payload, reason, moved_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r.seq, r.at, r.who, r.batch, r.payload, why, moved_at) for r, why in bad])
        db.executemany("DELETE FROM changes WHERE seq = ?", [(r.seq,) for r, _ in bad])
        db.execute("DELETE FROM checkpoints")
    if bad:
        report.actions.append(f"moved {len(bad)} row(s) to the quarantine table")


def _fresh_checkpoint(journal: Journal, seed_dir: Path, report: DoctorReport) -> None:
    live = LiveState(load_dir(seed_dir))
    head = 0
    for rows in batches(journal.rows_after(0)):
        apply_rows(live, rows)
        head = rows[-1].seq
    try:
        journal.save_checkpoint(head, seed_fingerprint(seed_dir), live.to_json())
        report.actions.append(f"wrote a checkpoint at row {head}")
    except StoreError as exc:
        report.actions.append(f"no checkpoint written: {exc}")
