"""Time to review: POST /workflow/start -> `awaiting_approval` for 1, 3, 6 and 10 variants (all three
formats), Temporal engine and local engine in one run, plus where compose spends its time per creative.

    .venv/bin/python bench/review_latency.py [--runs 3] [--variants 1,3,6,10] [--site northwind-analytics]

Starts a real Temporal dev server, the demo brand sites on loopback and one API server per engine
(as bench/latency.py does), then runs the pipeline `--runs` times for each variant count, the counts
in turn (after one warm-up), and prints p50/p90/max of the time to `awaiting_approval`, the compose step's own duration,
and the cost per added variant (least-squares slope of the medians). Each run is approved (v1) and
waited to completion before the next starts, so export work never overlaps a measured run.

The per-stage breakdown composes one run's variants in this process (no pool, caches cleared as in a
fresh run) with the compose functions wrapped by timers; each stage's time excludes the stages it
calls. It counts CPU time (process_time), so other work on a shared machine does not inflate it;
`--stages-only` skips the engines. Targets on 2 cores: 10 variants <= 1.2 s, 3 variants <= 0.6 s, <= 60 ms per added variant.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtruth.devserver import DevServer, free_port  # noqa: E402
from tests.support.servers import ApiServer, make_settings  # noqa: E402
from tests.support.sites import serve_sites  # noqa: E402
from tests.support.sse import iter_sse  # noqa: E402

TARGETS = {10: 1.2, 3: 0.6}
TARGET_PER_VARIANT_MS = 60.0


def median(values: Any) -> float:
    """Median of the measured values (a run that failed counts as NaN and is left out)."""
    kept = [v for v in values if v == v]
    return statistics.median(kept) if kept else float("nan")


def pct(values: list[float], q: float) -> float:
    values = [v for v in values if v == v]
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def slope(xs: list[float], ys: list[float]) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else float("nan")


def cpu_seconds() -> tuple[float, float]:
    """CPU time so far of this process with its Python children (API, worker, CPU pool) and of the
    Temporal dev server: unlike wall time, it does not grow when other work shares the machine."""
    ours = temporal = 0.0
    me = psutil.Process()
    for p in [me, *me.children(recursive=True)]:
        try:
            t = p.cpu_times()
            spent = t.user + t.system
            if "temporal" in p.name():
                temporal += spent
            else:
                ours += spent
        except psutil.Error:
            continue
    return ours, temporal


def one_run(api: ApiServer, url: str, variants: int) -> dict[str, Any]:
    with httpx.Client(base_url=api.base_url, timeout=120) as c:
        cpu0 = cpu_seconds()
        t0 = time.monotonic()
        resp = c.post("/workflow/start", json={"url": url, "num_variants": variants})
        resp.raise_for_status()
        run_id = resp.json()["workflow_id"]
        out: dict[str, Any] = {"progress": 0, "steps": {}, "awaiting_s": float("nan"), "cpu_s": float("nan")}
        with c.stream("GET", f"/workflow/stream/{run_id}") as stream:
            for ev in iter_sse(stream, deadline=time.monotonic() + 120):
                kind = ev.data["type"]
                data = ev.data.get("data") or {}
                if kind == "creative_rendered":
                    out["progress"] += 1
                if kind == "step_completed":
                    out["steps"][data.get("step")] = float(data.get("duration_ms", float("nan")))
                if kind in ("awaiting_approval", "failed", "cancelled"):
                    out["awaiting_s"] = time.monotonic() - t0 if kind == "awaiting_approval" else float("nan")
                    cpu1 = cpu_seconds()
                    out["cpu_s"], out["temporal_cpu_s"] = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
                    break
        if out["awaiting_s"] != out["awaiting_s"]:  # failed (a loaded machine can time a fetch out): no approval
            print(f"  run {run_id} with {variants} variants did not reach review; left out", file=sys.stderr)
            return out
        t1 = time.monotonic()
        c.post(f"/workflow/approve/{run_id}", json={"variant_ids": ["v1"]}).raise_for_status()
        with c.stream("GET", f"/workflow/stream/{run_id}") as stream:
            for ev in iter_sse(stream, deadline=time.monotonic() + 120):
                if ev.data["type"] in ("completed", "failed"):
                    out["export_s"] = time.monotonic() - t1
                    break
    return out


def measure_engine(api: ApiServer, url: str, counts: list[int], runs: int) -> dict[int, list[dict[str, Any]]]:
    one_run(api, url, max(counts))  # warm-up: imports, fonts, the pool's processes, first workflow task
    out: dict[int, list[dict[str, Any]]] = {n: [] for n in counts}
    # Round-robin over the counts: this VM's CPU speed drifts by ±20 % within a minute, and measured
    # one count after the other, a drift tilted the per-variant slope (the same code read 52-83 ms).
    for _ in range(runs):
        for n in counts:
            out[n].append(one_run(api, url, n))
    return out


# ---------------------------------------------------------------------------- per-stage breakdown


class StageTimer:
    """Wraps functions so each call's time is charged to its stage, minus time in nested stages."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[list[float]] = []  # [start, time spent in nested stages]

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([time.process_time(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                start, nested = self._stack.pop()
                spent = time.process_time() - start
                self.totals[stage] += spent - nested
                if self._stack:
                    self._stack[-1][1] += spent

        return timed


# (module, attribute, stage): the compose functions as the render path calls them.
STAGES: list[tuple[str, str, str]] = [
    ("brandtruth.pipeline.compose", "load_image", "decode photo/logo"),
    ("brandtruth.pipeline.compose.render", "layout_for_image", "layout"),
    ("brandtruth.pipeline.compose.render", "fit_text", "text fitting"),
    ("brandtruth.pipeline.compose.elements", "fit_text", "text fitting"),
    ("brandtruth.pipeline.compose.render", "smart_crop", "crop/saliency"),
    ("brandtruth.pipeline.compose.render", "shared_crop", "crop/saliency"),
    ("brandtruth.pipeline.compose.render", "brand_background", "background"),
    ("brandtruth.pipeline.compose.render", "gradient", "background"),
    ("brandtruth.pipeline.compose.render", "apply_scrim", "scrim + contrast"),
    ("brandtruth.pipeline.compose.elements", "min_contrast", "scrim + contrast"),
    ("brandtruth.pipeline.compose.render", "logo_lockup", "logo"),
    ("brandtruth.pipeline.compose.render", "mark_with_name", "logo"),
    ("brandtruth.pipeline.compose", "encode_png", "encode PNG"),
    ("brandtruth.pipeline.compose", "encode_jpeg", "encode JPEG"),
    ("brandtruth.pipeline.compose", "thumbnail", "thumbnail resize"),
    ("brandtruth.pipeline.compose", "measure_palette", "palette probe"),
    ("brandtruth.pipeline.compose.elements", "TextElement.mask", "text masks"),
    ("brandtruth.pipeline.compose.elements", "TextElement.paint", "paint text + button"),
    ("brandtruth.pipeline.compose.render", "_paint_button", "paint text + button"),
    ("brandtruth.pipeline.compose.render", "average_colour", "scrim + contrast"),
    ("brandtruth.pipeline.artifacts", "LocalArtifactStore.put", "store writes"),
    ("brandtruth.pipeline.artifacts", "LocalArtifactStore.get", "store reads"),
]


@contextmanager
def stage_timers(timer: StageTimer) -> Iterator[None]:
    import importlib

    saved = []
    for module_name, path, stage in STAGES:
        owner: Any = importlib.import_module(module_name)
        *parents, attr = path.split(".")
        for name in parents:
            owner = getattr(owner, name)
        if not hasattr(owner, attr):
            continue  # a stage the code no longer has
        saved.append((owner, attr, owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)))
        setattr(owner, attr, timer.wrap(stage, getattr(owner, attr)))
    try:
        yield
    finally:
        for owner, attr, fn in reversed(saved):
            setattr(owner, attr, fn)


def _clear_caches() -> None:
    """What a pool process holds from earlier runs of the same brand: a new brand starts without it."""
    from brandtruth.pipeline.compose import background, output

    output._decode.cache_clear()
    background._brand_background.cache_clear()
    background.gradient.cache_clear()


async def _prepare(settings: Any, url: str, variants: int) -> tuple[Any, Any, Any, Any]:
    from brandtruth.pipeline import cpu
    from brandtruth.pipeline.models import ExtractInput, GenerateInput, MatchInput
    from brandtruth.steps import Steps

    cpu.configure(0)  # everything in this process, so the timers see it
    steps = Steps(settings)
    brand = await steps.extract(ExtractInput(run_id="stages", url=url))
    gen = await steps.generate(GenerateInput(run_id="stages", brand=brand, num_variants=variants))
    matches = (await steps.match(MatchInput(run_id="stages", brand=brand, variants=gen.variants))).matches
    return steps, brand, gen.variants, matches


def stage_breakdown(settings: Any, url: str, variants: int, passes: int) -> tuple[dict[str, float], float, int]:
    from brandtruth.pipeline import compose
    from brandtruth.pipeline.models import ComposeInput

    steps, brand, vs, matches = asyncio.run(_prepare(settings, url, variants))

    def compose_all(timer: StageTimer | None) -> tuple[float, int]:
        _clear_caches()
        n, start = 0, time.process_time()
        for v in vs:
            inp = ComposeInput(run_id="stages", brand=brand, variant=v, matches=[m for m in matches if m.variant_id == v.id])
            if timer is None:
                n += len(compose.compose_variant(inp, steps.store).creatives)
                continue
            with stage_timers(timer):
                n += len(compose.compose_variant(inp, steps.store).creatives)
        return time.process_time() - start, n

    compose_all(None)  # warm-up: imports, fonts
    timer, wall, count = StageTimer(), 0.0, 0
    for _ in range(passes):
        w, n = compose_all(timer)
        wall, count = wall + w, count + n
    return {k: v / count * 1000 for k, v in timer.totals.items()}, wall / count * 1000, count // passes


# ---------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default="1,3,6,10")
    parser.add_argument("--site", default="northwind-analytics")
    parser.add_argument("--engines", default="temporal,local")
    parser.add_argument("--stage-passes", type=int, default=3, help="0: no per-stage breakdown")
    parser.add_argument("--stages-only", action="store_true")
    args = parser.parse_args()
    counts = [int(x) for x in args.variants.split(",")]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]

    results: dict[str, dict[int, list[dict[str, Any]]]] = {}
    with tempfile.TemporaryDirectory() as tmp, serve_sites() as sites:
        url = f"{sites.base_url}/{args.site}/"
        temporal = DevServer().start() if not args.stages_only else None
        try:
            for engine in engines if temporal else []:
                host = temporal.address if engine == "temporal" else f"127.0.0.1:{free_port()}"
                settings = make_settings(Path(tmp) / engine, host, f"bench-{uuid.uuid4().hex[:6]}")
                api = ApiServer(settings, embedded_worker=engine == "temporal").start()
                try:
                    api.wait_healthy("healthy" if engine == "temporal" else "degraded")
                    results[engine] = measure_engine(api, url, counts, args.runs)
                finally:
                    api.stop()
        finally:
            if temporal:
                temporal.stop()
        from brandtruth.pipeline import cpu

        cpu.shutdown()
        stage_settings = make_settings(Path(tmp) / "stages", "127.0.0.1:1", "stages")
        breakdown = stage_breakdown(stage_settings, url, max(counts), args.stage_passes) if args.stage_passes > 0 else None

    print(f"\n{args.site}, {args.runs} runs per point (after a warm-up), all three formats, loopback\n")
    steps = ("extract", "generate", "match", "compose", "score")
    head = f"{'engine':<10}{'variants':>9}{'p50 s':>8}{'p90 s':>8}{'max s':>8}   step p50 ms: "
    print(head + " ".join(f"{s:>8}" for s in steps) + f"{'progress ev':>13}{'export s':>10}{'CPU s':>7}{'Tmprl CPU':>10}")
    for engine, by_n in results.items():
        for n, runs in by_n.items():
            aw = [r["awaiting_s"] for r in runs]
            per_step = [median(r["steps"].get(s, float("nan")) for r in runs) for s in steps]
            prog = median(r["progress"] for r in runs)
            exp = median(r.get("export_s", float("nan")) for r in runs)
            cpu = median(r.get("cpu_s", float("nan")) for r in runs)
            tcpu = median(r.get("temporal_cpu_s", float("nan")) for r in runs)
            print(
                f"{engine:<10}{n:>9}{pct(aw, 50):>8.2f}{pct(aw, 90):>8.2f}{max(aw, default=float('nan')):>8.2f}{'':15}"
                + " ".join(f"{ms:>8.0f}" for ms in per_step)
                + f"{prog:>13.0f}{exp:>10.2f}{cpu:>7.2f}{tcpu:>10.2f}"
            )
        medians = [median(r["awaiting_s"] for r in by_n[n]) for n in counts]
        per = slope([float(n) for n in counts], medians) * 1000
        cpus = [median(r.get("cpu_s", float("nan")) for r in by_n[n]) for n in counts]
        cpu_per = slope([float(n) for n in counts], cpus) * 1000
        verdicts = [
            f"{n} variants {median(r['awaiting_s'] for r in by_n[n]):.2f} s (<= {t})" for n, t in TARGETS.items() if n in by_n
        ]
        print(
            f"{engine:<10} cost per added variant {per:.0f} ms (target <= {TARGET_PER_VARIANT_MS:.0f}), "
            f"{cpu_per:.0f} ms of CPU (API, worker and pool; load-independent);  " + ";  ".join(verdicts)
        )
    if breakdown is None:
        return
    stages, per_creative_ms, creatives = breakdown
    print(f"\nper creative, compose CPU time in one process ({creatives} creatives a pass, caches cleared per pass):", end=" ")
    print(f"{per_creative_ms:.1f} ms")
    other = per_creative_ms - sum(stages.values())
    for stage, ms in sorted([*stages.items(), ("other (canvas copies, glue)", other)], key=lambda kv: -kv[1]):
        print(f"  {stage:<34}{ms:>7.1f} ms  {ms / per_creative_ms:>5.0%}")


if __name__ == "__main__":
    main()
