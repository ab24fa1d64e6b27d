"""A small Chrome DevTools Protocol client over `--remote-debugging-pipe`: the browser reads JSON
messages ended by NUL on its fd 3 and writes them on its fd 4; sessions are flattened (`sessionId`
on each message). No extra process and no debugging port (a port would let any local program drive
the browser); only this process holds the pipe.

Hand-written rather than a library: the maintained asyncio CDP clients on PyPI (pydoll, zendriver,
nodriver...) talk to a websocket port; the asyncio pipe client found (pypecdp) moves the fds in a
preexec_fn, unsafe in the worker's threaded process, and its reader gives up on the first message
over asyncio's 64 KiB line limit. Here a message longer than MAX_MESSAGE_BYTES is dropped as it
streams in (the command it answers fails), so a page cannot make this process buffer without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
import signal
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# A rendered page is read in one message: the default page cap (3,000,000 characters, each at worst a
# 6-byte JSON escape) fits; a larger page fails its render with a clear error, not this process.
MAX_MESSAGE_BYTES = 32 * 2**20
_ID_AT_START = re.compile(rb'\{"id":(\d+)')  # Chromium writes a response's id first

Listener = Callable[[str, dict[str, Any]], None]  # (method, params) of an event


class CDPError(Exception):
    """A command failed, was refused, or the browser went away."""


class Connection(asyncio.Protocol):
    """Commands and their answers, and events to one listener per session ("" for the browser's)."""

    def __init__(self) -> None:
        self.listeners: dict[str, Listener] = {}
        self.closed: str | None = None  # why, once the pipe is gone
        self.on_close: Callable[[str], None] | None = None
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._last_id = 0
        self._buffer = bytearray()
        self._dropping = False  # the rest of an oversized message is still arriving
        self._writer: asyncio.WriteTransport | None = None
        self._reader: asyncio.BaseTransport | None = None

    async def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> dict[str, Any]:
        if self.closed or self._writer is None:
            raise CDPError(self.closed or "not connected")
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[self._last_id] = answer
        try:
            self._writer.write(json.dumps(message).encode() + b"\0")
            return await answer
        finally:
            self._pending.pop(message["id"], None)

    # ------------------------------------------------------------------ the browser's side of the pipe

    def data_received(self, data: bytes) -> None:
        start = 0
        while (end := data.find(b"\0", start)) >= 0:
            if not self._dropping and self._fits(end - start):
                self._buffer += data[start:end]
                self._dispatch(bytes(self._buffer))
            self._buffer.clear()
            self._dropping = False
            start = end + 1
        if start < len(data) and not self._dropping and self._fits(len(data) - start):
            self._buffer += data[start:]

    def _fits(self, more: int) -> bool:
        if len(self._buffer) + more <= MAX_MESSAGE_BYTES:
            return True
        head = bytes(self._buffer[:32])
        log.warning("the browser sent a DevTools message over %d bytes: dropped (%r...)", MAX_MESSAGE_BYTES, head)
        found = _ID_AT_START.match(head)
        waiting = self._pending.get(int(found.group(1))) if found else None
        if waiting is not None and not waiting.done():
            waiting.set_exception(CDPError(f"the browser's answer was larger than {MAX_MESSAGE_BYTES:,} bytes"))
        self._buffer.clear()
        self._dropping = True
        return False

    def _dispatch(self, raw: bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            log.warning("the browser sent a DevTools message that is not JSON: %r", raw[:80])
            return
        if "id" in message:
            waiting = self._pending.get(message["id"])
            if waiting is None or waiting.done():
                return
            if "error" in message:
                waiting.set_exception(CDPError(str(message["error"].get("message", message["error"]))))
            else:
                waiting.set_result(message.get("result", {}))
            return
        listener = self.listeners.get(message.get("sessionId", ""))
        if listener is not None:
            try:
                listener(message.get("method", ""), message.get("params", {}))
            except Exception:  # one bad event must not stop the pipe
                log.exception("handling DevTools event %s", message.get("method"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost("the browser closed its DevTools pipe (it crashed or was stopped)")

    def lost(self, why: str) -> None:
        if self.closed:
            return
        self.closed = why
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(CDPError(why))
        for transport in (self._writer, self._reader):
            if transport is not None:
                transport.close()
        if self.on_close is not None:
            self.on_close(why)


class _WriteSide(asyncio.Protocol):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def connection_lost(self, exc: Exception | None) -> None:
        self.connection.lost("the browser stopped reading its DevTools pipe (it crashed or was stopped)")


def _lowered(niceness: int) -> list[str]:
    """The command prefix that runs a program at `niceness`, never to raise its priority again: run as
    root, Chromium puts its browser and GPU processes at -8, above every event loop, unless it lacks
    CAP_SYS_NICE (without root it cannot anyway). Empty when niceness is 0 or `nice` is missing."""
    nice = shutil.which("nice") if niceness > 0 else None
    if nice is None:
        return []
    prefix = [nice, "-n", str(niceness)]
    setpriv = shutil.which("setpriv") if os.geteuid() == 0 else None
    return [setpriv, "--bounding-set", "-sys_nice", "--inh-caps", "-sys_nice", *prefix] if setpriv else prefix


class Chromium:
    """One browser process on a pipe, in its own process group: it runs under our launcher shell (and
    Debian's launcher script, which does not exec either), so stopping it means signalling the group."""

    def __init__(self, process: asyncio.subprocess.Process, connection: Connection, profile: str) -> None:
        self.process, self.connection, self.profile = process, connection, profile
        self.errors = b""  # the end of its stderr, for a launch failure's message
        self._stderr = asyncio.get_running_loop().create_task(self._read_stderr())

    @classmethod
    async def launch(cls, path: str, args: list[str], profile: str, niceness: int = 0) -> Chromium:
        """`niceness` > 0: the browser and every process it starts run at that priority, below the event
        loops: a page's scripts are untrusted CPU work."""
        loop = asyncio.get_running_loop()
        to_browser, to_us = os.pipe()  # (read, write) pairs; os.pipe's ends are not inherited by other children
        from_browser, for_browser = os.pipe()
        # The browser's ends go in as the shell's stdin and stdout (subprocess moves them there safely; no
        # preexec_fn: the worker has threads); the shell moves them to 3 and 4 for the browser, keeps no
        # copy (the pipe ends when the browser does), and removes the profile once the browser has exited,
        # however it ended (closed, crashed, or this process exited without closing it).
        script = 'profile=$1; shift; exec 3<&0 4>&1 </dev/null >/dev/null; "$@" & exec 3<&- 4>&-; wait $!; rm -rf "$profile"'
        connection = Connection()
        command = _lowered(niceness) + [path]
        try:
            process = await asyncio.create_subprocess_exec(
                "/bin/sh", "-c", script, path, profile, *command, *args, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                stdin=to_browser, stdout=for_browser, stderr=asyncio.subprocess.PIPE, start_new_session=True,
            )  # fmt: skip
        except BaseException:
            for fd in (to_us, from_browser):
                os.close(fd)
            raise
        finally:
            for fd in (to_browser, for_browser):
                os.close(fd)
        try:
            connection._writer, _ = await loop.connect_write_pipe(lambda: _WriteSide(connection), os.fdopen(to_us, "wb", 0))
            connection._reader, _ = await loop.connect_read_pipe(lambda: connection, os.fdopen(from_browser, "rb", 0))
        except BaseException:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            raise
        return cls(process, connection, profile)

    @property
    def alive(self) -> bool:
        return self.connection.closed is None and self.process.returncode is None

    async def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        while chunk := await self.process.stderr.read(4096):
            self.errors = (self.errors + chunk)[-2048:]

    def last_error(self) -> str:
        lines = [line for line in self.errors.decode(errors="replace").splitlines() if line.strip()]
        return lines[-1].strip() if lines else f"exit status {self.process.returncode}"

    def kill(self) -> None:
        """Ends the browser at once, from outside its event loop (that loop has finished)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.connection.closed = self.connection.closed or "the browser was killed"
        shutil.rmtree(self.profile, ignore_errors=True)

    async def close(self, grace: float = 2.0) -> None:
        """Asks the browser to close, then terminates its process group, then kills it; waits for it."""
        if self.alive:
            with contextlib.suppress(CDPError, TimeoutError):
                async with asyncio.timeout(grace):
                    await self.connection.send("Browser.close")
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.process.pid, sig)  # the group outlives its leader while any member is left
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(grace):
                    await self.process.wait()
                    break
        # What the browser started (zygotes, renderers) may outlive it by a moment: none is left behind.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.connection.lost("the browser was closed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._stderr), grace)  # its last words, for last_error()
        self._stderr.cancel()
        await asyncio.to_thread(shutil.rmtree, self.profile, True)
