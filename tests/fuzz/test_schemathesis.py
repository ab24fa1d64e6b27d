"""Schemathesis against the live /openapi.json of a real server, on both engines.

Every operation the server documents is fuzzed, with data that fits the schema (positive) and data
that does not (negative): no 5xx, every status code documented, every body of the documented
content type and shape. Generated path ids are mixed with real ids (a run awaiting approval, a
failed run, a batch, a creative) so the 200 paths are checked too, not only the 404s.

Nothing leaves the machine: generated start URLs name random hosts and addresses, so the whole
module runs under `loopback_only()` (tests/support/netguard.py), which makes every DNS look-up of
a real name fail at once (EAI_NONAME, so the run fails with a non-retryable DnsError) and refuses
every connection off loopback. The test settings allow private addresses (the fixture sites are
on 127.0.0.1), so the fetcher's own SSRF guard would let 10.x through: the net guard is what
keeps them in.

Bounded: a fixed number of examples per operation, derandomized, no shrinking, no example database.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from brandtruth.api.app import create_app
from brandtruth.devserver import DevServer, free_port
from tests.conftest import unique_queue
from tests.support.netguard import NetGuard, loopback_only
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sites import SiteServer

MAX_EXAMPLES = 20
CALL_TIMEOUT = 10.0  # a request that takes longer than this is a hang, and a failure
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same examples on every run, so CI is stable
    database=None,
    deadline=None,  # a request's own timeout bounds it; hypothesis' deadline would flake on a busy machine
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing request is reported as is
    suppress_health_check=list(HealthCheck),
)

# Start URLs that fit StartRequest's validator, so runs really start and fail to fetch. Hosts are
# random names (refused DNS), private and public literals (refused connects) and closed loopback ports.
HOSTS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6}){0,2}", fullmatch=True),
    st.ip_addresses().map(lambda ip: f"[{ip}]" if ip.version == 6 else str(ip)),
    st.sampled_from(["localhost", "127.0.0.1", "0", "2130706433", "169.254.169.254", "[::ffff:10.0.0.1]"]),
)
START_URLS = st.builds(
    lambda scheme, host, port, path: f"{scheme}://{host}{port}/{path}",
    st.sampled_from(["http", "https"]),
    HOSTS,
    st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}")),
    st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=30),
)

# Operations that cannot be fuzzed with every id they could be given, and why. The stream of a run
# that is still going stays open (by design: it waits for the next event), so generated requests
# would hang; it is fuzzed with unknown ids and finished runs here, and tested with a live run in
# test_stream_of_live_run_resumes_after_any_last_event_id below.
LIVE_RUN_EXCLUDED = {"GET /workflow/stream/{workflow_id}"}


def _static_labels() -> list[str]:
    """The operations the app documents, read without a server, only to name the test cases."""
    app = create_app(make_settings(Path(tempfile.gettempdir()), "127.0.0.1:1", "labels"))
    spec = app.openapi()
    return sorted(f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops)


LABELS = _static_labels()


@dataclass
class Target:
    engine: str
    server: ApiServer
    schema: Any
    guard: NetGuard
    live_run: str  # awaiting approval when the module starts (the fuzzer may approve, revise or cancel it)
    quiet_run: str  # awaiting approval, and unknown to the fuzzer: it stays that way
    failed_run: str
    batch_id: str
    artifact: str  # "<run>/<name>" of a real creative
    ids: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def guard() -> Iterator[NetGuard]:
    with loopback_only() as g:
        yield g


@pytest.fixture(scope="module", params=["temporal", "local"])
def target(
    request: pytest.FixtureRequest, guard: NetGuard, sites: SiteServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """A server of our own per engine (fuzzing starts hundreds of doomed runs; the shared one stays clean)."""
    engine = request.param
    data_dir = tmp_path_factory.mktemp(f"fuzz-{engine}")
    if engine == "temporal":
        temporal: DevServer = request.getfixturevalue("temporal_server")
        server = ApiServer(make_settings(data_dir, temporal.address, unique_queue("fuzz")), embedded_worker=True).start()
        server.wait_healthy("healthy")
    else:
        server = ApiServer(make_settings(data_dir, f"127.0.0.1:{free_port()}", unique_queue("fuzz"))).start()
        server.wait_healthy("degraded")
    try:
        with server.client() as c:
            live = c.post(
                "/workflow/start",
                json={"url": f"{sites.base_url}/northwind-analytics/", "num_variants": 2, "formats": ["square"]},
            ).json()["workflow_id"]
            quiet = c.post(
                "/workflow/start",
                json={"url": f"{sites.base_url}/northwind-analytics/", "num_variants": 1, "formats": ["square"]},
            ).json()["workflow_id"]
            failed = c.post("/workflow/start", json={"url": sites.url("_adv/404")}).json()["workflow_id"]
            batch = c.post("/workflow/batch", json={"urls": [sites.url("_adv/404")]}).json()["batch_id"]

            def status(run: str) -> str:
                return str(c.get(f"/workflow/progress/{run}").json()["status"])

            wait_for(lambda: status(live) == "awaiting_approval", 60, f"{live} to await approval")
            wait_for(lambda: status(quiet) == "awaiting_approval", 60, f"{quiet} to await approval")
            wait_for(lambda: status(failed) == "failed", 60, f"{failed} to fail")
            creative = c.get(f"/workflow/result/{live}").json()["variants"][0]["creatives"][0]["key"]
        schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json")
        yield Target(
            engine,
            server,
            schema,
            guard,
            live,
            quiet,
            failed,
            batch,
            creative,
            ids={"workflow_id": [live, failed], "batch_id": [batch]},
        )
    finally:
        server.stop()


def _strategy(t: Target, label: str, mode: GenerationMode) -> Any:
    op = t.schema[label.split(" ", 1)[1]][label.split(" ", 1)[0]]
    strategies = [op.as_strategy(generation_mode=mode)]
    params = {p.name for p in op.path_parameters}
    for name in params & t.ids.keys():
        ids = [t.failed_run] if label in LIVE_RUN_EXCLUDED else t.ids[name]
        strategies += [op.as_strategy(generation_mode=mode, path_parameters={name: i}) for i in ids]
    if "name" in params:  # artifacts: random names under a real run, and one real creative
        run, name = t.artifact.split("/", 1)
        strategies.append(op.as_strategy(generation_mode=mode, path_parameters={"workflow_id": run}))
        strategies.append(op.as_strategy(generation_mode=mode, path_parameters={"workflow_id": run, "name": name}))
    if label == "POST /workflow/start" and mode == GenerationMode.POSITIVE:
        strategies.append(st.tuples(op.as_strategy(generation_mode=mode), START_URLS).map(_with_url))
    if label in LIVE_RUN_EXCLUDED:
        live = (t.live_run, t.quiet_run)
        # Random ids are fine (404); the live run is not (its stream never ends while it waits).
        return st.one_of(strategies).filter(lambda case: case.path_parameters.get("workflow_id") not in live)
    return st.one_of(strategies)


def _with_url(pair: tuple[Any, str]) -> Any:
    case, url = pair
    if isinstance(case.body, dict):
        case.body["url"] = url
    return case


def _fuzz(t: Target, label: str, mode: GenerationMode, extra: list[Callable[..., Any]] | None = None) -> None:
    checks = CHECKS + (extra or [])

    @FUZZ_SETTINGS
    @given(case=_strategy(t, label, mode))
    def run(case: Any) -> None:
        response = case.call(base_url=t.server.base_url, timeout=CALL_TIMEOUT)
        case.validate_response(response, checks=checks)

    run()


def test_live_schema_lists_the_same_operations(target: Target) -> None:
    # The cases below are named from the app's schema at collection time; the live document is what
    # they fuzz. If they ever differ, an operation would go unfuzzed: fail instead.
    live = sorted(op.label for op in (r.ok() for r in target.schema.get_all_operations()))
    assert live == LABELS


@pytest.mark.parametrize("label", LABELS)
def test_positive_data_gets_documented_answers(target: Target, label: str) -> None:
    _fuzz(target, label, GenerationMode.POSITIVE)


# Operations whose every input is valid (health has none; ids are unconstrained strings): there is no
# invalid data to send. The last test below proves each one really is so, so the list cannot go stale.
NO_INVALID_INPUT = frozenset(
    {
        "GET /workflow/batch/{batch_id}",
        "GET /workflow/health",
        "GET /workflow/progress/{workflow_id}",
        "GET /workflow/result/{workflow_id}",
        "GET /workflow/whoami",
        "POST /workflow/cancel/{workflow_id}",
        "POST /workflow/token/{workflow_id}",
    }
)


@pytest.mark.parametrize("label", [label for label in LABELS if label not in NO_INVALID_INPUT])
def test_invalid_data_is_rejected_with_4xx(target: Target, label: str) -> None:
    _fuzz(target, label, GenerationMode.NEGATIVE, [negative_data_rejection])


@pytest.mark.parametrize("label", sorted(NO_INVALID_INPUT))
def test_operations_without_invalid_input_really_have_none(target: Target, label: str) -> None:
    assert label in LABELS
    with pytest.raises(Unsatisfiable):
        _fuzz(target, label, GenerationMode.NEGATIVE, [negative_data_rejection])


def test_fuzzed_runs_were_kept_on_the_machine(target: Target) -> None:
    # The fuzzer started runs at random hosts; their look-ups and connects were refused by the net
    # guard (a check that fails if the guard stops working or the start URLs stop reaching the fetcher).
    wait_for(lambda: any(r.startswith("DNS look-up") for r in target.guard.refused), 30, "a fuzzed run to try DNS")
    with target.server.client() as c:
        assert c.get("/workflow/health").status_code == 200
        runs = c.get("/workflow/list", params={"limit": 100}).json()
    assert len(runs) > 3, "the fuzzer should have started runs"


def test_stream_of_live_run_resumes_after_any_last_event_id(target: Target) -> None:
    """The stream of a run that is still going, with fuzzed Last-Event-ID headers (see LIVE_RUN_EXCLUDED)."""
    with target.server.client() as c:
        state = c.get(f"/workflow/progress/{target.quiet_run}").json()
    assert state["status"] == "awaiting_approval"
    last = int(state["last_event_id"])
    header = st.one_of(
        st.integers(0, last - 1).map(str),
        st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=12),
    )

    @settings(max_examples=10, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate])
    @given(value=header)
    def run(value: str) -> None:
        after = int(value.strip()) if value.strip().isdigit() else 0
        if after >= last:
            after = 0  # not reachable by the strategy above; keeps the expectation honest
        with httpx.Client(timeout=httpx.Timeout(CALL_TIMEOUT, connect=5)) as client:
            url = f"{target.server.base_url}/workflow/stream/{target.quiet_run}"
            with client.stream("GET", url, headers={"Last-Event-ID": value, "Accept": "text/event-stream"}) as resp:
                assert resp.status_code == 200
                assert resp.headers["content-type"].startswith("text/event-stream")
                first_id = next(line for line in resp.iter_lines() if line.startswith("id:"))
        assert int(first_id.split(":", 1)[1]) == after + 1

    run()
