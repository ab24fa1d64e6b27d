"""Thin activity wrappers over the pipeline steps as wired in src/brandtruth/steps.py; the worker registers
`build_activities()`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brandtruth.steps import Steps

from .compose import ComposeActivities
from .export import ExportActivities
from .extract import ExtractActivities
from .generate import GenerateActivities
from .match import MatchActivities
from .score import ScoreActivities


def build_activities(steps: Steps) -> list[Callable[..., Any]]:
    return [
        ExtractActivities(steps).extract_brand_activity,
        GenerateActivities(steps).generate_copy_activity,
        MatchActivities(steps).match_images_activity,
        ComposeActivities(steps).compose_variants_activity,
        ComposeActivities(steps).compose_ads_activity,
        ScoreActivities(steps).predict_performance_activity,
        ExportActivities(steps).export_bundle_activity,
    ]
