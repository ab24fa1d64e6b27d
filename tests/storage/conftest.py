"""A real S3 HTTP API on loopback (moto's standalone server), as a stand-in for AWS S3 or MinIO."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from brandtruth.devserver import free_port
from brandtruth.pipeline.artifacts import ArtifactStore, LocalArtifactStore, S3ArtifactStore, S3Options

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


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
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
