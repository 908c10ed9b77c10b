"""A new draft that is nearly one already written for someone else reads as a template.

Texts are compared after normalising what rightly differs between two recipients (their
names, in the greeting and anywhere else), case, punctuation and spacing, with rapidfuzz's
normalised Indel similarity (the ratio difflib's SequenceMatcher approximates, exact and fast).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from drafter.basemodels import Frozen
from drafter.history.store import Entry

__all__ = ["THRESHOLD", "NearCopy", "near_copies", "normalise"]

THRESHOLD = 0.9
# Compared against the newest stored drafts only: an old template is the same warning, and
# a long history must not make every draft slow.
RECENT = 500
_WORD = re.compile(r"\w+")


class NearCopy(Frozen):
    variant: int  # which new draft (1-based)
    entry_id: int
    recipient: str
    similarity: float


def normalise(text: str, names: Iterable[str]) -> str:
    words = [w.casefold() for w in _WORD.findall(text)]
    drop = {part.casefold() for name in names for part in _WORD.findall(name)}
    return " ".join("<name>" if w in drop else w for w in words)


def near_copies(bodies: list[str], recipient: str, stored: Iterable[Entry],
                *, threshold: float = THRESHOLD) -> list[NearCopy]:
    """For each new body, the most similar stored draft to another recipient, if ≥ threshold."""
    found: list[NearCopy] = []
    mine = " ".join(recipient.split()).casefold()
    candidates = [(e, normalise(d.body, [e.recipient]))
                  for e in stored if " ".join(e.recipient.split()).casefold() != mine
                  for d in e.result.drafts]
    for n, body in enumerate(bodies, 1):
        new = normalise(body, [recipient])
        best: tuple[float, Entry] | None = None
        for entry, old in candidates:
            score = fuzz.ratio(new, old, score_cutoff=threshold * 100) / 100
            if score >= threshold and (best is None or score > best[0]):
                best = (score, entry)
        if best is not None:
            found.append(NearCopy(variant=n, entry_id=best[1].id, recipient=best[1].recipient,
                                  similarity=round(best[0], 3)))
    return found
