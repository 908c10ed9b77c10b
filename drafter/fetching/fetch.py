"""Fetch one piece of a recipient's public work from a URL, safely, as readable text.

The URL comes from the user, so it is treated as hostile (docs/design/threats.md cases 9-14):

* only ``http``/``https``, no ``user:pass@``; the host's *resolved* addresses must all be public
  (:mod:`drafter.fetching.addresses`), and the request is sent to the checked IP itself, with
  the Host header and TLS SNI of the name, so a second DNS answer cannot redirect it;
* redirects are followed by hand, at most ``max_redirects``, each hop checked like the first;
* the body is streamed under a byte cap, the whole fetch under one deadline (per-read
  timeouts never fire on a server that drips one byte a second);
* only text types are read (:mod:`drafter.fetching.body`), decoded without ever raising, and
  reduced to readable text by :mod:`drafter.fetching.extract` (scripts, styles, comments and
  hidden elements dropped).

Errors are :class:`~drafter.errors.BlockedURL` (we will not fetch that) or
:class:`~drafter.errors.FetchFailed` (we tried and could not); details name the field, never
the response body, and say what to do instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from drafter.errors import BlockedURL, FetchFailed
from drafter.fetching.addresses import (
    IPAddress,
    Resolver,
    Target,
    parse_target,
    resolve_checked,
    system_resolver,
)
from drafter.fetching.body import (
    check_media_type,
    decode_text,
    looks_binary,
    media_type,
    read_capped,
    sniff_media_type,
)
from drafter.fetching.extract import extract_readable
from drafter.textclean import clean_text
from drafter.types import MAX_WORK_CHARS

__all__ = ["FetchLimits", "FetchedWork", "fetch_work"]

_HEADERS = {
    "User-Agent": "drafter/0.1 (fetches one page a user asked for)",
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9",
    # gzip is decompressed by our own bounded reader; br/zstd are not offered.
    "Accept-Encoding": "gzip, identity",
}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PASTE = "check the URL or paste the text instead"


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 2_000_000
    total_timeout_s: float = 10.0
    max_redirects: int = 3
    connect_timeout_s: float = 3.0
    # Web pages live on 80 and 443; any other port is more likely an internal service
    # reached through a public name (docs/design/threats.md #40).
    allowed_ports: frozenset[int] = frozenset({80, 443})


@dataclass(frozen=True)
class FetchedWork:
    url: str  # the final URL, after redirects
    title: str | None
    text: str  # readable text, cleaned with drafter.textclean.clean_text
    truncated: bool  # the body was longer than FetchLimits.max_bytes
    content_type: str
    removed_chars: int  # invisible/control characters removed by clean_text


@dataclass(frozen=True)
class _Body:
    url: str
    data: bytes
    truncated: bool
    content_type: str
    charset: str | None


class _PinnedTransport(httpx.AsyncBaseTransport):
    """Refuses any request whose URL host is not an address that passed the policy.

    fetch_work already rewrites each request to its checked IP; this guard makes that a
    property of the transport, so no code path can send a request anywhere unchecked.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport | None) -> None:
        # An injected transport belongs to the caller, who closes it; ours is closed here.
        self._owned = inner is None
        self._inner = inner or _default_transport()
        self.allowed: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host not in self.allowed:
            raise BlockedURL("drafter refused to connect to an address it had not checked; "
                             "paste the work's text instead")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        if self._owned:
            await self._inner.aclose()


def _default_transport() -> httpx.AsyncBaseTransport:
    # No keep-alive: the pool is keyed by IP, and reusing a TLS connection made for one host
    # name for another name on the same IP would skip that name's certificate check.
    return httpx.AsyncHTTPTransport(
        retries=0, trust_env=False, limits=httpx.Limits(max_keepalive_connections=0)
    )


def _pinned_request(client: httpx.AsyncClient, target: Target, ip: IPAddress) -> httpx.Request:
    host = f"[{target.host}]" if ":" in target.host else target.host
    if target.url.port is not None:  # httpx drops default ports, so this one is explicit
        host = f"{host}:{target.url.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    url = target.url.copy_with(host=str(ip), fragment=None)
    return client.build_request("GET", url, headers={"Host": host}, extensions=extensions)


async def _send(client: httpx.AsyncClient, request: httpx.Request, target: Target,
                field: str) -> httpx.Response:
    try:
        return await client.send(request, stream=True)
    except httpx.TimeoutException:
        problem = "did not answer in time"
    except httpx.ConnectError:
        problem = "could not be reached (connection or TLS certificate failed)"
    except httpx.HTTPError as exc:
        problem = f"sent an invalid response ({type(exc).__name__})"
    raise FetchFailed(f"{field}: {target.host} {problem}; {_PASTE}")


def _next_url(response: httpx.Response, target: Target, field: str) -> httpx.URL | None:
    """The redirect's target, None for a 2xx page; FetchFailed for any other status."""
    status = response.status_code
    if status in _REDIRECTS:
        location = response.headers.get("location", "").strip()
        if not location:
            raise FetchFailed(f"{field}: {target.host} redirected without a Location; {_PASTE}")
        try:
            return target.url.join(location)
        except httpx.InvalidURL:
            raise BlockedURL(f"{field}: {target.host} redirected to an invalid URL; "
                             f"{_PASTE}") from None
    if 200 <= status < 300:
        return None
    hint = " (the page may need a login)" if status in {401, 403} else ""
    raise FetchFailed(f"{field}: {target.host} answered HTTP {status}{hint}; {_PASTE}")


async def _read(response: httpx.Response, target: Target, limits: FetchLimits) -> _Body:
    kind, charset = media_type(response.headers.get("content-type"))
    check_media_type(kind, target.host)
    data, truncated = await read_capped(response, limits.max_bytes, target.host)
    if looks_binary(data):
        raise FetchFailed(f"the page at {target.host} is a binary file, not text; drafter "
                          "reads web pages and plain text only — paste the work's text instead")
    url = str(target.url.copy_with(fragment=None))
    return _Body(url, data, truncated, kind or sniff_media_type(data), charset)


async def _fetch_body(url: str, *, limits: FetchLimits, resolver: Resolver,
                      transport: httpx.AsyncBaseTransport | None, field: str,
                      allow_loopback: bool) -> _Body:
    pinned = _PinnedTransport(transport)
    timeout = httpx.Timeout(limits.total_timeout_s, connect=limits.connect_timeout_s)
    async with httpx.AsyncClient(transport=pinned, timeout=timeout, trust_env=False,
                                 follow_redirects=False, headers=_HEADERS) as client:
        target, where = parse_target(url, field), field
        for _hop in range(limits.max_redirects + 1):
            ip = await resolve_checked(target, resolver, where, allow_loopback=allow_loopback)
            if target.port not in limits.allowed_ports and not (allow_loopback
                                                                and ip.is_loopback):
                ports = " and ".join(str(p) for p in sorted(limits.allowed_ports))
                raise BlockedURL(f"{where} uses port {target.port}; drafter fetches from ports "
                                 f"{ports} only (DRAFTER_FETCH_ALLOWED_PORTS) — paste the text "
                                 "instead")
            pinned.allowed.add(str(ip))
            response = await _send(client, _pinned_request(client, target, ip), target, field)
            try:
                next_url = _next_url(response, target, field)
                if next_url is None:
                    return await _read(response, target, limits)
            finally:
                await response.aclose()
            where = f"{field} (redirected to {next_url.host or 'an empty host'})"
            target = parse_target(next_url, where)
    raise FetchFailed(f"{field}: the page redirected more than {limits.max_redirects} times; "
                      "give the final address or paste the text instead")


def _to_work(body: _Body, field: str) -> FetchedWork:
    """The page's readable text, cleaned and cut to a work's length. CPU work on up to
    ``max_bytes`` of HTML: the caller runs it in a worker thread, inside the fetch deadline."""
    html = body.content_type in {"text/html", "application/xhtml+xml"}
    text = decode_text(body.data, body.charset, html=html)
    page = extract_readable(text, body.content_type)
    cleaned = clean_text(page.text)
    title = clean_text(page.title) if page.title else None
    if not cleaned.text:
        raise FetchFailed(f"{field}: the page has no readable text (it may be built by "
                          "JavaScript); paste the work's text instead")
    # A page is held to the length a pasted work may have: the context stage splits and ranks
    # every line of it, and 1.7 million characters of text would hold the server for seconds.
    cut = len(cleaned.text) > MAX_WORK_CHARS
    return FetchedWork(
        url=body.url,
        title=(title.text or None) if title else None,
        text=cleaned.text[:MAX_WORK_CHARS].rstrip() if cut else cleaned.text,
        truncated=body.truncated or cut,
        content_type=body.content_type,
        # max, not sum: the extractor's text is (part of) the text it already counted.
        removed_chars=max(page.removed, cleaned.removed) + (title.removed if title else 0),
    )


async def fetch_work(
    url: str,
    *,
    limits: FetchLimits = FetchLimits(),  # frozen, so a shared default is safe
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    field: str = "url",
    _allow_loopback_for_tests: bool = False,
) -> FetchedWork:
    """Fetch ``url`` and return its readable text; ``field`` names it in error details.

    ``resolver`` and ``transport`` are injectable for tests; the checks run whatever is
    injected. ``_allow_loopback_for_tests`` admits 127.0.0.0/8 and ::1 (and nothing else) so
    tests can use local servers; production code never sets it.
    """
    try:
        # One deadline for reading the page and extracting its text: a page that is slow to
        # parse costs the same as one that is slow to arrive.
        async with asyncio.timeout(limits.total_timeout_s):
            body = await _fetch_body(url, limits=limits, resolver=resolver or system_resolver,
                                     transport=transport, field=field,
                                     allow_loopback=_allow_loopback_for_tests)
            # Parsing, extracting and cleaning up to max_bytes of HTML is CPU work: in a
            # worker thread, so the event loop keeps serving other requests meanwhile.
            return await asyncio.to_thread(_to_work, body, field)
    except TimeoutError:
        raise FetchFailed(f"{field}: the page did not finish loading within "
                          f"{limits.total_timeout_s:g} s; try again later or paste the text "
                          "instead") from None
