"""The API's request dependencies, in one place: who is calling, which service, engine and store.

Route handlers name these `Annotated` types as parameters (FastAPI resolves them per request); the
objects themselves are built once by the app factory (api/app.py) and kept on `app.state`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from brandtruth.api.auth import Auth
from brandtruth.api.service import RunService
from brandtruth.engines.base import Engine
from brandtruth.logs import workflow_id_var
from brandtruth.pipeline.artifacts import ArtifactStore

# async dependencies: FastAPI runs a plain `def` dependency in a worker thread, a hop per request for nothing.


async def get_auth(request: Request) -> Auth:
    return request.app.state.auth  # type: ignore[no-any-return]


CurrentAuth = Annotated[Auth, Depends(get_auth)]


async def identity(request: Request, auth: CurrentAuth) -> str | None:
    """The caller's identity from the bearer token; None when the API is open."""
    if not auth.enabled:
        return None
    return auth.identity_for_bearer(request.headers.get("authorization"))


async def run_reader(
    request: Request,
    auth: CurrentAuth,
    token: Annotated[str | None, Query(description="Run token for EventSource/<img>")] = None,
) -> str | None:
    """Bearer token, or a signed run token in ?token= (browsers cannot set headers on EventSource)."""
    if not auth.enabled:
        return None
    if token:
        params = request.path_params
        return auth.identity_for_run_token(token, params.get("workflow_id", ""), params.get("name"))
    return auth.identity_for_bearer(request.headers.get("authorization"))


Identity = Annotated[str | None, Depends(identity)]
RunReader = Annotated[str | None, Depends(run_reader)]


async def get_service(request: Request) -> RunService:
    return request.app.state.service  # type: ignore[no-any-return]


Service = Annotated[RunService, Depends(get_service)]


async def run_engine(workflow_id: str, service: Service) -> Engine:
    workflow_id_var.set(workflow_id)  # so every log line of this request names the run
    return await service.engine_for(workflow_id)


RunEngine = Annotated[Engine, Depends(run_engine)]


async def get_store(request: Request) -> ArtifactStore:
    return request.app.state.artifacts  # type: ignore[no-any-return]


Store = Annotated[ArtifactStore, Depends(get_store)]
