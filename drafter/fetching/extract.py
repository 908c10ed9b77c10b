"""Readable text from a fetched page: the words a reader sees, nothing a reader does not.

A page can hide instructions meant for a model in places a person never reads: scripts,
styles, comments, ``hidden``/``aria-hidden`` elements, and text hidden by style (inline or in
the page's style sheets: :mod:`drafter.fetching.hidden`; docs/design/threats.md cases 15 and
32). Those are removed from the parsed tree
*before* the boilerplate extractor (trafilatura) runs, because trafilatura alone keeps some of
them.
Plain text and Markdown pass through unchanged.

trafilatura and lxml are imported lazily: only a request that fetches a URL pays for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafter.textclean import clean_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["Extracted", "extract_readable"]

_MAX_TITLE = 200
# Elements whose content is never shown as text.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "frameset",
              "object", "embed", "applet", "svg", "math", "canvas", "input", "select",
              "textarea", "button", "link", "meta", "head", "dialog")
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
           "article", "blockquote", "pre", "header", "footer", "td", "dt", "dd")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_MD_TITLE = re.compile(r"^\s*#\s+(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Extracted:
    title: str | None
    text: str
    # Invisible/control characters in the page's visible text. Counted here because the
    # extractor drops them silently, and the count is reported to the user
    # (docs/design/threats.md 4).
    removed: int = 0


def _strip_invisible(root: HtmlElement) -> None:
    """Remove comments, non-text elements and hidden elements, in place."""
    from lxml import etree

    from drafter.fetching.hidden import hidden_elements

    # Before the style sheets go: their rules say what is hidden.
    hidden = hidden_elements(root)
    # strip_elements drops each element with its content but keeps the tail text after it.
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_DROP_TAGS,
                         with_tail=False)
    for el in hidden:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail, which belongs to the visible parent


def _title(root: HtmlElement) -> str | None:
    candidates = [*root.xpath("//head/title/text()"), *root.xpath("//title/text()"),
                  *root.xpath("//meta[@property='og:title']/@content"),
                  *root.xpath("//h1//text()")]
    for raw in candidates:
        title = " ".join(str(raw).split())
        if title:
            return title[:_MAX_TITLE]
    return None


def _fallback_text(root: HtmlElement) -> str:
    """Visible text with line breaks at block ends, for pages trafilatura finds empty."""
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return str(root.text_content())


def _parse(html: str) -> HtmlElement | None:
    import lxml.html
    from lxml.etree import ParserError

    # lxml refuses str input that carries an encoding declaration; we decoded it already.
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _readable(root: HtmlElement) -> str:
    import trafilatura

    text = trafilatura.extract(
        root, output_format="txt", include_comments=False, include_tables=True,
        include_images=False, include_links=False, favor_recall=True, deduplicate=False,
        with_metadata=False,
    )
    return text if text and text.strip() else _fallback_text(root)


def extract_readable(body: str, content_type: str) -> Extracted:
    """Title and readable text of a decoded body of one of the fetcher's allowed types."""
    if content_type in {"text/plain", "text/markdown"}:
        match = _MD_TITLE.search(body[:2000]) if content_type == "text/markdown" else None
        return Extracted(title=match.group(1).strip()[:_MAX_TITLE] if match else None, text=body)
    root = _parse(body)
    if root is None:
        return Extracted(title=None, text="")
    title = _title(root)
    _strip_invisible(root)
    removed = clean_text(str(root.text_content())).removed
    return Extracted(title=title, text=_readable(root), removed=removed)
