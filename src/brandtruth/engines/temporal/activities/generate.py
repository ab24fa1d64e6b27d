"""Activity: Write grounded copy variants with the configured provider."""

from __future__ import annotations

from temporalio import activity

from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.pipeline.models import GenerateInput, GenerateOutput
from brandtruth.steps import Steps

from .base import run_step

NAME = ACTIVITY_NAMES["generate"]


class GenerateActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def generate_copy_activity(self, inp: GenerateInput) -> GenerateOutput:
        return await run_step(self.steps.generate(inp))
