"""The embedded store: the shipped seed data plus a local SQLite journal of later changes.

Each batch is one transaction (WAL, synchronous=FULL), so an edit survives a restart and a
crash, and a batch that breaks a rule is refused whole.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

from graph.changes import (
    Change,
    ChangeRecord,
    change_from_json,
    change_to_json,
    check_changes,
    now_iso,
    prepare_changes,
    replay,
)
from graph.errors import StoreError
from graph.knowledge import KnowledgeGraph
from graph.loader import DEFAULT_SEED_DIR, SeedData, load_dir


class EmbeddedStore:
    """Seed data plus a durable local SQLite journal. Nothing to install or start.

    >>> import tempfile, pathlib
    >>> store = EmbeddedStore(journal=pathlib.Path(tempfile.mkdtemp()) / "j.sqlite")
    >>> store.snapshot().stats()["councils"]["current"]
    153
    >>> store.close()
    """

    def __init__(self, seed_dir: Path | str | None = None, journal: Path | str | None = None):
        self.seed_dir = Path(seed_dir or os.environ.get("PEERLINK_SEED_DIR") or DEFAULT_SEED_DIR)
        self.journal_path = Path(journal or default_journal_path())
        self._lock = threading.Lock()
        self._seed: SeedData | None = None
        self._cache: tuple[int, KnowledgeGraph] | None = None
        try:
            self.journal_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.journal_path, check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                " at TEXT NOT NULL, who TEXT NOT NULL, batch TEXT NOT NULL, payload TEXT NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open journal {self.journal_path}: {exc}") from None

    def describe(self) -> str:
        return f"embedded (seed {self.seed_dir}, journal {self.journal_path})"

    def seed(self) -> SeedData:
        if self._seed is None:
            self._seed = load_dir(self.seed_dir)
        return self._seed

    def _records(self) -> list[ChangeRecord]:
        rows = self._db.execute("SELECT seq, at, who, payload FROM changes ORDER BY seq")
        return [ChangeRecord(seq=s, at=a, who=w, change=change_from_json(p))
                for s, a, w, p in rows]

    def _head(self) -> int:
        return self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0]

    def current(self) -> SeedData:
        """The seed records with the journal replayed over them."""
        return replay(self.seed(), [r.change for r in self._records()])

    def snapshot(self) -> KnowledgeGraph:
        with self._lock:
            head = self._head()
            if self._cache is None or self._cache[0] != head:
                self._cache = (head, self.current().graph())
            return self._cache[1]

    def apply(self, changes: Sequence[Change], who: str) -> None:
        changes = prepare_changes(changes, who)
        with self._lock:
            check_changes(self.current(), changes)
            batch = uuid.uuid4().hex  # groups one atomic batch in the journal
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(
                    "INSERT INTO changes (at, who, batch, payload) VALUES (?, ?, ?, ?)",
                    [(now_iso(), who, batch, change_to_json(c)) for c in changes],
                )
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"journal write failed, nothing saved: {exc}") from None
            self._cache = None

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]:
        records = self._records()
        if node_id is not None:
            records = [r for r in records if r.touches(node_id)]
        return list(reversed(records))[:limit]

    def close(self) -> None:
        self._db.close()


def default_journal_path() -> Path:
    env = os.environ.get("PEERLINK_JOURNAL")
    if env:
        return Path(env)
    return Path.home() / ".peerlink" / "journal.sqlite"
