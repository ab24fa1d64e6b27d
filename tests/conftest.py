"""Shared fixtures: the real Temporal dev server, the fixture brand sites, and API servers per engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from brandtruth.devserver import DevServer, free_port
from tests.support.servers import ApiServer, make_settings
from tests.support.sites import SiteServer, serve_sites

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def temporal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    log = tmp_path_factory.mktemp("temporal") / "temporal.log"
    server = DevServer(log_file=log).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sites() -> Iterator[SiteServer]:
    with serve_sites() as server:
        yield server


@pytest.fixture(scope="session")
def demo_url(sites: SiteServer) -> str:
    return f"{sites.base_url}/northwind-analytics/"


def unique_queue(prefix: str = "bt-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session", params=["temporal", "local"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """A real uvicorn API server per engine: 'temporal' (with an embedded worker) or 'local' (Temporal down)."""
    server = engine_api(request, request.param, tmp_path_factory.mktemp(f"api-{request.param}"))
    yield server
    server.stop()


def engine_api(request: pytest.FixtureRequest, engine: str, data_dir: Path, **settings: Any) -> ApiServer:
    """A started API server on one engine ('temporal' with an embedded worker, or 'local'), with extra settings."""
    if engine == "temporal":
        temporal: DevServer = request.getfixturevalue("temporal_server")
        server = ApiServer(make_settings(data_dir, temporal.address, unique_queue(), **settings), embedded_worker=True)
        server.start().wait_healthy("healthy")
    else:
        # A closed port: Temporal is unreachable, so every run goes to the local engine.
        server = ApiServer(make_settings(data_dir, f"127.0.0.1:{free_port()}", unique_queue(), **settings)).start()
        server.wait_healthy("degraded")
    server.engine = engine  # type: ignore[attr-defined]
    return server
