"""Images that are small on the wire but huge once decoded: a per-run pixel budget, and one full-size
buffer per decode instead of three."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from brandtruth.config import PROJECT_ROOT
from brandtruth.pipeline.artifacts import LocalArtifactStore
from brandtruth.pipeline.extract import extract_brand
from brandtruth.pipeline.extract.media import RUN_PIXEL_BUDGET
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy
from brandtruth.pipeline.models import ExtractInput
from tests.support.sites import SiteServer, big_png

PIXELS = 7200 * 5000


async def test_four_36_megapixel_pngs_stay_within_the_runs_pixel_budget(sites: SiteServer, tmp_path: Path) -> None:
    """Four ~120 KB PNGs of 36 megapixels each once raised worker memory by 460 MB."""
    store = LocalArtifactStore(tmp_path / "artifacts")
    async with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher:
        brand = await extract_brand(ExtractInput(run_id="big", url=sites.url("_adv/big-photos/")), fetcher, store)
    fit = RUN_PIXEL_BUDGET // PIXELS
    assert 0 < fit < 4
    assert len(brand.images) == fit
    over = [w for w in brand.warnings if "image budget" in w]
    assert len(over) == 4 - fit, brand.warnings


def test_normalising_a_huge_png_holds_one_full_size_buffer(tmp_path: Path) -> None:
    """Turning and converting before shrinking kept three full-size copies (~320 MB for 36 megapixels)."""
    png = tmp_path / "big.png"
    png.write_bytes(big_png())
    # VmHWM, the process's own peak: ru_maxrss would carry over the (much larger) peak of pytest.
    probe = (
        "import re\n"
        "from brandtruth.pipeline.extract.media import normalise_raster\n"
        "def peak_kb(): return int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
        f"data = open({str(png)!r}, 'rb').read()\n"
        "before = peak_kb()\n"
        "out = normalise_raster(data, 40_000_000)\n"
        "print(out[2], out[3], (peak_kb() - before) // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    width, height, grown_mb = map(int, done.stdout.split())
    assert max(width, height) == 2048
    full_size_mb = PIXELS * 4 // 2**20  # one copy (Pillow keeps RGB as 4 bytes a pixel): ~137 MB
    assert grown_mb < 1.6 * full_size_mb, f"decoding grew the process by {grown_mb} MB"
