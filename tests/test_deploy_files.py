"""No Docker engine here: check the deployment files for the facts users rely on."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.temporal.yml").read_text())


def test_compose_runs_temporal_on_postgres_with_ui_on_8080_and_grpc_on_7234() -> None:
    services = _compose()["services"]
    assert "postgres" in services["postgresql"]["image"]
    assert services["temporal"]["environment"]["DB"].startswith("postgres")
    assert "7234:7233" in services["temporal"]["ports"]
    assert "8080:8080" in services["temporal-ui"]["ports"]
    for name in ("postgresql", "temporal", "temporal-ui"):
        image = services[name]["image"]
        assert re.search(r":\d+(\.\d+)+$", image), f"{name} image tag is not pinned: {image}"


def _defaults(env: dict[str, str]) -> dict[str, str]:
    """Compose's "${VAR:-default}" read as the default (what a user gets without an .env)."""
    return {k: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(v)) for k, v in env.items()}


def test_compose_app_services_share_a_minio_bucket_not_a_volume() -> None:
    services = _compose()["services"]
    minio, setup = services["minio"], services["minio-setup"]
    for name in ("api", "worker", "minio", "minio-setup"):
        assert services[name]["profiles"] == ["app"], name
    assert re.search(r"^minio/minio:RELEASE\.\d{4}-\d\d-\d\dT[\d-]+Z$", minio["image"]), minio["image"]
    assert setup["image"] == minio["image"]
    assert "9000:9000" in minio["ports"]
    assert setup["depends_on"]["minio"]["condition"] == "service_healthy"
    bucket_made = re.search(r"mc mb --ignore-existing local/([a-z0-9.-]+)", " ".join(setup["command"]))
    assert bucket_made, setup["command"]
    root = _defaults(minio["environment"])
    for name in ("api", "worker"):
        svc = services[name]
        env = _defaults(svc["environment"])
        assert env["TEMPORAL_HOST"] == "temporal:7233"
        assert env["BRANDTRUTH_ARTIFACTS_URL"] == f"s3://{bucket_made.group(1)}/artifacts", name
        assert env["AWS_ENDPOINT_URL"] == "http://minio:9000"
        assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == (root["MINIO_ROOT_USER"], root["MINIO_ROOT_PASSWORD"])
        assert "BRANDTRUTH_ARTIFACTS_DIR" not in env
        assert not any("artifacts" in v for v in svc.get("volumes", [])), f"{name} still mounts an artifacts volume"
        assert svc["depends_on"]["minio-setup"]["condition"] == "service_completed_successfully"
    assert "volumes" not in services["worker"], "workers share no directory"
    assert services["worker"]["command"] == ["python", "-m", "brandtruth.engines.temporal.worker"]


def test_compose_worker_settings_open_the_s3_store() -> None:
    from brandtruth.config import Settings
    from brandtruth.pipeline.artifacts import S3ArtifactStore, open_store

    env = _defaults(_compose()["services"]["worker"]["environment"])
    settings = Settings(_env_file=None, **env)  # type: ignore[call-arg]
    store = open_store(settings.artifacts_url, settings.artifacts_root, settings.artifacts_s3())
    assert isinstance(store, S3ArtifactStore)
    assert (store.options.bucket, store.options.prefix, store.options.endpoint) == (
        "brandtruth",
        "artifacts",
        "http://minio:9000",
    )
    assert store.options.access_key_id == "brandtruth" and store.options.secret_access_key == "brandtruth-secret"


def test_default_temporal_host_matches_compose() -> None:
    from brandtruth.config import Settings

    assert Settings(_env_file=None).temporal_host == "localhost:7234"  # type: ignore[call-arg]


def test_dockerfile_installs_pinned_requirements_and_runs_unprivileged() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in text and "USER brandtruth" in text
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#") and line.strip() != "-e .":  # the package itself
            assert "==" in line, f"unpinned requirement: {line}"
