"""A real S3 HTTP API on loopback (moto's standalone server), as a stand-in for AWS S3 or MinIO, and a
deployment on it: Temporal, two worker processes and an API that share no directory, only the bucket."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from brandtruth.devserver import DevServer, free_port
from brandtruth.pipeline.artifacts import ArtifactStore, LocalArtifactStore, S3ArtifactStore, S3Options
from tests.conftest import unique_queue
from tests.support.servers import ApiServer, make_settings, start_worker_process

BUCKET = "brandtruth-test"
REGION = "us-east-1"
KEY_ID, SECRET = "testing-key-id", "testing-secret"


@dataclass
class S3Server:
    endpoint: str
    server: ThreadedMotoServer

    def env(self, prefix: str) -> dict[str, str]:
        """What a worker or API process is given to use this bucket (the usual AWS variables)."""
        return {
            "BRANDTRUTH_ARTIFACTS_URL": f"s3://{BUCKET}/{prefix}",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
        }

    def options(self, prefix: str, endpoint: str | None = None) -> S3Options:
        return S3Options(
            bucket=BUCKET,
            prefix=prefix,
            endpoint=endpoint or self.endpoint,
            region=REGION,
            access_key_id=KEY_ID,
            secret_access_key=SECRET,
        )

    def boto(self):  # type: ignore[no-untyped-def]
        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
        )


@pytest.fixture(scope="package")
def s3_server() -> Iterator[S3Server]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per S3 request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    s3 = S3Server(f"http://127.0.0.1:{port}", server)
    s3.boto().create_bucket(Bucket=BUCKET)
    yield s3
    server.stop()


def unique_prefix() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


@pytest.fixture(params=["local", "s3"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> ArtifactStore:
    """Each store the API can be given: the same tests hold for both."""
    if request.param == "local":
        return LocalArtifactStore(tmp_path / "artifacts")
    s3: S3Server = request.getfixturevalue("s3_server")
    return S3ArtifactStore(s3.options(unique_prefix()))


@dataclass
class Deployment:
    """API and two workers on one bucket, each process with its own data directory (no shared one)."""

    api: ApiServer
    workers: list[subprocess.Popen[bytes]]
    data_dirs: list[Path]
    store: S3ArtifactStore

    def stop(self) -> None:
        self.api.stop()
        for w in self.workers:
            os.killpg(w.pid, signal.SIGTERM)
        for w in self.workers:
            w.wait(timeout=20)


def s3_deployment(
    s3: S3Server, temporal_address: str, base: Path, endpoint: str | None = None, workers: int = 2, **settings: Any
) -> Deployment:
    """Start `workers` worker processes and an API (no embedded worker), all on one fresh bucket prefix.

    `endpoint`: where the workers and API reach the store (a proxy in front of it, for fault tests)."""
    prefix = unique_prefix()
    env = s3.env(prefix) | ({"AWS_ENDPOINT_URL": endpoint} if endpoint else {})
    queue = unique_queue("s3")
    dirs = [base / f"worker-{i}" for i in range(workers)] + [base / "api"]
    procs = []
    for i in range(workers):
        dirs[i].mkdir(parents=True)
        wsettings = make_settings(dirs[i], temporal_address, queue)
        procs.append(start_worker_process(wsettings, log_path=dirs[i] / "worker.log", extra_env=env | settings))
    api = ApiServer(make_settings(dirs[-1], temporal_address, queue, **env, **settings))
    api.start().wait_healthy("healthy", timeout=60)
    api.engine = "temporal"  # type: ignore[attr-defined]
    return Deployment(api, procs, dirs, S3ArtifactStore(s3.options(prefix)))


@pytest.fixture(scope="package")
def s3_temporal(
    s3_server: S3Server, temporal_server: DevServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    deployment = s3_deployment(s3_server, temporal_server.address, tmp_path_factory.mktemp("s3-deploy"))
    yield deployment
    deployment.stop()


@pytest.fixture(scope="package")
def api(s3_temporal: Deployment) -> ApiServer:
    """The contract suite's `api` here: Temporal, two workers that share no directory, artifacts in S3."""
    return s3_temporal.api
