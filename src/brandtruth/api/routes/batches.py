"""Batch routes: POST /workflow/batch starts many runs under a concurrency limit; GET reads progress."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from brandtruth.api.deps import Identity, Service
from brandtruth.engines.base import InvalidRequest
from brandtruth.pipeline.models import BatchRequest, BatchStartResponse, BatchState

router = APIRouter(prefix="/workflow", tags=["batch"])


@router.post("/batch", response_model=BatchStartResponse)
async def start_batch(req: BatchRequest, service: Service, _: Identity) -> BatchStartResponse:
    try:
        requests = req.start_requests()
    except ValidationError as exc:  # a URL of `urls` the start body refuses: a 422 like any field's, naming it
        where = {u: i for i, u in enumerate(req.urls)}
        raise RequestValidationError(
            [
                {**e, "loc": ("body", "urls", where.get(e["input"], 0) if isinstance(e.get("input"), str) else 0)}
                for e in exc.errors(include_url=False)
            ]
        ) from exc
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from exc
    batch_id, engine, run_ids = await service.start_batch(requests, req.max_concurrency)
    return BatchStartResponse(batch_id=batch_id, engine=engine, workflow_ids=run_ids)


@router.get("/batch/{batch_id}", response_model=BatchState)
async def batch_progress(batch_id: str, _: Identity, service: Service) -> BatchState:
    return await service.batch_state(batch_id)
