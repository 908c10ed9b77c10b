"""Compose the message from validated fields, and verify it.

The greeting and the sign-off come from the request itself, so no placeholder can survive and
the message is always signed by the sender. The quote is located in the cleaned work and the
reference carries the source's own text (verbatim) and offsets. Links the user did not supply
are removed: public work may try to plant them (threats.md #1, #3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.grounding import locate_quote
from drafter.types import Check, ContextBundle, DraftFields, Reference

__all__ = ["Composed", "compose", "verify"]

_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]|\{\{[^}]*\}\}|\{[A-Za-z_]+\}|%[A-Z_]+%|<[A-Z][A-Za-z ]+>")
_URL = re.compile(r"!?\[[^\]]*\]\([^)]*\)|\b(?:https?|javascript|data|ftp):[^\s)>\]]+|\bwww\.[^\s)>\]]+",
                  re.IGNORECASE)
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear)\b[^,.!\n]{0,40}[,.!]?\s*", re.IGNORECASE)
_SIGNOFF = re.compile(r"\s*(?:best|thanks|cheers|regards|kind regards|sincerely)[,!]?\s*"
                      r"(?:\n.*)?$", re.IGNORECASE | re.DOTALL)
_TITLES = {"dr", "dr.", "prof", "prof.", "professor", "mr", "mr.", "ms", "ms.", "mrs", "mrs."}
_SIGNOFFS = {"warm": "Best,", "formal": "Kind regards,", "casual": "Cheers,", "direct": "Thanks,"}


@dataclass(frozen=True)
class Composed:
    subject: str | None
    body: str
    references: list[Reference]
    offer: str | None
    ask: str | None
    removed_links: int


def greeting_name(full_name: str) -> str:
    parts = full_name.split()
    if len(parts) > 1 and parts[0].lower() in _TITLES:
        return f"{parts[0].rstrip('.').capitalize()}. {parts[-1]}"
    return parts[0]


def _clean_piece(text: str, allowed_links: str) -> tuple[str, int]:
    removed = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal removed
        if m.group(0) in allowed_links and not m.group(0).startswith("!"):
            return m.group(0)
        removed += 1
        return ""

    text = _URL.sub(drop, text)
    text = _GREETING.sub("", text, count=1) if _GREETING.match(text) else text
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text, removed


def _ensure_quote(opening: str, quote: str, title: str | None) -> str:
    if quote.lower() in opening.lower():
        return opening
    where = f'In "{title}" you wrote' if title else "You wrote"
    return f'{where}: "{quote}." {opening}'.strip()


def _join(paragraphs: list[str], sep: str) -> str:
    return sep.join(p for p in paragraphs if p)


def compose(fields: DraftFields, ctx: ContextBundle) -> Composed:
    req = ctx.request
    allowed = " ".join(filter(None, [req.goal, req.sender.about, req.sender.offer]))
    pieces = {}
    removed = 0
    for key in ("opening", "intro", "offer", "ask"):
        text, n = _clean_piece(getattr(fields, key), allowed)
        pieces[key] = _SIGNOFF.sub("", text).strip()
        removed += n
    refs = _references(fields.quote, pieces["opening"], ctx)
    if refs:
        title = ctx.titles[refs[0].work_index]
        pieces["opening"] = _ensure_quote(pieces["opening"], refs[0].quote, title)
    hello = f"Hi {greeting_name(req.recipient.name)},"
    first = req.sender.name.split()[0]
    if req.channel in {"linkedin_note", "dm"}:
        core = _join([pieces["opening"], pieces["intro"], pieces["offer"], pieces["ask"]], " ")
        body = f"{hello} {core} – {first}"
        if len(body) > req.limit and pieces["intro"]:  # the intro is the first thing to go
            core = _join([pieces["opening"], pieces["offer"], pieces["ask"]], " ")
            body = f"{hello} {core} – {first}"
    else:
        sign = _SIGNOFFS.get(req.tone or "warm", "Best,")
        middle = _join([pieces["intro"], pieces["offer"]], " ")
        body = _join([hello, pieces["opening"], middle, pieces["ask"],
                      f"{sign}\n{req.sender.name}"], "\n\n")
    subject = fields.subject.strip().strip('"') if req.channel == "email" else None
    return Composed(subject=subject or None, body=body, references=refs,
                    offer=pieces["offer"] or None, ask=pieces["ask"] or None,
                    removed_links=removed)


def _references(quote: str, opening: str, ctx: ContextBundle) -> list[Reference]:
    """The model's quote (and any quoted text in the opening) located in the works."""
    claimed = [quote, *re.findall(r'"([^"]{12,300})"', opening)]
    refs: list[Reference] = []
    for text in claimed:
        for i, work in enumerate(ctx.works):
            match = locate_quote(text, work)
            if match and not any(r.work_index == i and r.start == match.start for r in refs):
                refs.append(Reference(quote=match.text, work_index=i, work_title=ctx.titles[i],
                                      start=match.start, end=match.end))
                break
    return refs


def verify(fields: DraftFields, composed: Composed, ctx: ContextBundle) -> list[Check]:
    """Structural checks on a composed draft; each failing check says what to fix."""
    req = ctx.request
    body = composed.body
    placeholders = _PLACEHOLDER.findall(body + " " + (composed.subject or ""))
    asks = sum(piece.count("?") for piece in (composed.ask or "", fields.opening,
                                              fields.intro, fields.offer))
    checks = [
        Check(name="grounded_quote", passed=bool(composed.references),
              detail="the quote occurs in the recipient's work" if composed.references else
              '"quote" was not found in the reference material: copy an exact phrase from it'),
        Check(name="no_placeholders", passed=not placeholders,
              detail=f"remove placeholders: {', '.join(placeholders)}" if placeholders else ""),
        Check(name="single_ask", passed=asks <= 1,
              detail="" if asks <= 1 else f"the message asks {asks} questions: keep one ask, "
              'in "ask" only; make "offer" a statement'),
        Check(name="within_limit", passed=len(body) <= req.limit,
              detail=f"{len(body)} of {req.limit} characters" if len(body) <= req.limit else
              f"the message is {len(body)} characters, over the {req.channel} limit of "
              f"{req.limit}: shorten opening and offer"),
        Check(name="signed_by_sender", passed=req.sender.name.split()[0] in body[-80:]),
        Check(name="names_recipient",
              passed=greeting_name(req.recipient.name) in body[:60]),
    ]
    if req.sender.offer:
        checks.append(Check(name="has_offer", passed=bool(composed.offer),
                            detail="" if composed.offer else
                            f'"offer" is empty: offer {req.sender.offer}'))
    if req.channel == "email":
        checks.append(Check(name="has_subject", passed=bool(composed.subject),
                            detail="" if composed.subject else 'write a 3-5 word "subject"'))
    return checks
