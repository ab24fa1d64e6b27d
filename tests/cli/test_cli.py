"""`python -m brandtruth.cli` as a subprocess against a real API server, on both engines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from brandtruth.config import PROJECT_ROOT
from brandtruth.devserver import free_port
from tests.cli.helpers import RUN_ID, cli, start_and_wait_for_review
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sites import SiteServer


def test_run_with_approve_completes(api: ApiServer, demo_url: str) -> None:
    out = cli(api, "run", demo_url, "--variants", "2", "--formats", "square", "--approve", "v1", "--approver", "cli")
    assert out.returncode == 0, out.stdout + out.stderr
    run_id = RUN_ID.search(out.stdout).group(0)  # type: ignore[union-attr]
    for step in ("extract", "generate", "match", "compose", "score"):
        assert step in out.stdout
    assert f"/workflow/artifacts/{run_id}/creatives/v1-r1-square.png" in out.stdout  # the variants table
    assert "Approved v1" in out.stdout and "completed" in out.stdout
    with api.client() as c:
        result = c.get(f"/workflow/result/{run_id}").json()
    assert result["status"] == "completed"
    assert result["approved_variant_ids"] == ["v1"]
    assert result["decision"]["approver"] == "cli"
    assert result["engine"] == api.engine  # type: ignore[attr-defined]


def test_run_interactive_approves_what_the_reviewer_types(api: ApiServer, demo_url: str) -> None:
    out = cli(api, "run", demo_url, "--variants", "2", "--formats", "square", "--interactive", stdin="v2\n")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Approve which variants?" in out.stdout
    run_id = RUN_ID.search(out.stdout).group(0)  # type: ignore[union-attr]
    with api.client() as c:
        assert c.get(f"/workflow/result/{run_id}").json()["approved_variant_ids"] == ["v2"]


def test_batch_with_one_bad_url_reports_one_failure(api: ApiServer, demo_url: str, sites: SiteServer, tmp_path: Path) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(
        json.dumps(
            [
                {"url": demo_url, "num_variants": 2, "formats": ["square"]},
                sites.url("_adv/404"),  # the site answers 404: the run fails at extract
            ]
        )
    )
    out = cli(api, "batch", str(batch), "--concurrency", "2", "--approve", "v1")
    assert out.returncode == 1, out.stdout + out.stderr
    summary = re.search(
        r"Summary: total (\d+), succeeded (\d+), failed (\d+), total duration ([\d.]+)s, "
        r"average duration ([\d.]+)s",
        out.stdout,
    )
    assert summary, out.stdout
    assert summary.groups()[:3] == ("2", "1", "1")
    assert float(summary.group(4)) >= float(summary.group(5)) > 0
    assert "404" in out.stdout


def test_batch_file_of_lines_all_succeed(api: ApiServer, demo_url: str, tmp_path: Path) -> None:
    batch = tmp_path / "urls.txt"
    batch.write_text(f"# two runs of the demo site\n{demo_url}\n\n{demo_url}\n")
    out = cli(api, "batch", str(batch), "--concurrency", "1", "--variants", "1", "--formats", "square")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Summary: total 2, succeeded 2, failed 0" in out.stdout
    run_ids = set(RUN_ID.findall(out.stdout))
    assert len(run_ids) == 2
    with api.client() as c:  # without --approve a batch leaves each run waiting for review
        for run_id in run_ids:
            assert c.get(f"/workflow/progress/{run_id}").json()["status"] == "awaiting_approval"


def test_health_status_approve_and_unknown_run(api: ApiServer, demo_url: str) -> None:
    out = cli(api, "health")
    assert out.returncode == 0, out.stdout + out.stderr
    want = "healthy" if api.engine == "temporal" else "degraded"  # type: ignore[attr-defined]
    assert f"BrandTruth health: {want}" in out.stdout

    run_id = start_and_wait_for_review(api, demo_url)
    out = cli(api, "status", run_id)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "awaiting_approval" in out.stdout and "score" in out.stdout and "v2" in out.stdout

    out = cli(api, "approve", run_id, "v2")
    assert out.returncode == 0, out.stdout + out.stderr
    with api.client() as c:
        wait_for(lambda: c.get(f"/workflow/progress/{run_id}").json()["status"] == "completed", 30, "completed")

    out = cli(api, "approve", run_id, "v1")  # no longer waiting: the server's 409 detail is shown
    assert out.returncode == 1
    assert "HTTP 409" in out.stdout and "completed" in out.stdout

    out = cli(api, "status", "pipeline-000000000000")
    assert out.returncode == 1
    assert "404" in out.stdout


def test_revise_and_cancel(api: ApiServer, demo_url: str) -> None:
    run_id = start_and_wait_for_review(api, demo_url)
    out = cli(api, "revise", run_id, "v2", "--feedback", "Lead with the free trial")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Revision of v2 requested" in out.stdout
    with api.client() as c:
        wait_for(
            lambda: (
                (r := c.get(f"/workflow/result/{run_id}").json())["status"] == "awaiting_approval" and r["revision_round"] == 1
            ),
            60,
            "the revision to finish",
        )
    out = cli(api, "result", run_id)  # the revision history: what v2 said before, and the feedback
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Revisions" in out.stdout and "v2 round 1: was " in out.stdout and "feedback: Lead with the free trial" in out.stdout
    out = cli(api, "status", run_id)  # the steps a revision ran show both rounds' times; extract only its first
    rows = {line.split("│")[1].strip(): line for line in out.stdout.splitlines() if line.count("│") > 4}
    assert re.search(r"\d+\.\ds, round 1: \d+\.\ds", rows["generate"]) and "round 1" not in rows["extract"], out.stdout
    out = cli(api, "cancel", run_id)
    assert out.returncode == 0, out.stdout + out.stderr
    with api.client() as c:
        wait_for(lambda: c.get(f"/workflow/progress/{run_id}").json()["status"] == "cancelled", 30, "cancelled")


def test_unreachable_server_says_so() -> None:
    env = {**os.environ, "COLUMNS": "200"}
    out = subprocess.run(
        [sys.executable, "-m", "brandtruth.cli", "health", "--server", "http://127.0.0.1:9"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 3
    assert "Cannot reach the BrandTruth server" in out.stdout


@pytest.fixture(scope="module")
def token_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    settings = make_settings(
        tmp_path_factory.mktemp("cli-auth"),
        f"127.0.0.1:{free_port()}",
        "bt-cli-auth",
        BRANDTRUTH_API_TOKENS="robot:cli-s3cret-robot-token",
    )
    server = ApiServer(settings).start()
    server.wait_healthy("degraded")
    yield server
    server.stop()


def test_token_file_authenticates_every_call_including_the_stream(token_api: ApiServer, demo_url: str, tmp_path: Path) -> None:
    out = cli(token_api, "list")
    assert out.returncode == 1 and "401" in out.stdout
    assert "--token-file" in out.stdout and "BRANDTRUTH_TOKEN" in out.stdout  # says how to pass one
    token = tmp_path / "token"
    token.write_text("cli-s3cret-robot-token\n")
    out = cli(token_api, "run", demo_url, "--variants", "1", "--formats", "square", "--approve", "v1", "--token-file", str(token))
    assert out.returncode == 0, out.stdout + out.stderr
    run_id = RUN_ID.search(out.stdout).group(0)  # type: ignore[union-attr]
    with token_api.client(headers={"Authorization": "Bearer cli-s3cret-robot-token"}) as c:
        assert c.get(f"/workflow/result/{run_id}").json()["decision"]["approver"] == "robot"
    # The printed links open with no header, as a browser following them sends none.
    links = re.findall(r"http://\S+/workflow/artifacts/\S+", out.stdout)
    assert any(".png?token=" in u for u in links) and any(".zip?token=" in u for u in links), out.stdout
    with token_api.client() as anonymous:
        for url in links:
            assert anonymous.get(url).status_code == 200, url
        assert anonymous.get(links[0].split("?")[0]).status_code == 401
