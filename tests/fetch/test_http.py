"""docs/design/threats.md cases 13-14 against real loopback servers: size, time, type and
charset."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Awaitable, Callable

import pytest

from drafter.errors import FetchFailed
from drafter.fetching import FetchedWork, FetchLimits, decode_text, fetch_work
from drafter.types import MAX_WORK_CHARS

from .conftest import Handler, Server, http_response, read_request, static

Serve = Callable[..., Awaitable[Server]]


async def _get(server: Server, path: str = "/", **kwargs: object) -> FetchedWork:
    return await fetch_work(server.url(path), _allow_loopback_for_tests=True, **kwargs)  # type: ignore[arg-type]


def _streaming(head: bytes, chunk: bytes, *, total: int | None, pause: float = 0.0) -> Handler:
    """Send ``head`` then ``chunk`` repeatedly (forever if ``total`` is None)."""
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(head)
        sent = 0
        while total is None or sent < total:
            writer.write(chunk)
            sent += len(chunk)
            await writer.drain()
            if pause:
                await asyncio.sleep(pause)

    return handler


async def test_case13_fifty_megabyte_page_truncated(serve: Serve) -> None:
    size = 50_000_000
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {size}\r\n"
            "Connection: close\r\n\r\n").encode()
    server = await serve(_streaming(head, b"word " * 13_107, total=size))
    work = await _get(server)
    assert work.truncated is True
    # Read up to the byte cap, then held to a work's length like pasted text (case 35).
    assert MAX_WORK_CHARS - 10 < len(work.text) <= MAX_WORK_CHARS
    assert work.text.startswith("word word")


async def test_case13_endless_chunked_stream_capped(serve: Serve) -> None:
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nf\r\n<html><body><p>\r\n")
    chunk = b"400\r\n" + b"more text " * 102 + b"abcd\r\n"  # 0x400 = 1024 bytes a chunk
    server = await serve(_streaming(head, chunk, total=None))
    started = time.monotonic()
    work = await _get(server, limits=FetchLimits(max_bytes=100_000))
    assert work.truncated is True
    assert "more text" in work.text
    assert len(work.text) <= 100_000
    assert time.monotonic() - started < 5


async def test_case13_drip_body_hits_total_deadline(serve: Serve) -> None:
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n"
            b"Connection: close\r\n\r\n")
    server = await serve(_streaming(head, b"x", total=1000, pause=1.0))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"within 1\.5 s") as err:
        await _get(server, limits=FetchLimits(total_timeout_s=1.5), field="recipient.works[1].url")
    assert time.monotonic() - started < 2.5
    assert err.value.detail.startswith("recipient.works[1].url")


async def test_case13_drip_headers_hit_total_deadline(serve: Serve) -> None:
    server = await serve(_streaming(b"", b"H", total=None, pause=0.5))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="did not finish loading"):
        await _get(server, limits=FetchLimits(total_timeout_s=1.0))
    assert time.monotonic() - started < 2.0


async def test_case13_slow_dns_hits_total_deadline() -> None:
    async def slow(host: str) -> list[str]:
        await asyncio.sleep(60)
        return ["93.184.215.14"]

    started = time.monotonic()
    with pytest.raises(FetchFailed, match="did not finish loading"):
        await fetch_work("http://slow.example/", resolver=slow,
                         limits=FetchLimits(total_timeout_s=0.5))
    assert time.monotonic() - started < 1.5


async def test_case13_gzip_bomb_capped(serve: Serve) -> None:
    bomb = gzip.compress(b"a" * 30_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    server = await serve(static(bomb, content_type="text/plain",
                                extra="Content-Encoding: gzip\r\n"))
    work = await _get(server, limits=FetchLimits(max_bytes=1_000_000))
    assert work.truncated is True
    assert len(work.text) == MAX_WORK_CHARS


async def test_case13_gzip_page_decoded_and_bad_encodings_refused(serve: Serve) -> None:
    page = gzip.compress(b"<html><body><p>Compressed but readable words.</p></body></html>")
    ok = await serve(static(page, extra="Content-Encoding: gzip\r\n"))
    assert (await _get(ok)).text == "Compressed but readable words."
    corrupt = await serve(static(b"\x1f\x8b\x08\x00garbage", extra="Content-Encoding: gzip\r\n"))
    with pytest.raises(FetchFailed, match="corrupt compressed body"):
        await _get(corrupt)
    brotli = await serve(static(b"\x0b\x02\x80hello", extra="Content-Encoding: br\r\n"))
    with pytest.raises(FetchFailed, match="unsupported compression"):
        await _get(brotli)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.mark.parametrize(("content_type", "body", "words"), [
    ("application/pdf", b"%PDF-1.7\n SECRET-BODY", "a PDF"),
    ("image/png", PNG, "an image"),
    ("application/octet-stream", b"\x00\x01SECRET-BODY", "application/octet-stream"),
    ("application/json", b'{"SECRET-BODY": 1}', "application/json"),
    ("text/html", PNG + b"SECRET-BODY", "binary file"),  # mislabelled binary
    ("text/plain", b"%PDF-1.4 SECRET-BODY", "binary file"),
    (None, b"%PDF-1.4 SECRET-BODY", "binary file"),
])
async def test_case14_binary_and_unlisted_types_refused(
    serve: Serve, content_type: str | None, body: bytes, words: str
) -> None:
    server = await serve(static(body, content_type=content_type))
    with pytest.raises(FetchFailed) as err:
        await _get(server)
    assert words in err.value.detail
    assert "paste the work's text" in err.value.detail
    assert "SECRET" not in err.value.detail


@pytest.mark.parametrize(("content_type", "body", "expected"), [
    ("text/html; charset=windows-1252", "<p>café naïve – “quoted”</p>".encode("cp1252"),
     "café naïve – “quoted”"),
    ("text/html; charset=iso-8859-1", "<p>café in UTF-8 despite the label</p>".encode(),
     "café in UTF-8 despite the label"),
    ("text/html", '<meta charset="shift_jis"><p>日本語のテキストです</p>'.encode("shift_jis"),
     "日本語のテキストです"),
    ("text/plain; charset=utf-16", "UTF-16 with a BOM: ünïcode".encode("utf-16"),
     "UTF-16 with a BOM: ünïcode"),
    ("text/plain; charset=base64", b"plain ascii text", "plain ascii text"),
    ("text/plain; charset=utf-7", b"+ADw-script+AD4- stays", "+ADw-script+AD4- stays"),
    ("text/plain; charset=no-such-charset", b"plain ascii text", "plain ascii text"),
    ("text/markdown", b"# Title\n\nSome *markdown* body.", "# Title\n\nSome *markdown* body."),
])
async def test_case14_charsets_decoded_safely(
    serve: Serve, content_type: str, body: bytes, expected: str
) -> None:
    server = await serve(static(body, content_type=content_type))
    work = await _get(server)
    assert expected in work.text
    assert work.content_type == content_type.split(";", maxsplit=1)[0]


@pytest.mark.parametrize("header", [None, "utf-8", "ascii", "shift_jis", "utf-16"])
def test_case14_mislabelled_bytes_never_raise(header: str | None) -> None:
    latin1 = "Großartige Café-Straße".encode("latin-1")
    text = decode_text(latin1, header, html=False)
    assert "Gro" in text
    assert decode_text(bytes(range(1, 256)) * 10, header, html=True)
    # A body cut at the byte cap inside a multi-byte character still decodes as UTF-8.
    assert decode_text("日本語".encode()[:-1], header, html=False).startswith("日本")


async def test_case14_missing_type_sniffed(serve: Serve) -> None:
    html = await serve(static(b"<!doctype html><title>T</title><p>Sniffed as html.</p>",
                              content_type=None))
    work = await _get(html)
    assert (work.content_type, work.title, work.text) == ("text/html", "T", "Sniffed as html.")
    text = await serve(static(b"just <words> here", content_type=None))
    assert (await _get(text)).content_type == "text/plain"


async def test_http_errors_say_how_to_fix_without_body(serve: Serve) -> None:
    async def not_found(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(http_response(b"SECRET-BODY", status="404 Not Found"))
        await writer.drain()

    server = await serve(not_found)
    with pytest.raises(FetchFailed) as err:
        await _get(server, field="recipient.works[0].url")
    assert err.value.detail == ("recipient.works[0].url: 127.0.0.1 answered HTTP 404; "
                                "check the URL or paste the text instead")
    empty = await serve(static(b"<html><body><script>x()</script></body></html>"))
    with pytest.raises(FetchFailed, match="no readable text"):
        await _get(empty)
    closed = await serve(None)  # accepts, then hangs up without a response
    with pytest.raises(FetchFailed, match=r"invalid response|could not be reached"):
        await _get(closed)


async def test_threat_35_a_large_page_is_cut_to_a_works_length(serve: Serve) -> None:
    # 2 MB of HTML paragraphs: 1.7 million characters of text before the cut.
    html = b"<html><body>" + b"<p>Every pull request runs a benchmark suite.</p>" * 40_000
    server = await serve(static(html + b"</body></html>"))
    work = await _get(server)
    assert len(work.text) <= MAX_WORK_CHARS and work.truncated is True


async def test_threat_35_extraction_runs_in_a_thread_inside_the_fetch_deadline(
        serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import drafter.fetching.fetch as fetch_module

    threads: list[threading.Thread] = []
    release = threading.Event()

    def slow_extract(text: str, content_type: str) -> object:
        threads.append(threading.current_thread())
        release.wait(5)  # parsing that outlasts the deadline (released at the end)
        raise AssertionError("the deadline should have ended the fetch first")

    monkeypatch.setattr(fetch_module, "extract_readable", slow_extract)
    server = await serve(static(b"<html><body><p>Some words here.</p></body></html>"))
    try:
        with pytest.raises(FetchFailed, match="did not finish loading"):
            await _get(server, limits=FetchLimits(total_timeout_s=0.5))
    finally:
        release.set()
    assert threads and threads[0] is not threading.main_thread()
