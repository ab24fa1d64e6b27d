"""Activity: Render one variant's creatives; images go to the artifact store."""

from __future__ import annotations

from temporalio import activity

from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.pipeline.models import ComposeInput, ComposeOutput
from brandtruth.steps import Steps

from .base import PROGRESS_SIGNAL_SECONDS, ProgressSignals, run_step

NAME = ACTIVITY_NAMES["compose"]


class ComposeActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def compose_ads_activity(self, inp: ComposeInput) -> ComposeOutput:
        async with ProgressSignals(quiet_first=PROGRESS_SIGNAL_SECONDS) as progress:
            return await run_step(self.steps.compose(inp, progress=progress.report))
