"""Activity: Read the brand's site: pages, facts, colours, logo, images."""

from __future__ import annotations

from temporalio import activity

from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.pipeline.models import BrandProfile, ExtractInput
from brandtruth.steps import Steps

from .base import ProgressSignals, run_step

NAME = ACTIVITY_NAMES["extract"]


class ExtractActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def extract_brand_activity(self, inp: ExtractInput) -> BrandProfile:
        async with ProgressSignals() as progress:
            return await run_step(self.steps.extract(inp, progress=progress.report))
