"""The single-run commands: run (with live step bars and approval), status, result, approve, revise,
reject, cancel, health, list. With --json each prints the server's JSON answer on stdout instead."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt
from rich.table import Table

from .client import TERMINAL, BrandTruthClient
from .display import StepBars, health_table, history_lines, progress_table, show_variants, step_progress, styled

MAX_VARIANTS = 10  # the server's bound on num_variants (and so on variant ids: v1..v10)
VARIANT_ID = re.compile(r"v([1-9][0-9]*)")  # the server names a run's variants v1..vN (N = num_variants)


def print_json(value: Any) -> None:
    """One JSON document on stdout (the only thing stdout carries with --json)."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


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


def variant_id_problem(ids: list[str], num_variants: int | None = None) -> str | None:
    """Why these variant ids can never be accepted (wrong form, or beyond a run of `num_variants`), or None."""
    if not ids:
        return "name at least one variant, e.g. v1"
    bad = [i for i in ids if not VARIANT_ID.fullmatch(i)]
    if bad:
        return f"{', '.join(bad)}: variant ids are v1, v2, ... (as the variants table shows them)"
    if num_variants is not None:
        beyond = [i for i in ids if int(i[1:]) > num_variants]
        if beyond:
            have = ", ".join(f"v{n}" for n in range(1, num_variants + 1))
            return f"{', '.join(beyond)}: a run of {num_variants} variant(s) has {have}"
    return None


async def follow(
    client: BrandTruthClient, run_id: str, console: Console, after: int = 0, stop_at_review: bool = True, quiet: bool = False
) -> dict[str, Any]:
    """Show the run's events as per-step bars until it waits for review (or ends); return the last event.
    With --json the events are not shown (stdout is for the final document)."""
    last: dict[str, Any] = {"id": after, "type": "", "status": ""}
    if quiet:
        async for ev in client.events(run_id, after):
            last = ev
            if stop_at_review and ev["type"] == "awaiting_approval":
                break
        return last
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
    last = await follow(client, run_id, console, quiet=args.json)
    result = await client.result(run_id)
    if last["type"] != "awaiting_approval":
        why = result.get("error") or last.get("message", "")
        if args.json:
            print_json(result)
        else:
            console.print(f"[red]Run ended as {escape(str(last.get('status')))}[/]: {escape(why)}")
        return 0 if last.get("status") == "completed" else 1
    if not args.json:
        await show_variants(client, result, console)
    if args.interactive:
        answer = Prompt.ask(
            "Approve which variants? (e.g. v1,v2; empty to decide later)", console=console, default="", show_default=False
        )
        ids = split_ids([answer])
    else:
        ids = split_ids([args.approve] if args.approve else [])
    if not ids:
        if args.json:
            print_json(result)
        else:
            console.print(f"Waiting for review. Approve later with: brandtruth approve {run_id} v1 v2")
        return 0
    decision = await client.approve(run_id, ids, args.approver)
    console.print(f"Approved {', '.join(decision['variant_ids'])}")
    last = await follow(client, run_id, console, after=last["id"], stop_at_review=False, quiet=args.json)
    final = await client.result(run_id)
    if args.json:
        print_json(final)
    elif final.get("export_url"):
        url = client.link(final["export_url"], (await client.run_token(run_id))["token"])
        console.print(f"Export bundle: {escape(url)}", soft_wrap=True, highlight=False)
    return 0 if last.get("status") == "completed" else 1


async def cmd_status(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    p = await client.progress(args.id)
    if args.json:
        print_json(p)
        return 0
    console.print(progress_table(p))
    if p.get("error"):
        console.print(f"[red]Error:[/] {escape(p['error'])}")
    if p["status"] in ("awaiting_approval", *TERMINAL) and p.get("variants"):
        await show_variants(client, await client.result(args.id), console)
    return 0


async def cmd_result(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    result = await client.result(args.id)
    if args.json:
        print_json(result)
        return 0
    status = str(result.get("status"))
    console.print(f"[bold]{escape(args.id)}[/] ({escape(str(result.get('engine')))}): {styled(status)}")
    if result.get("error"):
        console.print(f"[red]Error:[/] {escape(str(result['error']))}")
    if result.get("variants"):
        await show_variants(client, result, console)
    for line in history_lines(result):
        console.print(line, highlight=False)
    if result.get("export_url"):
        url = client.link(result["export_url"], (await client.run_token(args.id))["token"])
        console.print(f"Export bundle: {escape(url)}", soft_wrap=True, highlight=False)
    if result.get("temporal_ui_url"):
        console.print(f"In the Temporal UI: {escape(result['temporal_ui_url'])}", soft_wrap=True, highlight=False)
    return 1 if status in ("failed", "cancelled", "expired") else 0


async def cmd_approve(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    decision = await client.approve(args.id, split_ids(args.variant_ids), args.approver)
    if args.json:
        print_json(decision)
        return 0
    console.print(f"Approved {', '.join(decision['variant_ids'])} on {args.id}")
    return 0


async def cmd_revise(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    decision = await client.revise(args.id, split_ids(args.variant_ids), args.feedback)
    if args.json:
        print_json(decision)
        return 0
    console.print(
        f"Revision of {', '.join(decision['variant_ids'])} requested on {args.id}; follow it with: brandtruth status {args.id}"
    )
    return 0


async def cmd_reject(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    decision = await client.reject(args.id, args.reason, args.approver)
    if args.json:
        print_json(decision)
        return 0
    console.print(f"Rejected {args.id}" + (f": {escape(args.reason)}" if args.reason else "") + "; the run ends unused.")
    return 0


async def cmd_cancel(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    answer = await client.cancel(args.id)
    if args.json:
        print_json(answer)
        return 0
    console.print(f"{args.id}: {escape(str(answer.get('status', answer)))}")
    return 0


async def cmd_health(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    h = await client.health()
    if args.json:
        print_json(h)
        return 0
    console.print(health_table(h))
    if h.get("status") == "degraded":
        console.print(f"[yellow]Degraded mode:[/] {escape(str(h.get('message', '')))}")
    return 0


async def cmd_list(args: argparse.Namespace, client: BrandTruthClient, console: Console) -> int:
    runs, next_cursor = await client.list_runs(args.limit, args.status, args.search, args.cursor)
    if args.json:
        print_json({"runs": runs, "next_cursor": next_cursor})
        return 0
    table = Table(title="Runs, newest first")
    for col in ("workflow_id", "engine", "status", "brand", "url", "created_at"):
        table.add_column(col, overflow="fold")
    for r in runs:
        status = styled(r["status"]) + (f" [dim]({escape(r['status_reason'])})[/]" if r.get("status_reason") else "")
        table.add_row(
            escape(r["workflow_id"]),
            escape(r["engine"]),
            status,
            escape(r.get("brand_name", "")),
            escape(r.get("url", "")),
            str(r.get("created_at", "")),
        )
    console.print(table)
    if next_cursor:
        console.print(f"More: brandtruth list --limit {args.limit} --cursor {next_cursor}", soft_wrap=True, highlight=False)
    return 0
