"""Fetching: one piece of a recipient's public work, from a URL the user gave, as readable text.

The URL is hostile until proven otherwise (docs/design/threats.md cases 9-15). Callers
import from this package only::

    from drafter.fetching import FetchLimits, FetchedWork, fetch_work

What each submodule holds, in the order a fetch uses them:

* :mod:`~drafter.fetching.fetch` -- the SSRF-safe fetch: :func:`fetch_work`, its
  :class:`FetchLimits` and its result :class:`FetchedWork`; requests go to the checked IP
  itself, redirects are followed by hand, the whole fetch runs under one deadline.
* :mod:`~drafter.fetching.addresses` -- the address policy: which schemes, host names and
  resolved addresses may be fetched (:func:`is_public_ip`), and the system resolver.
* :mod:`~drafter.fetching.body` -- the bounded body reader: the byte cap (decompression
  included), the text media types, and decoding that never raises (:func:`decode_text`).
* :mod:`~drafter.fetching.extract` -- readable-text extraction: hidden and non-text elements
  removed, then trafilatura (:func:`extract_readable`).

Importing this package imports httpx, so the draft path imports it only when a request gives
a work by URL (:func:`drafter.context.fetch_works`); trafilatura and lxml load later still,
when a page is first extracted. Start-up pays for neither.
"""

from drafter.fetching.addresses import Resolver, is_public_ip, system_resolver
from drafter.fetching.body import decode_text
from drafter.fetching.extract import extract_readable
from drafter.fetching.fetch import FetchedWork, FetchLimits, fetch_work

__all__ = [
    "FetchLimits",
    "FetchedWork",
    "Resolver",
    "decode_text",
    "extract_readable",
    "fetch_work",
    "is_public_ip",
    "system_resolver",
]
