"""Idempotency-Keys and run lookups across a Temporal outage plus an API restart.

Before: the same key started a second, local run with the same id; /list then showed the id twice
and lookups found the local copy first; every Temporal run answered 404 instead of 503."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from brandtruth.api.service import idempotent_run_id
from brandtruth.config import PROJECT_ROOT
from tests.support.outage import KEY, outage_after_api_restart


def _listed(c: httpx.Client) -> list[tuple[str, str]]:
    return [(r["workflow_id"], r["engine"]) for r in c.get("/workflow/list", params={"limit": 100}).json()]


def test_key_and_run_lookup_survive_temporal_outage_and_api_restart(tmp_path: Path, demo_url: str) -> None:
    with outage_after_api_restart(tmp_path, demo_url) as o, o.api.client() as c:
        assert o.run_id == idempotent_run_id(KEY, None)
        # The run cannot be read while Temporal is down: 503 with Retry-After, never 404.
        for method, path in [
            ("GET", f"/workflow/progress/{o.run_id}"),
            ("GET", f"/workflow/result/{o.run_id}"),
            ("POST", f"/workflow/cancel/{o.run_id}"),
        ]:
            resp = c.request(method, path)
            assert resp.status_code == 503, (path, resp.text)
            assert int(resp.headers["Retry-After"]) > 0 and "Temporal" in resp.json()["detail"]
        # An id this API never placed may live in Temporal: 503 too, not a false 404.
        unknown = c.get("/workflow/progress/pipeline-0123456789ab")
        assert unknown.status_code == 503 and "Retry-After" in unknown.headers

        # The same key is the same (Temporal) run: answered from the durable mapping, nothing started.
        again = c.post("/workflow/start", json=o.body, headers={"Idempotency-Key": KEY})
        assert again.status_code == 200, again.text
        assert again.json() == {"workflow_id": o.run_id, "status": "started", "engine": "temporal"}
        other_body = c.post("/workflow/start", json={**o.body, "num_variants": 3}, headers={"Idempotency-Key": KEY})
        assert other_body.status_code == 422
        fresh = c.post("/workflow/start", json=o.body, headers={"Idempotency-Key": "order-4712"})
        assert fresh.status_code == 200 and fresh.json()["engine"] == "local", fresh.text
        assert o.run_id not in [run_id for run_id, _ in _listed(c)], "a local copy of the Temporal run exists"

        o.recover()
        progress = c.get(f"/workflow/progress/{o.run_id}")
        assert progress.status_code == 200, progress.text
        assert progress.json()["engine"] == "temporal" and progress.json()["status"] == "awaiting_approval", progress.json()
        listed = _listed(c)
        assert listed.count((o.run_id, "temporal")) == 1 and [i for i, _ in listed].count(o.run_id) == 1, listed
        assert [i for i, _ in listed].count(fresh.json()["workflow_id"]) == 1
        assert c.get("/workflow/progress/pipeline-0123456789ab").status_code == 404  # reachable again: known absent
        approved = c.post(f"/workflow/approve/{o.run_id}", json={"variant_ids": ["v1"]})
        assert approved.status_code == 200, approved.text
        third = c.post("/workflow/start", json=o.body, headers={"Idempotency-Key": KEY})
        assert third.json()["workflow_id"] == o.run_id and third.json()["engine"] == "temporal"


def test_cli_retries_a_run_temporal_cannot_serve_yet_then_shows_it(tmp_path: Path, demo_url: str) -> None:
    with outage_after_api_restart(tmp_path, demo_url) as o:
        cli = subprocess.Popen(
            [sys.executable, "-m", "brandtruth.cli", "--server", o.api.base_url, "status", o.run_id],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"},
        )
        try:
            assert cli.stderr is not None
            told = threading.Event()
            lines: list[str] = []

            def read_stderr() -> None:
                for line in cli.stderr:  # type: ignore[union-attr]
                    lines.append(line)
                    if "retrying in" in line:
                        told.set()

            reader = threading.Thread(target=read_stderr, daemon=True)
            reader.start()
            assert told.wait(30), lines  # the CLI met a 503 and is waiting, not failing
            o.recover()
            out, _ = cli.communicate(timeout=60)
            reader.join(timeout=5)
        finally:
            if cli.poll() is None:
                cli.kill()
        assert cli.returncode == 0, out + "".join(lines)
        assert f"{o.run_id} (temporal)" in out and "awaiting" in out, out
        assert "Temporal" in lines[0] and "(1/" in lines[0], lines


def test_a_key_from_before_placements_is_not_started_again_during_an_outage(tmp_path: Path, demo_url: str) -> None:
    """An upgraded store: the keyed Temporal run was never placed, so while Temporal is down the API
    cannot tell whether the key was used: 503, never a second (local) run; placed once it can tell."""
    with outage_after_api_restart(tmp_path, demo_url, legacy=True) as o, o.api.client() as c:
        again = c.post("/workflow/start", json=o.body, headers={"Idempotency-Key": KEY})
        assert again.status_code == 503 and "Retry-After" in again.headers, again.text
        assert c.get(f"/workflow/progress/{o.run_id}").status_code == 503
        assert o.run_id not in [run_id for run_id, _ in _listed(c)]

        o.recover()
        other = c.post("/workflow/start", json={**o.body, "num_variants": 3}, headers={"Idempotency-Key": KEY})
        assert other.status_code == 422
        same = c.post("/workflow/start", json=o.body, headers={"Idempotency-Key": KEY})
        assert same.json() == {"workflow_id": o.run_id, "status": "started", "engine": "temporal"}
        with sqlite3.connect(o.settings.local_db_path) as db:
            placed = db.execute(
                "SELECT engine, request_json IS NOT NULL FROM placements WHERE workflow_id=?", (o.run_id,)
            ).fetchone()
        assert placed == ("temporal", 1)
