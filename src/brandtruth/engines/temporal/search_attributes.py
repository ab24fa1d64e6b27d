"""The run index in Temporal visibility: the custom search attributes every run carries.

A run is started with them set (status `started`, engine, round 0, the URL's search terms) and the
workflow upserts them as it moves, so the API lists, filters, counts and searches runs from the
Temporal server alone, with no query to any worker. They must be registered on the namespace once:
`--dev` does it (`start-dev --search-attribute`), a cluster needs the command `create_command()`
prints (the README has it), and the API says at start-up when they are missing.

A run started without them (before the index existed, or while they were not registered) never
upserts them: the workflow only keeps up an index it was started with, so a namespace without the
attributes never sees a workflow task fail on an unknown attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

from brandtruth.engines.listing import search_terms
from brandtruth.pipeline.models import RunState

STATUS = SearchAttributeKey.for_keyword("BrandTruthStatus")
BRAND = SearchAttributeKey.for_keyword("BrandTruthBrand")
ENGINE = SearchAttributeKey.for_keyword("BrandTruthEngine")
ROUND = SearchAttributeKey.for_int("BrandTruthRevisionRound")
SEARCH = SearchAttributeKey.for_keyword_list("BrandTruthSearch")  # brand and URL words and their prefixes

ALL_KEYS: tuple[SearchAttributeKey[Any], ...] = (STATUS, BRAND, ENGINE, ROUND, SEARCH)
# The name each type has in `temporal ... --search-attribute NAME=TYPE` and `operator search-attribute create`.
_TYPE_NAMES = {STATUS: "Keyword", BRAND: "Keyword", ENGINE: "Keyword", ROUND: "Int", SEARCH: "KeywordList"}
_INDEXED = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Int": IndexedValueType.INDEXED_VALUE_TYPE_INT,
    "KeywordList": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}
BRAND_MAX_CHARS = 200
# Recorded the first time a run writes its index; histories from before it replay without the upserts.
INDEX_PATCH = "run-index-v1"  # a keyword value is capped by the server (2 KB by default); a brand name is short


def dev_server_flags() -> list[str]:
    """`--search-attribute NAME=TYPE` for each, as `temporal server start-dev` takes them."""
    flags: list[str] = []
    for key in ALL_KEYS:
        flags += ["--search-attribute", f"{key.name}={_TYPE_NAMES[key]}"]
    return flags


def create_args() -> list[str]:
    """`temporal operator search-attribute create` arguments that register them all: a `--type` after
    each `--name` (the command pairs them in order; a single `--type` would register the first name only)."""
    return [arg for key in ALL_KEYS for arg in ("--name", key.name, "--type", _TYPE_NAMES[key])]


def create_command(namespace: str) -> str:
    """The one command that registers them on a cluster (Temporal Cloud: `tcld namespace search-attributes add`)."""
    return f"temporal operator search-attribute create --namespace {namespace} {' '.join(create_args())}"


def at_start(url: str) -> TypedSearchAttributes:
    """The index of a run as it starts; the workflow keeps it up from there."""
    return TypedSearchAttributes(
        [
            SearchAttributePair(STATUS, "started"),
            SearchAttributePair(ENGINE, "temporal"),
            SearchAttributePair(ROUND, 0),
            SearchAttributePair(SEARCH, search_terms("", url)),
        ]
    )


async def missing(client: Client, namespace: str, timeout: float = 5.0) -> list[str]:
    """The attributes the namespace lacks (or has with another type), as `NAME (Type)`."""
    resp = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace), timeout=timedelta(seconds=timeout)
    )
    have = dict(resp.custom_attributes)
    return [f"{k.name} ({_TYPE_NAMES[k]})" for k in ALL_KEYS if have.get(k.name) != _INDEXED[_TYPE_NAMES[k]]]


class RunIndexKeeper:
    """Kept by the workflow: after each event, upserts the attributes that changed (deterministic:
    only workflow state and history decide what is written). Runs started without the index, and
    histories recorded before it, write nothing."""

    def __init__(self, state: Callable[[], RunState]) -> None:
        self._state = state
        self._written: dict[str, Any] | None = None  # None: not decided yet (at the first event)
        self._keeps = False

    def update(self) -> None:
        if self._written is None:
            started = workflow.info().typed_search_attributes
            keeps = started.get(STATUS) is not None and workflow.patched(INDEX_PATCH)
            self._written = {pair.key.name: pair.value for pair in started} if keeps else {}
            self._keeps = keeps
        if not self._keeps:
            return
        st = self._state()
        brand = (st.brand.name if st.brand else "")[:BRAND_MAX_CHARS]
        wanted: list[SearchAttributePair[Any]] = [
            SearchAttributePair(STATUS, st.status.value),
            SearchAttributePair(ROUND, st.revision_round),
        ]
        if brand:
            wanted += [SearchAttributePair(BRAND, brand), SearchAttributePair(SEARCH, search_terms(brand, st.request.url))]
        changed = [p for p in wanted if self._written.get(p.key.name) != p.value]
        if changed:
            workflow.upsert_search_attributes([p.key.value_set(p.value) for p in changed])
            self._written.update({p.key.name: p.value for p in changed})
