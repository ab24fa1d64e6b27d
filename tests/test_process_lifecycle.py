"""`python api_server.py` as a user runs it: the processes it starts go when it goes, however it ends,
and `--dev` starts beside another BrandTruth on the same machine."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from brandtruth.config import PROJECT_ROOT
from brandtruth.devserver import DevServer, DevServerError, free_port
from tests.support.servers import wait_for
from tests.support.sites import serve_sites

START_TIMEOUT = 90.0
GONE_TIMEOUT = 5.0  # the bound: nothing of ours left 5 s after the API ends


@dataclass
class Api:
    proc: subprocess.Popen[bytes]
    base_url: str
    output: Path

    def health(self) -> dict[str, object] | None:
        try:
            return httpx.get(f"{self.base_url}/workflow/health", timeout=2).json()  # type: ignore[no-any-return]
        except httpx.HTTPError:
            return None

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)


@contextmanager
def api_server(tmp: Path, *args: str, **env: str) -> Iterator[Api]:
    port = free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    output = tmp / f"api-{port}.out"
    environ = {
        **os.environ,
        "BRANDTRUTH_DATA_DIR": str(tmp / "data"),
        "TEMPORAL_HOST": f"127.0.0.1:{free_port()}",
        "TEMPORAL_CONNECT_TIMEOUT": "2",
        **env,
    }
    with open(output, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "api_server.py", "--port", str(port), *args],
            cwd=PROJECT_ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    api = Api(proc, f"http://127.0.0.1:{port}", output)
    try:
        wait_for(lambda: proc.poll() is not None or api.health(), START_TIMEOUT, "the API to answer")
        assert proc.poll() is None, output.read_text()
        yield api
    finally:
        if proc.poll() is None:
            for child in api.descendants():
                child.kill()
            proc.kill()
        proc.wait(10)


def gone(processes: list[psutil.Process]) -> bool:
    """Every process has exited (a zombie waiting for a reaper counts: it holds no memory or ports)."""
    for p in processes:
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                return False
        except psutil.NoSuchProcess:
            continue
    return True


def test_sigterm_leaves_no_pool_process_behind(tmp_path: Path) -> None:
    """After a clean 'shutdown complete' the CPU pool process and its resource tracker kept running
    (125-200 MB each, more after every restart)."""
    with serve_sites() as sites, api_server(tmp_path, BRANDTRUTH_ALLOW_PRIVATE_URLS="true") as api:
        with httpx.Client(base_url=api.base_url, timeout=30) as c:
            run = c.post(
                "/workflow/start",
                json={"url": f"{sites.base_url}/northwind-analytics/", "num_variants": 1, "formats": ["square"]},
            ).json()
            wait_for(
                lambda: c.get(f"/workflow/progress/{run['workflow_id']}").json()["status"] == "awaiting_approval",
                60,
                "the run to await approval",
            )
        children = api.descendants()
        assert any("spawn_main" in " ".join(p.cmdline()) for p in children), "the run used the CPU pool"
        api.proc.send_signal(signal.SIGTERM)
        api.proc.wait(15)
        wait_for(lambda: gone(children), GONE_TIMEOUT, "every child of the API to exit")


def test_dev_server_and_pool_never_outlive_a_killed_api(tmp_path: Path) -> None:
    with api_server(tmp_path, "--dev", "--ui-port", str(free_port())) as api:
        wait_for(lambda: (api.health() or {}).get("status") == "healthy", START_TIMEOUT, "the embedded worker to poll")
        children = api.descendants()
        assert any(p.name() == "temporal" for p in children)
        api.proc.send_signal(signal.SIGKILL)
        api.proc.wait(10)
        wait_for(lambda: gone(children), GONE_TIMEOUT, "the embedded Temporal server to exit with its API")


def test_two_dev_instances_run_side_by_side(tmp_path: Path) -> None:
    """The second --dev once died with 'temporal dev server exited with 1': the UI port was fixed."""
    with api_server(tmp_path / "a", "--dev") as first, api_server(tmp_path / "b", "--dev") as second:
        for api in (first, second):
            wait_for(lambda api=api: (api.health() or {}).get("status") == "healthy", START_TIMEOUT, "both to be healthy")
        ui_ports = {_printed_ui_port(api.output) for api in (first, second)}
        assert len(ui_ports) == 2, ui_ports
        for api in (first, second):  # each links its runs to its own dev server's UI
            assert (api.health() or {}).get("temporal_ui_url") == f"http://localhost:{_printed_ui_port(api.output)}"
        children = first.descendants() + second.descendants()
        for api in (first, second):
            api.proc.send_signal(signal.SIGTERM)
            api.proc.wait(15)
        wait_for(lambda: gone(children), GONE_TIMEOUT, "both embedded servers to stop")


def test_a_taken_ui_port_asked_for_explicitly_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "api_server.py", "--dev", "--port", str(free_port()), "--ui-port", str(port)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "BRANDTRUTH_DATA_DIR": str(tmp_path), "TEMPORAL_HOST": f"127.0.0.1:{free_port()}"},
        )
    assert proc.returncode != 0
    assert f"--ui-port {port} is in use" in proc.stderr


def test_dev_server_start_failure_shows_its_log_and_what_to_do(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(DevServerError) as failure:
            DevServer(ui_port=port, headless=False, log_file=tmp_path / "temporal.log").start()
    message = str(failure.value)
    assert f"Port {port} (Temporal UI) is in use" in message and "--ui-port" in message
    assert "Last lines" in message and "address already in use" in message


def _printed_ui_port(output: Path) -> int:
    line = next(ln for ln in output.read_text().splitlines() if "Temporal UI:" in ln)
    return int(line.rsplit(":", 1)[1].strip().rstrip("/"))
