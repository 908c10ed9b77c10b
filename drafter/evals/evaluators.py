"""Deterministic criteria, computed from the service's own scorer and checks.

Each evaluator reads the draft the pipeline returned (its ``checks`` and its ``score`` card
from ``drafter.scoring.score_message``) and the case's expectations, and returns a verdict with
a reason. Nothing here re-implements the rubric: when the service's scorer changes, the eval
changes with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from drafter.asking import INVERTED_OFFERS, ask_problems, offer_problems
from drafter.grounding import locate_quote
from drafter.links import foreign_channels
from drafter.types import Draft, DraftResult
from drafter.voice import first_person_fixes, recipient_family

__all__ = ["EVALUATORS", "Outcome", "Subject", "evaluate"]


@dataclass(frozen=True)
class Subject:
    """What one criterion judges: the case's expectations, the result and its first draft."""

    case_goal: str
    must_reference: bool
    must_offer: bool
    forbidden: tuple[str, ...]
    max_chars: int
    works: tuple[str, ...]  # cleaned work texts, as the pipeline saw them
    allowed_text: str  # sender-supplied text: links found here are the sender's own
    result: DraftResult
    recipient_name: str
    sender_name: str
    draft: Draft
    goal_text: str = ""  # the goal as typed: which pronoun is the recipient's
    sender_about: str = ""  # the sender's notes: a question about them asks the wrong person


@dataclass(frozen=True)
class Outcome:
    """A criterion's result on one case (not a rubric verdict: pass, weak, fail)."""

    passed: bool | None  # None: not applicable to this case
    reason: str


def _check(d: Draft, name: str) -> tuple[bool, str]:
    c = next((c for c in d.checks if c.name == name), None)
    if c is None:
        return True, ""
    return c.passed, c.detail


def _dimension(d: Draft, name: str) -> tuple[str, str]:
    dim = next(x for x in d.score.dimensions if x.dimension == name)
    why = "; ".join(f.message for f in dim.findings if f.verdict != "pass")
    return dim.verdict, why


def grounded(s: Subject) -> Outcome:
    if not s.must_reference:
        return Outcome(None, "case does not require a reference")
    ok, detail = _check(s.draft, "grounded_quote")
    if not s.draft.references or not ok:
        return Outcome(False, f"no verified quote of the work ({detail or 'no reference'})")
    for ref in s.draft.references:
        if not 0 <= ref.work_index < len(s.works) or not locate_quote(ref.quote,
                                                                      s.works[ref.work_index]):
            return Outcome(False, f'quote not found in work {ref.work_index + 1}: "{ref.quote}"')
    ok, detail = _check(s.draft, "claims_supported")
    if not ok:
        return Outcome(False, detail)
    ref = s.draft.references[0]
    if ref.kind == "mention":
        return Outcome(True, f'names "{(ref.mentioned or "")[:60]}", found in "{ref.quote[:60]}"')
    return Outcome(True, f'quotes "{ref.quote[:80]}"')


def offers(s: Subject) -> Outcome:
    if not s.must_offer:
        return Outcome(None, "case does not require an offer")
    verdict, why = _dimension(s.draft, "reciprocity")
    has, detail = _check(s.draft, "has_offer")
    if verdict != "pass" or not has:
        return Outcome(False, f"reciprocity {verdict}: {why or detail or 'no offer found'}")
    return Outcome(True, f'offers "{(s.draft.offer or "")[:80]}"')


def forbidden_hits(s: Subject) -> list[str]:
    text = f"{s.draft.subject or ''}\n{s.draft.body}"
    hits = (re.search(p, text, re.IGNORECASE) for p in s.forbidden)
    return [m.group(0) for m in hits if m]


def proportionate_ask(s: Subject) -> Outcome:
    verdict, why = _dimension(s.draft, "proportionate_ask")
    hits = forbidden_hits(s)
    if hits:
        return Outcome(False, f"forbidden content: {', '.join(repr(h) for h in hits)}")
    if verdict != "pass" or s.draft.score.overall == "entitled":
        return Outcome(False, f"proportionate_ask {verdict} ({s.draft.score.summary}) {why}")
    return Outcome(True, f'ask: "{(s.draft.ask or "none")[:80]}"')


def goal_assessment_correct(s: Subject) -> Outcome:
    got = s.result.assessment.classification
    want = s.case_goal
    if want == "any":
        return Outcome(None, f"no expectation (assessed {got})")
    ok = (got != "entitled") if want == "not_entitled" else got == want
    return Outcome(ok, f"expected {want}, assessed {got}")


def within_limit(s: Subject) -> Outcome:
    n = len(s.draft.body)
    ok, _ = _check(s.draft, "within_limit")
    return Outcome(ok and n <= s.max_chars, f"{n} of {s.max_chars} characters")


def no_placeholders(s: Subject) -> Outcome:
    ok, detail = _check(s.draft, "no_placeholders")
    return Outcome(ok, detail or "no placeholders")


def no_injected_link(s: Subject) -> Outcome:
    text = f"{s.draft.subject or ''}\n{s.draft.body}"
    # The service's own definition (drafter.links): a link in any form, an e-mail address or
    # a phone number, compared by host and path with what the sender supplied.
    foreign = [c.text for c in foreign_channels(text, s.allowed_text)]
    if foreign:
        return Outcome(False, f"links the sender did not supply: {', '.join(foreign)}")
    return Outcome(True, "no foreign links")


def service_passed(s: Subject) -> Outcome:
    if s.draft.passed:
        return Outcome(True, f"all checks pass; {s.draft.score.summary}")
    failing = [f"{c.name}: {c.detail}" if c.detail else c.name
               for c in s.draft.checks if not c.passed]
    return Outcome(False, "; ".join(failing))


# Words of the sentence drafter puts around an offer ("I'd be glad to send you ...").
_OFFER_FRAME = frozenset({"i'd", "be", "glad", "to", "send", "you", "review", "i", "can", "offer",
                          "i've", "already", "opened", "posted", "here", "here's", "are"})
_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def no_invented_offer(s: Subject) -> Outcome:
    """The offer says only what the sender supplied (their offer, about line or goal)."""
    offer = s.draft.offer or ""
    if not offer:
        return Outcome(True, "no offer made")
    # As typed and as said: "ill send", "its any use" read "I'll send", "it's any use".
    supplied = set(_WORDS.findall(f"{s.allowed_text} {first_person_fixes(s.allowed_text)}"
                                  .lower()))
    words = [w for w in _WORDS.findall(offer.lower()) if w not in _OFFER_FRAME and len(w) > 2]
    # "his"/"her" in the goal become "your" in the message: not a new fact.
    new = [w for w in words if w not in supplied and w not in {"your", "you", "yours", "thank"}]
    if words and len(new) / len(words) > 0.2:
        return Outcome(False, f'the offer says what the sender never supplied: {", ".join(new)}')
    return Outcome(True, f'offer from the sender: "{offer[:80]}"')


def ask_to_recipient(s: Subject) -> Outcome:
    """The question, if any, is to the recipient: second person, complete, not about the
    sender's own facts, not empty politeness."""
    ask = s.draft.ask or ""
    if not ask:
        return Outcome(True, "no question")
    problems = [p for p in ask_problems(ask, recipient=s.recipient_name, sender=s.sender_name,
                                        family=recipient_family(s.goal_text),
                                        about=s.sender_about)
                if "turns the roles" not in p]
    return Outcome(not problems, f'"{ask}": ' + ("; ".join(problems) or "a question to them"))


def no_role_inversion(s: Subject) -> Outcome:
    """Neither the ask nor the offer turns the roles around."""
    ask = s.draft.ask or ""
    problems = [p for p in ask_problems(ask, recipient=s.recipient_name, sender=s.sender_name)
                if "turns the roles" in p] if ask else []
    if s.draft.offer:
        problems += [p for p in offer_problems(s.draft.offer, works=" ".join(s.works),
                                               ask=ask or None, supplied=s.allowed_text)
                     if p in INVERTED_OFFERS]  # no gift is has_offer's job, not inverted
    return Outcome(not problems, "; ".join(problems) or "roles as they should be")


EVALUATORS: dict[str, Callable[[Subject], Outcome]] = {
    "no_invented_offer": no_invented_offer,
    "ask_to_recipient": ask_to_recipient,
    "no_role_inversion": no_role_inversion,
    "grounded": grounded,
    "offers": offers,
    "proportionate_ask": proportionate_ask,
    "goal_assessment_correct": goal_assessment_correct,
    "within_limit": within_limit,
    "no_placeholders": no_placeholders,
    "no_injected_link": no_injected_link,
    "service_passed": service_passed,
}


def evaluate(name: str, subject: Subject) -> Outcome:
    return EVALUATORS[name](subject)
