"""The CLI as a reviewer's tool: reject and result, --json for programs, the environment's server and
token, usage errors (exit 2) caught before a run starts, and steps marked when a run fails or is
cancelled. A real API server on both engines, the CLI as a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from brandtruth.config import PROJECT_ROOT
from brandtruth.devserver import free_port
from tests.cli.helpers import RUN_ID, cli, cli_command, cli_env, start_and_wait_for_review
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sites import SiteServer, serve_sites
from tests.support.sse import read_stream

TOKEN = "cli-review-robot-token"
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"  # rich's default spinner frames: a finished run shows none


def step_line(output: str, step: str) -> str:
    """The step bar's line for `step` in the final render of the CLI's progress."""
    lines = [line for line in output.splitlines() if line.split()[1:2] == [step]]
    assert lines, output
    return lines[-1]


def test_reject_then_result_shows_the_decision(api: ApiServer, demo_url: str) -> None:
    run_id = start_and_wait_for_review(api, demo_url)
    out = cli(api, "reject", run_id, "--reason", "Off brand tone", "--approver", "dana")
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"Rejected {run_id}: Off brand tone" in out.stdout
    with api.client() as c:
        wait_for(lambda: c.get(f"/workflow/progress/{run_id}").json()["status"] == "rejected", 30, "rejected")

    out = cli(api, "result", run_id)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "rejected" in out.stdout and "v1" in out.stdout and "v2" in out.stdout  # the variants table
    assert "reject" in out.stdout and "by dana: Off brand tone" in out.stdout  # the decision history

    out = cli(api, "result", run_id, "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["workflow_id"] == run_id and result["status"] == "rejected"
    assert result["decisions"][-1]["kind"] == "reject" and result["decisions"][-1]["comment"] == "Off brand tone"

    again = cli(api, "reject", run_id)  # over: the server's 409 is a failure, not a usage error
    assert again.returncode == 1 and "HTTP 409" in again.stdout


def test_json_output_is_one_document_on_stdout(api: ApiServer, demo_url: str) -> None:
    out = cli(api, "--json", "run", demo_url, "--variants", "2", "--formats", "square", "--approve", "v2")
    assert out.returncode == 0, out.stdout + out.stderr
    final = json.loads(out.stdout)  # nothing but the document: progress went to stderr
    assert final["status"] == "completed" and final["approved_variant_ids"] == ["v2"]
    assert [v["variant"]["id"] for v in final["variants"]] == ["v1", "v2"]
    run_id = final["workflow_id"]
    assert RUN_ID.fullmatch(run_id) and run_id in out.stderr

    status = json.loads(cli(api, "status", run_id, "--json").stdout)
    assert status["status"] == "completed" and [s["status"] for s in status["steps"]] == ["completed"] * 5
    health = json.loads(cli(api, "health", "--json").stdout)
    assert health["status"] == ("healthy" if api.engine == "temporal" else "degraded")  # type: ignore[attr-defined]

    missing = cli(api, "result", "pipeline-000000000000", "--json")
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["error"]["status"] == 404


def test_approve_of_a_variant_the_run_cannot_have_is_refused_before_it_starts(demo_url: str, tmp_path: Path) -> None:
    """Exit 2 with what the run will have, and no run started: the server named here does not even
    exist (nothing listens on the port), so any attempt to start would have been exit 3."""
    env = cli_env(BRANDTRUTH_SERVER=f"http://127.0.0.1:{free_port()}")
    out = cli(None, "run", demo_url, "--variants", "3", "--approve", "v1,v4", env=env)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "v4: a run of 3 variant(s) has v1, v2, v3" in out.stderr
    for bad in (
        ["run", demo_url, "--approve", "best"],
        ["approve", "pipeline-0123456789ab", "1"],
        ["run", demo_url, "--variants", "0"],
    ):
        out = cli(None, *bad, env=env)
        assert out.returncode == 2, (bad, out.stdout + out.stderr)
    batch = tmp_path / "runs.json"
    batch.write_text(json.dumps([demo_url, {"url": demo_url, "num_variants": 1, "approve": "v2"}]))
    out = cli(None, "batch", str(batch), "--approve", "v1", env=env)
    assert out.returncode == 2 and "v2: a run of 1 variant(s) has v1" in out.stdout, out.stdout + out.stderr


def test_input_the_server_refuses_is_a_usage_error_in_words(api: ApiServer, demo_url: str) -> None:
    out = cli(api, "run", "example.com/shop", "--variants", "1")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "HTTP 422" in out.stdout and "url must be an absolute http:// or https:// address" in out.stdout
    assert "Value error" not in out.stdout and "Input should" not in out.stdout

    run_id = start_and_wait_for_review(api, demo_url)
    out = cli(api, "approve", run_id, "v3")  # the form is right, the run has only v1 and v2: the server says so
    assert out.returncode == 2, out.stdout + out.stderr
    assert "v3" in out.stdout and "v1" in out.stdout


def test_failed_step_is_marked_and_stops_spinning(api: ApiServer, sites: SiteServer) -> None:
    out = cli(api, "run", sites.url("_adv/404"), "--variants", "1", "--formats", "square")
    assert out.returncode == 1, out.stdout + out.stderr
    extract = step_line(out.stdout, "extract")
    assert extract.startswith("✗") and "failed" in extract and "404" in extract, out.stdout
    for later in ("generate", "match", "compose", "score"):
        assert step_line(out.stdout, later).startswith("·") and "not run" in step_line(out.stdout, later)
    assert not any(frame in out.stdout for frame in SPINNER), out.stdout


@pytest.fixture
def held_site() -> Iterator[SiteServer]:
    """Our own fixture-site server, so releasing its held responses touches no other test."""
    with serve_sites() as server:
        yield server


def test_cancelled_step_is_marked(api: ApiServer, held_site: SiteServer) -> None:
    """Cancelled while extract runs (the site holds its answer): extract shows ■ cancelled, not a spinner."""
    slow = held_site.slow_url("northwind-analytics/", 30)
    proc = subprocess.Popen(
        cli_command("--server", api.base_url, "run", slow, "--variants", "1", "--formats", "square"),
        cwd=PROJECT_ROOT,
        env=cli_env(PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "Started pipeline-... on the ... engine"
        run_id = RUN_ID.search(first).group(0)  # type: ignore[union-attr]
        read_stream(api.base_url, run_id, until=lambda e: e.data["type"] == "step_started")
        with api.client() as c:
            assert c.post(f"/workflow/cancel/{run_id}").status_code == 200
        rest, err = proc.communicate(timeout=60)
    finally:
        held_site.release()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = first + rest
    assert proc.returncode == 1, output + err
    extract = step_line(output, "extract")
    assert extract.startswith("■") and "cancelled" in extract, output
    assert "not run" in step_line(output, "score")
    assert not any(frame in output for frame in SPINNER), output


@pytest.fixture(scope="module")
def token_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    settings = make_settings(
        tmp_path_factory.mktemp("cli-env"), f"127.0.0.1:{free_port()}", "bt-cli-env", BRANDTRUTH_API_TOKENS=f"robot:{TOKEN}"
    )
    server = ApiServer(settings).start()
    server.wait_healthy("degraded")
    yield server
    server.stop()


def test_server_and_token_from_the_environment(token_api: ApiServer, demo_url: str) -> None:
    env = cli_env(BRANDTRUTH_SERVER=token_api.base_url)
    out = cli(None, "list", env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "HTTP 401" in out.stdout and "--token-file" in out.stdout and "BRANDTRUTH_TOKEN" in out.stdout

    wrong = cli(None, "list", env={**env, "BRANDTRUTH_TOKEN": "not-the-token"})
    assert wrong.returncode == 1 and "refused the token from BRANDTRUTH_TOKEN" in wrong.stdout, wrong.stdout

    env["BRANDTRUTH_TOKEN"] = TOKEN
    out = cli(None, "--json", "run", demo_url, "--variants", "1", "--formats", "square", "--approve", "v1", env=env)
    assert out.returncode == 0, out.stdout + out.stderr  # every call, the stream included, carried the token
    result = json.loads(out.stdout)
    assert result["status"] == "completed" and result["decision"]["approver"] == "robot"
    listed = cli(None, "list", "--json", env=env)
    assert listed.returncode == 0 and result["workflow_id"] in listed.stdout


def test_list_filters_by_status_and_pages_by_cursor(api: ApiServer, demo_url: str) -> None:
    waiting = {start_and_wait_for_review(api, demo_url) for _ in range(2)}
    out = cli(api, "list", "--status", "awaiting_approval", "--limit", "100", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    page = json.loads(out.stdout)
    assert waiting <= {r["workflow_id"] for r in page["runs"]}
    assert {r["status"] for r in page["runs"]} == {"awaiting_approval"}

    first = cli(api, "list", "--limit", "1")
    assert first.returncode == 0, first.stdout + first.stderr
    more = re.search(r"More: brandtruth list --limit 1 --cursor (\S+)", first.stdout)
    assert more, first.stdout
    second = json.loads(cli(api, "list", "--limit", "1", "--cursor", more.group(1), "--json").stdout)
    [shown] = RUN_ID.findall(first.stdout)
    assert len(second["runs"]) == 1 and second["runs"][0]["workflow_id"] != shown
