"""The run list both engines answer: one order, one filter language, one opaque cursor.

Runs are listed newest first by (created_at, workflow_id): both are fixed when a run starts, so a
cursor that names the last run shown ("everything older than this") never drops or repeats a run
however statuses change between pages; new runs only appear on the first page. Search matches
whole words of the brand name and URL, or their beginnings (`bak` finds `bakery`), in any case and
with or without accents, the same way on both engines: each run carries its `search_terms()`.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from brandtruth.engines.base import InvalidRequest
from brandtruth.pipeline.compose import artifact_url, creative_key
from brandtruth.pipeline.models import ALL_FORMATS, RunStatus, RunSummary

UNKNOWN = "unknown"  # a status the index cannot tell; `status_reason` says why
STATUSES = tuple(s.value for s in RunStatus) + (UNKNOWN,)
MIN_TERM, MAX_PREFIX, MAX_TERMS = 2, 20, 160
_WORD = re.compile(r"\w+")
_URL_NOISE = frozenset({"http", "https", "www", "html", "htm", "index", "php"})


class ListedRun(RunSummary):
    """A row of /workflow/list: RunSummary's keys, plus what the index knows without opening the run."""

    brand_name: str = ""
    revision_round: int = 0
    status_reason: str | None = Field(None, description="Why the status is 'unknown', when it is.")
    thumb_url: str | None = Field(
        None,
        description="The first creative's thumbnail (variant v1 as first written, first format), for runs that "
        "reached review. With API tokens on it carries its own short-lived token, good for that one file only.",
    )


class RunCounts(BaseModel):
    """GET /workflow/list/counts: runs per status (every status, zeros included)."""

    counts: dict[str, int]
    total: int
    incomplete: list[str] = Field(default_factory=list, description="Engines that could not answer, and why.")


@dataclass(frozen=True)
class ListKey:
    """A run's place in the list: newer first, then the greater id first."""

    created_at: datetime
    workflow_id: str

    def __lt__(self, other: ListKey) -> bool:
        return (self.created_at, self.workflow_id) < (other.created_at, other.workflow_id)


@dataclass(frozen=True)
class ListQuery:
    limit: int
    before: ListKey | None = None  # only runs older than this (None: from the newest)
    status: str | None = None
    q: str = ""
    window_seconds: float | None = None  # the Temporal engine's hint from the last page (see run_index)


@dataclass
class ListedPage:
    runs: list[ListedRun]
    more: bool  # whether older runs may follow
    window_seconds: float | None = None
    partial: list[str] = field(default_factory=list)  # engines that could not be asked (why)


# Statuses only a run that reached review can be in; a run cancelled or failed after a revision did too.
REVIEWED = frozenset({"awaiting_approval", "approved", "completed", "rejected", "expired"})
THUMB_VARIANT, FIRST_REVISION = "v1", 1  # generate names variants v1..vN, first written as revision 1


def thumb_key(run_id: str, first_format: object, status: str, revision_round: int) -> str | None:
    """The key of a run's list thumbnail, derived from its id and first format (no run is read), or
    None when the run never reached review or its first format is not known (runs from before the
    index kept it). The first revision: a revision writes new keys and never removes the first ones."""
    if first_format not in ALL_FORMATS or (status not in REVIEWED and revision_round <= 0):
        return None
    return creative_key(run_id, THUMB_VARIANT, FIRST_REVISION, f"{first_format}-thumb", "jpg")


def thumb_url(run_id: str, first_format: object, status: str, revision_round: int) -> str | None:
    """Where the API serves thumb_key(); the API adds the token."""
    key = thumb_key(run_id, first_format, status, revision_round)
    return artifact_url(key) if key else None


def key_of(run: RunSummary) -> ListKey:
    assert run.created_at is not None
    return ListKey(run.created_at, run.workflow_id)


def check_status(status: str | None) -> str | None:
    if status is None or status == "":
        return None
    if status not in STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(STATUSES)} (got {status!r}).")
    return status


def _words(text: str) -> list[str]:
    """Lower-case words without their accents ('Café Lumière' -> cafe, lumiere), so 'cafe' finds it."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return [w for w in _WORD.findall(plain) if len(w) >= MIN_TERM]


def search_terms(brand_name: str, url: str) -> list[str]:
    """The words a run is found by: those of its brand name and of its URL's host and path, each
    whole and by every beginning of 2 to 20 characters; at most MAX_TERMS, the brand's first."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    words = _words(brand_name) + [w for w in _words(f"{parts.hostname or ''} {parts.path}") if w not in _URL_NOISE]
    terms: dict[str, None] = {}
    for word in words:
        for n in range(MIN_TERM, min(len(word), MAX_PREFIX) + 1):
            terms[word[:n]] = None
        terms[word] = None
    return list(terms)[:MAX_TERMS]


def query_terms(q: str) -> list[str]:
    """What a search asks for: every word must be a term of the run (so a prefix of one of its words)."""
    return list(dict.fromkeys(_words(q)))


def encode_cursor(key: ListKey, window_seconds: float | None) -> str:
    body = {"v": 1, "t": key.created_at.isoformat(), "id": key.workflow_id, "w": window_seconds}
    return base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[ListKey, float | None]:
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        created = datetime.fromisoformat(body["t"])
        if body.get("v") != 1 or created.tzinfo is None or not isinstance(body["id"], str):
            raise ValueError("unknown cursor")
        window = body.get("w")
        return ListKey(created, body["id"]), float(window) if window else None
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidRequest(
            "cursor is not one this server gave out; start again from the first page (without cursor) "
            "and pass on the next_cursor each page returns."
        ) from exc
