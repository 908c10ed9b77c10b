"""Which URLs and addresses drafter may fetch (SSRF defence).

A URL is judged by the addresses its host *resolves to*, never by its text: a host name can
resolve anywhere, and an IP address can be spelt many ways (``2130706433``, ``0x7f000001``,
``127.1``, ``[::ffff:127.0.0.1]``, ``[64:ff9b::7f00:1]``). Every answer must be public; the
caller then connects to the checked address itself so a second DNS answer cannot differ
(DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from drafter.errors import BlockedURL

__all__ = [
    "IPAddress",
    "Resolver",
    "Target",
    "is_public_ip",
    "parse_target",
    "resolve_checked",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Awaitable[list[str]]]

_ALLOWED_SCHEMES = {"http", "https"}
_FIX = "drafter only fetches public web pages — paste the text instead"

# Explicit deny list on top of ``is_global``: Python's tables changed between 3.11 patch
# releases (e.g. multicast and 192.0.0.0/24 count as "global" on 3.11.7), and we want the
# same answer on every interpreter.
_DENY = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/96", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
        "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))

# Names that are internal by definition, whatever a resolver says about them.
_BLOCKED_NAMES = {"localhost", "metadata", "metadata.google.internal", "instance-data"}
_BLOCKED_SUFFIXES = (".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".lan")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


@dataclass(frozen=True)
class Target:
    """A parsed, syntactically allowed URL: ``host`` is lower-case ASCII (IDNA)."""

    url: httpx.URL
    scheme: str
    host: str
    port: int
    literal: IPAddress | None


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition form carries (mapped, NAT64, 6to4), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(ip.packed[-4:])
    return ip.sixtofour


def is_public_ip(ip: IPAddress, *, allow_loopback: bool = False) -> bool:
    """True when ``ip`` is a globally routable unicast address (transition forms unwrapped)."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        # Judge NAT64/6to4/mapped forms by the IPv4 host they reach, not by their prefix.
        return is_public_ip(inner, allow_loopback=allow_loopback)
    if allow_loopback and any(ip in net for net in _LOOPBACK):
        return True
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return False
    return not any(ip.version == net.version and ip in net for net in _DENY)


def _literal_ip(host: str) -> IPAddress | None:
    """An IP literal in any spelling the C resolver accepts (``127.1``, ``0x7f000001``...)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    last = host.rsplit(".", 1)[-1]
    if not _NUMERIC_LABEL.match(last):
        return None
    try:
        # inet_aton implements the legacy forms that getaddrinfo would also accept.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        raise BlockedURL(f"has a host ({host}) that is neither a name nor an IP address") from None


def _check_name(host: str, field: str) -> None:
    if host in _BLOCKED_NAMES or host.endswith(_BLOCKED_SUFFIXES) or "." not in host:
        raise BlockedURL(f"{field} points to an internal host name ({host}); {_FIX}")
    if not all(_LABEL.match(label) for label in host.split(".")):
        raise BlockedURL(f"{field} has an invalid host name; check the URL or paste the text")


def parse_target(url: str | httpx.URL, field: str) -> Target:
    """Parse ``url`` and reject what is wrong before any DNS query: scheme, userinfo, names."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError):
        raise BlockedURL(f"{field} is not a valid URL; give an http(s):// address") from None
    scheme = parsed.scheme.lower()
    if scheme not in _ALLOWED_SCHEMES:
        shown = f"'{scheme}:'" if scheme else "no scheme"
        raise BlockedURL(f"{field} uses {shown}; drafter only fetches http:// and https:// "
                         "web pages — give the page's web address or paste the text instead")
    if parsed.userinfo:
        raise BlockedURL(f"{field} contains a user name or password before '@'; remove it "
                         "(drafter never sends credentials) or paste the text instead")
    host = parsed.raw_host.decode("ascii").lower().rstrip(".")
    if not host:
        raise BlockedURL(f"{field} has no host; give a full address like https://example.com/")
    try:
        literal = _literal_ip(host)
    except BlockedURL as exc:
        raise BlockedURL(f"{field} {exc.detail}; check the URL or paste the text") from None
    if literal is None:
        _check_name(host, field)
    port = parsed.port or (443 if scheme == "https" else 80)
    return Target(url=parsed, scheme=scheme, host=host, port=port, literal=literal)


async def system_resolver(host: str) -> list[str]:
    """A/AAAA answers from the system resolver, in its order of preference."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def _resolve(target: Target, resolver: Resolver, field: str) -> list[IPAddress]:
    try:
        answers = await resolver(target.host)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError
        answers = []
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            # Drop an IPv6 zone ("%eth0"): the address alone decides, zones are link-local.
            addresses.append(ipaddress.ip_address(answer.split("%", 1)[0]))
        except ValueError:
            raise BlockedURL(_unreachable(target, field)) from None
    if not addresses:
        raise BlockedURL(_unreachable(target, field))
    return addresses


def _unreachable(target: Target, field: str) -> str:
    # One answer for a name that does not resolve and one that resolves to a private address,
    # and never the address itself: the error must not let a client map internal names and
    # addresses through the service (docs/design/threats.md #40).
    return (f"{field}: the host {target.host} was not found or resolves to a non-public "
            f"address; {_FIX}")


async def resolve_checked(target: Target, resolver: Resolver, field: str, *,
                          allow_loopback: bool = False) -> IPAddress:
    """The one address to connect to; raises BlockedURL unless *every* answer is public."""
    if target.literal is not None:
        addresses: list[IPAddress] = [target.literal]
    else:
        addresses = await _resolve(target, resolver, field)
    for address in addresses:
        if not is_public_ip(address, allow_loopback=allow_loopback):
            if target.literal is not None:  # the client typed it: nothing to reveal
                raise BlockedURL(f"{field} points to a non-public address; {_FIX}")
            raise BlockedURL(_unreachable(target, field))
    return addresses[0]
