"""The give and the take: reciprocity and proportionate-ask findings from asks and offers."""

from __future__ import annotations

from drafter.scorecard import AskFound, Finding, Span, Verdict
from drafter.scoring.findings import finding
from drafter.scoring.offers import OfferScan
from drafter.scoring.phrases import Phrases

__all__ = ["check_ask", "check_reciprocity"]


def check_ask(asks: list[AskFound], ph: Phrases, gives: bool = True) -> list[Finding]:
    """``gives``: the message offers something; with no ask and nothing given, a reader cannot
    tell what the message is for."""
    dim = "proportionate_ask"
    out: list[Finding] = []
    for a in asks:
        if a.size == "large":
            message, fix = ph.asks["explain"].get(
                a.kind, ("A large ask for a first message.", "Make the ask small and specific."))
            out.append(finding(dim, "fail", f"ask.{a.kind}", message, fix, [a.span]))
        elif a.kind in ph.asks["weak_kinds"]:
            message, fix = ph.asks["explain"][a.kind]
            out.append(finding(dim, "weak", f"ask.{a.kind}", message, fix, [a.span]))
    n = len(asks)
    if n >= 2:
        verdict: Verdict = "fail" if n >= ph.thresholds["stacked_asks_fail_at"] else "weak"
        out.append(finding(dim, verdict, "ask.stacked", f"{n} asks in one first message.",
                           "Keep the one ask that matters; cut the rest.", [a.span for a in asks]))
    elif n == 1 and asks[0].size == "small" and asks[0].kind not in ph.asks["weak_kinds"]:
        out.append(finding(dim, "pass", "ask.small", f"One small ask ({asks[0].kind}).", "",
                           [asks[0].span]))
    elif n == 0 and gives:
        out.append(finding(dim, "pass", "ask.none", "No ask: nothing to decline.", ""))
    elif n == 0:
        out.append(finding(dim, "weak", "ask.unclear",
                           "Neither asks nor gives: the reader cannot tell what it is for.",
                           "Say in one sentence what you would like from them, or what you "
                           "give them."))
    return out


def check_reciprocity(scan: OfferScan, asks: list[AskFound],
                      weak_kinds: frozenset[str] = frozenset()) -> list[Finding]:
    dim = "reciprocity"
    free = [o for o in scan.offers if not o.conditional]
    tied = [o for o in scan.offers if o.conditional]
    out: list[Finding] = []
    if free:
        out.append(finding(dim, "pass", "reciprocity.offer", "Gives something concrete first.",
                           "", [o.span for o in free]))
    if tied:
        out.append(finding(dim, "weak" if free else "fail", "reciprocity.conditional",
                           "The offer is conditional on the ask: a trade, not a gift.",
                           "Give it with no strings; let them take it without saying yes.",
                           [o.span for o in tied]))
    if not scan.offers:
        out.append(_nothing_offered(scan.vague, asks, weak_kinds))
    return out


def _nothing_offered(vague: list[Span], asks: list[AskFound],
                     weak_kinds: frozenset[str]) -> Finding:
    fix = ("Offer one concrete thing they can take without saying yes: a finding, a fix, data, "
           "a citation.")
    if vague:
        return finding("reciprocity", "weak", "reciprocity.vague",
                       "The offer is vague: it gives nothing they can use.", fix, vague)
    # GUIDE.md: a message that only asks one small question is weak here, not failing;
    # asking for more (a large or open-ended ask, or several) while giving nothing is taking.
    small = len(asks) <= 1 and all(a.size == "small" and a.kind not in weak_kinds for a in asks)
    return finding("reciprocity", "weak" if small else "fail", "reciprocity.none",
                   "Nothing is offered" + ("." if small else " for what is asked."), fix)
