"""Compose throughput: creatives per second across worker processes, and p95 latency per creative.

    .venv/bin/python bench/compose_bench.py [--workers 2] [--variants 24] [--outputs jpeg,thumb]

Each task composes one variant in all three formats (one compose activity's work) through
`compose_variant` against a local artifact store, with a hand-built brand whose photos and logo are
drawn by Pillow. The default `--outputs jpeg,thumb` is what the pipeline writes before review (the
target: >= 40 creatives/s on 2 cores); `--outputs png,jpeg,thumb` is what it wrote before issue 19
(a PNG is now rendered for approved variants only); `--outputs jpeg` the JPEG alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtruth.pipeline.artifacts import LocalArtifactStore  # noqa: E402
from brandtruth.pipeline.compose import compose_variant  # noqa: E402
from brandtruth.pipeline.match import match_images  # noqa: E402
from brandtruth.pipeline.models import ComposeInput, CopyVariant, MatchInput  # noqa: E402
from tests.pipeline.creative_factory import VARIANTS, make_brand  # noqa: E402

TARGET_PER_SECOND = 40.0
_state: dict[str, object] = {}


def _variants(n: int) -> list[CopyVariant]:
    return [VARIANTS[i % len(VARIANTS)].model_copy(update={"id": f"v{i + 1}"}) for i in range(n)]


def _init(root: str, outputs: tuple[str, ...]) -> None:
    store = LocalArtifactStore(root)
    brand = make_brand(store, "bench")
    _state.update(store=store, brand=brand, outputs=outputs)


def _task(variant: CopyVariant) -> list[float]:
    """Compose one variant (3 formats); returns the per-creative seconds."""
    store, brand = _state["store"], _state["brand"]
    matches = match_images(MatchInput(run_id="bench", brand=brand, variants=[variant]), store).matches  # type: ignore[arg-type]
    start = time.perf_counter()
    out = compose_variant(
        ComposeInput(run_id="bench", brand=brand, variant=variant, matches=matches),  # type: ignore[arg-type]
        store,
        outputs=_state["outputs"],
    )  # type: ignore[arg-type]
    per = (time.perf_counter() - start) / len(out.creatives)
    return [per] * len(out.creatives)


def run(workers: int, variants: int, outputs: tuple[str, ...]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as root:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(root, outputs)) as pool:
            list(pool.map(_task, _variants(workers * 2)))  # warm-up: imports, fonts, first decode
            start = time.perf_counter()
            results = list(pool.map(_task, _variants(variants)))
            wall = time.perf_counter() - start
    latencies = sorted(x for r in results for x in r)
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    return {
        "creatives": len(latencies),
        "wall_s": wall,
        "per_s": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": p95 * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", type=int, default=40)
    parser.add_argument("--outputs", default="jpeg,thumb", help="comma list of png,jpeg,thumb")
    args = parser.parse_args()
    outputs = tuple(o.strip() for o in args.outputs.split(",") if o.strip())
    print(
        f"compose bench: {args.workers} worker process(es) on {os.cpu_count()} CPU(s), "
        f"{args.variants} variants x 3 formats, outputs={','.join(outputs)}"
    )
    r = run(args.workers, args.variants, outputs)
    verdict = "PASS" if r["per_s"] >= TARGET_PER_SECOND else "BELOW TARGET"
    print(f"  creatives/s  {r['per_s']:7.1f}   (target >= {TARGET_PER_SECOND:.0f}: {verdict})")
    print(f"  p50 ms/creative {r['p50_ms']:6.1f}")
    print(f"  p95 ms/creative {r['p95_ms']:6.1f}")
    print(f"  {int(r['creatives'])} creatives in {r['wall_s']:.2f}s")


if __name__ == "__main__":
    main()
