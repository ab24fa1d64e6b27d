"""Activities: Render a batch of variants' creatives (and, for runs recorded before batches, one
variant's); images go to the artifact store."""

from __future__ import annotations

from temporalio import activity

from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES, COMPOSE_ONE_VARIANT
from brandtruth.pipeline.models import ComposeBatchInput, ComposeInput, ComposeOutput
from brandtruth.steps import Steps

from .base import PROGRESS_SIGNAL_SECONDS, ProgressSignals, run_step

NAME = ACTIVITY_NAMES["compose"]


class ComposeActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def compose_variants_activity(self, inp: ComposeBatchInput) -> ComposeOutput:
        async with ProgressSignals(quiet_first=PROGRESS_SIGNAL_SECONDS) as progress:
            return await run_step(self.steps.compose(inp, progress=progress.report))

    @activity.defn(name=COMPOSE_ONE_VARIANT)
    async def compose_ads_activity(self, inp: ComposeInput) -> ComposeOutput:
        batch = ComposeBatchInput(
            run_id=inp.run_id, brand=inp.brand, variants=[inp.variant], matches=inp.matches, formats=inp.formats
        )
        return await self.compose_variants_activity(batch)
