"""Terminal rendering with rich: per-step progress bars, the variants table, status and health."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .client import BrandTruthClient

STEPS = ("extract", "generate", "match", "compose", "score")
STATUS_STYLE = {
    "completed": "green",
    "awaiting_approval": "yellow",
    "approved": "yellow",
    "failed": "red",
    "cancelled": "red",
    "expired": "red",
    "rejected": "red",
    "running": "blue",
    "started": "blue",
}


def styled(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, 'white')}]{escape(str(status))}[/]"


def step_progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(finished_text="[green]✓[/]"),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


class StepBars:
    """One bar per pipeline step, driven by the run's progress events."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, TaskID] = {s: progress.add_task(s, total=1, start=False, info="[dim]pending[/]") for s in STEPS}

    def apply(self, ev: dict[str, Any]) -> None:
        data = ev.get("data") or {}
        step, kind = data.get("step"), ev["type"]
        if kind == "step_started" and step in self.tasks:
            attempt = data.get("attempt", 1)
            self.progress.start_task(self.tasks[step])
            self.progress.update(self.tasks[step], info="running" + (f" (attempt {attempt})" if attempt > 1 else ""))
        elif kind == "step_completed" and step in self.tasks:
            ms = data.get("duration_ms")
            message = escape(ev.get("message", ""))
            info = f"[green]{ms / 1000:.1f}s[/] {message}" if ms is not None else message
            self.progress.update(self.tasks[step], completed=1, info=info)
            self.progress.stop_task(self.tasks[step])
        elif kind == "failed" and ev.get("current_step") in self.tasks:
            self.progress.update(self.tasks[ev["current_step"]], info=f"[red]failed[/] {escape(ev.get('message', ''))}")
            self.progress.stop_task(self.tasks[ev["current_step"]])
        if kind in ("awaiting_approval", "approved", "completed", "failed", "cancelled", "expired", "rejected"):
            self.progress.console.print(f"{styled(ev['status'])} {escape(ev.get('message', ''))}")


def variants_table(client: BrandTruthClient, result: dict[str, Any]) -> Table:
    run_id = result["workflow_id"]
    table = Table(title=f"Variants of {run_id}", show_lines=True)
    for col in ("id", "score", "headline / body / CTA", "evidence", "creatives"):
        table.add_column(col, overflow="fold")
    for vr in result.get("variants", []):
        v, score = vr["variant"], vr.get("score") or {}
        mark = " [green]★ recommended[/]" if score.get("recommended") else ""
        mark += " [green]approved[/]" if vr.get("approved") else ""
        creatives = "\n".join(f"{c['format']} {c['width']}x{c['height']}" for c in vr.get("creatives", []))
        evidence = "\n".join(f"{f['text']} ({f['source_url']})" for f in vr.get("evidence", []))
        score_text = f"{score['score']:.0f}{mark}" if score else "-"
        copy = f"[bold]{escape(v['headline'])}[/]\n{escape(v['body'])}\n→ {escape(v['cta'])}"
        table.add_row(escape(v["id"]), score_text, copy, escape(evidence) or "[dim]none[/]", escape(creatives))
    return table


async def show_variants(client: BrandTruthClient, result: dict[str, Any], console: Console) -> None:
    """The variants table, then one creative URL per line (whole, so terminals can open them; on a
    server with tokens each carries a short-lived run token)."""
    console.print(variants_table(client, result))
    run_id = result["workflow_id"]
    token = await client.run_token(run_id)
    for vr in result.get("variants", []):
        for c in vr.get("creatives", []):
            url = client.artifact_url(run_id, c["key"], token["token"])
            console.print(f"{vr['variant']['id']} {c['format']:<9} {escape(url)}", soft_wrap=True, highlight=False)
    if token["token"]:
        console.print(f"[dim](these links work for {token['expires_in'] // 60} minutes)[/]")


def progress_table(p: dict[str, Any]) -> Table:
    table = Table(title=f"{escape(p['workflow_id'])} ({p['engine']}): {styled(p['status'])} {p['percent']}%")
    for col in ("step", "status", "attempts", "message"):
        table.add_column(col)
    for s in p["steps"]:
        table.add_row(s["name"], styled(s["status"]), str(s.get("attempts", 0)), escape(s.get("message", "")))
    return table


def health_table(h: dict[str, Any]) -> Table:
    colour = "green" if h.get("status") == "healthy" else "yellow"
    table = Table(title=f"BrandTruth health: [{colour}]{escape(str(h.get('status')))}[/]")
    table.add_column("key")
    table.add_column("value", overflow="fold")
    for key, value in h.items():
        table.add_row(escape(key), escape(str(value)))
    return table
