"""Reading a response body within a byte cap, and turning its bytes into text safely.

The cap applies to *decoded* bytes and decompression is bounded too, so neither a 50 MB page,
an endless chunked stream nor a small gzip bomb can grow memory past ``max_bytes``. Decoding
never raises: a wrong or missing charset falls back to detection, then to replacement.
"""

from __future__ import annotations

import codecs
import re
import zlib

import httpx

from drafter.errors import FetchFailed

__all__ = ["ALLOWED_TYPES", "check_media_type", "decode_text", "looks_binary",
           "media_type", "read_capped", "sniff_media_type"]

ALLOWED_TYPES = frozenset({"text/html", "text/plain", "application/xhtml+xml", "text/markdown"})
_PASTE = "drafter reads web pages and plain text only — paste the work's text instead"
_NAMES = {"application/pdf": "a PDF", "image/": "an image", "video/": "a video",
          "audio/": "an audio file", "application/zip": "a ZIP archive"}
_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b",
          b"\x7fELF", b"RIFF", b"OggS", b"BZh", b"\xfd7zXZ", b"Rar!", b"\x00asm")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""",
                           re.IGNORECASE)
_HTML_START = re.compile(rb"<(!doctype\s+html|html|head|body|title|p|div)[\s>]", re.IGNORECASE)
# Browsers refuse UTF-7 (it can smuggle markup past filters); so do we.
_REFUSED_CODECS = {"utf-7"}


def media_type(header: str | None) -> tuple[str | None, str | None]:
    """``("text/html", "utf-8")`` from a Content-Type header; ``(None, None)`` if absent."""
    if not header:
        return None, None
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("'\"") or None
    return kind.strip().lower() or None, charset


def check_media_type(kind: str | None, host: str) -> None:
    """Refuse, before reading the body, any declared type that is not readable text."""
    if kind is None or kind in ALLOWED_TYPES:
        return
    what = next((name for prefix, name in _NAMES.items() if kind.startswith(prefix)), None)
    shown = f"{what} ({kind})" if what else f"of type {kind}"
    raise FetchFailed(f"the page at {host} is {shown}; {_PASTE}")


def looks_binary(data: bytes) -> bool:
    """True for known binary signatures or NUL bytes (unless a UTF-16/32 BOM explains them)."""
    head = data[:4096]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return head.startswith(_MAGIC) or b"\x00" in head


def sniff_media_type(data: bytes) -> str:
    """The type of a body served without a Content-Type (only text kinds reach here)."""
    return "text/html" if _HTML_START.search(data[:2048]) else "text/plain"


def _inflater(encoding: str, host: str) -> zlib._Decompress | None:
    if encoding in {"", "identity"}:
        return None
    if encoding in {"gzip", "x-gzip"}:
        return zlib.decompressobj(wbits=31)
    if encoding == "deflate":
        return zlib.decompressobj(wbits=15)
    raise FetchFailed(f"the page at {host} was sent with an unsupported compression "
                      f"({encoding}); {_PASTE}")


async def read_capped(response: httpx.Response, max_bytes: int, host: str) -> tuple[bytes, bool]:
    """Up to ``max_bytes`` of the (decompressed) body, and whether more was left unread."""
    if response.is_stream_consumed:
        # An injected transport (httpx.MockTransport, respx) may hand back a body already
        # read into memory, and already decompressed by httpx.
        return response.content[:max_bytes], len(response.content) > max_bytes
    encoding = response.headers.get("content-encoding", "").strip().lower()
    inflater = _inflater(encoding, host)
    buf = bytearray()
    try:
        # aiter_raw: we decompress ourselves, with max_length, so expansion is bounded too.
        async for raw in response.aiter_raw():
            buf += raw if inflater is None else inflater.decompress(raw, max_bytes + 1 - len(buf))
            if len(buf) > max_bytes:
                return bytes(buf[:max_bytes]), True
        if inflater is not None:
            buf += inflater.flush()[: max_bytes + 1 - len(buf)]
            if not inflater.eof:  # the compressed stream stopped short of its end marker
                raise zlib.error("incomplete")
    except zlib.error:
        raise FetchFailed(f"the page at {host} sent a corrupt compressed body; "
                          "try again later or paste the text instead") from None
    return bytes(buf[:max_bytes]), len(buf) > max_bytes


def _codec(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label, or None if unknown or not a text encoding."""
    if not label:
        return None
    name = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        return None
    # bytes->bytes codecs (base64, zlib) and text transforms (rot13) are not charsets.
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return None
    return info.name


def _strict(data: bytes, codec: str) -> str | None:
    # final=False: a body cut at the byte cap may end inside a multi-byte character.
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        return str(decoder.decode(data, final=False))
    except (UnicodeDecodeError, ValueError):
        return None


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only for bodies no declared charset fits

    best = from_bytes(data[:65536]).best()
    return _codec(best.encoding) if best is not None else None


def decode_text(data: bytes, header_charset: str | None, *, html: bool) -> str:
    """Decode a body: BOM, valid UTF-8, header charset, <meta> charset, detection, replace."""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data.decode(bom_codec, errors="replace")
    meta = _META_CHARSET.search(data[:4096]) if html else None
    # Valid non-ASCII UTF-8 almost never occurs by chance in another encoding, so it beats a
    # (commonly wrong) label such as "iso-8859-1" on a UTF-8 page.
    candidates: list[str | None] = [
        "utf-8", _codec(header_charset), _codec(meta.group(1) if meta else None)]
    for codec in candidates:
        if codec is not None and (text := _strict(data, codec)) is not None:
            return text
    fallback = _detected(data) or _codec(header_charset) or "utf-8"
    return data.decode(fallback, errors="replace")
