"""docs/design/threats.md cases 9-12: SSRF. Every blocked case also proves the loopback
sentinel saw nothing."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable

import httpx
import pytest

from drafter.errors import BlockedURL, FetchFailed
from drafter.fetching import FetchLimits, fetch_work, is_public_ip, system_resolver

from .conftest import PUBLIC_IP, RoutingTransport, Server, read_request, resolver_of, static

PAGE = (b"<html><head><title>Hello</title></head>"
        b"<body><p>Public words worth reading.</p></body></html>")
FIELD = "recipient.works[0].url"

LOOPBACK_FORMS = [
    "127.0.0.1", "localhost", "[::1]", "2130706433", "0x7f000001", "127.1", "0", "0.0.0.0",
    "017700000001", "127.0.0.1.", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]",
    "[2002:7f00:1::1]", "[::7f00:1]", "sub.localhost", "127.254.0.1",
]


@pytest.mark.parametrize("host", LOOPBACK_FORMS)
async def test_case09_loopback_forms_blocked(host: str, sentinel: Server) -> None:
    calls: list[str] = []
    with pytest.raises(BlockedURL) as err:
        await fetch_work(sentinel.url("/", host), resolver=resolver_of({}, calls), field=FIELD)
    assert err.value.detail.startswith(FIELD)
    assert "paste the text" in err.value.detail
    assert calls == []  # literals and reserved names are judged without asking DNS
    assert sentinel.connections == 0


PRIVATE_LITERALS = [
    "169.254.169.254", "100.64.0.1", "[fd00::1]", "10.0.0.1", "172.16.0.1", "192.168.1.1",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "[fe80::1]", "[ff02::1]", "[::]",
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]",
    "[::ffff:10.0.0.1]", "192.0.2.1", "198.18.0.1", "[2001:db8::1]", "0xa9fea9fe",
]


@pytest.mark.parametrize("host", PRIVATE_LITERALS)
async def test_case09_private_literals_blocked(
    host: str, sentinel: Server, routing: Callable[..., RoutingTransport]
) -> None:
    transport = routing()
    with pytest.raises(BlockedURL, match="non-public address"):
        await fetch_work(f"http://{host}:{sentinel.port}/", transport=transport, field=FIELD)
    assert transport.seen == []
    assert sentinel.connections == 0


PRIVATE_ANSWERS = [
    ["127.0.0.1"], ["::1"], ["169.254.169.254"], ["100.64.0.1"], ["fd00::1"], ["10.1.2.3"],
    ["0.0.0.0"], ["64:ff9b::7f00:1"], ["2002:7f00:1::1"], ["::ffff:127.0.0.1"],
    [PUBLIC_IP, "127.0.0.1"], ["2606:4700::1111", "fe80::1%eth0"], ["not-an-ip"],
]


@pytest.mark.parametrize("answers", PRIVATE_ANSWERS)
async def test_case09_every_resolved_address_checked(
    answers: list[str], sentinel: Server, routing: Callable[..., RoutingTransport]
) -> None:
    transport = routing({PUBLIC_IP: lambda r: httpx.Response(200, html="<p>should not</p>")})
    resolver = resolver_of({"evil.example": answers})
    with pytest.raises((BlockedURL, FetchFailed)) as err:
        await fetch_work(sentinel.url("/", "evil.example"), resolver=resolver,
                         transport=transport)
    if answers != ["not-an-ip"]:
        assert isinstance(err.value, BlockedURL)
    assert transport.seen == []
    assert sentinel.connections == 0


@pytest.mark.parametrize("host", ["metadata.google.internal", "metadata", "intranet",
                                  "printer.local", "db.internal", "router.home.arpa"])
async def test_case09_internal_names_blocked(host: str, sentinel: Server) -> None:
    calls: list[str] = []
    resolver = resolver_of({host: [PUBLIC_IP]}, calls)
    with pytest.raises(BlockedURL, match="internal host name"):
        await fetch_work(sentinel.url("/", host), resolver=resolver)
    assert calls == []
    assert sentinel.connections == 0


@pytest.mark.parametrize("address", ["8.8.8.8", PUBLIC_IP, "2606:4700::1111",
                                     "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8"])
def test_case09_public_addresses_allowed(address: str) -> None:
    assert is_public_ip(ipaddress.ip_address(address))


def test_case09_test_only_loopback_switch_admits_nothing_else() -> None:
    for address in ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"]:
        assert not is_public_ip(ipaddress.ip_address(address))
        assert is_public_ip(ipaddress.ip_address(address), allow_loopback=True)
    for address in ["10.0.0.1", "169.254.169.254", "fd00::1", "0.0.0.0"]:
        assert not is_public_ip(ipaddress.ip_address(address), allow_loopback=True)


async def test_case09_default_policy_blocks_loopback(
    serve: Callable[..., Awaitable[Server]],
) -> None:
    server = await serve(static(PAGE))
    with pytest.raises(BlockedURL, match="non-public address") as err:
        await fetch_work(server.url())
    assert "127.0.0.1" in server.url() and "(127.0.0.1)" not in err.value.detail
    assert server.connections == 0
    # The same server is reachable once the test-only switch is on: the harness works.
    work = await fetch_work(server.url(), _allow_loopback_for_tests=True)
    assert work.text == "Public words worth reading."
    assert work.title == "Hello"
    assert server.connections == 1


async def test_case09_system_resolver_answers_locally() -> None:
    answers = await system_resolver("localhost")  # /etc/hosts: no DNS traffic
    assert answers
    assert all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in answers)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "gopher://127.0.0.1:70/_GET", "ftp://example.com/x",
    "data:text/html,<p>hi</p>", "javascript:alert(1)", "example.com/page", "//example.com/",
    "http://", "ws://example.com/", "http://exa mple.com/", "http://[::1",
])
async def test_case10_schemes_and_malformed_urls_blocked(url: str, sentinel: Server) -> None:
    calls: list[str] = []
    with pytest.raises(BlockedURL) as err:
        await fetch_work(url, resolver=resolver_of({}, calls), field=FIELD)
    assert err.value.detail.startswith(FIELD)
    assert calls == []
    assert sentinel.connections == 0


@pytest.mark.parametrize("userinfo", ["127.0.0.1:80@", "user:pass@", "user@", ":@"])
async def test_case10_userinfo_blocked(userinfo: str, sentinel: Server) -> None:
    calls: list[str] = []
    resolver = resolver_of({"evil.example": [PUBLIC_IP]}, calls)
    with pytest.raises(BlockedURL, match="user name or password"):
        await fetch_work(f"http://{userinfo}evil.example:{sentinel.port}/", resolver=resolver)
    assert calls == []
    assert sentinel.connections == 0


def _redirect(location: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(302, headers={"Location": location})


@pytest.mark.parametrize("location", [
    "http://127.0.0.1:{port}/", "http://[::1]:{port}/", "http://2130706433:{port}/",
    "http://internal.example:{port}/", "http://localhost:{port}/", "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/", "http://user:pw@public.example/",
])
async def test_case11_redirect_to_private_blocked(
    location: str, sentinel: Server, routing: Callable[..., RoutingTransport]
) -> None:
    transport = routing({PUBLIC_IP: _redirect(location.format(port=sentinel.port))})
    resolver = resolver_of({"public.example": [PUBLIC_IP], "internal.example": ["10.0.0.5"]})
    with pytest.raises(BlockedURL) as err:
        await fetch_work("http://public.example/post", resolver=resolver, transport=transport,
                         field=FIELD)
    assert "redirected to" in err.value.detail
    assert [r.url.host for r in transport.seen] == [PUBLIC_IP]
    assert sentinel.connections == 0


async def test_case11_each_hop_resolved_and_pinned(
    routing: Callable[..., RoutingTransport],
) -> None:
    other = "93.184.215.15"
    transport = routing({
        PUBLIC_IP: _redirect("https://other.example/final#frag"),
        other: lambda r: httpx.Response(200, text="Final words.",
                                        headers={"Content-Type": "text/plain"}),
    })
    calls: list[str] = []
    resolver = resolver_of({"first.example": [PUBLIC_IP], "other.example": [other]}, calls)
    work = await fetch_work("http://first.example/a", resolver=resolver, transport=transport)
    assert work.url == "https://other.example/final"
    assert work.text == "Final words."
    assert calls == ["first.example", "other.example"]
    assert [r.url.host for r in transport.seen] == [PUBLIC_IP, other]
    assert transport.seen[1].headers["host"] == "other.example"
    assert transport.seen[1].extensions["sni_hostname"] == "other.example"


async def _hops(serve: Callable[..., Awaitable[Server]]) -> Server:
    """/hop/N redirects to /hop/N-1 (relative); /hop/0 is the page."""
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await read_request(reader)
        n = int(head.split(b" ")[1].rsplit(b"/", 1)[1])
        if n == 0:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4"
                         b"\r\nConnection: close\r\n\r\ndone")
        else:
            writer.write(f"HTTP/1.1 301 Moved\r\nLocation: {n - 1}\r\nContent-Length: 0\r\n"
                         "Connection: close\r\n\r\n".encode())
        await writer.drain()

    return await serve(handler)


async def test_case11_at_most_three_redirects(serve: Callable[..., Awaitable[Server]]) -> None:
    server = await _hops(serve)
    work = await fetch_work(server.url("/hop/3"), _allow_loopback_for_tests=True)
    assert work.text == "done"
    assert work.url == server.url("/hop/0")
    with pytest.raises(FetchFailed, match="redirected more than 3 times"):
        await fetch_work(server.url("/hop/4"), _allow_loopback_for_tests=True)
    with pytest.raises(FetchFailed, match="more than 1 times"):
        await fetch_work(server.url("/hop/2"), limits=FetchLimits(max_redirects=1),
                         _allow_loopback_for_tests=True)


async def test_case12_rebinding_connects_to_checked_address(
    sentinel: Server, routing: Callable[..., RoutingTransport]
) -> None:
    transport = routing({PUBLIC_IP: lambda r: httpx.Response(200, html=PAGE.decode())})
    answers = iter([[PUBLIC_IP], ["127.0.0.1"], ["127.0.0.1"]])
    calls: list[str] = []

    async def rebinding(host: str) -> list[str]:
        calls.append(host)
        return next(answers)

    # The sentinel's port is allowed, so that only the address check stands in the way.
    work = await fetch_work(f"http://rebind.example:{sentinel.port}/", resolver=rebinding,
                            transport=transport,
                            limits=FetchLimits(allowed_ports=frozenset({sentinel.port})))
    assert work.text == "Public words worth reading."
    assert calls == ["rebind.example"]  # resolved once; that answer is what we connect to
    assert [r.url.host for r in transport.seen] == [PUBLIC_IP]
    assert transport.seen[0].headers["host"] == f"rebind.example:{sentinel.port}"
    assert sentinel.connections == 0


async def test_case12_rebinding_real_sockets(serve: Callable[..., Awaitable[Server]]) -> None:
    """Same check on real sockets: 127.0.0.1 is "public" here, 127.0.0.2 the sentinel."""
    server = await serve(static(PAGE))
    try:
        sentinel = await serve(None, host="127.0.0.2", port=server.port)
    except OSError:
        pytest.skip("cannot bind 127.0.0.2 here")
    answers = iter([["127.0.0.1"], ["127.0.0.2"], ["127.0.0.2"]])

    async def rebinding(host: str) -> list[str]:
        return next(answers)

    work = await fetch_work(server.url("/", "rebind.example"), resolver=rebinding,
                            _allow_loopback_for_tests=True)
    assert work.text == "Public words worth reading."
    assert server.connections == 1
    assert sentinel.connections == 0


async def test_case12_https_pins_ip_and_keeps_sni(
    routing: Callable[..., RoutingTransport],
) -> None:
    transport = routing({"2606:4700::1111": lambda r: httpx.Response(
        200, text="hi there", headers={"Content-Type": "text/plain"})})
    resolver = resolver_of({"secure.example": ["2606:4700::1111"]})
    await fetch_work("https://secure.example/p?q=1", resolver=resolver, transport=transport)
    [request] = transport.seen
    assert str(request.url) == "https://[2606:4700::1111]/p?q=1"
    assert request.headers["host"] == "secure.example"
    assert request.extensions["sni_hostname"] == "secure.example"


async def test_dns_failure_is_blocked_like_a_private_name(sentinel: Server) -> None:
    # The same answer as for a private address (case 40): no map of internal names.
    with pytest.raises(BlockedURL, match="not found or resolves to a non-public address"):
        await fetch_work("http://nowhere.example/", resolver=resolver_of({}), field=FIELD)

    async def broken(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure")

    with pytest.raises(BlockedURL, match="not found or resolves to a non-public address"):
        await fetch_work("http://nowhere.example/", resolver=broken)
    assert sentinel.connections == 0


@pytest.mark.parametrize(("cert_for", "ok"), [("secure.example", True), ("other.example", False)])
async def test_case12_tls_verifies_the_name_while_connecting_to_the_checked_ip(
    serve: Callable[..., Awaitable[Server]], cert_for: str, ok: bool
) -> None:
    """Real TLS: the socket goes to the checked IP, SNI and the certificate check use the name."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(cert_for).configure_cert(server_ctx)
    sni: list[str | None] = []
    server_ctx.sni_callback = lambda sock, name, ctx: sni.append(name)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    server = await serve(static(PAGE), ssl=server_ctx)
    transport = httpx.AsyncHTTPTransport(verify=client_ctx, retries=0)
    url = f"https://secure.example:{server.port}/"
    resolver = resolver_of({"secure.example": ["127.0.0.1"]})
    async with transport:
        if ok:
            work = await fetch_work(url, resolver=resolver, transport=transport,
                                    _allow_loopback_for_tests=True)
            assert work.text == "Public words worth reading."
            assert work.url == url
        else:
            with pytest.raises(FetchFailed, match="TLS certificate"):
                await fetch_work(url, resolver=resolver, transport=transport,
                                 _allow_loopback_for_tests=True)
    assert sni == ["secure.example"]


async def test_threat_40_not_found_and_private_names_get_the_same_answer(
        sentinel: Server) -> None:
    details = []
    for answers in ({}, {"intranet.example": ["10.1.2.3"]},
                    {"intranet.example": ["fd00::7"]}):
        with pytest.raises(BlockedURL) as err:
            await fetch_work("http://intranet.example/", resolver=resolver_of(answers),
                             field=FIELD)
        details.append(err.value.detail)
    assert len(set(details)) == 1, details
    assert "10.1.2.3" not in details[0] and "fd00" not in details[0]
    assert "resolves to a non-public address" in details[0]
    assert sentinel.connections == 0


@pytest.mark.parametrize("url", ["http://public.example:8080/", "https://public.example:22/",
                                 "http://93.184.215.14:6379/"])
async def test_threat_40_only_ports_80_and_443_by_default(url: str, sentinel: Server) -> None:
    resolver = resolver_of({"public.example": ["93.184.215.14"]})
    with pytest.raises(BlockedURL, match="port"):
        await fetch_work(url, resolver=resolver, field=FIELD)
    assert sentinel.connections == 0


async def test_threat_40_a_setting_widens_the_ports(
    routing: Callable[..., RoutingTransport],
) -> None:
    transport = routing({"93.184.215.14": lambda r: httpx.Response(
        200, text="hi there", headers={"Content-Type": "text/plain"})})
    resolver = resolver_of({"public.example": ["93.184.215.14"]})
    work = await fetch_work("http://public.example:8080/p", resolver=resolver,
                            transport=transport,
                            limits=FetchLimits(allowed_ports=frozenset({80, 443, 8080})))
    assert work.text == "hi there"
