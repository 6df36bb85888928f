"""The embedded store: the shipped seed data plus a local SQLite journal of later changes.

Each batch is one transaction (WAL, synchronous=FULL), so an edit survives a restart and a
crash, and a batch that breaks a rule is refused whole.

A write costs the same however long the journal is: the store keeps the records in memory
(`LiveState`) and applies only rows it has not seen (another process's writes included);
opening starts from the newest checkpoint (the whole graph as of a row, written every
`CHECKPOINT_EVERY` rows) instead of replaying every row. A row that cannot be read or applied
is skipped with the rest of its batch (a batch was written as one, so it is read as one),
with a one-line warning naming it (`peerlink doctor --repair` quarantines the batch); it never
stops the store from opening or writing.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

from graph.changes import (
    Change,
    ChangeRecord,
    EditConflict,
    change_from_json,
    change_to_json,
    check_changes,
    explain_conflict,
    now_iso,
    prepare_changes,
)
from graph.errors import StoreError
from graph.knowledge import KnowledgeGraph
from graph.loader import DEFAULT_SEED_DIR, SeedData
from graph.seed_cache import load_seed, seed_fingerprint
from graph.stores.journal import Journal, Row, batches
from graph.stores.live import LiveState, RowProblem
from graph.stores.protocol import Guard

CHECKPOINT_EVERY = 1000  # rows between checkpoints
log = logging.getLogger("peerlink.journal")


def read_row(row: Row) -> ChangeRecord:
    """A journal row as a record; RowProblem (one line) if it is not a change we know."""
    try:
        change = change_from_json(row.payload)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        text = str(exc)
        if "Invalid JSON" in text or "json_invalid" in text:
            raise RowProblem("not valid JSON") from None
        if "union_tag_invalid" in text or "does not match any of the expected tags" in text:
            raise RowProblem("unknown kind of change") from None
        first = text.splitlines()[1:3]
        raise RowProblem("not a valid change: " + " ".join(s.strip() for s in first)) from None
    return ChangeRecord(seq=row.seq, at=row.at, who=row.who, change=change)


def apply_rows(live: LiveState, rows: Sequence[Row]) -> None:
    """Apply one batch of journal rows whole, or raise RowProblem naming the bad row and
    leave `live` as it was."""
    changes: list[Change] = []
    for row in rows:
        try:
            changes.append(read_row(row).change)
        except RowProblem as exc:
            raise RowProblem(f"row {row.seq}: {exc}" if len(rows) > 1 else str(exc)) from None
    live.apply_batch(changes, [f"row {row.seq}" for row in rows])


def describe_rows(rows: Sequence[Row]) -> str:
    """'row 7' or 'the batch of rows 7-9', for messages."""
    if len(rows) == 1:
        return f"row {rows[0].seq}"
    return f"the batch of rows {rows[0].seq}-{rows[-1].seq}"


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
        self._lock = threading.RLock()
        self._seed: SeedData | None = None
        self._fingerprint: str | None = None
        self._live: LiveState | None = None
        self._seq = 0  # the last journal row applied to `_live`
        self._checkpoint_seq = 0
        self._cache: tuple[int, KnowledgeGraph] | None = None
        self.skipped: dict[int, str] = {}  # journal rows that could not be applied, and why
        self._journal = Journal(self.journal_path)

    def describe(self) -> str:
        return f"embedded (seed {self.seed_dir}, journal {self.journal_path})"

    def seed(self) -> SeedData:
        if self._seed is None:
            self._seed = load_seed(self.seed_dir)
        return self._seed

    # ------------------------------------------------------------------ reading forward

    def _start(self) -> LiveState:
        """The records to replay from: the newest checkpoint for this seed, else the seed."""
        self._fingerprint = self._fingerprint or seed_fingerprint(self.seed_dir)
        found = self._journal.latest_checkpoint(self._fingerprint)
        if found is not None:
            try:
                live = LiveState.from_json(found[1], self.seed().origins)
                self._seq = self._checkpoint_seq = found[0]
                return live
            except ValueError:
                log.warning("journal %s: checkpoint at row %d is unreadable; replaying every "
                            "row instead", self.journal_path, found[0])
        self._seq = self._checkpoint_seq = 0
        return LiveState(self.seed())

    def _catch_up(self) -> LiveState:
        """Apply journal rows not yet seen (ours, or another process's); skip bad ones."""
        if self._live is None:
            self._live = self._start()
        for rows in batches(self._journal.rows_after(self._seq)):
            try:
                apply_rows(self._live, rows)
            except RowProblem as exc:
                if rows[0].seq not in self.skipped:
                    for row in rows:
                        self.skipped[row.seq] = str(exc)
                    log.warning("journal %s: %s skipped: %s (run `peerlink doctor --repair` "
                                "to quarantine it)", self.journal_path, describe_rows(rows), exc)
            self._seq = rows[-1].seq
        return self._live

    def _maybe_checkpoint(self) -> None:
        if self._live is None or self._seq - self._checkpoint_seq < CHECKPOINT_EVERY:
            return
        try:
            self._journal.save_checkpoint(self._seq, self._fingerprint or "",
                                          self._live.to_json())
            self._checkpoint_seq = self._seq
        except StoreError as exc:  # a checkpoint only saves time: say so, carry on
            log.warning("journal %s: %s", self.journal_path, exc)
            self._checkpoint_seq = self._seq  # do not retry on every write

    def current(self) -> SeedData:
        """The seed records with the journal replayed over them."""
        with self._lock:
            return self._catch_up().seed()

    def snapshot(self) -> KnowledgeGraph:
        with self._lock:
            graph = self._graph_locked()
            self._maybe_checkpoint()
            return graph

    def _graph_locked(self) -> KnowledgeGraph:
        live = self._catch_up()
        if self._cache is None or self._cache[0] != self._seq:
            self._cache = (self._seq, live.seed().graph())
        return self._cache[1]

    # ------------------------------------------------------------------ writing

    def apply(self, changes: Sequence[Change], who: str, guard: Guard | None = None) -> None:
        changes = prepare_changes(changes, who)
        if not changes:
            return
        with self._lock:
            with self._journal.writing("journal write") as db:
                live = self._catch_up()  # under the write lock: nobody writes in between
                if guard is not None:
                    guard(self._graph_locked())
                try:
                    check_changes(live.seed(), changes)
                except EditConflict as exc:
                    raise explain_conflict(exc, lambda i: self.history(i, 20)) from None
                batch = uuid.uuid4().hex  # groups one atomic batch in the journal
                at = now_iso()
                head = Journal.append(db, [(at, who, batch, change_to_json(c))
                                           for c in changes])
            # Committed: move the records forward by exactly what was written.
            try:
                live.apply_batch(changes)
            except RowProblem:  # cannot happen after check_changes; re-read to be sure
                self._live = None
                return
            self._seq = head
            self._maybe_checkpoint()

    def history(self, node_id: str | None = None, limit: int = 100) -> list[ChangeRecord]:
        out: list[ChangeRecord] = []
        for row in self._journal.rows_newest_first(node_id):
            if len(out) >= limit:
                break
            try:
                record = read_row(row)
            except RowProblem:
                continue
            if node_id is None or record.touches(node_id):
                out.append(record)
        return out

    def close(self) -> None:
        self._journal.close()


def default_journal_path() -> Path:
    env = os.environ.get("PEERLINK_JOURNAL")
    if env:
        return Path(env)
    return Path.home() / ".peerlink" / "journal.sqlite"
