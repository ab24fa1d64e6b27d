"""Colour values read and compared one way (pipeline/colour.py) by extract, compose and score."""

from __future__ import annotations

import pytest

from brandtruth.pipeline.colour import SAME_COLOUR, delta_e, hex_rgb
from brandtruth.pipeline.compose.contrast import INK, parse_hex
from brandtruth.pipeline.models import BrandColors
from brandtruth.pipeline.score.visual import _brand_share


@pytest.mark.parametrize(
    "value, rgb",
    [("#1f2937", (31, 41, 55)), ("1F2937", (31, 41, 55)), ("#abc", (170, 187, 204)), (" #0b3d2e ", (11, 61, 46))],
)
def test_hex_is_read_in_every_spelling_the_pipeline_stores(value: str, rgb: tuple[int, int, int]) -> None:
    assert hex_rgb(value) == rgb == parse_hex(value)


@pytest.mark.parametrize("value", [None, "", "#12345", "#1f2937ff", "red", "#ggg", "#1f2937\n#000"])
def test_anything_else_is_no_colour(value: str | None) -> None:
    assert hex_rgb(value) is None
    assert parse_hex(value) == INK


def test_the_score_and_the_extractor_call_the_same_shades_the_same() -> None:
    """The score's brand-colour share used a 'redmean' RGB distance and the extractor CIEDE2000: now both CIEDE2000."""
    brand = BrandColors(primary="#0b3d2e", secondary="#c8a165", accent="#e4572e")
    near, grey = "#0d3f30", "#374151"  # a render's quantised brand green; a dark grey
    assert delta_e(near, brand.primary) < SAME_COLOUR < delta_e(grey, brand.primary)
    assert _brand_share({near: 0.5, grey: 0.5}, brand) == 0.5
