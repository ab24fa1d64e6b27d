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


def iter_sse(response: httpx.Response, deadline: float | None = None):  # type: ignore[no-untyped-def]
    """Yield SseEvents from a streaming response (comments/pings skipped); stop at `deadline` (monotonic)."""
    fields: dict[str, str] = {}
    data_lines: list[str] = []
    for line in response.iter_lines():
        if deadline is not None and time.monotonic() > deadline:
            raise AssertionError("stream deadline passed (pings kept the connection alive, but no progress)")
        if line == "":
            if data_lines:
                yield SseEvent(
                    id=int(fields["id"]) if fields.get("id") else None,
                    event=fields.get("event", "message"),
                    data=json.loads("\n".join(data_lines)),
                    received_at=time.monotonic(),
                )
            fields, data_lines = {}, []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data_lines.append(value)
        else:
            fields[name] = value


def read_stream(
    base_url: str,
    run_id: str,
    *,
    until: Callable[[SseEvent], bool] | None = None,
    last_event_id: int | None = None,
    timeout: float = 60.0,
) -> tuple[list[SseEvent], bool]:
    """Read events until `until(event)` holds or the server ends the stream.

    Returns (events, ended_by_server). Bounded by `timeout` (read timeout per chunk and overall).
    """
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    events: list[SseEvent] = []
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=httpx.Timeout(timeout, connect=5)) as client:
        with client.stream("GET", f"{base_url}/workflow/stream/{run_id}", headers=headers) as resp:
            assert resp.status_code == 200, resp.read()
            for ev in iter_sse(resp, deadline):
                events.append(ev)
                if until and until(ev):
                    return events, False
                if time.monotonic() > deadline:
                    raise AssertionError(f"stream did not reach the condition in {timeout}s; got {len(events)} events")
    return events, True
