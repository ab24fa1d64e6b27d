"""Settings: the only module that reads the environment (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True)

    # Temporal (names from the brief)
    temporal_host: str = Field("localhost:7234", alias="TEMPORAL_HOST")
    temporal_namespace: str = Field("default", alias="TEMPORAL_NAMESPACE")
    temporal_task_queue: str = Field("brandtruth-pipeline", alias="TEMPORAL_TASK_QUEUE")
    temporal_api_key: SecretStr | None = Field(None, alias="TEMPORAL_API_KEY")
    temporal_tls: bool = Field(False, alias="TEMPORAL_TLS")
    temporal_connect_timeout: float = Field(2.0, alias="TEMPORAL_CONNECT_TIMEOUT")
    # The Temporal web UI, for links to a run's history ("" = none; --dev sets its own dev server's UI).
    temporal_ui_url: str = Field("", alias="TEMPORAL_UI_URL")
    health_cache_seconds: float = Field(2.0, alias="BRANDTRUTH_HEALTH_CACHE_SECONDS")

    # API
    api_host: str = Field("127.0.0.1", alias="API_HOST")
    api_port: int = Field(8000, alias="API_PORT")

    # Access and limits
    api_tokens: SecretStr | None = Field(None, alias="BRANDTRUTH_API_TOKENS")  # "name:token,name2:token2"
    run_token_secret: SecretStr | None = Field(None, alias="BRANDTRUTH_RUN_TOKEN_SECRET")
    cors_origins: str = Field("", alias="BRANDTRUTH_CORS_ORIGINS")
    max_body_bytes: int = Field(64 * 1024, alias="BRANDTRUTH_MAX_BODY_BYTES")
    max_streams_per_client: int = Field(32, alias="BRANDTRUTH_MAX_STREAMS_PER_CLIENT")
    log_json: bool = Field(False, alias="BRANDTRUTH_LOG_JSON")
    worker_metrics_port: int | None = Field(None, alias="BRANDTRUTH_WORKER_METRICS_PORT")
    temporal_metrics_port: int | None = Field(None, alias="BRANDTRUTH_TEMPORAL_METRICS_PORT")

    # Storage
    data_dir: Path = Field(PROJECT_ROOT / ".data", alias="BRANDTRUTH_DATA_DIR")
    artifacts_dir: Path | None = Field(None, alias="BRANDTRUTH_ARTIFACTS_DIR")
    # s3://bucket/prefix keeps artifacts in S3-compatible object storage instead of artifacts_dir, so
    # API and workers on different hosts share nothing but Temporal and the bucket.
    artifacts_url: str | None = Field(None, alias="BRANDTRUTH_ARTIFACTS_URL")
    # > 0: GET /workflow/artifacts/... answers with a redirect to a presigned URL valid this long (the
    # store's endpoint must be reachable by the browser); 0 streams the bytes through the API.
    artifacts_presign_seconds: float = Field(0, alias="BRANDTRUTH_ARTIFACTS_PRESIGN_SECONDS", ge=0, le=7 * 86400)
    # The usual AWS variables, for the s3:// store (AWS S3, MinIO, R2, GCS interop). Empty keys: the
    # SDK's own chain (instance role, web identity, container credentials) is used.
    aws_endpoint_url: str | None = Field(None, validation_alias=AliasChoices("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"))
    aws_region: str | None = Field(None, validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION"))
    aws_access_key_id: str | None = Field(None, alias="AWS_ACCESS_KEY_ID")
    aws_secret_access_key: SecretStr | None = Field(None, alias="AWS_SECRET_ACCESS_KEY")
    aws_session_token: SecretStr | None = Field(None, alias="AWS_SESSION_TOKEN")

    artifact_retention_days: float = Field(30, alias="BRANDTRUTH_ARTIFACT_RETENTION_DAYS")  # 0 keeps everything

    # Pipeline
    allow_private_urls: bool = Field(False, alias="BRANDTRUTH_ALLOW_PRIVATE_URLS")
    max_pages: int = Field(5, alias="BRANDTRUTH_MAX_PAGES")
    approval_timeout_seconds: float = Field(7 * 24 * 3600, alias="BRANDTRUTH_APPROVAL_TIMEOUT_SECONDS")
    # The default for runs that do not name one. The API refuses requests under an hour; a shorter
    # default here is for tests of the reminder loop.
    reminder_interval_seconds: float = Field(24 * 3600, alias="BRANDTRUTH_REMINDER_INTERVAL_SECONDS", gt=0)
    # A Temporal run waiting for approval continues-as-new past this many history events (Temporal
    # stops a run at 51,200 and suggests continuing at ~4,000, which is also honoured).
    continue_as_new_after_events: int = Field(10_000, alias="BRANDTRUTH_CONTINUE_AS_NEW_EVENTS", ge=50, le=40_000)
    max_revision_rounds: int = Field(3, alias="BRANDTRUTH_MAX_REVISION_ROUNDS")
    cpu_processes: int | None = Field(None, alias="BRANDTRUTH_CPU_PROCESSES")  # None: cores - 1 (min 1); 0: threads
    workflow_sandbox: bool = Field(False, alias="BRANDTRUTH_WORKFLOW_SANDBOX")  # see src/brandtruth/engines/temporal/worker.py
    # Worker sizing (README, "Running it for real"; bench/worker_sizing.py measured the defaults).
    worker_max_activities: int = Field(32, alias="BRANDTRUTH_WORKER_MAX_ACTIVITIES", ge=1, le=1000)
    worker_max_cached_workflows: int = Field(1000, alias="BRANDTRUTH_WORKER_MAX_CACHED_WORKFLOWS", ge=0, le=100_000)
    respect_robots: bool = Field(True, alias="BRANDTRUTH_RESPECT_ROBOTS")
    fetch_timeout_seconds: float = Field(10.0, alias="BRANDTRUTH_FETCH_TIMEOUT_SECONDS")
    max_page_bytes: int = Field(3_000_000, alias="BRANDTRUTH_MAX_PAGE_BYTES")
    max_image_bytes: int = Field(8_000_000, alias="BRANDTRUTH_MAX_IMAGE_BYTES")
    # Thin pages whose content is built by JavaScript are rendered in headless Chromium (false: never).
    render_javascript: bool = Field(True, alias="BRANDTRUTH_RENDER_JAVASCRIPT")
    render_max_pages: int = Field(4, alias="BRANDTRUTH_RENDER_MAX_PAGES", ge=0, le=20)
    render_timeout_seconds: float = Field(8.0, alias="BRANDTRUTH_RENDER_TIMEOUT_SECONDS", gt=0, le=60)
    chromium_path: str | None = Field(None, alias="BRANDTRUTH_CHROMIUM_PATH")  # default: chromium on PATH

    # LLM providers: keys are read by the worker only, never put into workflow inputs.
    default_provider: str | None = Field(None, alias="BRANDTRUTH_PROVIDER")
    anthropic_api_key: SecretStr | None = Field(None, alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(None, alias="ANTHROPIC_BASE_URL")
    anthropic_model: str = Field("claude-sonnet-4-6", alias="ANTHROPIC_MODEL")  # 4-5 is deprecated
    openai_api_key: SecretStr | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4.1-mini", alias="OPENAI_MODEL")
    # The optional LLM critique beside each score; kept well inside the score step's 60 s timeout. 0: off.
    critique_timeout_seconds: float = Field(25.0, alias="BRANDTRUTH_CRITIQUE_TIMEOUT_SECONDS", ge=0, le=50)
    llm_timeout_seconds: float = Field(60.0, alias="BRANDTRUTH_LLM_TIMEOUT_SECONDS")

    @property
    def artifacts_root(self) -> Path:
        return self.artifacts_dir or (self.data_dir / "artifacts")

    def artifacts_s3(self) -> dict[str, str | None]:
        """Endpoint, region and credentials for an s3:// artifacts URL (pipeline.artifacts.S3Options)."""
        return {
            "endpoint": self.aws_endpoint_url,
            "region": self.aws_region,
            "access_key_id": self.aws_access_key_id,
            "secret_access_key": self.aws_secret_access_key.get_secret_value() if self.aws_secret_access_key else None,
            "session_token": self.aws_session_token.get_secret_value() if self.aws_session_token else None,
        }

    @property
    def local_db_path(self) -> Path:
        return self.data_dir / "local-runs.sqlite3"

    def resolved_provider(self) -> str:
        """The provider used when a run does not name one: explicit setting, then keys, then offline."""
        if self.default_provider:
            return self.default_provider
        if self.anthropic_api_key:
            return "anthropic"
        if self.openai_api_key:
            return "openai"
        return "offline"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
