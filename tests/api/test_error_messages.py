"""422s are written for people: each field error's `msg` is a sentence a person can act on, never
pydantic's wording ("Value error, ...", "Input should be ..."), and `message` joins them into the
one line a page or terminal shows; `loc` and `type` stay for programs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.servers import ApiServer

PYDANTIC_WORDING = ("Value error", "Input should", "Field required", "Extra inputs", "String should", "List should")


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"url": "example.com"}, "url", "url must be an absolute http:// or https:// address, e.g. https://example.com"),
        ({"url": "http://exa..mple.com"}, "url", "url: 'exa..mple.com' is not a valid host name"),
        ({}, "url", "url is required."),
        (
            {"url": "https://example.com", "num_variants": "3"},
            "num_variants",
            'must be a whole number, written without quotes (got "3")',
        ),
        ({"url": "https://example.com", "num_variants": 0}, "num_variants", "num_variants must be at least 1 (got 0)."),
        ({"url": "https://example.com", "num_variants": 11}, "num_variants", "num_variants must be at most 10 (got 11)."),
        (
            {"url": "https://example.com", "formats": ["poster"]},
            "formats",
            "formats[0] must be one of 'square', 'landscape' or 'story'",
        ),
        ({"url": "https://example.com", "formats": []}, "formats", "formats must not be empty."),
        ({"url": "https://example.com", "num_variant": 3}, "num_variant", "num_variant is not a field this endpoint takes"),
        ({"url": "https://example.com", "approval_timeout_seconds": "60"}, "approval_timeout_seconds", "must be a number"),
        ({"url": "x" * 3000}, "url", "url is too long: at most 2048 characters."),
    ],
)
def test_start_422_says_what_to_fix_in_words(api: ApiServer, body: dict[str, Any], field: str, says: str) -> None:
    with api.client() as c:
        resp = c.post("/workflow/start", json=body)
    assert resp.status_code == 422
    answer = resp.json()
    assert isinstance(answer["detail"], list) and answer["detail"], answer
    entry = answer["detail"][0]
    assert entry["loc"][0] == "body" and entry["loc"][1] == field and entry["type"]  # still structured for programs
    assert says in entry["msg"] and says in answer["message"], answer
    assert not any(words in answer["message"] for words in PYDANTIC_WORDING), answer


def test_every_field_error_is_in_the_message(api: ApiServer) -> None:
    with api.client() as c:
        resp = c.post("/workflow/start", json={"url": "ftp://example.com", "num_variants": True, "platform": "myspace"})
    assert resp.status_code == 422
    answer = resp.json()
    assert sorted(e["loc"][-1] for e in answer["detail"]) == ["num_variants", "platform", "url"]
    assert answer["message"] == " ".join(e["msg"] for e in answer["detail"])
    assert "num_variants must be a whole number, written without quotes (got true)." in answer["message"]
    assert "platform must be one of 'meta', 'google' or 'linkedin' (got \"myspace\")." in answer["message"]


def test_query_and_body_shape_errors_read_as_sentences(api: ApiServer) -> None:
    with api.client() as c:
        listed = c.get("/workflow/list", params={"limit": 0})
        not_an_object = c.post("/workflow/start", json=["https://example.com"])
        approve = c.post("/workflow/approve/pipeline-0123456789ab", json={"variant_ids": "v1"})
    assert listed.status_code == 422 and listed.json()["message"] == "limit must be at least 1 (got 0).", listed.json()
    assert not_an_object.status_code == 422
    assert not_an_object.json()["message"].startswith("The body must be a JSON object"), not_an_object.json()
    assert approve.status_code == 422
    assert approve.json()["message"].startswith('variant_ids must be a list, e.g. [...] (got "v1")'), approve.json()


def test_a_long_refused_value_is_not_echoed_whole(api: ApiServer) -> None:
    with api.client() as c:
        resp = c.post("/workflow/start", json={"url": "https://example.com", "platform": "p" * 5000})
    assert resp.status_code == 422
    assert len(resp.json()["message"]) < 300 and len(resp.json()["detail"][0]["input"]) <= 80


def test_a_bad_url_in_a_batch_is_named_by_its_place(api: ApiServer) -> None:
    with api.client() as c:
        resp = c.post("/workflow/batch", json={"urls": ["https://example.com/", "example.org"]})
    assert resp.status_code == 422
    answer = resp.json()
    assert answer["detail"][0]["loc"] == ["body", "urls", 1], answer
    assert answer["message"] == "urls[1]: url must be an absolute http:// or https:// address, e.g. https://example.com", answer
