"""The embedded Temporal dev server starts on a fresh checkout (no .data directory yet)."""

from __future__ import annotations

from pathlib import Path

from brandtruth.devserver import DevServer, port_open


def test_dev_server_creates_its_data_directory_on_a_fresh_checkout(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / ".data"
    server = DevServer(db_file=data / "temporal.sqlite", log_file=data / "temporal.log").start()
    try:
        assert port_open("127.0.0.1", server.port)
        assert (data / "temporal.log").exists()
    finally:
        server.stop()
    assert (data / "temporal.sqlite").exists(), "the state outlives the server"
