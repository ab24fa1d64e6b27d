"""The five steps wired to their edges (fetcher, artifact store, copy provider).

Both engines call these methods: the Temporal activities wrap them, the local engine calls them
directly. CPU-bound work (Pillow, scoring) runs in a thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import TypeVar

from src.config import Settings
from src.metrics import STEP_FAILURES, STEP_SECONDS

from . import compose, export, extract, generate, match, score
from .artifacts import ArtifactStore, LocalArtifactStore
from .fetch import Fetcher, FetchPolicy
from .llm import get_provider
from .models import (
    BrandProfile,
    ComposeInput,
    ComposeOutput,
    ExportInput,
    ExportOutput,
    ExtractInput,
    GenerateInput,
    GenerateOutput,
    MatchInput,
    MatchOutput,
    ScoreInput,
    ScoreOutput,
)

T = TypeVar("T")


async def _measured(step: str, work: Awaitable[T]) -> T:
    started = time.perf_counter()
    try:
        result = await work
    except Exception as exc:
        STEP_FAILURES.labels(step, getattr(exc, "type", type(exc).__name__)).inc()
        raise
    STEP_SECONDS.labels(step).observe(time.perf_counter() - started)
    return result


class Steps:
    def __init__(self, settings: Settings, store: ArtifactStore | None = None):
        self.settings = settings
        self.store = store or LocalArtifactStore(settings.artifacts_root)
        self.fetch_policy = FetchPolicy.from_settings(settings)

    async def extract(self, inp: ExtractInput) -> BrandProfile:
        async with Fetcher(self.fetch_policy) as fetcher:
            return await _measured("extract", extract.extract_brand(inp, fetcher=fetcher, store=self.store))

    async def generate(self, inp: GenerateInput) -> GenerateOutput:
        provider = get_provider(inp.provider, self.settings)
        return await _measured("generate", generate.generate_copy(inp, provider=provider))

    async def match(self, inp: MatchInput) -> MatchOutput:
        return await _measured("match", asyncio.to_thread(match.match_images, inp, self.store))

    async def compose(self, inp: ComposeInput) -> ComposeOutput:
        return await _measured("compose", asyncio.to_thread(compose.compose_variant, inp, self.store))

    async def score(self, inp: ScoreInput) -> ScoreOutput:
        return await _measured("score", asyncio.to_thread(score.score_variants, inp))

    async def export(self, inp: ExportInput) -> ExportOutput:
        return await _measured("export", asyncio.to_thread(export.export_bundle, inp, self.store))
