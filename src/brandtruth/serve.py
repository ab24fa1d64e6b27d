"""`brandtruth serve [--dev]` (and `python api_server.py`): the API server.

python api_server.py          API on API_HOST:API_PORT; Temporal at TEMPORAL_HOST, or degraded mode
python api_server.py --dev    also starts the embedded Temporal dev server (unless one already
                              answers at TEMPORAL_HOST) and a worker in-process; serves the demo
                              brand sites at /demo/<name>/ and allows loopback URLs for them
"""

from __future__ import annotations

import argparse
import logging

import uvicorn

from brandtruth.config import Settings
from brandtruth.devserver import DevServer, DevServerError, free_port, port_open
from brandtruth.logs import configure_logging
from brandtruth.pipeline import cpu

log = logging.getLogger("brandtruth")

DEV_UI_PORT = 8233


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="BrandTruth API server")
    parser.add_argument("--dev", action="store_true", help="embedded Temporal + worker + demo sites")
    parser.add_argument("--host", help="bind address (default API_HOST)")
    parser.add_argument("--port", type=int, help="port (default API_PORT)")
    parser.add_argument(
        "--ui-port",
        type=int,
        help=f"--dev: Temporal UI port, must be free (default {DEV_UI_PORT}, or any free port when that one is taken)",
    )
    return parser.parse_args(argv)


def dev_ui_port(asked: int | None) -> int:
    """The port asked for (which must be free), else 8233, else any free port (another BrandTruth or
    Temporal dev server on this machine already has 8233)."""
    if asked is not None:
        if port_open("127.0.0.1", asked):
            raise SystemExit(f"--ui-port {asked} is in use by another process: choose another port or stop it.")
        return asked
    if not port_open("127.0.0.1", DEV_UI_PORT):
        return DEV_UI_PORT
    chosen = free_port()
    log.warning("port %d is taken (another Temporal dev server?); the Temporal UI uses port %d instead", DEV_UI_PORT, chosen)
    return chosen


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    overrides: dict[str, object] = {}
    if args.host:
        overrides["API_HOST"] = args.host
    if args.port:
        overrides["API_PORT"] = args.port
    if args.dev:
        overrides["BRANDTRUTH_ALLOW_PRIVATE_URLS"] = True
    settings = Settings(**overrides)  # type: ignore[arg-type]
    configure_logging(settings.log_json)
    cpu.forget_entry_module()

    server: DevServer | None = None
    ui_url = "http://localhost:8080 (docker compose) or your Temporal UI"
    if args.dev:
        host, _, port = settings.temporal_host.rpartition(":")
        if port_open(host or "localhost", int(port)):
            log.info("a Temporal server already answers at %s; using it", settings.temporal_host)
        else:
            ui_port = dev_ui_port(args.ui_port)
            try:
                server = DevServer(
                    port=int(port),
                    ui_port=ui_port,
                    headless=False,
                    db_file=settings.data_dir / "temporal.sqlite",
                    log_file=settings.data_dir / "temporal.log",
                ).start()
            except DevServerError as exc:
                raise SystemExit(f"Could not start the embedded Temporal server: {exc}") from None
            ui_url = f"http://localhost:{ui_port}"
            settings.temporal_ui_url = settings.temporal_ui_url or ui_url  # runs link to it
            log.info("started embedded Temporal dev server at %s (state in %s)", server.address, server.db_file)

    from brandtruth.api.app import create_app

    app = create_app(settings, embedded_worker=args.dev, serve_demo_sites=args.dev)
    base = f"http://{'localhost' if settings.api_host in ('127.0.0.1', '0.0.0.0') else settings.api_host}:{settings.api_port}"
    print(f"\n  BrandTruth:   {base}/\n  API docs:     {base}/docs\n  Temporal UI:  {ui_url}", flush=True)
    if args.dev:
        print(f"  Demo site:    {base}/demo/northwind-analytics/  (paste it into the start form)\n", flush=True)
    try:
        uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_level="info")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
