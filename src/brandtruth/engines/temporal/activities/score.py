"""Activity: Score each variant's expected performance, with reasons."""

from __future__ import annotations

from temporalio import activity

from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.pipeline.models import ScoreInput, ScoreOutput
from brandtruth.steps import Steps

from .base import run_step

NAME = ACTIVITY_NAMES["score"]


class ScoreActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def predict_performance_activity(self, inp: ScoreInput) -> ScoreOutput:
        return await run_step(self.steps.score(inp))
