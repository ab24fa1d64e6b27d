"""Activity names, per pipeline step: the one place both the workflow and the activities take them from.

The workflow schedules activities by these names, so it never imports activity code.
"""

from __future__ import annotations

ACTIVITY_NAMES = {
    "extract": "extract_brand_activity",
    "generate": "generate_copy_activity",
    "match": "match_images_activity",
    "compose": "compose_variants_activity",
    "score": "predict_performance_activity",
    "export": "export_bundle_activity",
}
# Runs recorded before compose took batches of variants scheduled this one per variant; a worker keeps
# it registered so such a run, resumed after an upgrade, still finds it.
COMPOSE_ONE_VARIANT = "compose_ads_activity"
STEP_OF_ACTIVITY = {name: step for step, name in ACTIVITY_NAMES.items()} | {COMPOSE_ONE_VARIANT: "compose"}
