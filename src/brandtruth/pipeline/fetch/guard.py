"""SSRF guard: decide whether a host may be fetched and which checked address to connect to.

Every hop of every request goes through `resolve_checked`; the fetcher then connects to the
returned IP literal (Host header and TLS SNI keep the name), so DNS cannot change its answer
between the check and the connect (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable

from ..errors import BlockedAddressError, DnsError
from ..hostnames import hostname_problem, to_ascii

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

# Cloud metadata endpoints stay blocked even when private targets are allowed for development:
# nothing legitimate on a brand website points there.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "192.0.0.192")
)
LOCALHOST_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# Things inet_aton accepts: 2130706433, 0x7f.1, 0177.0.0.1, 127.1 ...
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


def parse_ip_literal(host: str) -> IPAddress | None:
    """Return the address a host string spells, including the legacy IPv4 forms browsers accept."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            # Digits-and-dots that inet_aton rejects (e.g. 999.1.1.1) are not a hostname either.
            raise BlockedAddressError(f"'{host}' is not a valid address") from None
    return None


# IPv6 prefixes whose low 32 bits name the IPv4 address a translator connects to: NAT64 (RFC 6052),
# local-use NAT64 (RFC 8215, read as a /96) and SIIT's IPv4-translated ::ffff:0:a.b.c.d (RFC 2765).
_EMBEDDED_V4 = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("::ffff:0:0:0/96"),
)
_ONLY_PUBLIC = "Only public websites can be read (BRANDTRUTH_ALLOW_PRIVATE_URLS is for local development)."
# What a host name may be made of once IDNA has made it ASCII; "%31%32%37.0.0.1" is not one.
_HOSTNAME = re.compile(r"^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$")


def _unwrap(ip: IPAddress) -> IPAddress:
    """See through IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, compat)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return ip.ipv4_mapped
        if ip.sixtofour:
            return ip.sixtofour
        if any(ip in net for net in _EMBEDDED_V4):
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
            return ipaddress.IPv4Address(int(ip))
    return ip


def address_problem(ip: IPAddress, *, allow_loopback: bool, allow_private: bool) -> str | None:
    """Why `ip` may not be fetched, or None when it may."""
    ip = _unwrap(ip)
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_link_local:
        return "a link-local address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        # fec0::/10 is deprecated site-local (RFC 3879), still routed inside some networks; Python
        # calls it global, so it is refused here by name.
        return "a site-local address"
    if ip.is_global and not ip.is_reserved:
        return None
    return None if allow_private else "a private or reserved address"


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as exc:  # the name cannot be IDNA-encoded: a typo, never worth a retry
        raise DnsError(f"could not resolve '{host}': it is not a valid host name ({exc})") from exc
    except socket.gaierror as exc:
        temporary = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", -11))
        raise DnsError(
            f"could not resolve '{host}': {exc.strerror or exc}. Check the address for typos.",
            retryable=temporary,
        ) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def resolve_checked(host: str, port: int, resolver: Resolver, *, allow_loopback: bool, allow_private: bool) -> IPAddress:
    """Resolve `host` and return one address to connect to; refuse if ANY answer is forbidden.

    Refusing on any bad answer (not just picking a good one) stops a name that mixes public and
    private records from being used to probe the inside.
    """
    name = host.strip("[]").rstrip(".").lower()
    if not name:
        raise BlockedAddressError("the URL has no host")
    if name in LOCALHOST_NAMES or name.endswith(".localhost"):
        if not allow_loopback:
            raise BlockedAddressError(f"refusing to fetch '{host}': it names this machine (loopback). {_ONLY_PUBLIC}")
        return ipaddress.ip_address("127.0.0.1")
    literal = parse_ip_literal(name)
    addresses = [literal] if literal is not None else []
    if literal is None:
        problem = hostname_problem(name)
        if problem:
            raise BlockedAddressError(problem)
        if not name.isascii():
            name = to_ascii(name)  # bücher.de -> xn--bcher-kva.de
            if parse_ip_literal(name) is not None:  # "１２７.０.０.１": an address in disguise
                raise BlockedAddressError(f"'{host}' is not a valid host name")
        if not _HOSTNAME.match(name):
            raise BlockedAddressError(f"'{host}' is not a valid host name")
        answers = await resolver(name, port)
        if not answers:
            raise DnsError(f"'{host}' resolved to no addresses")
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in answers]
    for ip in addresses:
        problem = address_problem(ip, allow_loopback=allow_loopback, allow_private=allow_private)
        if problem:
            raise BlockedAddressError(f"refusing to fetch '{host}': it resolves to {ip}, {problem}. {_ONLY_PUBLIC}")
    # Prefer IPv4: loopback test servers and most hosting listen there.
    return sorted(addresses, key=lambda a: a.version)[0]
