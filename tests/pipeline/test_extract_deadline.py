"""The extract step's own deadline: a site slow at everything ends the attempt with a final error of
ours that says why, before the step's timeout (which Temporal retried 4 times)."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandtruth.pipeline import extract
from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.errors import FetchTimeoutError
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.models import ExtractInput
from tests.support.sites import serve_sites


async def test_a_site_slower_than_the_extract_deadline_fails_once_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract, "EXTRACT_DEADLINE_SECONDS", 0.5)
    store = LocalArtifactStore(tmp_path / "artifacts")
    with serve_sites() as sites:
        url = sites.slow_url("northwind-analytics/", 20)  # each fetch alone is within its own 10 s
        try:
            async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
                with pytest.raises(FetchTimeoutError) as err:
                    await extract.extract_brand(ExtractInput(run_id="slow", url=url, max_pages=3), fetcher, store)
        finally:
            sites.release()
    assert err.value.retryable is False
    assert f"reading {url} took more than 0.5 s" in err.value.message and "too slow" in err.value.message


async def test_a_timeout_inside_the_extract_is_not_taken_for_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fails(*_args: object) -> None:
        raise TimeoutError("some library's own timeout")

    monkeypatch.setattr(extract, "_extract", fails)
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        with pytest.raises(TimeoutError, match="some library's own timeout"):
            await extract.extract_brand(ExtractInput(run_id="x", url="http://127.0.0.1:9/"), fetcher, None)  # type: ignore[arg-type]
