"""Running `python -m brandtruth.cli` as a subprocess against a real API server."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from brandtruth.config import PROJECT_ROOT
from tests.support.servers import ApiServer
from tests.support.sse import read_stream

RUN_ID = re.compile(r"pipeline-[0-9a-f]{12}")
# A plain terminal: no colour, no live redraws, wide enough that lines are not folded.
PLAIN = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a CLI run: ours, without the client's own variables unless given."""
    env = {k: v for k, v in os.environ.items() if k not in ("BRANDTRUTH_SERVER", "BRANDTRUTH_TOKEN")}
    return {**env, **PLAIN, **extra}


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "brandtruth.cli", *args]


def cli(
    api: ApiServer | None, *args: str, timeout: float = 120, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI with `--server` pointing at `api` (None: no --server, so the environment decides)."""
    server = ["--server", api.base_url] if api is not None else []
    return subprocess.run(
        cli_command(*server, *args),
        cwd=PROJECT_ROOT,
        env=env or cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


def start_and_wait_for_review(api: ApiServer, url: str, headers: dict[str, str] | None = None) -> str:
    with api.client(headers=headers or {}) as c:
        resp = c.post("/workflow/start", json={"url": url, "num_variants": 2, "formats": ["square"]})
    assert resp.status_code == 200, resp.text
    run_id = str(resp.json()["workflow_id"])
    events, _ = read_stream(
        api.base_url, run_id, until=lambda e: e.data["type"] in ("awaiting_approval", "failed"), headers=headers
    )
    assert events[-1].data["type"] == "awaiting_approval", events[-1].data
    return run_id
