"""Terminal rendering with rich: per-step progress bars, the variants table, status and health."""

from __future__ import annotations

from typing import Any

from rich.console import Console, RenderableType
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

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


class StepMark(SpinnerColumn):
    """A step's mark: a spinner only while it runs; ✓ done, ✗ failed, ■ cancelled, · not started."""

    def render(self, task: Task) -> RenderableType:
        mark = task.fields.get("mark")
        if mark:
            return Text.from_markup(mark)
        if task.finished:
            return self.finished_text
        if not task.started:
            return Text("·", style="dim")
        return super().render(task)


def step_progress(console: Console) -> Progress:
    return Progress(
        StepMark(finished_text="[green]✓[/]"),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


# Sub-step progress events (n of N) and what they count.
PROGRESS_WORDS = {"page_fetched": "pages fetched", "creative_rendered": "creatives rendered"}
# How a step still running (or never reached) is marked when the run ends without finishing it.
END_MARKS = {
    "failed": ("[red]✗[/]", "[red]failed[/]"),
    "cancelled": ("[red]■[/]", "[red]cancelled[/]"),
    "expired": ("[red]■[/]", "[red]stopped: approval expired[/]"),
    "rejected": ("[red]■[/]", "[red]stopped: rejected[/]"),
}


class StepBars:
    """One bar per pipeline step, driven by the run's progress events.

    The terminal event clears `current_step`, so the steps that are running are tracked here: a
    failed or cancelled run marks them (✗ / ■) and stops their clocks instead of leaving a spinner."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, TaskID] = {
            s: progress.add_task(s, total=1, start=False, info="[dim]pending[/]", mark="") for s in STEPS
        }
        self.running: list[str] = []

    def apply(self, ev: dict[str, Any]) -> None:
        data = ev.get("data") or {}
        step, kind = data.get("step"), ev["type"]
        if kind == "step_started" and step in self.tasks:
            attempt = data.get("attempt", 1)
            task = self.tasks[step]
            info = "running" + (f" (attempt {attempt})" if attempt > 1 else "")
            if self.progress.tasks[task].finished or not self.progress.tasks[task].started:
                # reset() replaces every field: a revision round runs the step again from zero
                self.progress.reset(task, start=True, total=1, completed=0, info=info, mark="")
            else:
                self.progress.update(task, info=info)
            self.running = [*[s for s in self.running if s != step], step]
        elif kind in PROGRESS_WORDS and step in self.tasks and data.get("total"):
            n, total = data.get("n", 0), data["total"]
            self.progress.update(
                self.tasks[step], total=total, completed=min(n, total), info=f"{n} of {total} {PROGRESS_WORDS[kind]}"
            )
        elif kind == "step_retrying" and step in self.tasks:
            self.progress.update(self.tasks[step], info=f"[yellow]retrying[/] (attempt {data.get('attempt', '?')})")
        elif kind in ("page_fetched", "creative_rendered") and step in self.tasks:
            # Sub-step progress: n of N (the bar's total is the step's 1, so it fills as a share).
            n, total = data.get("n"), data.get("total")
            if isinstance(n, int) and isinstance(total, int) and 0 < n <= total:
                self.progress.update(self.tasks[step], completed=min(n / total, 0.99), info=escape(ev.get("message", "")))
        elif kind == "step_completed" and step in self.tasks:
            ms = data.get("duration_ms")
            message = escape(ev.get("message", ""))
            info = f"[green]{ms / 1000:.1f}s[/] {message}" if ms is not None else message
            task = self.tasks[step]
            self.progress.update(task, completed=self.progress.tasks[task].total or 1, info=info)
            self.progress.stop_task(task)
            self.running = [s for s in self.running if s != step]
        elif kind in END_MARKS:
            self._end(kind, step or ev.get("current_step"), ev.get("message", ""))
        if kind in ("awaiting_approval", "approved", "completed", "failed", "cancelled", "expired", "rejected"):
            self.progress.console.print(f"{styled(ev['status'])} {escape(ev.get('message', ''))}")

    def _end(self, kind: str, step: str | None, message: str) -> None:
        """Mark the step(s) the run ended in, and say which steps never ran."""
        mark, word = END_MARKS[kind]
        ended = [s for s in self.running if s in self.tasks] or ([step] if step in self.tasks else [])
        for name in ended:
            why = message.removeprefix(f"{name} failed: ") if kind == "failed" else ""
            info = f"{word}: {escape(why)}" if why else word
            self.progress.update(self.tasks[name], mark=mark, info=info)
            self.progress.stop_task(self.tasks[name])
        if kind in ("failed", "cancelled"):
            for name, task in self.tasks.items():
                if name not in ended and not self.progress.tasks[task].started:
                    self.progress.update(task, info="[dim]not run[/]")
        self.running = []


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


def history_lines(result: dict[str, Any]) -> list[str]:
    """The run's revisions (what each variant said before, and the feedback that changed it) and its
    decisions (who, when, what), oldest first, as console lines."""
    lines = []
    for vr in result.get("variants", []):
        for r in vr.get("revisions", []):
            before = r.get("before", {})
            lines.append(
                f"[bold]{escape(vr['variant']['id'])}[/] round {r.get('round')}: "
                f"[dim]was[/] {escape(str(before.get('headline', '')))} / {escape(str(before.get('cta', '')))}; "
                f"feedback: {escape(str(r.get('feedback') or '-'))}"
            )
    if lines:
        lines.insert(0, "[bold]Revisions[/]")
    decisions = result.get("decisions", [])
    if decisions:
        lines.append("[bold]Decisions[/]")
    for d in decisions:
        who = f" by {d['approver']}" if d.get("approver") else ""
        ids = ", ".join(d.get("variant_ids", []))
        note = f": {d['comment']}" if d.get("comment") else ""
        lines.append(f"{escape(str(d.get('at', '')))} {escape(d.get('kind', ''))} {escape(ids)}{escape(who)}{escape(note)}")
    return lines


def progress_table(p: dict[str, Any]) -> Table:
    table = Table(title=f"{escape(p['workflow_id'])} ({p['engine']}): {styled(p['status'])} {p['percent']}%")
    for col in ("step", "status", "attempts", "time", "message"):
        table.add_column(col)
    for s in p["steps"]:
        row = (s["name"], styled(s["status"]), str(s.get("attempts", 0)), round_times(s), escape(s.get("message", "")))
        table.add_row(*row)
    return table


def round_times(step: dict[str, Any]) -> str:
    """Each round's duration: the first pass, then each revision round ('1.2s, round 1: 0.4s')."""
    times = []
    for r in step.get("rounds", []):
        took = f"{r['duration_ms'] / 1000:.1f}s" if r.get("duration_ms") is not None else escape(str(r.get("status", "")))
        times.append(f"round {r['round']}: {took}" if r.get("round") else took)
    return ", ".join(times)


def health_table(h: dict[str, Any]) -> Table:
    colour = "green" if h.get("status") == "healthy" else "yellow"
    table = Table(title=f"BrandTruth health: [{colour}]{escape(str(h.get('status')))}[/]")
    table.add_column("key")
    table.add_column("value", overflow="fold")
    for key, value in h.items():
        table.add_row(escape(key), escape(str(value)))
    return table
