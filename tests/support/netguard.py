"""Keep a test's traffic on this machine: refuse DNS look-ups of names and connections off loopback.

    with loopback_only() as guard:
        ...                      # any code in this process, any thread
    guard.refused                # what was attempted and refused, for the report

Implemented with a process-wide audit hook (PEP 578) on `socket.getaddrinfo` and `socket.connect`,
so it covers httpx, requests, asyncio and the standard library alike: a name lookup fails like an
unknown name (socket.gaierror), a connection off loopback like a refused one. IP literals and
`localhost` need no DNS and are allowed to be looked up; only loopback may be connected to.
Temporal's Rust core does not go through Python sockets, but it only talks to the test server.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

LOCAL_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost", "ip6-loopback"})


@dataclass
class NetGuard:
    active: int = 0
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str) -> None:
        with self.lock:
            self.refused.append(what)


_GUARD = NetGuard()
_installed = False


def _literal(host: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    try:
        return ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _GUARD.active:
        return
    if event == "socket.getaddrinfo":
        host = args[0]
        if host in (None, "", b"") or str(host).lower() in LOCAL_NAMES or _literal(host) is not None:
            return
        _GUARD.note(f"DNS look-up of {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"test network guard: no DNS for {host!r} (loopback only)")
    if event in ("socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        host = args[0]
        if str(host).lower() in LOCAL_NAMES or _literal(host) is not None:
            return
        _GUARD.note(f"{event} of {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"test network guard: no DNS for {host!r} (loopback only)")
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if event == "socket.connect" else args[-1]
        if not isinstance(address, tuple) or not address:
            return  # AF_UNIX paths and connected sockets without an address stay on the machine
        ip = _literal(address[0])
        if ip is not None and (ip.is_loopback or ip.is_unspecified):
            return  # 0.0.0.0 and :: connect to this host on Linux
        if ip is not None and ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback:
            return
        _GUARD.note(f"{event} to {address!r}")
        raise ConnectionRefusedError(f"test network guard: {address!r} is off this machine (loopback only)")


@contextmanager
def loopback_only() -> Iterator[NetGuard]:
    """While active, nothing in this process can resolve a real name or reach beyond loopback."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)  # hooks cannot be removed: it stays, inert, while no guard is active
        _installed = True
    with _GUARD.lock:
        _GUARD.active += 1
    try:
        yield _GUARD
    finally:
        with _GUARD.lock:
            _GUARD.active -= 1
