"""Copy quality over every fixture site, and how well the score ranks our labelled judgement set.

    .venv/bin/python bench/copy_eval.py [--variants 5] [--platform meta] [--examples 3] [--json out.json]

Per site: extract (loopback fixture server) -> offline generate -> score, then the copy lint
(src/brandtruth/pipeline/lint.py) on every variant. Reports the lint-clean share of variants (target 100 %),
whether the recommended variant is clean and passed the truth check ("would run"-like), language
correctness on non-English sites (no wrong_language / mixed_language fault, language detected as
labelled), time per run, and three example variants per site. Then, over tests/fixtures/judgements.json,
the score's pairwise ranking accuracy (target >= 0.85) and whether each site's recommended entry is
labelled "would run".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtruth.pipeline.artifacts import LocalArtifactStore  # noqa: E402
from brandtruth.pipeline.extract import extract_brand  # noqa: E402
from brandtruth.pipeline.fetch import Fetcher, FetchPolicy  # noqa: E402
from brandtruth.pipeline.generate import generate_copy  # noqa: E402
from brandtruth.pipeline.lint import lint_variant  # noqa: E402
from brandtruth.pipeline.llm import OfflineProvider  # noqa: E402
from brandtruth.pipeline.models import BrandProfile, ExtractInput, GenerateInput, ScoreInput  # noqa: E402
from brandtruth.pipeline.score import score_variants  # noqa: E402
from tests.support.judging import JUDGEMENTS, judge_site, load_judgements, pairwise, recommended  # noqa: E402
from tests.support.sites import SITES_DIR, serve_sites  # noqa: E402

POLICY = FetchPolicy(allow_loopback=True)
LANGUAGE_FAULTS = {"wrong_language", "mixed_language"}


def fixture_sites() -> list[str]:
    return sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.json").exists())


async def extract(url: str, store: LocalArtifactStore) -> BrandProfile:
    async with Fetcher(POLICY) as fetcher:
        return await extract_brand(ExtractInput(run_id="copy-eval", url=url, max_pages=5), fetcher, store)


@dataclass
class SiteResult:
    site: str
    language: str
    language_detected: str
    variants: int
    dropped: int
    clean: int
    language_clean: int
    fault_codes: dict[str, int]
    recommended_runs: bool
    extract_s: float
    generate_score_s: float
    lint_ms: float
    examples: list[dict[str, object]]
    brand: BrandProfile = field(repr=False)


@dataclass
class SiteJudgement:
    entries: int
    pairs: int
    accuracy: float | None
    recommended_runs: bool
    recommended: str | None


async def run_site(base: str, site: str, store: LocalArtifactStore, args: argparse.Namespace) -> SiteResult:
    expected = json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    brand = await extract(f"{base}/{site}/", store)
    t1 = time.perf_counter()
    gen = await generate_copy(
        GenerateInput(run_id="copy-eval", brand=brand, num_variants=args.variants, platform=args.platform),
        OfflineProvider(),
    )
    scored = score_variants(ScoreInput(run_id="copy-eval", brand=brand, variants=gen.variants, platform=args.platform))
    t2 = time.perf_counter()
    faults = {v.id: lint_variant(v, brand) for v in gen.variants}
    # Lint cost per variant: a fresh profile (vocabulary built once), then every variant 20 times.
    fresh = brand.model_copy(deep=True)
    t3 = time.perf_counter()
    for _ in range(20):
        for v in gen.variants:
            lint_variant(v, fresh)
    lint_ms = (time.perf_counter() - t3) * 1000 / max(1, 20 * len(gen.variants))
    by_id = {s.variant_id: s for s in scored.scores}
    rec = next((v for v in gen.variants if by_id[v.id].recommended), None)
    return SiteResult(
        site=site,
        language=expected.get("language", "en"),
        language_detected=brand.language,
        variants=len(gen.variants),
        dropped=len(gen.dropped),
        clean=sum(not f for f in faults.values()),
        language_clean=sum(not any(x.code in LANGUAGE_FAULTS for x in f) for f in faults.values()),
        fault_codes=dict(Counter(x.code for f in faults.values() for x in f)),
        recommended_runs=bool(rec and not faults[rec.id] and rec.truth and rec.truth.verdict == "supported"),
        extract_s=t1 - t0,
        generate_score_s=t2 - t1,
        lint_ms=lint_ms,
        examples=[
            {
                "id": v.id,
                "angle": v.angle,
                "headline": v.headline,
                "body": v.body,
                "cta": v.cta,
                "score": by_id[v.id].score,
                "recommended": by_id[v.id].recommended,
                "faults": [f"{x.code}: {x.text}" for x in faults[v.id]],
            }
            for v in gen.variants
        ],
        brand=brand,
    )


Judged = tuple[float | None, int, dict[str, SiteJudgement], tuple[float | None, int]]


def judgement_report(brands: dict[str, BrandProfile], platform: str) -> Judged:
    """(pairwise accuracy over every site, pairs, per site, (holdout accuracy, holdout pairs))."""
    per_site: dict[str, SiteJudgement] = {}
    correct, total = 0.0, 0
    held_correct, held_total = 0.0, 0
    sets = load_judgements() if JUDGEMENTS.exists() else {}
    for site, entries in sets.items():
        if site not in brands:
            continue
        judged = judge_site(entries, brands[site], platform)
        c, t = pairwise(judged)
        correct, total = correct + c, total + t
        hc, ht = pairwise(judged, holdout_only=True)
        held_correct, held_total = held_correct + hc, held_total + ht
        best = recommended(judged)
        per_site[site] = SiteJudgement(
            len(entries), t, c / t if t else None, bool(best and best.runs), best.entry["headline"] if best else None
        )
    held = (held_correct / held_total if held_total else None), held_total
    return (correct / total if total else None), total, per_site, held


def print_report(rows: list[SiteResult], judged: Judged, examples: int) -> None:
    print(f"{'site':24} {'lang':>7} {'clean':>7} {'lang ok':>8} {'rec ok':>6} {'extract':>8} {'gen+score':>9}  faults")
    for r in rows:
        lang = f"{r.language_detected}/{r.language}"
        faults = ", ".join(f"{k}×{n}" for k, n in sorted(r.fault_codes.items()))
        print(
            f"{r.site:24} {lang:>7} {r.clean}/{r.variants:<5} {r.language_clean}/{r.variants:<6} "
            f"{'yes' if r.recommended_runs else 'NO':>6} {r.extract_s * 1000:7.0f}ms "
            f"{r.generate_score_s * 1000:8.0f}ms  {faults}"
        )
    variants = sum(r.variants for r in rows)
    clean = sum(r.clean for r in rows)
    foreign = [r for r in rows if r.language != "en"]
    print()
    print(f"lint-clean variants        {clean}/{variants} = {clean / max(variants, 1):.0%}  (target 100%)")
    rec = sum(r.recommended_runs for r in rows)
    print(f"recommended would-run-like {rec}/{len(rows)} sites  (clean and truth-checked; target all)")
    if foreign:
        ok = sum(r.language_clean for r in foreign)
        n = sum(r.variants for r in foreign)
        detected = sum(r.language_detected == r.language for r in foreign)
        print(
            f"non-English sites          {len(foreign)}: language detected {detected}/{len(foreign)}, "
            f"variants without a language fault {ok}/{n}"
        )
    runs = [r.extract_s + r.generate_score_s for r in rows]
    gens = [r.generate_score_s for r in rows]
    print(
        f"time per run               extract+generate+score p50 {statistics.median(runs) * 1000:.0f} ms, "
        f"max {max(runs) * 1000:.0f} ms; generate+score p50 {statistics.median(gens) * 1000:.0f} ms, "
        f"max {max(gens) * 1000:.0f} ms"
    )
    lint_ms = [r.lint_ms for r in rows]
    print(
        f"copy lint                  mean {statistics.mean(lint_ms):.2f} ms per variant, max {max(lint_ms):.2f} ms "
        "(per site, vocabulary build included)"
    )
    acc, pairs, sites, (held, held_pairs) = judged
    print(
        f"judgement set              {sum(s.entries for s in sites.values())} entries over {len(sites)} sites, "
        f"{pairs} pairs: pairwise ranking accuracy {'n/a' if acc is None else f'{acc:.3f}'} (target >= 0.85); "
        f"pairs with a holdout entry {held_pairs}: {'n/a' if held is None else f'{held:.3f}'}"
    )
    for site, s in sites.items():
        acc_s = "n/a" if s.accuracy is None else f"{s.accuracy:.2f}"
        print(
            f"  {site:24} {s.entries:>3} entries  accuracy {acc_s}  recommended "
            f"{'would run' if s.recommended_runs else 'WOULD NOT RUN'}: {s.recommended}"
        )
    print()
    for r in rows:
        print(f"== {r.site} ({r.language_detected})")
        for ex in r.examples[:examples]:
            mark = "*" if ex["recommended"] else " "
            print(f" {mark}{ex['id']} [{ex['angle']}] {ex['score']:.1f}  {ex['headline']} | {ex['body']} | {ex['cta']}")
            for f in ex["faults"]:  # type: ignore[attr-defined]
                print(f"      ! {f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", type=int, default=5)
    parser.add_argument("--platform", default="meta")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, serve_sites() as sites:
        store = LocalArtifactStore(tmp)
        for site in fixture_sites():
            rows.append(await run_site(sites.base_url, site, store, args))
    judged = judgement_report({r.site: r.brand for r in rows}, args.platform)
    print_report(rows, judged, args.examples)
    if args.json:
        out = {
            "sites": [{k: v for k, v in asdict(r).items() if k != "brand"} for r in rows],
            "judgements": {
                "accuracy": judged[0],
                "pairs": judged[1],
                "holdout": judged[3],
                "sites": {k: asdict(v) for k, v in judged[2].items()},
            },
        }
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
