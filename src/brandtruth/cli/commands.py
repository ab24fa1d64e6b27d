"""The single-run commands: run (with live step bars and approval), status, approve, revise, cancel, health, list."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt
from rich.table import Table

from .client import TERMINAL, BrandTruthClient
from .display import StepBars, health_table, progress_table, show_variants, step_progress, styled


def request_body(url: str, args: argparse.Namespace, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST /workflow/start body from the command-line options, with per-URL overrides (batch files)."""
    body: dict[str, Any] = {"url": url, "num_variants": args.variants}
    if args.formats:
        body["formats"] = args.formats
    if args.provider:
        body["provider"] = args.provider
    if args.platform:
        body["platform"] = args.platform
    body.update(overrides or {})
    return body


def split_ids(values: list[str]) -> list[str]:
    """'v1,v2' and 'v1 v2' both mean ['v1', 'v2']."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


async def follow(
    client: BrandTruthClient, run_id: str, console: Console, after: int = 0, stop_at_review: bool = True
) -> dict[str, Any]:
    """Show the run's events as per-step bars until it waits for review (or ends); return the last event."""
    last: dict[str, Any] = {"id": after, "type": "", "status": ""}
    if after:  # the steps are behind us: just report what happens next
        async for ev in client.events(run_id, after):
            last = ev
            console.print(f"{styled(ev['type'])} {escape(ev.get('message', ''))}")
        return last
    with step_progress(console) as progress:
        bars = StepBars(progress)
        async for ev in client.events(run_id, after):
            last = ev
            bars.apply(ev)
            if stop_at_review and ev["type"] == "awaiting_approval":
                break
    return last


async def cmd_run(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    started = await client.start(request_body(args.url, args))
    run_id = started["workflow_id"]
    console.print(
        f"Started [bold]{escape(run_id)}[/] on the {escape(str(started.get('engine', '?')))} engine for {escape(args.url)}"
    )
    last = await follow(client, run_id, console)
    result = await client.result(run_id)
    if last["type"] != "awaiting_approval":
        why = result.get("error") or last.get("message", "")
        console.print(f"[red]Run ended as {escape(str(last.get('status')))}[/]: {escape(why)}")
        return 0 if last.get("status") == "completed" else 1
    await show_variants(client, result, console)
    if args.interactive:
        answer = Prompt.ask(
            "Approve which variants? (e.g. v1,v2; empty to decide later)", console=console, default="", show_default=False
        )
        ids = split_ids([answer])
    else:
        ids = split_ids([args.approve] if args.approve else [])
    if not ids:
        console.print(f"Waiting for review. Approve later with: python -m brandtruth.cli approve {run_id} v1 v2")
        return 0
    decision = await client.approve(run_id, ids, args.approver)
    console.print(f"Approved {', '.join(decision['variant_ids'])}")
    last = await follow(client, run_id, console, after=last["id"], stop_at_review=False)
    final = await client.result(run_id)
    if final.get("export_url"):
        url = client.link(final["export_url"], (await client.run_token(run_id))["token"])
        console.print(f"Export bundle: {escape(url)}", soft_wrap=True, highlight=False)
    return 0 if last.get("status") == "completed" else 1


async def cmd_status(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    p = await client.progress(args.id)
    console.print(progress_table(p))
    if p.get("error"):
        console.print(f"[red]Error:[/] {escape(p['error'])}")
    if p["status"] in ("awaiting_approval", *TERMINAL) and p.get("variants"):
        await show_variants(client, await client.result(args.id), console)
    return 0


async def cmd_approve(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    decision = await client.approve(args.id, split_ids(args.variant_ids), args.approver)
    console.print(f"Approved {', '.join(decision['variant_ids'])} on {args.id}")
    return 0


async def cmd_revise(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    decision = await client.revise(args.id, split_ids(args.variant_ids), args.feedback)
    console.print(
        f"Revision of {', '.join(decision['variant_ids'])} requested on {args.id}; "
        f"follow it with: python -m brandtruth.cli status {args.id}"
    )
    return 0


async def cmd_cancel(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    answer = await client.cancel(args.id)
    console.print(f"{args.id}: {escape(str(answer.get('status', answer)))}")
    return 0


async def cmd_health(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    h = await client.health()
    console.print(health_table(h))
    if h.get("status") == "degraded":
        console.print(f"[yellow]Degraded mode:[/] {escape(str(h.get('message', '')))}")
    return 0


async def cmd_list(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    table = Table(title="Recent runs")
    for col in ("workflow_id", "engine", "status", "url", "created_at"):
        table.add_column(col, overflow="fold")
    for r in await client.list_runs(args.limit, args.offset):
        table.add_row(
            escape(r["workflow_id"]),
            escape(r["engine"]),
            styled(r["status"]),
            escape(r.get("url", "")),
            str(r.get("created_at", "")),
        )
    console.print(table)
    return 0
