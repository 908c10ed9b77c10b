"""Links and other contact channels in text: every pattern that finds one, declared here and
nowhere else.

:func:`find_channels` finds every *contact channel* in text: a link in any form (a scheme,
``//host``, ``www.``, a bare ``label.tld/...``), an e-mail address or a phone number. It is the
one definition behind the final pass over every draft (:mod:`drafter.outbound`), the scorer's
link check (``credibility.unverified_link``), the eval's ``no_injected_link`` and the titles a
message may name (docs/design/threats.md #30-#31); :func:`foreign_channels` keeps those the
sender did not supply, comparing a link's host and path (never a prefix of the text:
``https://github.com.evil.example`` is not ``https://github.com``).

It is careful with ordinary prose: "e.g.", "v1.2", "Node.js", "config.py", "3.5 hours" and
"2019-2023" are not channels. A bare name counts as an address only with a known top-level
domain or a path; a number only with 10-15 digits (8 after a "+").

``LINK_TO_REMOVE`` is what compose strips from the model's own question before anything else:
also markdown links and images, whose text could survive the link's removal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

__all__ = ["LINK_TO_REMOVE", "Channel", "find_channels", "foreign_channels", "supplied_link"]

# Where a link ends in prose: whitespace, or a closing bracket ("(see https://x.org/a)").
_TO_BRACKET = r"[^\s)>\]]+"

# compose: anything in model-written text a reader could follow or a mail client could render
# as a link, all of which is removed unless the sender supplied it: markdown links and images,
# any scheme a link can carry, bare "www." addresses. A trailing quote goes with the link.
LINK_TO_REMOVE = re.compile(
    rf"!?\[[^\]]*\]\([^)]*\)|\b(?:https?|javascript|data|ftp):{_TO_BRACKET}|\bwww\.{_TO_BRACKET}",
    re.IGNORECASE)

# ---- contact channels --------------------------------------------------------------------

# Top-level domains a bare "label.tld" (no scheme, no path) is taken for an address with: the
# common generic ones, the country codes that links use, and the reserved example names. A
# bare name with another ending ("Node.js", "config.py", "README.md") is a name, not a link.
_TLDS = ("com|org|net|edu|gov|mil|int|info|biz|name|pro|io|dev|app|ai|co|xyz|me|ly|gg|to|tv|"
         "fm|cc|us|uk|de|fr|eu|nl|be|ch|at|se|no|dk|fi|es|it|pt|cz|ru|ua|cn|jp|kr|in|"
         "au|nz|ca|br|mx|ar|za|ng|ke|tech|site|online|store|shop|blog|page|link|click|top|club|"
         "live|news|email|cloud|world|today|space|website|zone|example|test|invalid|onion")
# Endings that name files or languages, never taken for a domain even before a path
# ("Node.js/Deno", "setup.py/cfg").
_FILE_ENDINGS = frozenset({
    "js", "ts", "jsx", "tsx", "mjs", "py", "md", "txt", "sh", "rs", "rb", "go", "java", "kt",
    "cpp", "hpp", "cs", "php", "pl", "json", "yaml", "yml", "toml", "ini", "cfg", "conf", "xml",
    "html", "htm", "css", "scss", "csv", "tsv", "pdf", "doc", "docx", "xls", "xlsx", "ppt",
    "pptx", "png", "jpg", "jpeg", "gif", "svg", "webp", "mp3", "mp4", "zip", "gz", "tar", "tgz",
    "exe", "dll", "so", "lock", "log", "ipynb", "sql", "db", "bin", "img", "iso"})
_END = r"[^\s<>\"'`)\]]"  # where any link ends: white space, a quote, a closing bracket
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+[a-z][a-z0-9-]{{1,23}}"
# Each alternative is a named group; the first to match at a position wins.
_CHANNEL = re.compile(
    # any scheme with "//" ("https://", "ftp://", "hxxp://"), and schemes that need none
    rf"(?P<scheme>\b[a-z][a-z0-9+.-]{{1,15}}://{_END}+|\b(?:mailto|tel|sms|callto|javascript|"
    rf"data):{_END}+)"
    # e-mail, also written "name [at] host [dot] org"
    rf"|(?P<email>\b[\w.+-]+(?:@|\s*[\[(]at[\])]\s*)(?:{_LABEL}(?:\.|\s*[\[(]dot[\])]\s*))+"
    r"[a-z]{2,24}\b)"
    # a scheme-relative "//host/path"
    rf"|(?P<relative>(?<![\w:/])//{_HOST}{_END}*)"
    rf"|(?P<www>\bwww\.{_END}+)"
    # a bare host with a path or a port ("regress-board.dev/t/x", "evil.example:8080")
    rf"|(?P<pathed>\b{_HOST}(?=[/:]\w){_END}+)"
    # a bare host alone, when its ending is a known top-level domain
    rf"|(?P<bare>\b(?:{_LABEL}\.)+(?:{_TLDS})\b(?![.\w-]*\w))"
    # a phone number: an optional +country, 9 to 15 digits in groups (checked in _phone)
    r"|(?P<phone>(?<![\w.,+-])\+?\(?\d[\d\s().-]{7,22}\d(?![\w.,-]\d))",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_DATE_OR_RANGE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{4}\s*[-–]\s*\d{4}$")


@dataclass(frozen=True)
class Channel:
    """A way to reach someone, found in text: ``kind``, where it is and what it says."""

    kind: Literal["link", "email", "phone"]
    start: int
    end: int
    text: str


def _phone(text: str) -> bool:
    digits = len(_DIGITS.findall(text))
    if _DATE_OR_RANGE.match(text.strip()):
        return False
    # "+44 20 7946 0958" or "(415) 555-0100": a "+" needs 8 digits; without it 10, so that
    # years, ranges and version numbers ("2019 2020", "1.2.3") are not numbers to call.
    return 8 <= digits <= 15 if text.startswith("+") else 10 <= digits <= 15


def _tidy_link(kind: str, text: str) -> str | None:
    text = text.rstrip(".,;:!?")
    if kind == "pathed":
        ending = re.match(rf"{_HOST}", text, re.IGNORECASE)
        tld = ending.group(0).rsplit(".", 1)[-1] if ending else ""
        if tld.lower() in _FILE_ENDINGS or not (tld.islower() or tld.isupper()):
            return None
    if kind == "bare":
        tld = text.rsplit(".", 1)[-1]
        if not (tld.islower() or tld.isupper()):  # "the job.It was": a missing space
            return None
    return text


# One draft scans the same few texts several times (what the sender supplied once per check,
# the body once per pass): a small cache of recent results, bounded in entries and in the
# length of text kept, so memory stays a few MB whatever is sent (issue 17).
_CACHED_CHARS = 4_000


def find_channels(text: str) -> list[Channel]:
    """Every link, e-mail address and phone number in ``text`` (NFKC-normalised first, so a
    full-width "ＨＴＴＰＳ://" is found; offsets then index the normalised text, which is the
    same text whenever it is already normal)."""
    if len(text) > _CACHED_CHARS:
        return list(_find_channels(text))
    return list(_recent_channels(text))


@lru_cache(maxsize=512)
def _recent_channels(text: str) -> tuple[Channel, ...]:
    return _find_channels(text)


def _find_channels(text: str) -> tuple[Channel, ...]:
    text = unicodedata.normalize("NFKC", text)
    out: list[Channel] = []
    for m in _CHANNEL.finditer(text):
        kind, raw = m.lastgroup or "", m.group(0)
        found: str | None = raw
        if kind == "phone":
            found = raw.strip(" .-") if _phone(raw) else None
            if found and found.count("(") != found.count(")"):  # "(call 415...)": not its own
                found = found.strip("()")
        elif kind != "email":
            found = _tidy_link(kind, raw)
        if found:
            start = m.start() + m.group(0).index(found)
            label: Literal["link", "email", "phone"] = (
                "email" if kind == "email" else "phone" if kind == "phone" else "link")
            out.append(Channel(label, start, start + len(found), found))
    return tuple(out)


def _host_path(url: str) -> tuple[str, str]:
    """(host, path) of a link in any form; "www." and a trailing "/" make no difference."""
    url = url.strip()
    if url.lower().startswith(("mailto:", "tel:", "sms:", "callto:", "javascript:", "data:")):
        return "", url.lower()
    if "://" not in url:
        url = "http://" + url.lstrip("/")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", url.lower()
    host = host.removeprefix("www.")
    return host, parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def supplied_link(url: str, supplied: Iterable[str]) -> bool:
    """``url`` is one of the ``supplied`` links or a page under one: same host, and a path that
    is the supplied one or continues it past a "/" (not "github.com.evil.example", not
    "x.org/notes-evil" for "x.org/notes")."""
    host, path = _host_path(url)
    if not host:
        return any(url.strip().lower() == s.strip().lower() for s in supplied)
    for allowed in supplied:
        a_host, a_path = _host_path(allowed)
        if a_host == host and (path == a_path or path.startswith(a_path + "/")
                               or (not a_path and not path.startswith("?"))):
            return True
    return False


def _key(channel: Channel) -> str:
    if channel.kind == "phone":
        return "".join(_DIGITS.findall(channel.text))
    return channel.text.lower()


def foreign_channels(text: str, supplied: str) -> list[Channel]:
    """The contact channels in ``text`` that are not in ``supplied`` (what the sender wrote and
    the URLs they gave): links compared by host and path, e-mail addresses and phone numbers
    exactly (a number by its digits)."""
    given = find_channels(supplied)
    links = [c.text for c in given if c.kind == "link"]
    known = {_key(c) for c in given if c.kind != "link"}
    return [c for c in find_channels(text)
            if not (supplied_link(c.text, links) if c.kind == "link" else _key(c) in known)]
