"""Activity: Choose an image (or a brand background) per variant and format."""

from __future__ import annotations

from temporalio import activity

from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.pipeline.models import MatchInput, MatchOutput
from brandtruth.steps import Steps

from .base import run_step

NAME = ACTIVITY_NAMES["match"]


class MatchActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def match_images_activity(self, inp: MatchInput) -> MatchOutput:
        return await run_step(self.steps.match(inp))
