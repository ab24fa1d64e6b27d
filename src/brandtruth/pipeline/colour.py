"""Colour values, read and compared one way for extract, compose and score.

`hex_rgb` reads the '#rrggbb' (or '#rgb') the pipeline stores colours as; `delta_e` is how different
two colours look, as CIEDE2000 (coloraide): under about 2 a reader sees no difference, under
`SAME_COLOUR` two colours read as one shade.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coloraide import Color

RGB = tuple[int, int, int]

SAME_COLOUR = 8.0  # CIEDE2000

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def hex_rgb(value: str | None) -> RGB | None:
    """'#1f2937', '1f2937' or '#abc' -> (r, g, b); None for anything else."""
    m = _HEX.fullmatch((value or "").strip())
    if not m:
        return None
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


@lru_cache(maxsize=8192)  # palettes and brand colours repeat: the same few pairs again and again
def delta_e(a: str, b: str) -> float:
    """CIEDE2000 difference of two CSS colours ('#0b3d2e', 'rgb(...)')."""
    return float(Color(a).delta_e(Color(b), method="2000"))
