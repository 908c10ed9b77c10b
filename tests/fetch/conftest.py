"""Fixtures for the fetcher's tests: loopback-only servers, a sentinel and a network guard.

Nothing here may send traffic beyond this machine: ``_loopback_only`` wraps socket connects
for every test in this folder and fails the test if any non-loopback address is attempted
(even when the code under test would have turned the refusal into a FetchFailed).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
PUBLIC_IP = "93.184.215.14"  # stands for "some public web server"; never actually contacted


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        try:
            return ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback
        except ValueError:
            return False
    return isinstance(address, str | bytes)  # AF_UNIX paths (e.g. asyncio's self-pipe)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    violations: list[object] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            violations.append(address)
            raise PermissionError(f"test tried to reach non-loopback {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if not _is_loopback(address):
            violations.append(address)
            raise PermissionError(f"test tried to reach non-loopback {address!r}")
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield violations
    assert violations == [], f"non-loopback connection attempted: {violations}"


@dataclass
class Server:
    host: str
    port: int
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """The request head (up to the blank line)."""
    try:
        return await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
        return b""


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Server]]]:
    """Start loopback servers running ``handler``; all are closed at the end of the test."""
    servers: list[asyncio.Server] = []
    writers: list[asyncio.StreamWriter] = []

    async def start(handler: Handler | None = None, host: str = "127.0.0.1",
                    port: int = 0, ssl: object = None) -> Server:
        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            info.connections += 1
            writers.append(writer)
            try:
                if handler is not None:
                    await handler(reader, writer)
            except (ConnectionError, asyncio.CancelledError):
                pass  # the client hung up: expected for capped and timed-out fetches
            finally:
                writer.close()

        server = await asyncio.start_server(on_connect, host, port, ssl=ssl)
        servers.append(server)
        info = Server(host=host, port=server.sockets[0].getsockname()[1])
        return info

    yield start
    for w in writers:
        w.close()
    for s in servers:
        s.close()
        await s.wait_closed()


@pytest.fixture
async def sentinel(serve: Callable[..., Awaitable[Server]]) -> Server:
    """A loopback server that answers nothing and only counts connections."""
    return await serve(None)


def http_response(body: bytes, *, status: str = "200 OK", content_type: str | None = "text/html",
                  extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return (head + extra + "\r\n").encode() + body


def static(body: bytes, **kwargs: str | None) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(http_response(body, **kwargs))  # type: ignore[arg-type]
        await writer.drain()

    return handler


def resolver_of(answers: dict[str, list[str]], calls: list[str] | None = None,
                ) -> Callable[[str], Awaitable[list[str]]]:
    """A fake DNS: host -> answers; records every query in ``calls``."""
    async def resolve(host: str) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(answers[host])

    return resolve


class RoutingTransport(httpx.AsyncBaseTransport):
    """Answers requests for canned IPs itself and sends all others to a real transport.

    The real transport lets a failed check show up as a connection to the loopback
    sentinel (or as a guard violation), instead of being hidden by a mock.
    """

    def __init__(self, canned: dict[str, Callable[[httpx.Request], httpx.Response]]) -> None:
        self.canned = canned
        self.seen: list[httpx.Request] = []
        self._real = httpx.AsyncHTTPTransport(retries=0)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.host in self.canned:
            return self.canned[request.url.host](request)
        return await self._real.handle_async_request(request)

    async def aclose(self) -> None:
        await self._real.aclose()


@pytest.fixture
async def routing() -> AsyncIterator[Callable[..., RoutingTransport]]:
    made: list[RoutingTransport] = []

    def make(canned: dict[str, Callable[[httpx.Request], httpx.Response]] | None = None,
             ) -> RoutingTransport:
        made.append(RoutingTransport(canned or {}))
        return made[-1]

    yield make
    for t in made:
        await t.aclose()
