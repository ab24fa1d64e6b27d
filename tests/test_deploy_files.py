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


def test_compose_app_services_share_the_artifacts_volume() -> None:
    services = _compose()["services"]
    for name in ("api", "worker"):
        assert services[name]["profiles"] == ["app"]
        assert services[name]["environment"]["TEMPORAL_HOST"] == "temporal:7233"
        assert "brandtruth-artifacts:/artifacts" in services[name]["volumes"]
    assert services["worker"]["command"] == ["python", "-m", "brandtruth.engines.temporal.worker"]


def test_default_temporal_host_matches_compose() -> None:
    from brandtruth.config import Settings

    assert Settings(_env_file=None).temporal_host == "localhost:7234"  # type: ignore[call-arg]


def test_dockerfile_installs_pinned_requirements_and_runs_unprivileged() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in text and "USER brandtruth" in text
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#") and line.strip() != "-e .":  # the package itself
            assert "==" in line, f"unpinned requirement: {line}"
