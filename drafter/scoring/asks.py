"""Ask detection and sizing.

A sentence is an ask sentence when it ends with "?" or carries a request marker ("could you",
"I'd love", "please", ...). Unambiguous asks (a referral, an intro, investors, contacts, a job,
free work, mentorship, "pick your brain") count in any sentence; the rest only in ask
sentences. A call or meeting bounded to ``short_call_max_minutes`` or called quick/short is a
small ``short_call``; otherwise it is an open-ended ``meeting``. Open-ended kinds
(``weak_kinds``: a meeting, "pick your brain", a vague "let's talk") are small but weigh as a
weak ask: easy to decline, not owed. An ask sentence with no named kind is
a small ``question`` (or ``request``). Matches in one clause are one ask, named by the
highest-priority kind; a conjunction ("and", "or", ";") between matches separates asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from drafter.scorecard import AskFound, AskSize
from drafter.scoring.findings import span
from drafter.scoring.phrases import Phrases
from drafter.scoring.text import Sentence

__all__ = ["find_asks"]


@dataclass(frozen=True)
class _Hit:
    start: int  # offsets into the body
    end: int
    kind: str
    size: AskSize


def _duration_size(text: str, asks: dict[str, Any], limit: int) -> AskSize | None:
    """small for a bounded short call, large for a long one, None when no bound is given."""
    m = asks["duration"].search(text)
    if m:
        raw = m.group(1).lower()
        minutes = int(raw) if raw.isdigit() else asks["numbers"].get(raw, limit + 1)
        return "small" if minutes <= limit else "large"
    return "small" if asks["short"].search(text) else None


# "I could proofread a few of your pitches for free": the sender offers; "for free" there is
# what they give, not what they ask of the recipient.
_OFFERING = re.compile(r"^\W*(?:I|we)(?: could| can| will|'ll|'m happy| am happy|"
                       r"'d be (?:glad|happy)| would be (?:glad|happy))\b"
                       r"(?![^.?!]*\b(?:you to|me|us)\b)", re.IGNORECASE)


def _sentence_hits(s: Sentence, ph: Phrases, is_ask: bool) -> list[_Hit]:
    asks = ph.asks
    if not s.is_question and _OFFERING.search(s.text):
        return []
    neg = asks["negation"].search(s.text)
    cut = neg.start() if neg else len(s.text) + 1
    groups = [asks["large_anywhere"]] + ([asks["large_in_ask"]] if is_ask else [])
    hits: list[_Hit] = []
    for group in groups:
        for kind, rx in group.items():
            for m in rx.finditer(s.text):
                if m.start() < cut:
                    hits.append(_sized(s, m, kind, ph))
    if is_ask:
        for kind, rx in asks["small"].items():
            for m in rx.finditer(s.text):
                if m.start() < cut and not _overlaps(hits, s.start + m.start(), s.start + m.end()):
                    hits.append(_Hit(s.start + m.start(), s.start + m.end(), kind, "small"))
    return sorted(hits, key=lambda h: h.start)


def _sized(s: Sentence, m: re.Match[str], kind: str, ph: Phrases) -> _Hit:
    start, end = s.start + m.start(), s.start + m.end()
    if kind == "meeting":
        limit = ph.thresholds["short_call_max_minutes"]
        if _duration_size(s.text, ph.asks, limit) == "small":
            return _Hit(start, end, "short_call", "small")
    if kind == "document_review" and ph.respect["pressure"].search(s.text):
        kind = "urgent_review"
    # Open-ended asks (an unbounded call, "pick your brain") are easy to decline: not owed.
    return _Hit(start, end, kind, "small" if kind in ph.asks["weak_kinds"] else "large")


def _overlaps(hits: list[_Hit], start: int, end: int) -> bool:
    return any(h.start < end and start < h.end for h in hits)


def _clusters(hits: list[_Hit], folded: str, ph: Phrases) -> list[list[_Hit]]:
    out: list[list[_Hit]] = []
    for h in hits:
        if out and (h.start < out[-1][-1].end or not ph.asks["separator"].search(
            folded, out[-1][-1].end, h.start
        )):
            out[-1].append(h)
        else:
            out.append([h])
    return out


def _best(cluster: list[_Hit], ph: Phrases) -> _Hit:
    order = ph.asks["priority"]

    def rank(h: _Hit) -> tuple[int, int]:
        pos = order.index(h.kind) if h.kind in order else len(order)
        return (0 if h.size == "large" else 1, pos)

    return min(cluster, key=rank)


_QUOTED = re.compile(r"[\"“][^\"”\n]{3,}[\"”]")


def find_asks(body: str, folded: str, sents: list[Sentence], ph: Phrases) -> list[AskFound]:
    """Every ask in the message, in order, with its size and kind."""
    out: list[AskFound] = []
    for raw in sents:
        # Words inside quotation marks are the recipient's own ("You wrote: 'let's start'"),
        # not an ask of them: they are blanked (same length, so spans stay true).
        s = Sentence(raw.start, raw.end, _QUOTED.sub(lambda m: " " * len(m.group(0)), raw.text))
        if not s.text.strip(" .:,"):
            continue
        is_ask = s.is_question or bool(ph.asks["request"].search(s.text))
        hits = _sentence_hits(s, ph, is_ask)
        if ph.asks["offer_q"].search(s.text) and all(h.size == "small" for h in hits):
            continue  # "Would you like the notebook?" offers; it does not ask
        if not hits:
            if is_ask:
                kind = "question" if s.is_question else "request"
                sp = span(body, s.start, s.end)
                out.append(AskFound(text=sp.text, span=sp, size="small", kind=kind))
            continue
        for cluster in _clusters(hits, folded, ph):
            h = _best(cluster, ph)
            sp = span(body, h.start, h.end)
            out.append(AskFound(text=sp.text, span=sp, size=h.size, kind=h.kind))
    return out
