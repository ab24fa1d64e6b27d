"""Argument parsing and dispatch for the `brandtruth` command. Exit codes: 0 ok, 1 failed, 2 bad usage, 3 unreachable."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from .batch import cmd_batch
from .client import ApiError, BrandTruthClient
from .commands import cmd_approve, cmd_cancel, cmd_health, cmd_list, cmd_revise, cmd_run, cmd_status

DEFAULT_SERVER = "http://localhost:8000"
FORMATS = ("square", "landscape", "story")
Command = Callable[[argparse.Namespace, BrandTruthClient, Console], Awaitable[int]]


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--variants", type=int, default=3, metavar="N", help="copy variants per run (1-10, default 3)")
    p.add_argument("--formats", nargs="+", choices=FORMATS, help="creative formats (default: all three)")
    p.add_argument("--provider", choices=("offline", "anthropic", "openai"), help="copy provider (default: server's)")
    p.add_argument("--platform", choices=("meta", "google", "linkedin"), help="platform preset (default meta)")
    p.add_argument("--approver", help="name recorded with the approval")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brandtruth", description="BrandTruth command-line client")
    parser.add_argument("--server", default=DEFAULT_SERVER, help=f"BrandTruth API base URL (default {DEFAULT_SERVER})")
    parser.add_argument("--token-file", type=Path, help="file holding an API token, for servers that require one")
    # --server is accepted before or after the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--server", default=argparse.SUPPRESS, help="BrandTruth API base URL")
    common.add_argument("--token-file", type=Path, default=argparse.SUPPRESS, help="file holding an API token")
    sub = parser.add_subparsers(dest="command", required=True)
    # Server roles; main() hands their arguments over before this parser sees them.
    sub.add_parser(
        "serve",
        add_help=False,
        help="start the API server (--dev: embedded Temporal, worker and demo sites; see brandtruth serve --help)",
    )
    sub.add_parser("worker", add_help=False, help="start a Temporal worker (see brandtruth worker --help)")

    run = sub.add_parser("run", parents=[common], help="start a run, show live progress, then review and approve")
    run.add_argument("url")
    _run_options(run)
    decide = run.add_mutually_exclusive_group()
    decide.add_argument("--approve", metavar="v1,v2", help="approve these variants when ready")
    decide.add_argument("--interactive", action="store_true", help="ask which variants to approve")
    run.set_defaults(func=cmd_run)

    batch = sub.add_parser("batch", parents=[common], help="run many URLs with bounded concurrency and print a summary")
    batch.add_argument("file", help='URLs one per line, or a JSON list of URLs / {"url": ..., options}')
    batch.add_argument("--concurrency", type=int, default=2, metavar="K", help="runs at a time (default 2)")
    batch.add_argument("--approve", metavar="v1,v2", help="approve these variants of every run")
    _run_options(batch)
    batch.set_defaults(func=cmd_batch)

    for name, func, text in (("status", cmd_status, "show a run's progress"), ("cancel", cmd_cancel, "cancel a run")):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("id")
        p.set_defaults(func=func)

    approve = sub.add_parser("approve", parents=[common], help="approve variants of a run waiting for review")
    approve.add_argument("id")
    approve.add_argument("variant_ids", nargs="+", metavar="VARIANT")
    approve.add_argument("--approver")
    approve.set_defaults(func=cmd_approve)

    revise = sub.add_parser("revise", parents=[common], help="ask for new versions of variants, with feedback")
    revise.add_argument("id")
    revise.add_argument("variant_ids", nargs="+", metavar="VARIANT")
    revise.add_argument("--feedback", required=True)
    revise.set_defaults(func=cmd_revise)

    health = sub.add_parser("health", parents=[common], help="show the server's health (engine, workers, providers)")
    health.set_defaults(func=cmd_health)

    runs = sub.add_parser("list", parents=[common], help="list recent runs, newest first")
    runs.add_argument("--limit", type=int, default=20)
    runs.add_argument("--offset", type=int, default=0)
    runs.set_defaults(func=cmd_list)
    return parser


async def _main(args: argparse.Namespace, console: Console) -> int:
    func: Command = args.func
    try:
        token = args.token_file.read_text(encoding="utf-8").strip() if args.token_file else None
    except OSError as exc:
        console.print(f"[red]Cannot read the token file:[/] {escape(str(exc))}")
        return 2
    async with BrandTruthClient(args.server, token=token) as client:
        try:
            return await func(args, client, console)
        except ApiError as exc:
            console.print(f"[red]Error:[/] {escape(str(exc))}")
            return 3 if exc.status == 0 else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # the server roles import the server; the client commands never do
        from brandtruth.serve import main as serve

        serve(argv[1:])
        return 0
    if argv[:1] == ["worker"]:
        from brandtruth.engines.temporal.worker import main as worker

        worker(argv[1:])
        return 0
    args = build_parser().parse_args(argv)
    console = Console()
    try:
        return asyncio.run(_main(args, console))
    except KeyboardInterrupt:
        console.print("Interrupted; runs keep going on the server.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
