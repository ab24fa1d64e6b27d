"""Activity: package the approved variants' creatives and manifest into a zip bundle."""

from __future__ import annotations

from temporalio import activity

from src.pipeline.models import ExportInput, ExportOutput
from src.pipeline.steps import Steps

from .base import run_step

NAME = "export_bundle_activity"


class ExportActivities:
    def __init__(self, steps: Steps):
        self.steps = steps

    @activity.defn(name=NAME)
    async def export_bundle_activity(self, inp: ExportInput) -> ExportOutput:
        return await run_step(self.steps.export(inp))
