"""A small, strict SSE reader for tests over a real streaming HTTP connection."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class SseEvent:
    id: int | None
    event: str
    data: dict[str, Any]
    received_at: float


class SseLineParser:
    """Turns SSE lines into (id, event name, JSON data) when a blank line ends an event; pings skipped."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.data_lines: list[str] = []

    def feed(self, line: str) -> tuple[int | None, str, dict[str, Any]] | None:
        if line == "":
            done = None
            if self.data_lines:
                done = (
                    int(self.fields["id"]) if self.fields.get("id") else None,
                    self.fields.get("event", "message"),
                    json.loads("\n".join(self.data_lines)),
                )
            self.fields, self.data_lines = {}, []
            return done
        if not line.startswith(":"):
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                self.data_lines.append(value)
            else:
                self.fields[name] = value
        return None


def iter_sse(response: httpx.Response, deadline: float | None = None):  # type: ignore[no-untyped-def]
    """Yield SseEvents from a streaming response (comments/pings skipped); stop at `deadline` (monotonic)."""
    parser = SseLineParser()
    for line in response.iter_lines():
        if deadline is not None and time.monotonic() > deadline:
            raise AssertionError("stream deadline passed (pings kept the connection alive, but no progress)")
        if parsed := parser.feed(line):
            event_id, name, data = parsed
            yield SseEvent(id=event_id, event=name, data=data, received_at=time.monotonic())


def read_stream(
    base_url: str,
    run_id: str,
    *,
    until: Callable[[SseEvent], bool] | None = None,
    last_event_id: int | None = None,
    timeout: float = 60.0,
    headers: dict[str, str] | None = None,
) -> tuple[list[SseEvent], bool]:
    """Read events until `until(event)` holds or the server ends the stream.

    Returns (events, ended_by_server). Bounded by `timeout` (read timeout per chunk and overall).
    """
    # Header values go out as Latin-1 bytes (what servers decode them as), so a test can send what a hostile client would.
    sent: dict[str, bytes] = {k: v.encode("latin-1") for k, v in (headers or {}).items()}
    sent["Accept"] = b"text/event-stream"
    if last_event_id is not None:
        sent["Last-Event-ID"] = str(last_event_id).encode()
    events: list[SseEvent] = []
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=httpx.Timeout(timeout, connect=5)) as client:
        with client.stream("GET", f"{base_url}/workflow/stream/{run_id}", headers=sent) as resp:
            assert resp.status_code == 200, resp.read()
            for ev in iter_sse(resp, deadline):
                events.append(ev)
                if until and until(ev):
                    return events, False
                if time.monotonic() > deadline:
                    raise AssertionError(f"stream did not reach the condition in {timeout}s; got {len(events)} events")
    return events, True
