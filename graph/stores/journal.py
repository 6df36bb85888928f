"""The embedded store's journal file: SQLite tables of change rows, checkpoints, quarantine.

- `changes`: one row per change, a batch written in one transaction (WAL, synchronous=FULL),
  so a batch is on disk whole or not at all.
- `checkpoints`: the whole graph as of a row, for the seed data it was built on (a
  fingerprint of the seed files), so opening the store replays only the rows after it.
- `quarantine`: rows `peerlink doctor --repair` took out of `changes`, with the reason.

Every SQLite failure becomes a one-line `StoreError` that says what happened in people's
words (a full disk, a read-only or damaged file) and that nothing was saved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreError

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " at TEXT NOT NULL, who TEXT NOT NULL, batch TEXT NOT NULL, payload TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS checkpoints (seq INTEGER PRIMARY KEY, seed TEXT NOT NULL,"
    " state TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS quarantine (seq INTEGER PRIMARY KEY, at TEXT, who TEXT,"
    " batch TEXT, payload TEXT, reason TEXT NOT NULL, moved_at TEXT NOT NULL)",
)


@dataclass(frozen=True)
class Row:
    seq: int
    at: str
    who: str
    batch: str
    payload: str


def batches(rows: Sequence[Row]) -> Iterator[list[Row]]:
    """Rows grouped into the batches they were written in (a batch's rows are consecutive:
    each is one transaction under the journal's write lock)."""
    group: list[Row] = []
    for row in rows:
        if group and row.batch != group[0].batch:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def sqlite_problem(exc: BaseException) -> str:
    """A SQLite error in people's words."""
    text = " ".join(str(exc).split())
    low = text.lower()
    if "disk is full" in low or "database or disk is full" in low:
        return "the disk is full"
    if "disk i/o error" in low:
        return "the disk could not be written (it may be full or failing)"
    if "readonly" in low or "read-only" in low or "permission denied" in low:
        return "the journal file is read-only"
    if "not a database" in low or "malformed" in low:
        return "the journal file is damaged (run `peerlink doctor --repair`)"
    if "unable to open" in low:
        return "the journal file cannot be opened"
    if "locked" in low or "busy" in low:
        return "another program holds the journal locked; try again"
    return text


class Journal:
    """One SQLite journal file."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                      timeout=10.0)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            for statement in SCHEMA:
                self.db.execute(statement)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open journal {path}: {sqlite_problem(exc)}") from None

    def close(self) -> None:
        self.db.close()

    def _read(self, sql: str, params: Sequence = ()) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read journal {self.path}: {sqlite_problem(exc)}") from None

    def head(self) -> int:
        return self._read("SELECT COALESCE(MAX(seq), 0) FROM changes")[0][0]

    def rows_after(self, seq: int) -> list[Row]:
        return [Row(*r) for r in self._read(
            "SELECT seq, at, who, batch, payload FROM changes WHERE seq > ? ORDER BY seq",
            (seq,))]

    def rows_newest_first(self, mentioning: str | None = None) -> Iterator[Row]:
        """Rows from the newest; with `mentioning`, only rows whose payload holds that id
        as a JSON string (a cheap filter: the caller still checks what the row touches)."""
        if mentioning is None:
            sql, params = "SELECT seq, at, who, batch, payload FROM changes ORDER BY seq DESC", ()
        else:
            sql = ("SELECT seq, at, who, batch, payload FROM changes WHERE instr(payload, ?) > 0"
                   " ORDER BY seq DESC")
            params = (f'"{mentioning}"',)
        try:
            for r in self.db.execute(sql, params):
                yield Row(*r)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read journal {self.path}: {sqlite_problem(exc)}") from None

    @contextmanager
    def writing(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction (taking the write lock first). On any failure nothing of it
        stays, and the error is one line: `<what> failed, nothing saved: <why>`."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{what} failed, nothing saved: {sqlite_problem(exc)}") from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:  # SQLite may have rolled back already (disk full)
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:  # noqa: S110 - the original failure is what matters
                    pass
            if isinstance(exc, sqlite3.Error | OSError):
                raise StoreError(f"{what} failed, nothing saved: {sqlite_problem(exc)}") from None
            raise

    @staticmethod
    def append(db: sqlite3.Connection, rows: Sequence[tuple[str, str, str, str]]) -> int:
        """Insert (at, who, batch, payload) rows inside `writing`; returns the new head."""
        db.executemany("INSERT INTO changes (at, who, batch, payload) VALUES (?, ?, ?, ?)", rows)
        return db.execute("SELECT MAX(seq) FROM changes").fetchone()[0]

    def latest_checkpoint(self, fingerprint: str) -> tuple[int, str] | None:
        rows = self._read("SELECT seq, state FROM checkpoints WHERE seed = ? "
                          "ORDER BY seq DESC LIMIT 1", (fingerprint,))
        return (rows[0][0], rows[0][1]) if rows else None

    def save_checkpoint(self, seq: int, fingerprint: str, state: str) -> None:
        """Keep one checkpoint: the newest (older ones and other seeds' are dropped)."""
        with self.writing("writing a checkpoint") as db:
            db.execute("DELETE FROM checkpoints")
            db.execute("INSERT INTO checkpoints (seq, seed, state) VALUES (?, ?, ?)",
                       (seq, fingerprint, state))
