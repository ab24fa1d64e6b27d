"""BrandTruth's entry point.

    python api_server.py          API on API_HOST:API_PORT; Temporal at TEMPORAL_HOST, or degraded mode
    python api_server.py --dev    also starts the embedded Temporal dev server (unless one already
                                  answers at TEMPORAL_HOST) and a worker in-process; serves the demo
                                  brand sites at /demo/<name>/ and allows loopback URLs for them
"""

from __future__ import annotations

import argparse
import logging

import uvicorn

from src.config import Settings
from src.devserver import DevServer, port_open
from src.logs import configure_logging

log = logging.getLogger("brandtruth")

DEV_UI_PORT = 8233


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="BrandTruth API server")
    parser.add_argument("--dev", action="store_true", help="embedded Temporal + worker + demo sites")
    parser.add_argument("--host", help="bind address (default API_HOST)")
    parser.add_argument("--port", type=int, help="port (default API_PORT)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    overrides: dict[str, object] = {}
    if args.host:
        overrides["API_HOST"] = args.host
    if args.port:
        overrides["API_PORT"] = args.port
    if args.dev:
        overrides["BRANDTRUTH_ALLOW_PRIVATE_URLS"] = True
    settings = Settings(**overrides)  # type: ignore[arg-type]
    configure_logging(settings.log_json)

    server: DevServer | None = None
    ui_url = "http://localhost:8080 (docker compose) or your Temporal UI"
    if args.dev:
        host, _, port = settings.temporal_host.rpartition(":")
        if port_open(host or "localhost", int(port)):
            log.info("a Temporal server already answers at %s; using it", settings.temporal_host)
        else:
            server = DevServer(port=int(port), ui_port=DEV_UI_PORT, headless=False,
                               db_file=settings.data_dir / "temporal.sqlite",
                               log_file=settings.data_dir / "temporal.log").start()
            ui_url = f"http://localhost:{DEV_UI_PORT}"
            log.info("started embedded Temporal dev server at %s (state in %s)", server.address, server.db_file)

    from src.app import create_app

    app = create_app(settings, embedded_worker=args.dev, serve_demo_sites=args.dev)
    base = f"http://{'localhost' if settings.api_host in ('127.0.0.1', '0.0.0.0') else settings.api_host}:{settings.api_port}"
    print(f"\n  BrandTruth:   {base}/\n  API docs:     {base}/docs\n  Temporal UI:  {ui_url}")
    if args.dev:
        print(f"  Demo site:    {base}/demo/northwind-analytics/  (paste it into the start form)\n")
    try:
        uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_level="info")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
