"""FastAPI routes under /workflow: one contract (DESIGN.md), two engines behind it.

Handlers are thin: parse, call the service or the run's engine, shape the response. Engine errors
become {"detail": ...} with 404/409/422/503 in one exception handler (see src/app.py).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from sse_starlette.sse import EventSourceResponse, ServerSentEvent

from src.engines import Engine, RunNotFound
from src.pipeline.artifacts import InvalidKeyError, LocalArtifactStore, content_type
from src.pipeline.models import (
    ApproveRequest,
    Decision,
    DecisionInput,
    RejectRequest,
    ReviseRequest,
    RunProgress,
    RunResult,
    RunSummary,
    StartRequest,
    StartResponse,
)
from src.service import RunService
from src.views import progress_view, result_view

router = APIRouter(prefix="/workflow", tags=["workflow"])

SSE_PING_SECONDS = 15
SSE_RETRY_MS = 1000  # how soon EventSource reconnects after a dropped stream


def get_service(request: Request) -> RunService:
    return request.app.state.service  # type: ignore[no-any-return]


Service = Annotated[RunService, Depends(get_service)]


async def run_engine(workflow_id: str, service: Service) -> Engine:
    return await service.engine_for(workflow_id)


RunEngine = Annotated[Engine, Depends(run_engine)]


@router.get("/health")
async def health(service: Service) -> dict[str, Any]:
    return await service.health()


@router.post("/start", response_model=StartResponse)
async def start(req: StartRequest, service: Service) -> StartResponse:
    run_id, engine = await service.start(req)
    return StartResponse(workflow_id=run_id, status="started", engine=engine)


@router.get("/progress/{workflow_id}", response_model=RunProgress)
async def progress(workflow_id: str, engine: RunEngine) -> RunProgress:
    return progress_view(await engine.full_state(workflow_id))


@router.get("/result/{workflow_id}", response_model=RunResult)
async def result(workflow_id: str, engine: RunEngine) -> RunResult:
    return result_view(await engine.state(workflow_id))


@router.post("/approve/{workflow_id}", response_model=Decision,
             responses={202: {"description": "Signal sent (wait=false)"}})
async def approve(workflow_id: str, body: ApproveRequest, engine: RunEngine) -> Any:
    d = DecisionInput(variant_ids=body.variant_ids, approver=body.approver, comment=body.comment)
    if not body.wait:
        await engine.approve_async(workflow_id, d)
        return JSONResponse({"workflow_id": workflow_id, "status": "accepted"}, status_code=202)
    return await engine.decide(workflow_id, d)


@router.post("/revise/{workflow_id}", response_model=Decision)
async def revise(workflow_id: str, body: ReviseRequest, engine: RunEngine) -> Decision:
    d = DecisionInput(kind="revise", variant_ids=body.variant_ids, approver=body.approver, comment=body.feedback)
    return await engine.decide(workflow_id, d)


@router.post("/reject/{workflow_id}", response_model=Decision)
async def reject(workflow_id: str, engine: RunEngine, body: RejectRequest | None = None) -> Decision:
    body = body or RejectRequest()
    d = DecisionInput(kind="reject", approver=body.approver, comment=body.reason)
    return await engine.decide(workflow_id, d)


@router.post("/cancel/{workflow_id}")
async def cancel(workflow_id: str, engine: RunEngine) -> dict[str, str]:
    await engine.cancel(workflow_id)
    return {"workflow_id": workflow_id, "status": "cancel_requested"}


@router.get("/list", response_model=list[RunSummary])
async def list_runs(service: Service, limit: Annotated[int, Query(ge=1, le=100)] = 20,
                    offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> list[RunSummary]:
    return await service.list_runs(limit, offset)


@router.get("/stream/{workflow_id}")
async def stream(
    workflow_id: str,
    engine: RunEngine,
    request: Request,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    last_event_id: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    after = _parse_last_event_id(last_event_id_header, last_event_id)
    state = await engine.state(workflow_id)
    if state.status.terminal and after > 0:
        full = await engine.full_state(workflow_id)
        if full.events and after >= full.events[-1].id:
            # Everything was delivered; 204 tells EventSource to stop reconnecting.
            return Response(status_code=204)
    return EventSourceResponse(
        _sse_events(engine, workflow_id, after, request),
        ping=SSE_PING_SECONDS,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _parse_last_event_id(header: str | None, query: int | None) -> int:
    if header and header.strip().isdigit():
        return int(header.strip())
    return query or 0


async def _sse_events(engine: Engine, workflow_id: str, after: int, request: Request) -> AsyncIterator[ServerSentEvent]:
    first = True
    async for event in engine.subscribe(workflow_id, after):
        if await request.is_disconnected():
            return
        yield ServerSentEvent(
            data=json.dumps(event.model_dump(mode="json"), separators=(",", ":")),
            id=str(event.id),
            retry=SSE_RETRY_MS if first else None,
        )
        first = False


@router.get("/artifacts/{workflow_id}/{name:path}")
async def artifact(workflow_id: str, name: str, request: Request) -> Response:
    store: LocalArtifactStore = request.app.state.artifacts
    try:
        path = store.path(f"{workflow_id}/{name}")
    except InvalidKeyError as exc:
        raise RunNotFound(f"No artifact {name!r} for {workflow_id}") from exc
    if not path.is_file():
        raise RunNotFound(f"No artifact {name!r} for {workflow_id}")
    return FileResponse(path, media_type=content_type(name), headers={"Cache-Control": "public, max-age=3600"})
