"""Argument parsing and dispatch for the `brandtruth` command.

Exit codes: 0 ok, 1 failed (a run that failed, a refused decision), 2 bad usage (a wrong option, or
input the server refuses as invalid: HTTP 400/422), 3 server unreachable.

The client's two settings come from flags or the environment (this command is an HTTP client and
never reads the server's Settings): BRANDTRUTH_SERVER (--server) and BRANDTRUTH_TOKEN (--token-file).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from .batch import cmd_batch
from .client import ApiError, BrandTruthClient
from .commands import (
    MAX_VARIANTS,
    cmd_approve,
    cmd_cancel,
    cmd_health,
    cmd_list,
    cmd_reject,
    cmd_result,
    cmd_revise,
    cmd_run,
    cmd_status,
    print_json,
    split_ids,
    variant_id_problem,
)

DEFAULT_SERVER = "http://localhost:8000"
SERVER_ENV, TOKEN_ENV = "BRANDTRUTH_SERVER", "BRANDTRUTH_TOKEN"
FORMATS = ("square", "landscape", "story")
TOKEN_HINT = f"pass --token-file FILE (a file holding the token) or set {TOKEN_ENV}"
Command = Callable[[argparse.Namespace, BrandTruthClient, Console], Awaitable[int]]


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range: give {low} to {high}")
        return value

    return parse


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--variants", type=_bounded(1, MAX_VARIANTS), default=3, metavar="N", help="copy variants per run (1-10, default 3)"
    )
    p.add_argument("--formats", nargs="+", choices=FORMATS, help="creative formats (default: all three)")
    p.add_argument("--provider", choices=("offline", "anthropic", "openai"), help="copy provider (default: server's)")
    p.add_argument("--platform", choices=("meta", "google", "linkedin"), help="platform preset (default meta)")
    p.add_argument("--approver", help="name recorded with the approval")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="brandtruth",
        description="BrandTruth command-line client",
        epilog=f"Environment: {SERVER_ENV} (the server's URL) and {TOKEN_ENV} (an API token) stand in for --server "
        "and --token-file. Exit codes: 0 ok, 1 failed, 2 bad usage or invalid input, 3 server unreachable.",
    )
    parser.add_argument(
        "--server",
        default=os.environ.get(SERVER_ENV) or DEFAULT_SERVER,
        help=f"BrandTruth API base URL (default ${SERVER_ENV}, else {DEFAULT_SERVER})",
    )
    parser.add_argument(
        "--token-file", type=Path, help=f"file holding an API token, for servers that require one (or set {TOKEN_ENV})"
    )
    parser.add_argument("--json", action="store_true", help="print JSON on stdout (for programs) instead of tables")
    # --server, --token-file and --json are accepted before or after the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--server", default=argparse.SUPPRESS, help="BrandTruth API base URL")
    common.add_argument("--token-file", type=Path, default=argparse.SUPPRESS, help="file holding an API token")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON on stdout")
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
    batch.add_argument("--concurrency", type=_bounded(1, 20), default=2, metavar="K", help="runs at a time (default 2)")
    batch.add_argument("--approve", metavar="v1,v2", help="approve these variants of every run")
    _run_options(batch)
    batch.set_defaults(func=cmd_batch)

    for name, func, text in (
        ("status", cmd_status, "show a run's progress"),
        ("result", cmd_result, "show a run's result: variants, scores, evidence, revisions and decisions"),
        ("cancel", cmd_cancel, "cancel a run"),
    ):
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

    reject = sub.add_parser("reject", parents=[common], help="reject every variant of a run waiting for review (ends it)")
    reject.add_argument("id")
    reject.add_argument("--reason", help="why, recorded with the decision")
    reject.add_argument("--approver")
    reject.set_defaults(func=cmd_reject)

    health = sub.add_parser("health", parents=[common], help="show the server's health (engine, workers, providers)")
    health.set_defaults(func=cmd_health)

    runs = sub.add_parser("list", parents=[common], help="list recent runs, newest first")
    runs.add_argument("--limit", type=_bounded(1, 100), default=20, help="runs per page (1-100, default 20)")
    runs.add_argument("--status", help="only runs in this status, e.g. awaiting_approval")
    runs.add_argument("--search", metavar="WORDS", help="words of the brand name or URL, or their beginnings")
    runs.add_argument("--cursor", help="the next page, as the previous page's last line gives it")
    runs.set_defaults(func=cmd_list)
    return parser


def check_usage(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse, before anything starts, what the server could never accept (exit 2 via parser.error)."""
    if args.command == "run" and args.approve is not None:
        problem = variant_id_problem(split_ids([args.approve]), args.variants)
        if problem:
            parser.error(f"--approve {problem}")
    if args.command == "batch" and args.approve is not None:
        problem = variant_id_problem(split_ids([args.approve]))  # each run's count is known once the file is read
        if problem:
            parser.error(f"--approve {problem}")
    if args.command in ("approve", "revise"):
        problem = variant_id_problem(split_ids(args.variant_ids))
        if problem:
            parser.error(problem)


def read_token(args: argparse.Namespace) -> tuple[str | None, str]:
    """The API token and where it came from (for messages); raises OSError for an unreadable file."""
    if args.token_file:
        return args.token_file.read_text(encoding="utf-8").strip(), f"the token file {args.token_file}"
    token = os.environ.get(TOKEN_ENV, "").strip()
    return (token, TOKEN_ENV) if token else (None, "")


def explain(exc: ApiError, token_source: str) -> str:
    """The error as shown, with what to do about a missing or refused token."""
    if exc.status == 401:
        if token_source:
            return f"{exc} The server refused the token from {token_source}: check it, or get a new one ({TOKEN_HINT})."
        return f"{exc} This server requires an API token: {TOKEN_HINT}."
    return str(exc)


def exit_code(exc: ApiError) -> int:
    if exc.status == 0:
        return 3
    return 2 if exc.status in (400, 422) else 1


async def _main(args: argparse.Namespace, console: Console) -> int:
    func: Command = args.func
    try:
        token, source = read_token(args)
    except OSError as exc:
        console.print(f"[red]Cannot read the token file:[/] {escape(str(exc))}")
        return 2
    async with BrandTruthClient(args.server, token=token) as client:
        try:
            return await func(args, client, console)
        except ApiError as exc:
            message = explain(exc, source)
            if args.json:
                print_json({"error": {"status": exc.status, "detail": exc.detail, "message": message}})
            else:
                console.print(f"[red]Error:[/] {escape(message)}")
            return exit_code(exc)


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
    parser = build_parser()
    args = parser.parse_args(argv)
    check_usage(parser, args)
    # With --json, stdout carries only JSON; what people read (progress, notes) goes to stderr.
    console = Console(stderr=True) if args.json else Console()
    try:
        return asyncio.run(_main(args, console))
    except KeyboardInterrupt:
        console.print("Interrupted; runs keep going on the server.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
