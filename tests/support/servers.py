"""Real servers for tests: the BrandTruth API under uvicorn in a thread, and worker subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn

from brandtruth.api.app import create_app
from brandtruth.config import PROJECT_ROOT, Settings
from brandtruth.devserver import free_port

T = TypeVar("T")


def wait_for(check: Callable[[], T | None], timeout: float, what: str, interval: float = 0.05) -> T:
    """Poll `check` until it returns something truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def make_settings(data_dir: Path, temporal_host: str, task_queue: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "TEMPORAL_HOST": temporal_host,
        "TEMPORAL_TASK_QUEUE": task_queue,
        "BRANDTRUTH_DATA_DIR": data_dir,
        "BRANDTRUTH_ALLOW_PRIVATE_URLS": True,
        "BRANDTRUTH_RESPECT_ROBOTS": True,
        "BRANDTRUTH_HEALTH_CACHE_SECONDS": 0.5,
        "TEMPORAL_CONNECT_TIMEOUT": 2.0,
        "BRANDTRUTH_PROVIDER": "offline",
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class ApiServer:
    """create_app() under a real uvicorn server on a free loopback port, in a background thread."""

    def __init__(self, settings: Settings, embedded_worker: bool = False, port: int | None = None):
        self.settings = settings
        self.port = port or free_port()
        app = create_app(settings, embedded_worker=embedded_worker, serve_demo_sites=True)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ApiServer:
        self.thread.start()
        wait_for(lambda: self.server.started, 30, "uvicorn to start")
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30, **kw)

    def wait_healthy(self, want: str = "healthy", timeout: float = 30) -> dict[str, Any]:
        with self.client() as c:
            return wait_for(
                lambda: (h := c.get("/workflow/health").json())["status"] == want and h,
                timeout,
                f"health status {want}",
                interval=0.2,
            )


def start_worker_process(
    settings: Settings,
    module: str = "brandtruth.engines.temporal.worker",
    log_path: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TEMPORAL_HOST": settings.temporal_host,
        "TEMPORAL_TASK_QUEUE": settings.temporal_task_queue,
        "BRANDTRUTH_DATA_DIR": str(settings.data_dir),
        "BRANDTRUTH_ALLOW_PRIVATE_URLS": "true",
        "BRANDTRUTH_PROVIDER": "offline",
        **(extra_env or {}),
    }
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", module], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
