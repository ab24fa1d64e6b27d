"""Faults, for real: Temporal killed and restarted on its database, the API restarted under streaming
clients, Temporal down mid-run, and the API SIGKILLed mid-step and right after a decision."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from brandtruth.config import PROJECT_ROOT
from brandtruth.devserver import DevServer, free_port, port_open
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, start_worker_process, wait_for
from tests.support.sites import SiteServer, serve_sites
from tests.support.sse import SseEvent, iter_sse, read_stream


def _status(base_url: str, run_id: str) -> str | None:
    try:
        return str(httpx.get(f"{base_url}/workflow/progress/{run_id}", timeout=5).json()["status"])
    except (httpx.HTTPError, KeyError, ValueError):
        return None


class Follower(threading.Thread):
    """Follows a run's stream like EventSource: reconnects with Last-Event-ID whenever it drops."""

    def __init__(self, base_url: str, run_id: str, stop_on: tuple[str, ...], max_reconnects: int = 50):
        super().__init__(daemon=True)
        self.base_url, self.run_id, self.stop_on = base_url, run_id, stop_on
        self.events: list[SseEvent] = []
        self.reconnects = 0
        self.max_reconnects = max_reconnects
        self.done = threading.Event()

    def run(self) -> None:
        while self.reconnects <= self.max_reconnects and not self.done.is_set():
            headers = {"Last-Event-ID": str(self.events[-1].id)} if self.events else {}
            try:
                with httpx.stream(
                    "GET", f"{self.base_url}/workflow/stream/{self.run_id}", headers=headers, timeout=httpx.Timeout(60, connect=2)
                ) as resp:
                    if resp.status_code == 204:
                        break
                    for ev in iter_sse(resp):
                        self.events.append(ev)
                        if ev.data["type"] in self.stop_on:
                            self.done.set()
                            return
            except httpx.HTTPError:
                pass
            self.reconnects += 1
            self.done.wait(0.2)  # EventSource's retry delay; bounded by max_reconnects
        self.done.set()

    def types(self) -> list[str]:
        return [e.data["type"] for e in self.events]

    def assert_each_event_once(self) -> None:
        ids = [e.id for e in self.events]
        assert ids == list(range(1, len(ids) + 1)), ids


@pytest.fixture()
def persistent_temporal(tmp_path: Path) -> Iterator[DevServer]:
    server = DevServer(db_file=tmp_path / "temporal.sqlite", log_file=tmp_path / "temporal.log").start()
    yield server
    server.stop()


def test_temporal_killed_and_restarted_runs_survive_and_streams_continue(
    persistent_temporal: DevServer, tmp_path: Path, demo_url: str
) -> None:
    settings = make_settings(tmp_path, persistent_temporal.address, unique_queue("tkill"))
    worker = start_worker_process(settings, log_path=tmp_path / "worker.log")
    api = ApiServer(settings).start()
    try:
        api.wait_healthy("healthy")
        with api.client() as c:
            run_id = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]}).json()[
                "workflow_id"
            ]
        follower = Follower(api.base_url, run_id, stop_on=("completed", "failed"))
        follower.start()
        wait_for(lambda: "awaiting_approval" in follower.types(), 60, "the run to await approval")

        persistent_temporal.kill()
        api.wait_healthy("degraded")
        persistent_temporal.start()
        api.wait_healthy("healthy", timeout=60)

        with api.client() as c:
            resp = wait_for(
                lambda: (r := c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v2"]})).status_code == 200 and r,
                60,
                "approval to be accepted after the restart",
                interval=0.5,
            )
        assert resp.json()["variant_ids"] == ["v2"]
        assert follower.done.wait(60), follower.types()
        assert follower.types()[-1] == "completed"
        follower.assert_each_event_once()
    finally:
        api.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)


def test_api_restart_while_streaming_resumes_without_loss(temporal_server: DevServer, tmp_path: Path) -> None:
    # The run's start page is held until the new API is up: the old one lets open responses run for up to
    # 2 s as it stops, and a run that reached approval meanwhile ended every stream before the restart.
    # On a server of its own: a shared one's release would let every later test's held answers go at once.
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("apirestart"))
    held = {"BRANDTRUTH_FETCH_TIMEOUT_SECONDS": "60"}  # the held page outlasts the restart, however slow
    worker = start_worker_process(settings, log_path=tmp_path / "worker.log", extra_env=held)
    api = ApiServer(settings).start()
    port = api.port
    try:
        with serve_sites() as own:
            api.wait_healthy("healthy")
            url = own.slow_url("northwind-analytics/", 30)
            with api.client() as c:
                started = c.post("/workflow/start", json={"url": url, "num_variants": 2, "formats": ["square"]})
                run_id = started.json()["workflow_id"]
            followers = [Follower(api.base_url, run_id, stop_on=("awaiting_approval",)) for _ in range(3)]
            for f in followers:
                f.start()
            wait_for(lambda: all(f.events for f in followers), 30, "every client to receive its first event")
            api.stop()
            api = ApiServer(settings, port=port).start()
            own.release()
            for f in followers:
                assert f.done.wait(90), f.types()
                assert f.types()[-1] == "awaiting_approval"
                f.assert_each_event_once()
        assert any(f.reconnects for f in followers), "the restart did not drop any stream"
    finally:
        api.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)


def test_temporal_down_mid_run_degrades_then_inflight_run_finishes(
    persistent_temporal: DevServer, sites: SiteServer, tmp_path: Path, demo_url: str
) -> None:
    settings = make_settings(tmp_path, persistent_temporal.address, unique_queue("tdown"))
    worker = start_worker_process(settings, log_path=tmp_path / "worker.log")
    api = ApiServer(settings).start()
    try:
        api.wait_healthy("healthy")
        with api.client() as c:
            slow = sites.slow_url("northwind-analytics/", 1.0)
            inflight = c.post("/workflow/start", json={"url": slow, "num_variants": 2, "formats": ["square"]}).json()
            assert inflight["engine"] == "temporal"
            read_stream(api.base_url, inflight["workflow_id"], until=lambda ev: ev.data["type"] == "step_started")

            persistent_temporal.kill()
            health = api.wait_healthy("degraded")
            assert health["temporal_available"] is False
            fallback = c.post("/workflow/start", json={"url": demo_url, "num_variants": 2, "formats": ["square"]})
            assert fallback.status_code == 200 and fallback.json()["engine"] == "local"
            wait_for(
                lambda: _status(api.base_url, fallback.json()["workflow_id"]) == "awaiting_approval",
                60,
                "the fallback run to finish its steps locally",
            )

            persistent_temporal.start()
            api.wait_healthy("healthy", timeout=60)
            wait_for(
                lambda: _status(api.base_url, inflight["workflow_id"]) == "awaiting_approval",
                120,
                "the in-flight Temporal run to finish once Temporal is back",
                interval=0.5,
            )
    finally:
        api.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)


class ApiProcess:
    """api_server.py as a real process, so it can be SIGKILLed."""

    def __init__(self, data_dir: Path, port: int):
        self.port, self.data_dir = port, data_dir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ApiProcess:
        env = {
            **os.environ,
            "TEMPORAL_HOST": f"127.0.0.1:{free_port()}",
            "BRANDTRUTH_DATA_DIR": str(self.data_dir),
            "BRANDTRUTH_ALLOW_PRIVATE_URLS": "true",
            "BRANDTRUTH_PROVIDER": "offline",
            "BRANDTRUTH_FETCH_TIMEOUT_SECONDS": "60",  # a held page waits for the test, not for the fetcher
        }
        log = open(self.data_dir / "api.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "api_server.py", "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: port_open("127.0.0.1", self.port), 30, "the API process to listen")
        return self

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)


def test_api_sigkilled_mid_step_and_after_decision_loses_nothing(tmp_path: Path) -> None:
    port = free_port()
    api = ApiProcess(tmp_path, port).start()
    try:
        with serve_sites() as held:  # its own server: its start page answers when this test releases it
            url = held.slow_url("northwind-analytics/", 30)
            run_id = httpx.post(
                f"{api.base_url}/workflow/start", json={"url": url, "num_variants": 2, "formats": ["square"]}, timeout=30
            ).json()["workflow_id"]
            read_stream(api.base_url, run_id, until=lambda ev: ev.data["type"] == "step_started")
            api.kill()  # mid-extract, whatever the machine's speed: its page is held
            api = ApiProcess(tmp_path, port).start()
            held.release()
            wait_for(  # the site serves the resumed extract: its server stops when this block ends
                lambda: _status(api.base_url, run_id) == "awaiting_approval",
                120,
                "the run to resume and finish its steps",
                interval=0.3,
            )
        resp = httpx.post(f"{api.base_url}/workflow/approve/{run_id}", json={"variant_ids": ["v2"]}, timeout=30)
        assert resp.status_code == 200
        api.kill()  # right after the decision was acknowledged

        api = ApiProcess(tmp_path, port).start()
        wait_for(lambda: _status(api.base_url, run_id) == "completed", 60, "the approved run to complete")
        result = httpx.get(f"{api.base_url}/workflow/result/{run_id}", timeout=30).json()
        assert result["approved_variant_ids"] == ["v2"] and len(result["decisions"]) == 1
        events, ended = read_stream(api.base_url, run_id)
        assert ended
        assert [e.id for e in events] == list(range(1, len(events) + 1))
        starts = [e.data["data"] for e in events if e.data["type"] == "step_started"]
        assert [s["attempt"] for s in starts if s["step"] == "extract"] == [1, 2]
        for step in ("generate", "match", "compose", "score"):
            assert [s["attempt"] for s in starts if s["step"] == step] == [1], step
        assert [e.data["type"] for e in events].count("approved") == 1
    finally:
        api.stop()
