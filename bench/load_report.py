"""The result record of bench/load.py and its printed report with PASS/FAIL against the targets."""

from __future__ import annotations

import argparse
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from loadkit import LoopLag, Probe, Sampler, pct

TARGET_P95_MS = 250.0
TARGET_RSS_MB = 600.0
MB = 1024 * 1024


@dataclass
class Results:
    live_ms: list[float] = field(default_factory=list)
    by_type: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    backlog: int = 0
    connect_ms: list[float] = field(default_factory=list)
    approve_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)
    engines: Counter[str] = field(default_factory=Counter)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    open_at_last_start: int = 0  # followed runs not ended when the last run started
    working_at_last_start: int = 0  # ... and of those, not yet awaiting approval

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 15:
            self.samples.append(f"{kind}: {what}")


def row(label: str, values: list[float]) -> str:
    if not values:
        return f"  {label:<28}{'(none)':>10}"
    return (
        f"  {label:<28}{len(values):>7}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}{pct(values, 99):>9.1f}{max(values):>9.1f}"
    )


def report(args: argparse.Namespace, res: Results, sampler: Sampler, lag: LoopLag, probe: Probe) -> bool:
    print(
        f"\nBrandTruth load: {args.runs} runs x {args.variants} variants {args.formats}, "
        f"{args.subscribers} SSE subscribers, loopback, {os.cpu_count()} CPUs; engines {dict(res.engines)}"
    )
    followed = sum(1 for i in range(args.runs) if i < args.subscribers)
    print(
        f"  starts spread over {args.ramp:g} s; when the last run started, {res.open_at_last_start} of the {followed} "
        f"followed runs were open, {res.working_at_last_start} still working towards approval; "
        f"approvals: {args.approve}\n"
    )
    for name, seconds in res.phases.items():
        print(f"  {name:<40}{seconds:>8.2f} s")
    print(f"\n  {'latency (ms)':<28}{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    print(row("event delivery, all live", res.live_ms))
    for kind in sorted(res.by_type, key=lambda k: -len(res.by_type[k])):
        print(row(f"  {kind}", res.by_type[kind]))
    print(row("stream open (GET -> 200)", res.connect_ms))
    print(row("approve (POST -> decision)", res.approve_ms))
    print(row("bench client loop lag", lag.lags_ms))
    print(row("Temporal describe (server)", probe.describe_ms))
    print(row("Temporal query (+worker)", probe.query_ms))
    print(f"  ({res.backlog} replayed backlog events not counted as live)")
    if args.show_slowest:
        print("  slowest deliveries:")
        for ms, what in sorted(res.slowest, reverse=True)[: args.show_slowest]:
            print(f"    {ms:8.1f} ms  {what}")
    print()
    print(f"  {'process':<28}{'CPU s (load)':>14}{'peak RSS MB':>14}")
    for name, u in sampler.usage.items():
        note = {"worker": "  (with its CPU pool processes)"}.get(name, "" if name == "api" else "  (not in the RSS target)")
        print(f"  {name:<28}{u.cpu_since_mark:>14.1f}{u.peak_rss / MB:>14.1f}{note}")
    errors = sum(res.errors.values())
    print(f"\n  errors: {errors} ({', '.join(f'{k} {v}' for k, v in res.errors.items()) or 'none'})")
    for s in res.samples:
        print(f"    {s}")
    p95 = pct(res.live_ms, 95)
    rss = (sampler.usage["api"].peak_rss + sampler.usage["worker"].peak_rss) / MB
    checks = [
        (f"p95 event delivery <= {TARGET_P95_MS:.0f} ms", f"{p95:.1f} ms", p95 <= TARGET_P95_MS),
        ("errors == 0", str(errors), errors == 0),
        (f"API + worker peak RSS <= {TARGET_RSS_MB:.0f} MB", f"{rss:.1f} MB", rss <= TARGET_RSS_MB),
    ]
    print("\n  targets")
    for label, value, ok in checks:
        print(f"    {label:<36}{value:>12}   {'PASS' if ok else 'FAIL'}")
    return all(ok for *_, ok in checks)
