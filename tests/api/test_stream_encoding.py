"""How events are written on the wire (src/brandtruth/api/routes/runs.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from brandtruth.api.routes.runs import _WireCache
from brandtruth.pipeline.models import ProgressEvent, RunStatus


def test_event_json_has_no_raw_line_separators() -> None:
    """Regression: raw U+2028/U+2029/U+0085 from site text split a data: line in httpx-based readers."""
    message = "Headline\u2028from a site\u2029with odd\u0085breaks and café"
    event = ProgressEvent(
        id=3,
        type="step_completed",
        status=RunStatus.RUNNING,
        percent=40,
        message=message,
        timestamp=datetime.now(UTC),
        data={"reason": "photo\u2028alt"},
    )
    data = _WireCache().encode("pipeline-0123456789ab", event)
    assert data.splitlines() == [data]  # str.splitlines splits on every separator httpx does
    assert json.loads(data)["message"] == message and json.loads(data)["data"]["reason"] == "photo\u2028alt"


def test_each_event_is_encoded_once_per_run_and_the_cache_is_bounded() -> None:
    cache = _WireCache(size=2)
    event = ProgressEvent(id=1, type="run_started", status=RunStatus.RUNNING, percent=0, timestamp=datetime.now(UTC))
    first = cache.encode("pipeline-aaaaaaaaaaaa", event)
    assert cache.encode("pipeline-aaaaaaaaaaaa", event) is first
    cache.encode("pipeline-bbbbbbbbbbbb", event)
    cache.encode("pipeline-cccccccccccc", event)
    assert cache.encode("pipeline-aaaaaaaaaaaa", event) is not first  # evicted, encoded again
