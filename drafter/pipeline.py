"""The pipeline: the one place that puts the stages in order and owns the repair loop.

``request -> context -> prompt -> model -> parsing/validation -> scoring -> result``

The CLI, the HTTP API and the eval runner are thin adapters over ``draft``. A draft whose
model-written part fails its checks (``_MODEL_FIXABLE``: the quoted line, quoted claims, what
must never go out) is re-asked with the specific failures, at most ``settings.max_repairs``
times; what the sender typed is theirs to fix, so it is never re-asked;
what still fails is returned marked as failing, with reasons. A reply that never parses is an
``InvalidModelOutput`` error, never an empty "successful" draft.
"""

from __future__ import annotations

import asyncio
import re
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from drafter.bio import needs_rewrite, read_intro
from drafter.compose import compose, supplied_text, verify
from drafter.config import Settings
from drafter.context import build_context, fetch_works
from drafter.errors import InvalidModelOutput, ModelRefused
from drafter.links import find_channels
from drafter.model.protocol import Completion, CompletionRequest, ModelClient
from drafter.outbound import CHECK as CONTACT_CHECK
from drafter.outbound import contain, supplied_by_sender
from drafter.parsing import draft_schema, parse_reply
from drafter.plan import make_plan, model_writes_question
from drafter.progress import Progress, Stage, quiet
from drafter.prompts import render_draft, render_repair
from drafter.reading import read_goal_size
from drafter.scorecard import OVERALL_RANK, GoalAssessment, GoalPlan, GoalSize, ScoreCard
from drafter.scoring import score_message
from drafter.scoring.goal import assess_goal
from drafter.screening import screen_fields, screen_goal
from drafter.slots import Slots
from drafter.types import (
    Check,
    ContextBundle,
    Draft,
    DraftFields,
    DraftRequest,
    DraftResult,
    RenderedPrompt,
    Usage,
)

if TYPE_CHECKING:
    from drafter.fetching import FetchedWork  # the type only: httpx loads on a URL

__all__ = ["Prepared", "assess", "draft", "prepare", "score_draft"]

# A model that declines inside valid JSON (docs/design/threats.md #27) must be reported as a
# refusal.
_REFUSAL = re.compile(r"\b(?:I(?:'m| am) sorry,? but|I can(?:not|'t) (?:help|assist|write|"
                      r"comply)|as an AI\b)", re.IGNORECASE)


@dataclass
class _Tally:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    seconds: float = 0.0

    def add(self, c: Completion) -> None:
        self.prompt_tokens += c.prompt_tokens
        self.completion_tokens += c.completion_tokens
        self.calls += 1
        self.seconds += c.seconds

    def usage(self) -> Usage:
        return Usage(prompt_tokens=self.prompt_tokens, completion_tokens=self.completion_tokens,
                     model_calls=self.calls, model_seconds=round(self.seconds, 3))


@dataclass(frozen=True)
class _Job:
    ctx: ContextBundle
    prompt: RenderedPrompt
    schema: dict[str, object]
    client: ModelClient
    settings: Settings
    tally: _Tally
    assessment: GoalAssessment
    plan: GoalPlan
    say: Progress = quiet


@dataclass(frozen=True)
class Prepared:
    """Everything before the first model call: what the model is sent, and why."""

    ctx: ContextBundle
    assessment: GoalAssessment
    plan: GoalPlan
    prompt: RenderedPrompt
    schema: dict[str, object]


def prepare(request: DraftRequest, *, settings: Settings,
            fetched: dict[int, FetchedWork] | None = None,
            size: GoalSize | None = None, intro: str | None = None) -> Prepared:
    """The stages from the request to the prompt, in order: the goal planned, the evidence
    selected, the goal assessed (with the model's reading of its ``size``, when asked; an
    entitled ask replaced by a first step), the prompt and its reply schema rendered.
    ``draft`` runs it; benchmarks time it without a model."""
    plan = make_plan(request.goal, recipient_name=request.recipient.name,
                     sender_offer=request.sender.offer)
    ctx = build_context(request, budget_chars=settings.evidence_budget_chars, fetched=fetched,
                        focus=" ".join(filter(None, [plan.ask, plan.give, plan.why])))
    if intro:
        ctx = ctx.model_copy(update={"intro": intro})
    assessment = assess(ctx, plan, size)
    plan = assessment.plan or plan  # assess_goal always sets it; the type allows None
    model_question = model_writes_question(plan, assessment.classification)
    return Prepared(ctx, assessment, plan, render_draft(ctx, plan, model_question=model_question),
                    draft_schema(ctx, model_question=model_question))


async def draft(request: DraftRequest, *, client: ModelClient, settings: Settings,
                progress: Progress | None = None,
                fetch_slots: Slots | None = None) -> DraftResult:
    """Write ``request.variants`` drafts for one recipient. ``fetch_slots``: the service's
    cap on pages fetched at once (a fetch holds no model slot: the client takes one at its
    first call)."""
    say = progress or quiet
    screen_goal(request)  # private data, deception, coercion: refused before any model call
    fetched: dict[int, FetchedWork] = {}
    if any(w.text is None for w in request.recipient.works):
        say(Stage("fetch", "fetching the recipient's public work"))
        async with fetch_slots.held() if fetch_slots else nullcontext():
            fetched = await fetch_works(request, enabled=settings.fetch_urls,
                                        max_bytes=settings.fetch_max_bytes,
                                        timeout_s=settings.fetch_timeout_s,
                                        allowed_ports=settings.fetch_allowed_ports)
    tally = _Tally()
    size: GoalSize | None = None
    if settings.goal_reader and request.read_goal:
        say(Stage("goal", f"reading your goal with {client.model_id}"))
        size, completion = await read_goal_size(request.goal, client)
        tally.add(completion)
    intro: str | None = None
    if settings.bio_writer and needs_rewrite(request.sender.about):
        say(Stage("goal", f"writing your introduction from your notes with {client.model_id}"))
        intro, completion = await read_intro(request.sender.name, request.sender.about, client)
        tally.add(completion)
    say(Stage("context", "reading their work and your goal"))
    # Splitting, ranking and planning over up to five works of 20,000 characters is CPU work:
    # in a worker thread, so the server's event loop keeps answering meanwhile.
    prepared = await asyncio.to_thread(partial(prepare, request, settings=settings,
                                               fetched=fetched, size=size, intro=intro))
    ctx, assessment, plan, prompt = (prepared.ctx, prepared.assessment, prepared.plan,
                                     prepared.prompt)
    if assessment.classification == "entitled":
        say(Stage("assessment", "the goal asks a stranger for too much: drafting a smaller "
                  "first step instead"))
    job = _Job(ctx, prompt, prepared.schema, client, settings, tally, assessment, plan, say)
    drafts: list[Draft] = []
    for variant in range(request.variants):
        say(Stage("model", f"writing draft {variant + 1} of {request.variants} with "
                           f"{client.model_id}"))
        # Variants are alternatives to choose from: each quotes a line the others did not,
        # when another line fits.
        quoted = frozenset((r.work_index, r.start) for d in drafts for r in d.references[:1])
        drafts.append(await _one_draft(job, variant, quoted))
    # Best first: passing drafts, then by the rubric; the order among equals is as written.
    drafts.sort(key=_rank)
    warnings = list(ctx.warnings)
    if not assessment.overlap and assessment.overlap_note:
        warnings.append(assessment.overlap_note)
    return DraftResult(assessment=assessment, drafts=drafts, model=client.model_id,
                       prompt_version=prompt.template_hash, warnings=warnings,
                       usage=job.tally.usage())




def _rank(d: Draft) -> tuple[bool, int, int]:
    weak = sum(dim.verdict != "pass" for dim in d.score.dimensions)
    return (not d.passed, OVERALL_RANK[d.score.overall], weak)


def _titled_works(ctx: ContextBundle) -> list[str]:
    # Titles are part of the work a message may cite ("your post 'Faster groupby'").
    return [f"{t}\n{w}" if t else w for t, w in zip(ctx.titles, ctx.works, strict=True)]


def assess(ctx: ContextBundle, plan: GoalPlan | None = None,
           size: GoalSize | None = None) -> GoalAssessment:
    req = ctx.request
    return assess_goal(req.goal, recipient_name=req.recipient.name, works=_titled_works(ctx),
                       sender_about=req.sender.about, sender_offer=req.sender.offer,
                       work=ctx.kinds[0] if ctx.kinds else "work", step=req.first_step,
                       plan=plan, recipient_headline=req.recipient.headline or "", size=size)


def score_draft(body: str, subject: str | None, ctx: ContextBundle) -> ScoreCard:
    req = ctx.request
    # Links are checked even when the sender gave none: then none may appear.
    allowed = [c.text for c in find_channels(supplied_by_sender(req))]
    return score_message(body, subject=subject, works=_titled_works(ctx), channel=req.channel,
                         linkedin_free_account=req.linkedin_free_account,
                         sender_name=req.sender.name, sender_about=req.sender.about,
                         recipient_name=req.recipient.name, allowed_urls=allowed,
                         supplied=supplied_text(req))


async def _ask(job: _Job, prompt: RenderedPrompt, variant: int) -> Completion:
    s = job.settings
    completion = await job.client.complete(CompletionRequest(
        messages=prompt.messages, max_tokens=s.max_tokens, temperature=s.temperature,
        seed=s.seed + variant, json_schema=job.schema, repeat_index=variant))
    job.tally.add(completion)
    return completion


async def _one_draft(job: _Job, variant: int,
                     quoted: frozenset[tuple[int, int]] = frozenset()) -> Draft:
    prompt = job.prompt
    attempts = 0
    while True:
        attempts += 1
        reply = await _ask(job, prompt, variant)
        outcome = parse_reply(reply.text, [e.text for e in job.ctx.evidence])
        if outcome.fields is None:
            if attempts > job.settings.max_repairs:
                raise InvalidModelOutput(
                    f"the model's reply was not usable after {attempts} attempts "
                    f"({outcome.problems[0]}); try again or use a stronger model "
                    "(DRAFTER_MODEL)", attempts=attempts, last_reply=reply.text,
                    problems=list(outcome.problems))
            job.say(Stage("repair", f"the model's reply for draft {variant + 1} was not "
                          "usable: asking again"))
            prompt = render_repair(job.prompt, reply.text, list(outcome.problems))
            continue
        _reject_refusal(outcome.fields, job.client.model_id)
        job.say(Stage("checks", f"checking draft {variant + 1} against the work and the "
                      "rubric"))
        result, mendable = _build(outcome.fields, job, attempts, quoted)
        failing = [c.detail or c.name for c in result.checks if c.name in mendable]
        if not failing or attempts > job.settings.max_repairs:
            return result
        job.say(Stage("repair", f"asking the model to mend draft {variant + 1} "
                      f"({', '.join(sorted(mendable))})"))
        prompt = render_repair(job.prompt, reply.text, failing)


_MODEL_FIXABLE = frozenset({"grounded_quote", "quote_complete", "claims_supported",
                            "honest_and_safe", CONTACT_CHECK})
_QUOTE_CHECKS = frozenset({"grounded_quote", "quote_complete"})


def _reject_refusal(fields: DraftFields, model: str) -> None:
    text = " ".join([fields.subject, fields.reaction, fields.ask])
    if _REFUSAL.search(text):
        raise ModelRefused(f"{model} declined to write this message; rephrase the goal so it "
                           "asks for something small and honest")


def _rubric_check(card: ScoreCard) -> Check:
    """The rubric gates a draft on what fails (an entitled or stacked ask, fake familiarity,
    mass-mail markers...); 'weak' findings stay visible in the score card without failing."""
    fixes = [f.fix for d in card.dimensions for f in d.findings if f.verdict == "fail"]
    ok = card.overall != "entitled" and not fixes
    return Check(name="rubric", passed=ok,
                 detail=card.summary if ok else "; ".join(dict.fromkeys(fixes)) or card.summary)


def _build(fields: DraftFields, job: _Job, attempts: int,
           quoted: frozenset[tuple[int, int]] = frozenset()) -> tuple[Draft, frozenset[str]]:
    """The draft from the model's fields, and the failing checks a second call could mend."""
    ctx = job.ctx
    # A model may obey instructions planted in the work: such sentences never reach a draft.
    fields, guarded = screen_fields(fields)
    composed = compose(fields, ctx, job.plan, avoid=quoted, left_out=tuple(
        s.text for s in job.assessment.entitled_phrases)
        if job.assessment.classification == "entitled" else ())
    checks: list[Check] = [*verify(fields, composed, ctx, job.assessment), guarded]
    # Whatever each part's own filter let through, no link, address or number the sender did
    # not give leaves in the draft (docs/design/threats.md #30-#31).
    out = contain(composed.subject, composed.body, composed.offer, composed.ask,
                  req=ctx.request,
                  fallback_subject=f"A note on your {ctx.kinds[0] if ctx.kinds else 'work'}")
    checks.append(out.check)
    if composed.dropped:
        checks.append(Check(name="model_sentence_dropped", passed=True,
                            detail="left out " + "; ".join(composed.dropped)))
    if composed.removed_links:
        checks.append(Check(name="no_foreign_links", passed=True,
                            detail=f"removed {composed.removed_links} link(s) the sender did "
                            "not supply"))
    card = score_draft(out.body, out.subject, ctx)
    checks.append(_rubric_check(card))
    draft = Draft(subject=out.subject, body=out.body, references=composed.references,
                  offer=out.offer, ask=out.ask, checks=checks,
                  passed=all(c.passed for c in checks), attempts=attempts, score=card)
    # Only what the model can mend is worth a second call: its choice of line and its own
    # sentence. The sender's offer and question are theirs (a failing check tells them), and
    # when no line of the work both reads well and connects, no other choice of line passes.
    mendable = _MODEL_FIXABLE - (_QUOTE_CHECKS if composed.quote_no_fit else frozenset())
    return draft, frozenset(c.name for c in checks if not c.passed and c.name in mendable)
