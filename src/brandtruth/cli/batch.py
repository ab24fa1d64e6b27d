"""`batch FILE --concurrency K`: many runs, client-side, at most K at a time, with one summary.

FILE holds URLs one per line (blank lines and `#` comments skipped) or a JSON list whose items
are URLs or objects {"url": ..., "num_variants": 2, "formats": [...], ...} overriding the options.
One failing URL never stops the others; the exit code is 1 if any failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .client import TERMINAL, ApiError, BrandTruthClient
from .commands import print_json, request_body, split_ids, variant_id_problem
from .display import styled


@dataclass
class Outcome:
    url: str
    run_id: str = ""
    status: str = "not started"
    ok: bool = False
    seconds: float = 0.0
    error: str = ""


def read_batch_file(path: Path) -> list[dict[str, Any]]:
    """The runs to start, each {"url": ..., **overrides}. Raises ValueError with what is wrong."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        items = json.loads(text)
        runs = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                runs.append({"url": item})
            elif isinstance(item, dict) and isinstance(item.get("url"), str):
                runs.append(dict(item))
            else:
                raise ValueError(f'item {i} of {path} must be a URL or an object with a "url"')
        return runs
    return [{"url": line.strip()} for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


async def run_one(
    client: BrandTruthClient, item: dict[str, Any], args: argparse.Namespace, progress: Progress, overall: Any
) -> Outcome:
    item = dict(item)
    url = item.pop("url")
    approve = split_ids([item.pop("approve")] if "approve" in item else ([args.approve] if args.approve else []))
    out = Outcome(url=url)
    task = progress.add_task(escape(url), total=100, status="starting")
    t0 = time.monotonic()
    try:
        out.run_id = (await client.start(request_body(url, args, item)))["workflow_id"]
        async for ev in client.events(out.run_id):
            out.status = ev["status"]
            progress.update(task, completed=ev["percent"], status=f"{escape(out.status)} {ev.get('current_step') or ''}")
            if ev["type"] == "awaiting_approval":
                if not approve:
                    break  # ready for review: success for a batch without --approve
                await client.approve(out.run_id, approve)
            if ev["type"] in TERMINAL:
                out.error = ev.get("message", "") if ev["type"] != "completed" else ""
        out.ok = out.status == ("completed" if approve else "awaiting_approval")
        if not out.ok and not out.error:
            out.error = f"ended as {out.status}"
    except ApiError as exc:
        out.status = out.status if out.run_id else "not started"
        out.error = str(exc)
    out.seconds = time.monotonic() - t0
    progress.update(task, completed=100 if out.ok else progress.tasks[task].completed, status=styled(out.status))
    progress.advance(overall)
    return out


async def cmd_batch(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    try:
        items = read_batch_file(Path(args.file))
    except (OSError, ValueError) as exc:
        console.print(f"[red]Cannot read batch file:[/] {escape(str(exc))}")
        return 2
    if not items:
        console.print(f"[red]{args.file} lists no URLs.[/]")
        return 2
    for item in items:  # an approval no run could accept is refused before any run starts
        ids = split_ids([item["approve"]] if "approve" in item else ([args.approve] if args.approve else []))
        n = item.get("num_variants", args.variants)
        problem = variant_id_problem(ids, n if isinstance(n, int) else None) if ids else None
        if problem:
            console.print(f"[red]Cannot approve for {escape(str(item['url']))}:[/] {escape(problem)}")
            return 2
    sem = asyncio.Semaphore(max(1, args.concurrency))
    t0 = time.monotonic()
    columns = (
        TextColumn("{task.description:<40.40}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        overall = progress.add_task(f"batch ({len(items)} runs, {args.concurrency} at a time)", total=len(items), status="")

        async def limited(item: dict[str, Any]) -> Outcome:
            async with sem:
                return await run_one(client, item, args, progress, overall)

        outcomes = await asyncio.gather(*(limited(i) for i in items))
    wall = time.monotonic() - t0
    failed = [o for o in outcomes if not o.ok]
    avg = sum(o.seconds for o in outcomes) / len(outcomes)
    if args.json:
        totals = {"total": len(outcomes), "succeeded": len(outcomes) - len(failed), "failed": len(failed)}
        summary = {**totals, "total_duration_seconds": round(wall, 3), "average_duration_seconds": round(avg, 3)}
        print_json({"summary": summary, "runs": [asdict(o) for o in outcomes]})
        return 1 if failed else 0
    console.print(summary_table(outcomes))
    console.print(
        f"Summary: total {len(outcomes)}, succeeded {len(outcomes) - len(failed)}, failed {len(failed)}, "
        f"total duration {wall:.1f}s, average duration {avg:.1f}s"
    )
    return 1 if failed else 0


def summary_table(outcomes: list[Outcome]) -> Table:
    table = Table(title="Batch summary")
    for col in ("url", "run", "status", "seconds", "error"):
        table.add_column(col, overflow="fold")
    for o in outcomes:
        table.add_row(escape(o.url), o.run_id or "-", styled(o.status), f"{o.seconds:.1f}", escape(o.error))
    return table
