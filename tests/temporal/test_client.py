"""TemporalConnection against the real dev server."""

from __future__ import annotations

import asyncio
from pathlib import Path

from brandtruth.devserver import DevServer
from brandtruth.engines.temporal.client import TemporalConnection
from tests.conftest import unique_queue
from tests.support.servers import make_settings


def test_concurrent_health_checks_share_one_probe(temporal_server: DevServer, tmp_path: Path) -> None:
    """A burst of starts when the health cache has run out sent the server one probe per request."""
    settings = make_settings(tmp_path, temporal_server.address, unique_queue("probe"), BRANDTRUTH_HEALTH_CACHE_SECONDS=30)
    conn = TemporalConnection(settings)
    real_probe = conn._probe
    probes = 0

    async def counted_probe():  # type: ignore[no-untyped-def]
        nonlocal probes
        probes += 1
        return await real_probe()

    conn._probe = counted_probe  # type: ignore[method-assign]

    async def scenario() -> None:
        statuses = {h.status for h in await asyncio.gather(*(conn.health() for _ in range(20)))}
        assert probes == 1
        assert statuses == {"degraded"}  # a real answer: the server is up, but no worker polls this queue
        await conn.health(force=True)
        assert probes == 2  # force still probes
        conn.settings.health_cache_seconds = 0  # no cache at all: still one probe per burst, not one each
        await asyncio.gather(*(conn.health() for _ in range(20)))
        assert probes == 3

    asyncio.run(scenario())
