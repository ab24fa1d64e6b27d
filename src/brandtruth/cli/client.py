"""A small async HTTP client for the BrandTruth API, including a resuming SSE reader.

It depends on nothing but httpx (httpx-sse reads the stream) and the documented JSON contract,
so it works against any BrandTruth server and doubles as the reference client of the API.

Errors: every failure is an `ApiError` with the server's `detail` and HTTP status (status 0 when
the server cannot be reached at all). A 503 (Temporal unavailable: the server cannot look the run
up or take it right now, and did nothing) is retried after its Retry-After, a bounded number of
times, before it becomes an ApiError.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from httpx_sse import EventSource, SSEError

TERMINAL = frozenset({"completed", "failed", "cancelled", "expired", "rejected"})
MAX_STREAM_RETRIES = 8
UNAVAILABLE_RETRIES = 20  # 503s retried per request (and per stream connection): about a minute
MAX_RETRY_AFTER_SECONDS = 10.0


class ApiError(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.detail}" if self.status else self.detail


def retry_after(resp: httpx.Response, default: float = 1.0) -> float:
    """The server's Retry-After in seconds (a number; dates are not sent by BrandTruth), capped."""
    try:
        value = float(resp.headers.get("Retry-After", default))
    except ValueError:
        value = default
    return min(max(value, 0.1), MAX_RETRY_AFTER_SECONDS)


def _tell_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _detail(resp: httpx.Response) -> str:
    try:
        body = resp.json()
        detail, message = body.get("detail"), body.get("message")
    except (ValueError, AttributeError):
        return resp.text[:300] or resp.reason_phrase
    if isinstance(detail, list) and isinstance(message, str) and message:
        return message  # a 422's field errors, written for people and joined by the server
    if isinstance(detail, list):  # FastAPI validation errors of an older server
        return "; ".join(f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'request'}: {e.get('msg')}" for e in detail)
    return str(detail)


class BrandTruthClient:
    def __init__(
        self, server: str, timeout: float = 30.0, token: str | None = None, on_retry: Callable[[str], None] = _tell_stderr
    ):
        self.server = server.rstrip("/")
        self.on_retry = on_retry  # told of each 503 retry, so a waiting user knows why
        headers = {"Authorization": f"Bearer {token}"} if token else None  # servers with BRANDTRUTH_API_TOKENS
        self._http = httpx.AsyncClient(base_url=self.server, timeout=timeout, headers=headers)

    async def __aenter__(self) -> BrandTruthClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None, **params: Any) -> Any:
        resp = await self.send(method, path, body, **params)
        return resp.json() if resp.content else None

    async def send(self, method: str, path: str, body: dict[str, Any] | None = None, **params: Any) -> httpx.Response:
        """The response to a request (503s retried after their Retry-After; other errors raise ApiError)."""
        params = {k: v for k, v in params.items() if v is not None}
        for attempt in range(1, UNAVAILABLE_RETRIES + 2):
            try:
                resp = await self._http.request(method, path, json=body, params=params or None)
            except httpx.TransportError as exc:
                raise ApiError(
                    0,
                    f"Cannot reach the BrandTruth server at {self.server} ({exc}). "
                    "Is it running? Start one with: python api_server.py --dev",
                ) from exc
            if resp.status_code == 503 and attempt <= UNAVAILABLE_RETRIES:
                await self._wait_unavailable(resp, attempt)
                continue
            if resp.status_code >= 400:
                raise ApiError(resp.status_code, _detail(resp))
            return resp
        raise AssertionError("unreachable")

    async def _wait_unavailable(self, resp: httpx.Response, attempt: int) -> None:
        delay = retry_after(resp)
        self.on_retry(f"{_detail(resp)} (HTTP 503); retrying in {delay:g}s ({attempt}/{UNAVAILABLE_RETRIES})")
        await asyncio.sleep(delay)

    # ------------------------------------------------------------------ the contract

    async def health(self) -> dict[str, Any]:
        return await self.request("GET", "/workflow/health")  # type: ignore[no-any-return]

    async def start(self, body: dict[str, Any]) -> dict[str, Any]:
        """{"workflow_id": ..., "status": "started", "engine": ...}"""
        return await self.request("POST", "/workflow/start", body)  # type: ignore[no-any-return]

    async def progress(self, run_id: str) -> dict[str, Any]:
        return await self.request("GET", f"/workflow/progress/{run_id}")  # type: ignore[no-any-return]

    async def result(self, run_id: str) -> dict[str, Any]:
        return await self.request("GET", f"/workflow/result/{run_id}")  # type: ignore[no-any-return]

    async def approve(self, run_id: str, variant_ids: list[str], approver: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"variant_ids": variant_ids}
        if approver:
            body["approver"] = approver
        return await self.request("POST", f"/workflow/approve/{run_id}", body)  # type: ignore[no-any-return]

    async def revise(self, run_id: str, variant_ids: list[str], feedback: str) -> dict[str, Any]:
        body = {"variant_ids": variant_ids, "feedback": feedback}
        return await self.request("POST", f"/workflow/revise/{run_id}", body)  # type: ignore[no-any-return]

    async def reject(self, run_id: str, reason: str | None = None, approver: str | None = None) -> dict[str, Any]:
        body = {k: v for k, v in (("reason", reason), ("approver", approver)) if v}
        return await self.request("POST", f"/workflow/reject/{run_id}", body)  # type: ignore[no-any-return]

    async def cancel(self, run_id: str) -> dict[str, Any]:
        return await self.request("POST", f"/workflow/cancel/{run_id}")  # type: ignore[no-any-return]

    async def list_runs(
        self, limit: int = 20, status: str | None = None, q: str | None = None, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of runs, newest first, and the cursor of the next page (None on the last)."""
        resp = await self.send("GET", "/workflow/list", limit=limit, status=status, q=q, cursor=cursor)
        return resp.json(), resp.headers.get("X-Next-Cursor")

    async def run_token(self, run_id: str) -> dict[str, Any]:
        """{"token", "expires_in", "auth_enabled"}: a short-lived token that opens this run's artifacts
        with no header (a browser following a printed link sends none); token is "" on an open server."""
        return await self.request("POST", f"/workflow/token/{run_id}")  # type: ignore[no-any-return]

    def artifact_url(self, run_id: str, key: str, run_token: str = "") -> str:
        name = key.split("/", 1)[1] if key.startswith(run_id + "/") else key
        return self.link(f"/workflow/artifacts/{run_id}/{name}", run_token)

    def link(self, path: str, run_token: str = "") -> str:
        """A whole URL for a server path, carrying the run token when the server requires one."""
        return f"{self.server}{path}?token={run_token}" if run_token else f"{self.server}{path}"

    # ------------------------------------------------------------------ the stream

    async def events(self, run_id: str, after: int = 0) -> AsyncIterator[dict[str, Any]]:
        """Every event after `after`, once each, until the terminal event; reconnects on drops.

        Like EventSource: a dropped stream is reopened with Last-Event-ID; HTTP 204 means the
        server has nothing more (the run finished and everything was delivered).
        """
        last, failures, unavailable = after, 0, 0
        while True:
            headers = {"Accept": "text/event-stream"}
            if last:
                headers["Last-Event-ID"] = str(last)
            try:
                async with self._http.stream(
                    "GET", f"/workflow/stream/{run_id}", headers=headers, timeout=httpx.Timeout(30, read=None)
                ) as resp:
                    if resp.status_code == 204:
                        return
                    if resp.status_code == 503 and unavailable < UNAVAILABLE_RETRIES:
                        await resp.aread()
                        unavailable += 1
                        await self._wait_unavailable(resp, unavailable)
                        continue
                    if resp.status_code >= 400:
                        await resp.aread()
                        raise ApiError(resp.status_code, _detail(resp))
                    async for event in _progress_events(resp):
                        if event["id"] <= last:
                            continue  # a replay after reconnecting: already seen
                        last, failures, unavailable = event["id"], 0, 0
                        yield event
                        if event["type"] in TERMINAL or event.get("status") in TERMINAL:
                            return
            except httpx.TransportError as exc:
                failures += 1
                if failures > MAX_STREAM_RETRIES:
                    raise ApiError(0, f"Lost the progress stream of {run_id} ({exc})") from exc
            else:
                failures += 1  # the server closed the stream before the run ended
                if failures > MAX_STREAM_RETRIES:
                    raise ApiError(0, f"The progress stream of {run_id} keeps closing early")
            await asyncio.sleep(min(0.25 * 2**failures, 5.0))  # back off before reconnecting


async def _progress_events(resp: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """The run's progress events in a stream: each SSE message's JSON (httpx-sse does the framing)."""
    try:
        async for sse in EventSource(resp).aiter_sse():
            if not sse.data:
                continue  # a keep-alive comment or an empty message
            event = json.loads(sse.data)
            if isinstance(event, dict) and isinstance(event.get("id"), int):
                yield event
    except SSEError as exc:  # not an event stream at all (e.g. a proxy's HTML page)
        raise ApiError(resp.status_code, f"The server did not answer with an event stream ({exc})") from exc
