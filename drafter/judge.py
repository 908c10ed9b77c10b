"""The optional model-graded judge: a second opinion on the same rubric dimensions.

One call per dimension (G-Eval): written evaluation steps and anchored bands from
``prompts/judge/criteria.yaml``. The message and the recipient's work are fenced as untrusted
data with markers they cannot close; the reply is parsed into a typed verdict, binding to the
*last* JSON object in the reply (an object echoed from the message cannot win). A reply that
cannot be parsed is a ``JudgeError``, and a failed call raises the model's own error
(``ModelTimeout``, ...): never a pass, never a zero.

Combination rule (documented in README): per dimension the stricter of the deterministic and
the judge verdict wins (pass < weak < fail). The judge can flag what the rules missed; it can
never clear what the rules failed. The overall verdict is the worse of the card's own and the
rules' verdict over the combined dimensions.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafter.basemodels import Frozen
from drafter.errors import JudgeError
from drafter.model.protocol import CompletionRequest, ModelClient
from drafter.prompts import fence_nonce, prompt_dir, render_template, template_hash
from drafter.scorecard import (
    DIMENSIONS,
    OVERALL_RANK,
    VERDICT_RANK,
    DimensionResult,
    Overall,
    ScoreCard,
    Verdict,
)
from drafter.scoring import overall_verdict
from drafter.textclean import normalise_for_match
from drafter.types import Message, ScoreRequest

__all__ = [
    "JudgeVerdict",
    "JudgedScore",
    "combine",
    "criteria",
    "judge_message",
    "parse_verdict",
]

_OBJECT = re.compile(r"\{[^{}]*\}", re.DOTALL)


class _Reply(BaseModel):
    # The judge model's reply: extra keys are ignored, not an error (models add them).
    model_config = ConfigDict(extra="ignore")
    evidence: list[str] = Field(default_factory=list, max_length=5)
    reason: str = Field(min_length=1, max_length=600)
    verdict: Literal["pass", "weak", "fail"]


class JudgeVerdict(Frozen):
    """The judge's verdict on one dimension."""

    dimension: str
    verdict: Verdict
    reason: str = Field(description="Why, in the judge's words.")
    evidence: list[str] = Field(description="Quotes from the message that occur in it.")
    unverified_evidence: int = Field(description="Quotes the judge gave that are not in it.")


class JudgedScore(Frozen):
    """The score card with the judge's second opinion (``POST /v1/score/judged``)."""

    card: ScoreCard = Field(description="The rubric's own score card, unchanged.")
    judge_model: str
    judge_prompt_version: str = Field(description="Hash of the judge's prompt templates.")
    judge: list[JudgeVerdict] = Field(description="One verdict per dimension.")
    combined: dict[str, Verdict] = Field(description="Per dimension, the stricter of the "
                                         "card's and the judge's verdicts.")
    overall: Overall = Field(description="The worse of the card's overall verdict and the "
                             "rules' verdict over the combined dimensions.")


@lru_cache(maxsize=1)
def criteria() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((prompt_dir() / "judge" / "criteria.yaml").read_text())
    return data


def _messages(req: ScoreRequest, dimension: str) -> tuple[Message, ...]:
    crit = {"name": dimension, **criteria()[dimension]}
    fence = fence_nonce(req.message, *req.works)
    system = render_template("judge/system.j2", criterion=crit)
    user = render_template("judge/user.j2", criterion=crit, works=req.works, fence=fence,
                           channel=req.channel, subject=req.subject, message=req.message)
    return (Message(role="system", content=system), Message(role="user", content=user))


def parse_verdict(text: str, dimension: str, message: str) -> JudgeVerdict:
    """The last JSON object in the reply, validated; evidence checked against the message."""
    for raw in reversed(_OBJECT.findall(text)):
        try:
            reply = _Reply.model_validate(json.loads(raw))
        except (json.JSONDecodeError, ValidationError):
            continue
        folded = normalise_for_match(message)
        found = [e for e in reply.evidence if normalise_for_match(e) in folded]
        return JudgeVerdict(dimension=dimension, verdict=reply.verdict, reason=reply.reason,
                            evidence=found, unverified_evidence=len(reply.evidence) - len(found))
    raise JudgeError(f"the judge gave no usable verdict for {dimension}; this is an error, "
                     "not a pass: retry, or use a stronger judge model")


_SCHEMA = {"type": "object", "properties": {
    "evidence": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    "reason": {"type": "string"},
    "verdict": {"type": "string", "enum": ["pass", "weak", "fail"]}},
    "required": ["evidence", "reason", "verdict"]}


async def judge_message(req: ScoreRequest, *, client: ModelClient,
                        dimensions: tuple[str, ...] = DIMENSIONS) -> list[JudgeVerdict]:
    out: list[JudgeVerdict] = []
    for dim in dimensions:
        reply = await client.complete(CompletionRequest(
            messages=_messages(req, dim), max_tokens=200, temperature=0.0, seed=0,
            json_schema=_SCHEMA))
        out.append(parse_verdict(reply.text, dim, req.message))
    return out


def combine(card: ScoreCard, verdicts: list[JudgeVerdict], *, judge_model: str) -> JudgedScore:
    """The stricter verdict per dimension; overall, the card's verdict when the judge found
    nothing worse than the card did, else the worse of the card's verdict and the rules'
    verdict over the combined dimensions: the judge never clears the card, and a judge that
    agrees with every dimension never makes it stricter either (the rules' own mapping is
    stricter than the learned reader's, so recomputing it alone turned agreement into
    needs_work)."""
    by_dim = {v.dimension: v.verdict for v in verdicts}
    combined: dict[str, Verdict] = {}
    dims: list[DimensionResult] = []
    for d in card.dimensions:
        judged = by_dim.get(d.dimension, d.verdict)
        worst: Verdict = judged if VERDICT_RANK[judged] > VERDICT_RANK[d.verdict] else d.verdict
        combined[d.dimension] = worst
        dims.append(d.model_copy(update={"verdict": worst}))
    stricter = any(c.verdict != d.verdict for c, d in zip(dims, card.dimensions, strict=True))
    overall = max(card.overall, overall_verdict(dims, card.asks),
                  key=OVERALL_RANK.__getitem__) if stricter else card.overall
    return JudgedScore(card=card, judge_model=judge_model,
                       judge_prompt_version=template_hash("judge"), judge=verdicts,
                       combined=combined, overall=overall)


