"""The local engine's run list: the same order, filters, search and counts as the Temporal engine's
(engines/listing.py), answered by SQLite. A run's status here is its stored row, the same source as
its run page. Called by LocalRunStore under its lock."""

from __future__ import annotations

import sqlite3
from datetime import UTC

from brandtruth.engines.listing import ListedPage, ListedRun, ListQuery, query_terms, search_terms, thumb_url

_COLUMNS = {
    "brand_name": "TEXT NOT NULL DEFAULT ''",
    "revision_round": "INTEGER NOT NULL DEFAULT 0",
    "search": "TEXT",  # ' term term ... ': the run's search_terms(), each between spaces
}


def search_column(brand_name: str, url: str) -> str:
    return " " + " ".join(search_terms(brand_name, url)) + " "


def migrate(db: sqlite3.Connection) -> None:
    """Adds the list's columns to a store from before them, filled in from each run's stored state."""
    have = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
    for name, decl in _COLUMNS.items():
        if name not in have:
            db.execute(f"ALTER TABLE runs ADD COLUMN {name} {decl}")
    db.execute("CREATE INDEX IF NOT EXISTS runs_status_created ON runs(status, created_at DESC)")
    stale = db.execute(
        "SELECT workflow_id, url, json_extract(state_json, '$.brand.name'), json_extract(state_json, '$.revision_round') "
        "FROM runs WHERE search IS NULL"
    ).fetchall()
    for run_id, url, brand, rounds in stale:
        brand = brand if isinstance(brand, str) else ""
        db.execute(
            "UPDATE runs SET brand_name=?, revision_round=?, search=? WHERE workflow_id=?",
            (brand, rounds if isinstance(rounds, int) else 0, search_column(brand, url), run_id),
        )


def _where(status: str | None, q: str) -> tuple[list[str], list[object]]:
    clauses: list[str] = []
    args: list[object] = []
    if status is not None:
        clauses.append("status = ?")
        args.append(status)
    for term in query_terms(q):
        clauses.append("search LIKE ? ESCAPE '\\'")
        args.append("% " + term.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + " %")
    return clauses, args


def list_page(db: sqlite3.Connection, query: ListQuery) -> ListedPage:
    clauses, args = _where(query.status, query.q)
    if query.before is not None:
        at = query.before.created_at.astimezone(UTC).isoformat()
        clauses.append("(created_at < ? OR (created_at = ? AND workflow_id < ?))")
        args += [at, at, query.before.workflow_id]
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        "SELECT workflow_id, status, url, created_at, brand_name, revision_round, "
        "json_extract(input_json, '$.request.formats[0]') FROM runs "
        f"{where} ORDER BY created_at DESC, workflow_id DESC LIMIT ?",
        [*args, query.limit + 1],
    ).fetchall()
    runs = [
        ListedRun(
            workflow_id=r[0],
            engine="local",
            status=r[1],
            url=r[2],
            created_at=r[3],
            brand_name=r[4],
            revision_round=r[5],
            thumb_url=thumb_url(r[0], r[6], r[1], r[5]),
        )
        for r in rows[: query.limit]
    ]
    return ListedPage(runs=runs, more=len(rows) > query.limit)


def count_by_status(db: sqlite3.Connection, q: str) -> dict[str, int]:
    clauses, args = _where(None, q)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return dict(db.execute(f"SELECT status, COUNT(*) FROM runs {where} GROUP BY status", args).fetchall())
