"""Requests and drafts that must never go out: contact harvesting, private data, deception,
threats (docs/design/threats.md #1, #7, #8).

Two layers. ``screen_goal`` refuses a goal that asks for private data, deception or coercion
before any model call, with a reason code. ``screen_fields`` removes such sentences from what
the model wrote (a model can obey instructions planted in the recipient's work) and reports a
failing check, so the repair loop asks again and a draft that still fails is returned without
the offending sentences, never with them.
"""

from __future__ import annotations

import re

from drafter.errors import FieldProblem, GoalRefused
from drafter.types import Check, DraftFields, DraftRequest

__all__ = ["screen_fields", "screen_goal"]

_PRIVATE = (r"\b(?:home|personal|private|mobile|cell|direct)\s+(?:address|phone|number|"
            r"e-?mail)|\bphone\s+numbers?\b|\bwhere\s+(?:she|he|they|you)\s+lives?\b|"
            r"\b(?:date\s+of\s+birth|social\s+security|passport|bank\s+details)\b")
_HARVEST = (r"\bcontacts?\s+(?:list|details|book)|\ball\s+(?:of\s+)?(?:your|their|his|her)\s+"
            r"contacts\b|\baddress\s+book\b|\b(?:e-?mails?|e-?mail\s+addresses|phone\s+"
            r"numbers)\s+of\s+(?:your|their|everyone|all)|\b(?:your|their)\s+(?:team'?s?|"
            r"colleagues'?|network'?s?|customers'?|users'?)\s+(?:e-?mails?|contacts?|phone)|"
            r"\bintroduce\s+me\s+to\s+(?:everyone|all)\b|\b(?:your|their)\s+contacts\b")
_DECEIVE = (r"\bpretend\b|\bact\s+as\s+if\b|\bmake\s+(?:her|him|them)\s+(?:think|believe)\b|"
            r"\bimpersonat|\blie\s+(?:to|about)\b")
_COERCE = (r"\b(?:bad|negative|1-star|one-star)\s+review|\bthreaten|\bblackmail|"
           r"\bor\s+else\b|\bexpose\s+(?:her|him|them|you)\b|\bunless\s+(?:she|he|they|you)\b")
_FLAGS = re.IGNORECASE
# A goal is refused for harvesting only when it wants other people's personal data in bulk
# (contact lists, team e-mails); "introduce me to your network" is an entitled goal that the
# goal assessment coaches down to a first step, not a refusal.
_HARVEST_GOAL = (r"\bcontacts?\s+(?:list|details|book)|\baddress\s+book\b|\b(?:e-?mails?|"
                 r"e-?mail\s+addresses|phone\s+numbers)\s+of\s+(?:your|their|everyone|all)|"
                 r"\b(?:your|their)\s+(?:team'?s?|colleagues'?|customers'?|users'?)\s+"
                 r"(?:e-?mails?|contacts?|phone)|\ball\s+(?:of\s+)?(?:your|their|his|her)\s+"
                 r"contacts\b")
_GOAL_RULES = [
    ("private-data", re.compile(_PRIVATE, _FLAGS),
     "asks for private data; ask about their public work instead"),
    ("harvesting", re.compile(_HARVEST_GOAL, _FLAGS),
     "asks for other people's contacts; ask for one small thing from this person"),
    ("deception", re.compile(_DECEIVE, _FLAGS),
     "asks the message to deceive; say only what is true"),
    ("coercion", re.compile(_COERCE, _FLAGS),
     "threatens or pressures the recipient; offer something instead"),
]
_DRAFT_RULES = [
    _GOAL_RULES[0],
    ("harvesting", re.compile(_HARVEST, _FLAGS), _GOAL_RULES[1][2]),
    _GOAL_RULES[3],
]  # deception inside a draft (fake familiarity) is the rubric's credibility dimension
_SENTENCE = re.compile(r"[^.!?]*[.!?]+|[^.!?]+$")


def screen_goal(request: DraftRequest) -> None:
    """Refuse, before any model call, a goal that asks for private data, contacts, deception
    or coercion. The reason code is the field problem's message prefix."""
    for reason, pattern, fix in _GOAL_RULES:
        if pattern.search(request.goal):
            raise GoalRefused(f"the goal {fix} (reason: {reason})",
                              [FieldProblem("goal", f"{reason}: {fix}")])


def _scrub(text: str) -> tuple[str, list[str]]:
    kept: list[str] = []
    reasons: list[str] = []
    for sentence in _SENTENCE.findall(text):
        hit = next((r for r, p, _ in _DRAFT_RULES if p.search(sentence)), None)
        if hit:
            reasons.append(hit)
        else:
            kept.append(sentence)
    return "".join(kept).strip(), reasons


def screen_fields(fields: DraftFields) -> tuple[DraftFields, Check]:
    """The model's fields with harvesting, private-data and coercive sentences removed,
    and a check that fails (with the fix) if any were."""
    update: dict[str, str] = {}
    reasons: list[str] = []
    for key in ("subject", "reaction", "ask"):
        text, found = _scrub(getattr(fields, key))
        if found:
            update[key] = text
            reasons += found
    if not reasons:
        return fields, Check(name="honest_and_safe", passed=True, detail="")
    fixes = [fix for r, _, fix in _DRAFT_RULES if r in reasons]
    return fields.model_copy(update=update), Check(
        name="honest_and_safe", passed=False,
        detail="removed sentences that " + "; ".join(dict.fromkeys(fixes)))
