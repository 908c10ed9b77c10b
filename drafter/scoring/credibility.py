"""Credibility: does the sender say who they are, without fake familiarity or name-dropping?

A self-introduction ("I'm Sam, a data engineer...", "I maintain...") passes; a signature alone
(after a sign-off, a dash, or the sender's name at the end) is weak; neither is anonymous.
"""

from __future__ import annotations

import re
from itertools import pairwise

from drafter.scorecard import Finding
from drafter.scoring.findings import finding, span
from drafter.scoring.phrases import Phrases

__all__ = ["check_credibility"]

_DIM = "credibility"


def _signature(folded: str, sender_name: str | None, ph: Phrases) -> tuple[int, int] | None:
    """Where the signature is: the line after a sign-off, a dash signature, or the name."""
    c = ph.credibility
    lines = list(re.finditer(r"[^\n]*\S[^\n]*", folded))
    for line, nxt in pairwise(lines):
        if c["sign_off"].fullmatch(line.group(0)):
            return nxt.start(), nxt.end()
    m = c["dash_signature"].search(folded)
    if m:
        return m.start(), m.end()
    if sender_name and sender_name.split():
        first = re.escape(sender_name.split()[0])
        found = re.compile(rf"\b{first}\b").search(folded, max(0, len(folded) - 80))
        if found:
            return found.start(), found.end()
    return None


def _identity(body: str, folded: str, sender_name: str | None, ph: Phrases) -> Finding:
    m = ph.credibility["self_intro"].search(folded)
    if m:
        return finding(_DIM, "pass", "credibility.identity", "The sender says who they are.",
                       "", [span(body, m.start(), m.end())])
    sig = _signature(folded, sender_name, ph)
    if sig:
        return finding(_DIM, "weak", "credibility.name_only",
                       "The message is signed but never says who the sender is.",
                       "Add one line on who you are and why you are writing to them.",
                       [span(body, *sig)])
    # Most first messages that fail to introduce the sender are thin, not deceptive: a reader
    # marks them down, not out (evals/labelled/GUIDE.md keeps "fail" for fakery).
    return finding(_DIM, "weak", "credibility.anonymous",
                   "The sender never says who they are.",
                   "Say who you are in one line and sign with your name.")


def check_credibility(
    body: str, folded: str, sender_name: str | None, praise_hits: int, ph: Phrases
) -> list[Finding]:
    c = ph.credibility
    out = [_identity(body, folded, sender_name, ph)]
    for m in c["fake_familiarity"].finditer(folded):
        out.append(finding(_DIM, "fail", "credibility.fake_familiarity",
                           "Claims a prior contact that a first message cannot have.",
                           "Drop the pretend history; say plainly why you are writing.",
                           [span(body, m.start(), m.end())]))
    for m in c["mutual_connections"].finditer(folded):
        out.append(finding(_DIM, "weak", "credibility.mutual_connection",
                           "Leans on a mutual connection instead of the sender's own reason.",
                           "Give your own reason for writing; let the work speak.",
                           [span(body, m.start(), m.end())]))
    sup = list(ph.personalization["superlatives"].finditer(folded))
    if len(sup) + praise_hits >= ph.thresholds["flattery_stack"]:
        out.append(finding(_DIM, "fail", "credibility.flattery",
                           "Stacked flattery reads as insincere.",
                           "Cut the superlatives; one specific, true observation is enough.",
                           [span(body, m.start(), m.end()) for m in sup]))
    return out
