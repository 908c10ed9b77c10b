"""The last pass over a draft before it leaves: no contact channel the sender did not supply.

A draft is assembled from several sources: the sender's own words, the model's subject and
question, a line and a title from the recipient's page. Each source has its own filter, but a
page or a model that gets past one of them could still ask the recipient to write to, visit or
call someone else (docs/design/threats.md #30-#31). So, whatever the source, the finished
subject and body are read once more, NFKC-normalised, for links in any form, e-mail addresses
and phone numbers (:func:`drafter.links.foreign_channels`); every sentence that carries one
the sender did not supply is removed, and the draft fails ``no_contact_channels``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from drafter.links import Channel, foreign_channels
from drafter.types import Check, DraftRequest

__all__ = ["Contained", "contain", "supplied_by_sender"]

CHECK = "no_contact_channels"
# A sentence: up to its end punctuation (and a closing quote), or to the end of its line.
_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?]+[\"'”’)\]]*|\n|$)")
# A channel stands in for itself while sentences are split: it has dots of its own.
_MARK = "\ue000"


@dataclass(frozen=True)
class Contained:
    subject: str | None
    body: str
    offer: str | None
    ask: str | None
    check: Check


def supplied_by_sender(req: DraftRequest) -> str:
    """Everything the sender typed or chose: the only places a channel in a draft may come
    from (their name, bio, offer and goal, the recipient's name and headline, the works' URLs)."""
    return " ".join(filter(None, [
        req.goal, req.sender.name, req.sender.about, req.sender.offer, req.recipient.name,
        req.recipient.headline, *(w.url for w in req.recipient.works)]))


def _without(text: str, supplied: str) -> tuple[str, list[Channel]]:
    """``text`` with each sentence that carries a foreign channel removed."""
    found = foreign_channels(text, supplied)
    if not found:
        return text, []
    text = unicodedata.normalize("NFKC", text)  # the offsets index the normalised text
    marked = text
    for c in reversed(found):
        marked = marked[:c.start] + _MARK + marked[c.end:]
    paragraphs = []
    for para in marked.split("\n\n"):
        kept = "".join(s for s in _SENTENCE.findall(para) if _MARK not in s).strip()
        if kept:
            paragraphs.append(re.sub(r"[ \t]{2,}", " ", kept))
    return "\n\n".join(paragraphs), found


def contain(subject: str | None, body: str, offer: str | None, ask: str | None, *,
            req: DraftRequest, fallback_subject: str) -> Contained:
    """The draft's parts with every sentence carrying a foreign channel removed (a subject
    carrying one is replaced by ``fallback_subject``), and the check that says so."""
    supplied = supplied_by_sender(req)
    body, found = _without(body, supplied)
    if subject is not None:
        in_subject = foreign_channels(subject, supplied)
        if in_subject:  # a subject is one phrase: what is left of it would not read
            found += in_subject
            subject = fallback_subject
    parts = [_without(p, supplied) if p else (p, []) for p in (offer, ask)]
    found += [c for _, hits in parts for c in hits]
    (offer, _), (ask, _) = parts
    if not found:
        return Contained(subject, body, offer, ask, Check(name=CHECK, passed=True, detail=""))
    kinds = sorted({c.kind for c in found})
    names = {"link": "link", "email": "e-mail address", "phone": "phone number"}
    detail = (f"removed {len(found)} contact channel(s) the sender did not supply "
              f"({', '.join(names[k] for k in kinds)}); a draft may point only at addresses "
              "you typed")
    return Contained(subject, body, offer or None, ask or None,
                     Check(name=CHECK, passed=False, detail=detail))
