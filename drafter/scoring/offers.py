"""Offer detection: what the message gives, and whether the gift hangs on the ask.

A sentence is a concrete offer when a first-person giving verb ("I ran", "I'll send", "here is")
meets a concrete object (a benchmark, a fix, data, a translation, a citation...), when it links
or numbers a contribution (a URL, "PR #12"), or when it thanks the recipient for a specific
work together with its effect ("your post saved us a week"). Vague offers ("happy to help
anytime") are reported separately; they give nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.scorecard import OfferFound, Span
from drafter.scoring.findings import span
from drafter.scoring.phrases import Phrases
from drafter.scoring.text import Sentence

__all__ = ["OfferScan", "find_offers"]


@dataclass(frozen=True)
class OfferScan:
    offers: list[OfferFound]
    vague: list[Span]
    thanked: bool  # some sentence thanks them (with or without saying what the work did)


def _is_concrete(text: str, ph: Phrases) -> bool:
    o = ph.offers
    if o["direct"].search(text) or o["thanks"].search(text):
        return True
    return bool(o["give"].search(text) and o["object"].search(text))


def _is_conditional(text: str, ph: Phrases) -> bool:
    o = ph.offers
    return bool(o["conditional"].search(text)) and not o["unconditional"].search(text)


def _thanks_with_impact(sents: list[Sentence], thanks: list[int], ph: Phrases) -> int | None:
    """Index of a thank-you sentence when the message also says what the work did for them."""
    if thanks and any(ph.offers["impact"].search(s.text) for s in sents):
        return thanks[0]
    return None


def find_offers(body: str, sents: list[Sentence], ph: Phrases) -> OfferScan:
    offers: list[OfferFound] = []
    vague: list[Span] = []
    thanks = [i for i, s in enumerate(sents) if ph.offers["thanks_any"].search(s.text)]
    thanked = _thanks_with_impact(sents, thanks, ph)
    for i, s in enumerate(sents):
        if i == thanked or _is_concrete(s.text, ph):
            sp = span(body, s.start, s.end)
            offers.append(
                OfferFound(text=sp.text, span=sp, conditional=_is_conditional(s.text, ph))
            )
            continue
        m = ph.offers["vague"].search(s.text)
        if m:
            vague.append(span(body, s.start + m.start(), s.start + m.end()))
    return OfferScan(offers=offers, vague=vague, thanked=bool(thanks))
