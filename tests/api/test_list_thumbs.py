"""The run list's thumbnails and GET /workflow/whoami, on both engines with API tokens on.

Each row of a run that reached review carries `thumb_url`, derived from the run id and its first
format (no run is read); with tokens on, the URL holds a token for that one file, so a page shows
thumbnails without asking for a run token per row, and a URL that leaks opens nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from brandtruth.api.auth import FILE_TOKEN_STEP_SECONDS, FILE_TOKEN_TTL_SECONDS, Auth, Forbidden
from brandtruth.engines import listing
from tests.conftest import engine_api
from tests.support.servers import ApiServer, make_settings, wait_for
from tests.support.sse import read_stream

TOKENS = "ana:tok-ana-1234567890,ops:tok-ops-0987654321"
ANA = {"Authorization": "Bearer tok-ana-1234567890"}


@pytest.fixture(scope="module", params=["temporal", "local"])
def secured(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    server = engine_api(request, request.param, tmp_path_factory.mktemp(f"thumbs-{request.param}"), BRANDTRUTH_API_TOKENS=TOKENS)
    yield server
    server.stop()


def _start(c: httpx.Client, url: str, **body: Any) -> str:
    resp = c.post("/workflow/start", json={"url": url, "num_variants": 1, **body}, headers=ANA)
    assert resp.status_code == 200, resp.text
    return str(resp.json()["workflow_id"])


def _row(c: httpx.Client, run_id: str) -> dict[str, Any]:
    rows = c.get("/workflow/list", params={"limit": 100}, headers=ANA).json()
    return next(r for r in rows if r["workflow_id"] == run_id)


def test_a_reviewed_runs_row_has_a_thumbnail_that_opens_with_its_own_token_only(
    secured: ApiServer, demo_url: str, sites: Any
) -> None:
    with secured.client() as c:
        run_id = _start(c, demo_url, formats=["story", "square"])
        failing = _start(c, f"{sites.base_url}/no-such-site/")
        events, _ = read_stream(
            secured.base_url, run_id, headers=ANA, until=lambda ev: ev.data["type"] in ("awaiting_approval", "failed")
        )
        assert events[-1].data["type"] == "awaiting_approval", events[-1].data
        wait_for(lambda: _row(c, run_id)["status"] == "awaiting_approval", 60, "the run listed as awaiting review")
        wait_for(lambda: _row(c, failing)["status"] == "failed", 60, "the failing run listed as failed")

        row = _row(c, run_id)
        assert row["brand_name"]
        thumb = urlsplit(row["thumb_url"])
        # The first creative as the result has it: variant v1, the first format asked for (story).
        result = c.get(f"/workflow/result/{run_id}", headers=ANA).json()
        first = next(cr for cr in result["variants"][0]["creatives"] if cr["format"] == "story")
        assert thumb.path == first["thumb_url"] == f"/workflow/artifacts/{run_id}/creatives/v1-r1-story-thumb.jpg"
        token = parse_qs(thumb.query)["token"][0]

        with httpx.Client(base_url=secured.base_url, timeout=30) as browser:  # an <img>: no header
            img = browser.get(row["thumb_url"])
            assert img.status_code == 200, img.text
            assert img.headers["content-type"] == "image/jpeg" and img.content[:3] == b"\xff\xd8\xff"
            assert browser.get(thumb.path).status_code == 401  # the token is what lets it in
            # Nothing else of the run opens with it: the full-size creative, the contact sheet, the stream.
            for other in (first["jpeg_url"], f"/workflow/contact-sheet/{run_id}", f"/workflow/stream/{run_id}"):
                resp = browser.get(other, params={"token": token})
                assert resp.status_code == 403, (other, resp.status_code)
                assert resp.json()["detail"]

        assert _row(c, failing)["thumb_url"] is None  # never reached review: no thumbnail to point at


def test_whoami_names_the_tokens_identity(secured: ApiServer) -> None:
    with secured.client() as c:
        assert c.get("/workflow/whoami", headers=ANA).json() == {"auth_enabled": True, "identity": "ana"}
        ops = c.get("/workflow/whoami", headers={"Authorization": "Bearer tok-ops-0987654321"})
        assert ops.json() == {"auth_enabled": True, "identity": "ops"}
        assert c.get("/workflow/whoami").status_code == 401
        assert c.get("/workflow/whoami", headers={"Authorization": "Bearer tok-ana-1234567891"}).status_code == 401


def test_whoami_without_tokens_names_nobody(api: ApiServer) -> None:
    with api.client() as c:
        assert c.get("/workflow/whoami").json() == {"auth_enabled": False, "identity": None}


def test_file_tokens_are_stable_within_a_step_and_scoped_to_their_file(tmp_path: Path) -> None:
    auth = Auth.from_settings(make_settings(tmp_path, "127.0.0.1:1", "q", BRANDTRUTH_API_TOKENS=TOKENS))
    at = 1_800_000_100.0  # inside a step: 600 s on is not a step boundary
    name = "creatives/v1-r1-square-thumb.jpg"
    # The same URL for repeated list reads within a step (the browser's cache holds), a new one after.
    assert auth.sign_file_token("pipeline-a", name, "ana", now=at) == auth.sign_file_token("pipeline-a", name, "ana", now=at + 1)
    token = auth.sign_file_token("pipeline-a", name, "ana", now=at)
    assert auth.identity_for_run_token(token, "pipeline-a", name) == "ana"
    with pytest.raises(Forbidden):
        auth.identity_for_run_token(token, "pipeline-a", "creatives/v1-r1-square.jpg")
    with pytest.raises(Forbidden):
        auth.identity_for_run_token(token, "pipeline-a", None)  # the stream
    with pytest.raises(Forbidden):
        auth.identity_for_run_token(token, "pipeline-b", name)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert FILE_TOKEN_TTL_SECONDS <= exp - at <= FILE_TOKEN_TTL_SECONDS + FILE_TOKEN_STEP_SECONDS
    assert exp % FILE_TOKEN_STEP_SECONDS == 0


def test_thumbnail_key_follows_the_compose_layout() -> None:
    from brandtruth.pipeline.compose import creative_key

    assert listing.thumb_key("pipeline-a", "landscape", "completed", 0) == creative_key(
        "pipeline-a", "v1", 1, "landscape-thumb", "jpg"
    )
    assert listing.thumb_key("pipeline-a", "square", "running", 0) is None  # not reviewed yet
    assert listing.thumb_key("pipeline-a", "square", "cancelled", 1) is not None  # cancelled after a revision
    assert listing.thumb_key("pipeline-a", None, "completed", 0) is None  # format unknown (older run)
    assert listing.thumb_key("pipeline-a", "../x", "completed", 0) is None
