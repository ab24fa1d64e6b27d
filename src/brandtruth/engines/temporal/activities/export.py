"""Activity: package the approved variants' creatives and manifest into a zip bundle."""

from __future__ import annotations

from temporalio import activity

from brandtruth.engines.temporal.activity_names import ACTIVITY_NAMES
from brandtruth.pipeline.models import ExportInput, ExportOutput
from brandtruth.steps import Steps

from .base import run_step

NAME = ACTIVITY_NAMES["export"]


class ExportActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def export_bundle_activity(self, inp: ExportInput) -> ExportOutput:
        return await run_step(self.steps.export(inp))
