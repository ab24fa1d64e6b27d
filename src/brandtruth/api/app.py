"""Builds the FastAPI app: engines, routes, the reviewer page, artifacts, demo sites."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from brandtruth import looplag
from brandtruth.api.auth import Auth
from brandtruth.api.deps import Identity
from brandtruth.api.errors import ERROR_RESPONSES, validation_error
from brandtruth.api.middleware import BodyLimitMiddleware
from brandtruth.api.retention import LiveRuns, retention_loop
from brandtruth.api.routes.artifacts import router as artifacts_router
from brandtruth.api.routes.batches import router as batch_router
from brandtruth.api.routes.runs import StreamLimiter, router
from brandtruth.api.security_headers import SecurityHeadersMiddleware
from brandtruth.api.service import RunService
from brandtruth.api.store_health import StoreHealth
from brandtruth.config import Settings
from brandtruth.demo import SITES_DIR as DEMO_SITES_DIR
from brandtruth.engines.base import EngineError
from brandtruth.engines.local.batch import LocalBatches
from brandtruth.engines.local.engine import LocalEngine
from brandtruth.engines.local.store import LocalRunStore
from brandtruth.engines.temporal.batch import TemporalBatches
from brandtruth.engines.temporal.client import TemporalConnection
from brandtruth.engines.temporal.engine import TemporalEngine
from brandtruth.logs import redact_access_log
from brandtruth.pipeline import cpu
from brandtruth.pipeline.artifacts import open_store
from brandtruth.pipeline.fetch.browser import close_browser
from brandtruth.steps import Steps

log = logging.getLogger("brandtruth.api")

WEB_DIR = Path(__file__).parent / "static"


def _protected_docs(app: FastAPI) -> None:
    """The schema and docs pages behind the bearer token (a browser without one gets a 401 that says so)."""

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(_: Identity) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    async def docs(_: Identity) -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="BrandTruth API")

    @app.get("/redoc", include_in_schema=False)
    async def redoc(_: Identity) -> Response:
        return get_redoc_html(openapi_url="/openapi.json", title="BrandTruth API")


def create_app(settings: Settings, *, embedded_worker: bool = False, serve_demo_sites: bool = False) -> FastAPI:
    """`embedded_worker` runs a Temporal worker inside the API process (the --dev mode)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        redact_access_log()  # here, after uvicorn has configured its loggers
        cpu.configure(settings.cpu_processes)
        artifacts = open_store(settings.artifacts_url, settings.artifacts_root, settings.artifacts_s3())
        steps = Steps(settings, artifacts)
        store = LocalRunStore(settings.local_db_path)
        conn = TemporalConnection(settings)
        local = LocalEngine(store, steps)
        local_batches = LocalBatches(local)
        app.state.artifacts = artifacts
        app.state.artifacts_presign_seconds = settings.artifacts_presign_seconds
        app.state.service = RunService(settings, TemporalEngine(conn), local, conn, TemporalBatches(conn), local_batches)
        app.state.service.store_health = StoreHealth(artifacts)
        await local.resume_unfinished()
        await local_batches.resume_unfinished()
        index_check = asyncio.create_task(app.state.service.check_run_index(), name="run-index-check")
        janitor = asyncio.create_task(retention_loop(artifacts, settings, LiveRuns(local, conn)), name="artifact-retention")
        app.state.loop_lag, lag_watch = looplag.start("api")  # also covers an embedded worker: same loop
        stop_worker = asyncio.Event()
        worker_task = None
        if embedded_worker:
            from brandtruth.engines.temporal.worker import run_worker

            worker_task = asyncio.create_task(run_worker(settings, stop_worker), name="embedded-worker")
        try:
            yield
        finally:
            janitor.cancel()
            index_check.cancel()
            lag_watch.cancel()
            stop_worker.set()
            if worker_task:
                await asyncio.gather(worker_task, return_exceptions=True)
            await local_batches.shutdown()
            await local.shutdown()
            store.close()
            await close_browser()  # the headless Chromium a JavaScript page started, if any
            cpu.shutdown()  # the pool's processes go with the API, not after it

    auth = Auth.from_settings(settings)
    # With tokens on, only health is open: the schema, the interactive docs and the metrics (run and
    # decision counts) need the bearer token too, so FastAPI's open doc routes are replaced below.
    app = FastAPI(
        title="BrandTruth",
        version="0.1.0",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        description="Ad creatives that say only what the brand's own site backs up.",
        docs_url=None if auth.enabled else "/docs",
        redoc_url=None if auth.enabled else "/redoc",
        openapi_url=None if auth.enabled else "/openapi.json",
    )
    app.state.auth = auth
    app.state.stream_limiter = StreamLimiter(settings.max_streams_per_client)
    if not app.state.auth.enabled:
        log.warning(
            "BRANDTRUTH_API_TOKENS is not set: the API is open to anyone who can reach it "
            "(fine on localhost; set tokens before exposing it)"
        )
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
            expose_headers=["Link", "X-Next-Cursor", "X-Runs-Incomplete"],  # the run list's paging, for pages elsewhere
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)

    @app.exception_handler(EngineError)
    async def _engine_error(_: Request, exc: EngineError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else exc.headers
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

    app.add_exception_handler(RequestValidationError, validation_error)  # 422 messages written for people

    @app.get("/metrics", include_in_schema=False)
    async def metrics(_: Identity) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    if auth.enabled:
        _protected_docs(app)

    app.include_router(router)
    app.include_router(artifacts_router)
    app.include_router(batch_router)
    if serve_demo_sites:
        app.mount("/demo", StaticFiles(directory=DEMO_SITES_DIR, html=True), name="demo")
    if WEB_DIR.is_dir():
        app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
