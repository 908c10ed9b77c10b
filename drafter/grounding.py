"""Finding a quote in its source text: the basis of every claim about the recipient.

A quote counts only if it occurs in the supplied work. Matching forgives what a model or a
person changes without changing meaning (curly vs straight quotes, dashes, case, white space,
a stray character via a strict fuzzy match) and always returns the span of the *source* text, so
the reference we return is verbatim even when the model's copy was slightly off.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from drafter.textclean import PUNCTUATION_FOLD

__all__ = ["QuoteMatch", "locate_quote"]

MIN_FUZZY_SCORE = 94.0
MIN_QUOTE_CHARS = 12


@dataclass(frozen=True)
class QuoteMatch:
    start: int
    end: int
    text: str
    exact: bool


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """Lower-case, fold punctuation, collapse white space; map folded index -> source index."""
    out: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        c = unicodedata.normalize("NFKC", ch)
        c = PUNCTUATION_FOLD.get(c, c).lower()
        if c.isspace() or c == "":
            if prev_space:
                continue
            c = " "
            prev_space = True
        else:
            prev_space = False
        for sub in c:
            out.append(sub)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def _strip_wrapping(quote: str) -> str:
    return quote.strip().strip("\"'\u201c\u201d\u2018\u2019").strip().rstrip(".…").strip()


def locate_quote(quote: str, source: str) -> QuoteMatch | None:
    """Return where ``quote`` occurs in ``source`` (exactly or near-exactly), else ``None``."""
    wanted = _strip_wrapping(quote)
    if len(wanted) < MIN_QUOTE_CHARS:
        return None
    folded_src, index = _fold_with_map(source)
    folded_q, _ = _fold_with_map(wanted)
    if not folded_q:
        return None
    pos = folded_src.find(folded_q)
    if pos >= 0:
        return _span(source, index, pos, pos + len(folded_q), exact=True)
    # Near-exact only: a quote the model garbled beyond a few characters is not a quote.
    align = fuzz.partial_ratio_alignment(folded_q, folded_src, score_cutoff=MIN_FUZZY_SCORE)
    if align is None or align.dest_end - align.dest_start < 0.9 * len(folded_q):
        return None
    return _span(source, index, align.dest_start, align.dest_end, exact=False)


def _span(source: str, index: list[int], start: int, end: int, *, exact: bool) -> QuoteMatch:
    s = index[start]
    e = index[end - 1] + 1
    return QuoteMatch(start=s, end=e, text=source[s:e], exact=exact)
