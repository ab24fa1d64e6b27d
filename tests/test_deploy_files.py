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


DEV_TOOLS = ("pytest", "hypothesis", "schemathesis", "mypy", "ruff", "moto")


def _pins(path: Path) -> dict[str, str]:
    """name -> version of each 'name==version' line (comments and the '-e .' line aside)."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            assert "==" in line, f"unpinned requirement in {path.name}: {line}"
            name, version = line.split("==")
            pins[re.sub(r"\[.*\]", "", name).lower()] = version
    return pins


def test_dockerfile_installs_the_runtime_pins_only_and_runs_unprivileged() -> None:
    text = "\n".join(line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.startswith("#"))
    build, _, final = text.rpartition("\nFROM ")
    assert "pip install -r runtime-requirements.txt" in build and "sed '/^-e /d' requirements.txt" in build
    assert "pip install --no-deps ." in build  # the package itself, not editable
    assert "requirements-dev" not in text and "[dev]" not in text and "playwright install" not in text
    assert "pip install" not in final and "COPY --from=build /opt/brandtruth /opt/brandtruth" in final
    assert "COPY src" not in final and "USER brandtruth" in final
    runtime = _pins(ROOT / "requirements.txt")
    assert not set(runtime) & set(DEV_TOOLS), "a test or lint tool is a runtime requirement"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"tests", "bench", ".venv"} <= set(ignored)


def test_requirements_txt_pins_what_pyproject_declares() -> None:
    """The two lists of runtime pins (pyproject for `pip install .`, requirements.txt for the README and the image) agree."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {}
    for spec in [*project["dependencies"], *(d for extra in project["optional-dependencies"].values() for d in extra)]:
        name, _, version = spec.partition("==")
        declared[re.sub(r"\[.*\]", "", name).lower()] = version
    runtime = _pins(ROOT / "requirements.txt")
    for name in project["dependencies"]:
        assert name.split("==")[0].lower() in runtime, f"{name} is in pyproject's dependencies, not in requirements.txt"
    for name, version in runtime.items():
        assert declared.get(name) == version, f"requirements.txt pins {name}=={version}, pyproject {declared.get(name)}"


def test_test_only_pages_are_not_package_data() -> None:
    """Script probes and visual cases (tests/fixtures/sites) are neither in the wheel nor served at /demo."""
    from brandtruth.demo import SITES_DIR

    assert not [p.name for p in SITES_DIR.iterdir() if p.name.startswith("_")]
    assert (ROOT / "tests" / "fixtures" / "sites" / "_probes").is_dir()
