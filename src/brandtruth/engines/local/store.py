"""SQLite persistence for the local engine: one row per run, one row per event; and, for the API,
where every run lives.

Runs are saved after every step and every decision, so an API restart loses nothing. Events are
insert-only (a resumed run never rewrites history it already told a client). A placement (run id ->
engine, plus the request an Idempotency-Key stands for) is written before any run starts, on either
engine, so a key or an id never means two runs, and a Temporal run is known as one across an API
restart during a Temporal outage.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from brandtruth.engines.base import UnreadableRun, decode_state
from brandtruth.engines.listing import ListedPage, ListQuery
from brandtruth.engines.local import index
from brandtruth.pipeline.models import (
    TERMINAL_STATUSES,
    BatchInput,
    BatchState,
    PipelineInput,
    ProgressEvent,
    RunState,
)

log = logging.getLogger(__name__)


class Placement(NamedTuple):
    engine: str
    request_json: str | None  # the request of an idempotent start (None for others)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    workflow_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    input_json TEXT NOT NULL,
    state_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_created ON runs(created_at DESC);
CREATE TABLE IF NOT EXISTS events (
    workflow_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    event_json TEXT NOT NULL,
    PRIMARY KEY (workflow_id, id)
);
CREATE TABLE IF NOT EXISTS placements (
    workflow_id TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    request_json TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    batch_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    input_json TEXT NOT NULL,
    state_json TEXT NOT NULL
);
"""


class LocalRunStore:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            fresh = self._db.execute("SELECT 1 FROM sqlite_master WHERE name='runs'").fetchone() is None
            self._db.executescript(_SCHEMA)
            if fresh:  # every run of this store will be placed; an older store has runs that were not
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('placements_complete', '1')")
            self.placements_complete = (
                self._db.execute("SELECT 1 FROM meta WHERE key='placements_complete'").fetchone() is not None
            )
            index.migrate(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def save(
        self, inp: PipelineInput, state: RunState, new_events: list[ProgressEvent] | None = None, row_state: str | None = None
    ) -> None:
        """Write the run's row and insert its events (only `new_events` when the caller knows them)."""
        row_state = row_state or state_row(state)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._write(state, inp, row_state, state.events if new_events is None else new_events)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def append(self, state: RunState, new_events: list[ProgressEvent]) -> None:
        """Only new events since the last save (a reminder, say): inserted, with the row's status and
        time; the stored state itself is not rewritten."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "UPDATE runs SET status=?, updated_at=? WHERE workflow_id=?",
                    (state.status.value, _iso(state.updated_at), state.workflow_id),
                )
                self._insert_events(state.workflow_id, new_events)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _write(self, state: RunState, inp: PipelineInput, row_state: str, events: list[ProgressEvent]) -> None:
        brand = state.brand.name if state.brand else ""
        self._db.execute(
            "INSERT INTO runs (workflow_id, status, url, created_at, updated_at, input_json, state_json, "
            "brand_name, revision_round, search) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(workflow_id) DO UPDATE SET "
            "status=excluded.status, updated_at=excluded.updated_at, state_json=excluded.state_json, "
            "brand_name=excluded.brand_name, revision_round=excluded.revision_round, search=excluded.search",
            (
                state.workflow_id,
                state.status.value,
                state.request.url,
                _iso(state.created_at),
                _iso(state.updated_at),
                inp.model_dump_json(),
                row_state,
                brand,
                state.revision_round,
                index.search_column(brand, state.request.url),
            ),
        )
        self._insert_events(state.workflow_id, events)

    def _insert_events(self, run_id: str, events: list[ProgressEvent]) -> None:
        rows = [(run_id, e.id, e.model_dump_json()) for e in events]
        self._db.executemany("INSERT OR IGNORE INTO events VALUES (?,?,?)", rows)

    def has(self, run_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM runs WHERE workflow_id=?", (run_id,)).fetchone() is not None

    def load(self, run_id: str) -> tuple[PipelineInput, RunState] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT input_json, state_json, updated_at FROM runs WHERE workflow_id=?", (run_id,)
            ).fetchone()
        if row is None:
            return None
        state = decode_state(row[1], run_id)  # a damaged row is a clear UnreadableRun, never a 500 per read
        if row[2]:
            state.updated_at = datetime.fromisoformat(row[2])  # kept in its column (see state_row)
        state.events = self.events_after(run_id, 0)
        try:
            inp = PipelineInput.model_validate_json(row[0])
        except ValidationError as exc:
            raise UnreadableRun(f"Run {run_id}'s stored input cannot be read; start a new run for the same site.") from exc
        return inp, state

    def events_after(self, run_id: str, after: int) -> list[ProgressEvent]:
        with self._lock:
            rows = self._db.execute(
                "SELECT event_json FROM events WHERE workflow_id=? AND id>? ORDER BY id", (run_id, after)
            ).fetchall()
        events = []
        for (raw,) in rows:
            try:
                events.append(ProgressEvent.model_validate_json(raw))
            except ValidationError as exc:  # one damaged event must not hide the run
                log.warning("run %s: a stored event cannot be read (%s); skipped", run_id, exc.errors()[0]["msg"])
        return events

    def unfinished(self) -> list[str]:
        done = tuple(s.value for s in TERMINAL_STATUSES)
        marks = ",".join("?" * len(done))
        with self._lock:
            rows = self._db.execute(f"SELECT workflow_id FROM runs WHERE status NOT IN ({marks})", done).fetchall()
        return [r[0] for r in rows]

    def list_runs(self, query: ListQuery) -> ListedPage:
        with self._lock:
            return index.list_page(self._db, query)

    def count_runs(self, q: str) -> dict[str, int]:
        with self._lock:
            return index.count_by_status(self._db, q)

    # ------------------------------------------------------------------ placements

    def place(self, run_id: str, engine: str, request_json: str | None = None) -> Placement | None:
        """Record where a run is about to start; if it is already placed, return that and change nothing
        but a missing request (a run placed when it was first looked up, before its key was seen)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT engine, request_json FROM placements WHERE workflow_id=?", (run_id,)).fetchone()
                if row is None:
                    self._db.execute(
                        "INSERT INTO placements (workflow_id, engine, request_json) VALUES (?,?,?)",
                        (run_id, engine, request_json),
                    )
                    if engine == "temporal":
                        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('temporal_seen', '1')")
                elif row[1] is None and request_json is not None:
                    self._db.execute("UPDATE placements SET request_json=? WHERE workflow_id=?", (request_json, run_id))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return Placement(*row) if row else None

    def move(self, run_id: str, engine: str) -> None:
        """A start that failed on one engine and goes to the other (before it started anywhere)."""
        with self._lock:
            self._db.execute("UPDATE placements SET engine=? WHERE workflow_id=?", (engine, run_id))

    def placement(self, run_id: str) -> Placement | None:
        with self._lock:
            row = self._db.execute("SELECT engine, request_json FROM placements WHERE workflow_id=?", (run_id,)).fetchone()
        return Placement(*row) if row else None

    def engines_of(self, run_ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" * len(run_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT workflow_id, engine FROM placements WHERE workflow_id IN ({marks})", run_ids
            ).fetchall()
        return dict(rows)

    def mark_temporal_seen(self) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('temporal_seen', '1')")

    def temporal_seen(self) -> bool:
        """Whether this API has ever reached Temporal: then an id it cannot place may well live there."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM meta WHERE key='temporal_seen'").fetchone() is not None

    # ------------------------------------------------------------------ batches

    def save_batch(self, inp: BatchInput, state: BatchState) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO batches VALUES (?,?,?,?) ON CONFLICT(batch_id) DO UPDATE SET "
                "status=excluded.status, state_json=excluded.state_json",
                (inp.batch_id, state.status, inp.model_dump_json(), state.model_dump_json()),
            )

    def load_batch(self, batch_id: str) -> tuple[BatchInput, BatchState] | None:
        with self._lock:
            row = self._db.execute("SELECT input_json, state_json FROM batches WHERE batch_id=?", (batch_id,)).fetchone()
        if row is None:
            return None
        return BatchInput.model_validate_json(row[0]), BatchState.model_validate_json(row[1])

    def unfinished_batches(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT batch_id FROM batches WHERE status != 'completed'").fetchall()
        return [r[0] for r in rows]


def state_row(state: RunState) -> str:
    """The stored form of a run's state: everything but its events (kept in their own table) and the
    time of the last change (kept in its own column)."""
    return state.model_copy(update={"events": [], "updated_at": None}).model_dump_json()


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")
