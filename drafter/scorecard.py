"""The scorer's result types: a rubric score card and a goal assessment.

All models are frozen and forbid unknown fields. **Offsets:** every :class:`Span` in a
:class:`ScoreCard` is a pair of character offsets into the scored message *body* exactly as it
was passed to :func:`drafter.scoring.score_message` (``body[start:end] == text``); findings about
the subject line carry no spans. Spans in a :class:`GoalAssessment` index the *goal* text.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from drafter.basemodels import Frozen

__all__ = [
    "DIMENSIONS",
    "OVERALL_RANK",
    "VERDICT_RANK",
    "AskFound",
    "AskSize",
    "ChannelLimits",
    "DimensionResult",
    "Finding",
    "FirstStep",
    "GoalAssessment",
    "GoalClass",
    "GoalPlan",
    "GoalSize",
    "Metrics",
    "OfferFound",
    "Overall",
    "Reading",
    "ScoreCard",
    "Span",
    "Verdict",
]

Verdict = Literal["pass", "weak", "fail"]
# How bad each verdict is: the worst finding decides a dimension, the worse of rules and judge
# decides a combined card.
VERDICT_RANK: dict[Verdict, int] = {"pass": 0, "weak": 1, "fail": 2}
Overall = Literal["acceptable", "entitled", "needs_work"]
OVERALL_RANK: dict[Overall, int] = {"acceptable": 0, "needs_work": 1, "entitled": 2}
GoalClass = Literal["proportionate", "entitled", "unclear"]
# The model's one-word reading of how much a goal asks of a stranger (drafter.reading).
GoalSize = Literal["big", "small"]
AskSize = Literal["none", "small", "large"]

# The six rubric dimensions, in rubric order (docs/design/rubric.md).
DIMENSIONS: tuple[str, ...] = (
    "personalization",
    "reciprocity",
    "proportionate_ask",
    "credibility",
    "respect",
    "mass_mail",
)



class Span(Frozen):
    """Characters ``[start, end)`` of the scored body (of the goal, in a GoalAssessment)."""

    start: int
    end: int
    text: str


class Finding(Frozen):
    """One thing the scorer found, with the words that caused it."""

    dimension: str = Field(description="The rubric dimension it bears on.")
    verdict: Verdict
    code: str = Field(description="Stable identifier, e.g. 'ask.referral'.")
    message: str = Field(description="What was found.")
    fix: str = Field(description="The one-line change that would fix it.")
    spans: list[Span] = Field(description="The words in the body that caused it (none for "
                              "the subject line, or for something missing).")


class DimensionResult(Frozen):
    dimension: str = Field(description="personalization, reciprocity, proportionate_ask, "
                           "credibility, respect or mass_mail.")
    verdict: Verdict
    findings: list[Finding]
    fix: str | None = Field(description="The fix of the worst finding; null when the "
                            "dimension passes.")


class Metrics(Frozen):
    words: int
    characters: int
    sentences: int
    questions: int
    asks: int
    reading_ease: float = Field(description="Flesch reading ease (higher is easier).")
    reading_grade: float = Field(description="Flesch-Kincaid grade level.")
    subject_words: int | None = Field(description="Words in the subject; null without one.")


class ChannelLimits(Frozen):
    channel: str
    max_characters: int = Field(description="The channel's hard limit for the body.")
    characters: int = Field(description="Characters in the body.")
    within_limit: bool


class AskFound(Frozen):
    """An ask the scorer found in the body."""

    text: str
    span: Span
    size: AskSize = Field(description="'large' asks (an intro, a referral, free work) make a "
                          "message entitled.")
    kind: str = Field(description="What is asked, e.g. 'question', 'referral'.")


class OfferFound(Frozen):
    """Something the body offers the recipient."""

    text: str
    span: Span
    conditional: bool = Field(description="Offered only if they say yes ('I'll share X if "
                              "you...'): not a gift.")


class Reading(Frozen):
    """How the learned reader (trained on independently labelled messages) read it."""

    p_acceptable: float | None = Field(description="The model's probability that a reader "
                                       "finds it acceptable (the verdict is acceptable at or "
                                       "above its threshold); null when the rules found it "
                                       "entitled.")
    rules: Overall = Field(description="What the rules alone would have said.")
    toward: list[str] = Field(description="Features that pushed most toward acceptable.")
    against: list[str] = Field(description="Features that pushed most against it.")
    dimensions_by: Literal["rules", "reader"] = Field(
        description="Who graded the six dimensions: 'reader' for a message scored without "
        "works (as pasted), 'rules' when works were supplied (verified against them).")


class ScoreCard(Frozen):
    """The rubric's verdict on one message (``POST /v1/score``; each draft's ``score``)."""

    overall: Overall = Field(description="'entitled' is the rules' call; otherwise the "
                             "learned reader decides 'acceptable' or 'needs_work'.")
    dimensions: list[DimensionResult] = Field(description="Always the six dimensions, in "
                                              "rubric order.")
    metrics: Metrics
    limits: ChannelLimits
    asks: list[AskFound]
    offers: list[OfferFound]
    summary: str = Field(description="The verdict in one sentence.")
    next_step: str | None = Field(default=None, description="The one change that would move "
                                  "the verdict up (for acceptable: the best optional polish).")
    reading: Reading | None = Field(default=None, description="How the learned reader read "
                                    "it (absent only on a rules-only card).")


class GoalPlan(Frozen):
    """What drafter understood of the goal, in the sender's voice, said to the recipient."""

    give: str | None = Field(description="What the sender gives first: their `offer`, or "
                             "what the goal itself gives; never invented.")
    give_from: Literal["offer", "goal"] | None = None
    give_kind: Literal["thing", "statement", "thanks"] | None = Field(
        default=None, description="'thing': said as \"I'd be glad to send you ...\"; "
        "'statement' and 'thanks': already the sender's own sentence.")
    ask: str | None = Field(description="The one question the message asks the recipient, "
                            "or null for no question.")
    ask_from: Literal["goal", "first_step", "model"] | None = None
    why: str | None = Field(default=None, description="Why the sender writes, if the goal "
                            "says so.")
    aim: str | None = Field(default=None, description="Whom or what the sender is after, when "
                            "a first step's question names it (\"seed investors\"): the "
                            "question then says why they write.")
    no_question: bool = Field(default=False, description="The sender said they ask nothing "
                              "(\"no ask\"): the message carries no question, not even one "
                              "the model would propose.")
    notes: list[str] = Field(default_factory=list, description="What was left out, and why.")
    other_asks: list[str] = Field(default_factory=list, description="Further questions in "
                                  "the goal, said to the recipient (one ask per message).")


class FirstStep(Frozen):
    """One rung of the ladder: a proportionate step toward what an entitled goal wanted."""

    kind: str = Field(description="The entitled ask it replaces, e.g. 'referral'.")
    toward: str = Field(description="The intent the step keeps, e.g. 'a referral'.")
    step: str = Field(description="What the message does instead.")
    ask: str | None = Field(description="The question the message asks, or null.")


class GoalAssessment(Frozen):
    """How the goal was judged before drafting."""

    classification: GoalClass = Field(description="'entitled': it asks a stranger for too "
                                      "much, and the drafts take a first step instead.")
    reasons: list[str] = Field(description="Why it was classified so.")
    entitled_phrases: list[Span] = Field(description="The words that ask too much (spans "
                                         "index the goal text).")
    proposed_first_step: str | None = Field(description="For an entitled goal: the step the "
                                            "drafts take.")
    overlap: bool = Field(description="Whether the sender's words share anything with the "
                          "recipient's work.")
    overlap_note: str | None = Field(description="When they share nothing: what to add.")
    rewritten_goal: str = Field(description="The goal the drafts pursue: as typed, or the "
                                "proposed first step.")
    plan: GoalPlan | None = Field(default=None, description="The goal as drafter understood "
                                  "it; check it, and rephrase the goal if it is wrong.")
    first_steps: list[FirstStep] = Field(default_factory=list, description="For an entitled "
                                         "goal: proportionate steps toward the same end.")
    chosen_step: int | None = Field(default=None, description="Index of the step the drafts "
                                    "take (request `first_step` picks another).")
    model_reading: GoalSize | None = Field(default=None, description="The model's one-word "
                                           "reading of the goal before drafting: 'big' (it asks "
                                           "a stranger for too much) or 'small'; null when it "
                                           "was not asked (request `read_goal: false`, "
                                           "DRAFTER_GOAL_READER=false) or its reply was "
                                           "unusable. It can make a goal the phrase "
                                           "rules passed entitled, never the reverse.")
    offer_ideas: list[str] = Field(default_factory=list, description="When the sender named "
                                   "nothing to give: offers that fit this work, to choose from "
                                   "and pass as `sender.offer`.")
