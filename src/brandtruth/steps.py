"""The six steps (extract, generate, match, compose, score, export) wired to their edges (fetcher,
artifact store, copy provider), the worker's Settings and the step metrics.

Both engines call these methods: the Temporal activities wrap them, the local engine calls them
directly. CPU-bound work (parsing, Pillow, scoring, zipping) runs in the CPU pool (pipeline/cpu.py) so
the event loop keeps serving workflow tasks, queries and streams. This is the one place that turns
Settings into what the pipeline takes (fetch policy, artifact store, provider settings): the
pipeline itself imports neither settings nor metrics.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from brandtruth.config import Settings
from brandtruth.metrics import STEP_FAILURES, STEP_SECONDS
from brandtruth.pipeline import compose, cpu, export, extract, generate, match, score
from brandtruth.pipeline.artifacts import ArtifactStore, open_store
from brandtruth.pipeline.cpu import run_cpu
from brandtruth.pipeline.errors import ProviderError
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.llm import CritiqueRequest, OfflineProvider, ProviderSettings, get_provider
from brandtruth.pipeline.models import (
    BrandProfile,
    ComposeBatchInput,
    ComposeInput,
    ComposeOutput,
    Creative,
    ExportInput,
    ExportOutput,
    ExtractInput,
    GenerateInput,
    GenerateOutput,
    MatchInput,
    MatchOutput,
    ScoreInput,
    ScoreOutput,
    StepProgress,
    Usage,
)

T = TypeVar("T")
Progress = Callable[[StepProgress], None]  # told as a step's parts finish (orchestrator.note_progress)

log = logging.getLogger(__name__)


async def _measured(step: str, run_id: str, work: Awaitable[T]) -> T:
    started = time.perf_counter()
    try:
        with cpu.on_behalf_of(run_id):  # the CPU pool takes turns by run (cpu.py)
            result = await work
    except Exception as exc:
        STEP_FAILURES.labels(step, getattr(exc, "type", type(exc).__name__)).inc()
        raise
    STEP_SECONDS.labels(step).observe(time.perf_counter() - started)
    return result


def fetch_policy(settings: Settings) -> FetchPolicy:
    """What the fetcher may do, from the worker's Settings."""
    return FetchPolicy(
        allow_private=settings.allow_private_urls,
        respect_robots=settings.respect_robots,
        timeout_seconds=settings.fetch_timeout_seconds,
        max_page_bytes=settings.max_page_bytes,
        max_image_bytes=settings.max_image_bytes,
        render_javascript=settings.render_javascript,
        render_max_pages=settings.render_max_pages,
        render_timeout_seconds=settings.render_timeout_seconds,
        chromium_path=settings.chromium_path,
    )


def provider_settings(settings: Settings) -> ProviderSettings:
    """What the copy providers read from the worker's Settings (keys stay in the worker)."""
    return ProviderSettings(
        default=settings.resolved_provider(),
        anthropic_api_key=settings.anthropic_api_key,
        anthropic_base_url=settings.anthropic_base_url,
        anthropic_model=settings.anthropic_model,
        openai_api_key=settings.openai_api_key,
        openai_base_url=settings.openai_base_url,
        openai_model=settings.openai_model,
        timeout_seconds=settings.llm_timeout_seconds,
    )


def _generate_offline(inp: GenerateInput) -> GenerateOutput:
    """The generate step with the offline copywriter, for the CPU pool: offline, writing and checking
    are all CPU, which on an event loop would hold up everything else it serves."""
    return asyncio.run(generate.generate_copy(inp, provider=OfflineProvider()))


class Steps:
    def __init__(self, settings: Settings, store: ArtifactStore | None = None):
        self.store = store or open_store(settings.artifacts_url, settings.artifacts_root, settings.artifacts_s3())
        self.fetch_policy = fetch_policy(settings)
        self.providers = provider_settings(settings)
        self.critique_timeout_seconds = settings.critique_timeout_seconds

    async def extract(self, inp: ExtractInput, progress: Progress | None = None) -> BrandProfile:
        def pages(done: int, total: int) -> None:
            if progress:
                progress(StepProgress(step="extract", done=done, total=total))

        async with Fetcher(self.fetch_policy) as fetcher:
            work = extract.extract_brand(inp, fetcher=fetcher, store=self.store, on_page=pages)
            return await _measured("extract", inp.run_id, work)

    async def generate(self, inp: GenerateInput) -> GenerateOutput:
        provider = get_provider(inp.provider, self.providers)
        if isinstance(provider, OfflineProvider):  # all CPU: write and check in the pool
            return await _measured("generate", inp.run_id, run_cpu(_generate_offline, inp))
        return await _measured("generate", inp.run_id, generate.generate_copy(inp, provider=provider))

    async def match(self, inp: MatchInput) -> MatchOutput:
        return await _measured("match", inp.run_id, run_cpu(match.match_images, inp, self.store))

    async def compose(self, inp: ComposeBatchInput, progress: Progress | None = None) -> ComposeOutput:
        """The batch's creatives, variant by variant in its order, all its variants rendered at once."""

        async def all_variants() -> ComposeOutput:
            outs = await asyncio.gather(*(self._compose(one, progress) for one in inp.per_variant()))
            return ComposeOutput(creatives=[c for out in outs for c in out.creatives])

        return await _measured("compose", inp.run_id, all_variants())

    async def _compose(self, inp: ComposeInput, progress: Progress | None) -> ComposeOutput:
        """One CPU job per format, so each creative is reported as it is done (and other runs' jobs
        can take turns in between)."""
        done = 0

        async def one(fmt: str) -> Creative:
            nonlocal done
            # One creative's render is bounded (the canvas size, photos downscaled at extract): a run
            # alone may put it on the spare process too.
            creative = await run_cpu(compose.compose_creative, inp, fmt, self.store, short=True)
            done += 1
            if progress:
                progress(StepProgress(step="compose", part=inp.variant.id, done=done, total=len(inp.formats)))
            return creative

        return ComposeOutput(creatives=list(await asyncio.gather(*(one(fmt) for fmt in inp.formats))))

    async def score(self, inp: ScoreInput) -> ScoreOutput:
        return await _measured("score", inp.run_id, self._score(inp))

    async def _score(self, inp: ScoreInput) -> ScoreOutput:
        out = await run_cpu(score.score_variants, inp)
        if inp.provider != "offline" and self.critique_timeout_seconds > 0:
            critiques, out.usage = await self._critiques(inp, out)
            for s in out.scores:
                s.critique = critiques.get(s.variant_id)
        return out

    async def _critiques(self, inp: ScoreInput, out: ScoreOutput) -> tuple[dict[str, str], Usage | None]:
        """The provider's critique per variant id, or none at all: it may never fail or change the scores."""
        req = CritiqueRequest(
            run_id=inp.run_id,
            brand=inp.brand,
            platform=inp.platform,
            variants=inp.variants,
            scores=[s.model_copy(deep=True) for s in out.scores],
        )
        try:
            async with asyncio.timeout(self.critique_timeout_seconds):
                result = await get_provider(inp.provider, self.providers).critique(req)
        except ProviderError as exc:
            log.warning("run %s: no critique from %s: %s", inp.run_id, inp.provider, exc.message)
            return {}, None
        except TimeoutError:
            log.warning(
                "run %s: no critique from %s: no answer within %gs", inp.run_id, inp.provider, self.critique_timeout_seconds
            )
            return {}, None
        except Exception as exc:  # a critique is an extra; any bug in it must not cost the scores
            log.warning("run %s: no critique from %s: %s", inp.run_id, inp.provider, type(exc).__name__)
            return {}, None
        u = result.usage
        log.info(
            "run %s: critique from %s/%s for %d variants (%d in, %d out tokens, ~$%.4f)",
            inp.run_id,
            u.provider,
            u.model,
            len(result.critiques),
            u.input_tokens,
            u.output_tokens,
            u.cost_usd,
        )
        return result.critiques, u

    async def export(self, inp: ExportInput) -> ExportOutput:
        return await _measured("export", inp.run_id, run_cpu(export.export_bundle, inp, self.store))
