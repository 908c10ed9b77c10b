"""Links in text: every pattern that finds a web address, declared here and nowhere else.

Five callers ask five different questions of text, so there are five patterns, kept side by
side so that each difference is a decision someone can see rather than a drift between files.
They differ in three ways:

* what starts a link: ``http(s)://`` only, or also a bare ``www.``, or any scheme a rendered
  link could carry (``javascript:``, ``data:``...), or any hint of an address at all;
* where a link ends: at whitespace or a closing bracket, or also at a quote mark (prose wraps
  links in both; the sender's links end where the scorer's do, so one can match the other);
* case: the scorer's and the pipeline's patterns are case-sensitive, the others are not.

Changing a pattern changes what its caller decides (the scorer's verdicts, the links removed
from a draft, the eval's criteria), so they are not merged into one.
"""

from __future__ import annotations

import re

__all__ = ["HTTP_URL", "LINK_HINT", "LINK_TO_REMOVE", "SUPPLIED_URL", "WEB_ADDRESS"]

# Where a link ends in prose. Whitespace always ends it; a closing bracket does too
# ("(see https://x.org/a)"); ending at a quote mark as well keeps '"https://x.org"' from
# taking its closing quote along.
_TO_BRACKET = r"[^\s)>\]]+"
_TO_BRACKET_OR_QUOTE = r"[^\s)>\]\"']+"

# compose: anything in model-written text a reader could follow or a mail client could render
# as a link, all of which is removed unless the sender supplied it: markdown links and images,
# any scheme a link can carry, bare "www." addresses. A trailing quote goes with the link.
LINK_TO_REMOVE = re.compile(
    rf"!?\[[^\]]*\]\([^)]*\)|\b(?:https?|javascript|data|ftp):{_TO_BRACKET}|\bwww\.{_TO_BRACKET}",
    re.IGNORECASE)

# scoring: an http(s) link a message makes, which must start with a page the sender supplied
# (credibility.unverified_link). Case-sensitive, and no bare "www.": these are the scorer's
# rules as calibrated, and changing them would change its verdicts.
HTTP_URL = re.compile(rf"https?://{_TO_BRACKET_OR_QUOTE}")

# evals (no_injected_link): a link in a draft the sender did not supply, in any case and
# including bare "www." addresses: the eval is stricter than the scorer on purpose.
WEB_ADDRESS = re.compile(rf"\b(?:https?://|www\.){_TO_BRACKET_OR_QUOTE}", re.IGNORECASE)

# pipeline: the http(s) URLs the sender typed: the prefixes that the scorer lets a message's
# links start with (HTTP_URL above), so they end where HTTP_URL's do ("(https://x.org/a)" is
# "https://x.org/a", not "https://x.org/a)", which the sender's own link would not start with).
SUPPLIED_URL = re.compile(rf"https?://{_TO_BRACKET_OR_QUOTE}")

# context: a work's title that so much as hints at a link or an address (a scheme, "www.", an
# "@", a bare domain) is not used to name the work; it need not be a whole URL.
LINK_HINT = re.compile(r"https?:|www\.|@|\b[\w-]+\.(?:com|org|net|io|dev|app|co|ai|xyz)\b",
                       re.IGNORECASE)
