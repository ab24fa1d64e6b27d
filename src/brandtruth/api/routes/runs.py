"""FastAPI routes under /workflow: one contract (README.md, 'Using the API'), two engines behind it.

Handlers are thin: parse, call the service or the run's engine, shape the response. Engine errors
become {"detail": ...} with 404/409/422/503 in one exception handler (see src/brandtruth/api/app.py).
"""

from __future__ import annotations

import json
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from brandtruth.api.auth import RUN_TOKEN_TTL_SECONDS, Auth
from brandtruth.api.deps import CurrentAuth, Identity, RunEngine, RunReader, Service
from brandtruth.api.errors import STREAM_RESPONSES
from brandtruth.api.views import progress_view, result_view
from brandtruth.engines.base import Engine, TooManyRequests
from brandtruth.engines.listing import STATUSES, ListedRun, RunCounts
from brandtruth.metrics import EVENT_DELIVERY_SECONDS, SSE_SUBSCRIBERS
from brandtruth.pipeline.models import (
    ApproveRequest,
    Decision,
    DecisionInput,
    ProgressEvent,
    RejectRequest,
    ReviseRequest,
    RunProgress,
    RunResult,
    StartRequest,
    StartResponse,
    TokenResponse,
    WhoAmI,
)

router = APIRouter(prefix="/workflow", tags=["workflow"])

SSE_PING_SECONDS = 15
SSE_RETRY_MS = 1000  # how soon EventSource reconnects after a dropped stream


@router.get("/health")
async def health(service: Service) -> dict[str, Any]:
    return {**await service.health(), "temporal_ui_url": service.settings.temporal_ui_url or None}


@router.post("/start", response_model=StartResponse)
async def start(
    req: StartRequest,
    service: Service,
    who: Identity,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> StartResponse:
    run_id, engine = await service.start(req, idempotency_key=idempotency_key, owner=who)
    return StartResponse(workflow_id=run_id, status="started", engine=engine)


@router.get("/progress/{workflow_id}", response_model=RunProgress)
async def progress(workflow_id: str, _: Identity, engine: RunEngine) -> RunProgress:
    return progress_view(await engine.full_state(workflow_id))


@router.get("/result/{workflow_id}", response_model=RunResult)
async def result(workflow_id: str, _: Identity, engine: RunEngine, service: Service) -> RunResult:
    ui = (service.settings.temporal_ui_url, service.settings.temporal_namespace)
    return result_view(await engine.state(workflow_id), temporal_ui=ui)


@router.post("/approve/{workflow_id}", response_model=Decision, responses={202: {"description": "Signal sent (wait=false)"}})
async def approve(workflow_id: str, body: ApproveRequest, service: Service, who: Identity) -> Any:
    d = DecisionInput(variant_ids=body.variant_ids, approver=who or body.approver, comment=body.comment)
    if not body.wait:
        await service.approve_async(workflow_id, d)
        return JSONResponse({"workflow_id": workflow_id, "status": "accepted"}, status_code=202)
    return await service.decide(workflow_id, d)


@router.post("/revise/{workflow_id}", response_model=Decision)
async def revise(workflow_id: str, body: ReviseRequest, service: Service, who: Identity) -> Decision:
    d = DecisionInput(kind="revise", variant_ids=body.variant_ids, approver=who or body.approver, comment=body.feedback)
    return await service.decide(workflow_id, d)


@router.post("/reject/{workflow_id}", response_model=Decision)
async def reject(workflow_id: str, service: Service, who: Identity, body: RejectRequest | None = None) -> Decision:
    body = body or RejectRequest()
    d = DecisionInput(kind="reject", approver=who or body.approver, comment=body.reason)
    return await service.decide(workflow_id, d)


@router.post("/cancel/{workflow_id}")
async def cancel(workflow_id: str, _: Identity, engine: RunEngine) -> dict[str, str]:
    await engine.cancel(workflow_id)
    return {"workflow_id": workflow_id, "status": "cancel_requested"}


@router.get("/whoami", response_model=WhoAmI)
async def whoami(who: Identity, auth: CurrentAuth) -> WhoAmI:
    """The name this server records on decisions made with the caller's token (none when the API is
    open: then a decision carries the approver name it is sent with). 401 without a valid token."""
    return WhoAmI(auth_enabled=auth.enabled, identity=who)


@router.get("/list", response_model=list[ListedRun])
async def list_runs(
    request: Request,
    response: Response,
    service: Service,
    who: Identity,
    auth: CurrentAuth,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    status: Annotated[str | None, Query(description=f"Only runs in this status: {', '.join(STATUSES)}.")] = None,
    q: Annotated[str, Query(max_length=200, description="Words of the brand name or URL, or their beginnings.")] = "",
    cursor: Annotated[str | None, Query(max_length=500, description="The X-Next-Cursor of the page before.")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000, description="Old clients; cursor never drops or repeats a run.")] = 0,
) -> list[ListedRun]:
    """Runs newest first, from each engine's index (no worker is asked). The next page is at the
    `Link: <...>; rel="next"` URL (its cursor also in `X-Next-Cursor`); no such header: last page."""
    page = await service.list_runs(limit, status, q, cursor, offset)
    if page.next_cursor:
        response.headers["X-Next-Cursor"] = page.next_cursor
        following = request.url.remove_query_params(["offset", "cursor"]).include_query_params(cursor=page.next_cursor)
        # Relative: behind a load balancer the host this replica sees is not the one the client used.
        response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    if page.incomplete:  # e.g. Temporal unreachable: its runs are missing from this page
        response.headers["X-Runs-Incomplete"] = "; ".join(page.incomplete)
    if auth.enabled:
        for run in page.runs:
            run.thumb_url = _with_file_token(auth, run.workflow_id, run.thumb_url, who or "")
    return page.runs


def _with_file_token(auth: Auth, run_id: str, url: str | None, who: str) -> str | None:
    """The thumbnail's URL with a token for that one file: an <img> sends no Authorization header, and
    the caller, already let read the list, may see it; nothing else of the run opens with it."""
    prefix = f"/workflow/artifacts/{run_id}/"
    if not url or not url.startswith(prefix):
        return url
    return f"{url}?token={auth.sign_file_token(run_id, url[len(prefix) :], who)}"


@router.get("/list/counts", response_model=RunCounts)
async def count_runs(
    service: Service,
    _: Identity,
    q: Annotated[str, Query(max_length=200, description="Count only the runs this search finds.")] = "",
) -> RunCounts:
    """Runs per status (every status listed, zeros included), across both engines."""
    page = await service.count_runs(q)
    counts = page.counts or {}
    return RunCounts(counts=counts, total=sum(counts.values()), incomplete=page.incomplete)


@router.post("/token/{workflow_id}", response_model=TokenResponse)
async def run_token(workflow_id: str, who: Identity, engine: RunEngine, auth: CurrentAuth) -> TokenResponse:
    """A short-lived token for this run's stream and artifacts (EventSource and <img> send no headers)."""
    if not auth.enabled:
        return TokenResponse(token="", expires_in=0, auth_enabled=False)
    return TokenResponse(token=auth.sign_run_token(workflow_id, who or ""), expires_in=RUN_TOKEN_TTL_SECONDS)


@router.get("/stream/{workflow_id}", response_class=EventSourceResponse, responses=STREAM_RESPONSES)
async def stream(
    workflow_id: str,
    _: RunReader,
    engine: RunEngine,
    request: Request,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    last_event_id: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    after = _parse_last_event_id(last_event_id_header, last_event_id)
    if await engine.delivered_all(workflow_id, after):
        return Response(status_code=204)  # the run is over and this client has it all: EventSource stops
    client = request.client.host if request.client else "unknown"
    limiter: StreamLimiter = request.app.state.stream_limiter
    limiter.acquire(client)
    return EventSourceResponse(
        _sse_events(engine, workflow_id, after, lambda: limiter.release(client)),
        ping=SSE_PING_SECONDS,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _parse_last_event_id(header: str | None, query: int | None) -> int:
    # ASCII digits only: str.isdigit() also accepts "²" and other scripts' digits, which int() refuses.
    if header and re.fullmatch(r"[0-9]{1,18}", header.strip()):
        return int(header.strip())
    return query or 0


async def _sse_events(
    engine: Engine, workflow_id: str, after: int, release: Callable[[], None]
) -> AsyncIterator[ServerSentEvent]:
    first = True
    SSE_SUBSCRIBERS.inc()
    try:
        # No is_disconnected() poll per event: EventSourceResponse listens for the disconnect itself
        # and cancels this generator, which ends the subscription below (the finally runs).
        async for event in engine.subscribe(workflow_id, after):
            yield ServerSentEvent(
                data=_WIRE.encode(workflow_id, event),
                id=str(event.id),
                retry=SSE_RETRY_MS if first else None,
            )
            EVENT_DELIVERY_SECONDS.observe(max(0.0, time.time() - event.timestamp.timestamp()))
            first = False
    finally:
        SSE_SUBSCRIBERS.dec()
        release()


class _WireCache:
    """Each event's JSON, encoded once for all of a run's subscribers: an event never changes once
    emitted. json.dumps escapes non-ASCII, so no U+2028-style character reaches a client's line
    splitter raw (httpx splits lines on them; EventSource does not)."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._encoded: OrderedDict[tuple[str, int], str] = OrderedDict()

    def encode(self, workflow_id: str, event: ProgressEvent) -> str:
        key = (workflow_id, event.id)
        if (hit := self._encoded.get(key)) is not None:
            return hit
        data = json.dumps(event.model_dump(mode="json"), separators=(",", ":"))
        self._encoded[key] = data
        if len(self._encoded) > self.size:
            self._encoded.popitem(last=False)
        return data


_WIRE = _WireCache()


class StreamLimiter:
    """Caps concurrent streams per client address, so one client cannot hold every connection."""

    def __init__(self, limit: int):
        self.limit = limit
        self.open: dict[str, int] = {}

    def acquire(self, client: str) -> None:
        if self.open.get(client, 0) >= self.limit:
            raise TooManyRequests(f"Too many open streams from {client} (limit {self.limit}); close some first.")
        self.open[client] = self.open.get(client, 0) + 1

    def release(self, client: str) -> None:
        left = self.open.get(client, 1) - 1
        if left > 0:
            self.open[client] = left
        else:
            self.open.pop(client, None)
