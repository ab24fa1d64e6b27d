"""Request bodies take numbers as numbers and switches as booleans: "3", true and 3.0 are not 3."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.servers import ApiServer


@pytest.mark.parametrize(
    "body",
    [
        {"num_variants": "3"},
        {"num_variants": True},
        {"num_variants": 3.0},
        {"max_pages": "2"},
        {"approval_timeout_seconds": "60"},
        {"reminder_interval_seconds": False},
    ],
)
def test_start_with_loosely_typed_numbers_is_422(api: ApiServer, body: dict[str, Any]) -> None:
    with api.client() as c:
        resp = c.post("/workflow/start", json={"url": "https://example.com/", **body})
    assert resp.status_code == 422
    field = next(iter(body))
    assert any(field in str(err.get("loc")) for err in resp.json()["detail"]), resp.json()


@pytest.mark.parametrize("body", [{"max_concurrency": "2"}, {"max_concurrency": 2.0}])
def test_batch_with_loosely_typed_numbers_is_422(api: ApiServer, body: dict[str, Any]) -> None:
    with api.client() as c:
        resp = c.post("/workflow/batch", json={"urls": ["https://example.com/"], **body})
    assert resp.status_code == 422


def test_approve_wait_must_be_a_boolean(api: ApiServer) -> None:
    with api.client() as c:
        resp = c.post("/workflow/approve/pipeline-nosuchrun", json={"variant_ids": ["v1"], "wait": "false"})
    assert resp.status_code == 422
