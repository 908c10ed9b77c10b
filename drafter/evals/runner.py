"""Run the cases: one pipeline call per case and repeat, then every criterion on the draft.

Cases run concurrently up to a bound (the embedded model serialises anyway); results keep the
dataset's order whatever the completion order, so a report never depends on scheduling. A
model or pipeline error makes that case (repeat) an ``error``, counted apart from failures;
an evaluator that raises is a judge error on that criterion, never a pass. Each finished case
goes to ``on_done`` at once (the suite journals it), with its own call counters.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from drafter.config import Settings
from drafter.context import build_context
from drafter.errors import DrafterError
from drafter.evals.clients import CallStats
from drafter.evals.dataset import EvalCase
from drafter.evals.evaluators import Subject, evaluate
from drafter.evals.results import (
    CaseResult,
    CriterionResult,
    ErrorInfo,
    RepeatResult,
)
from drafter.evals.rubric import Rubric
from drafter.evals.stats import case_criteria, case_status
from drafter.model.protocol import ModelClient
from drafter.pipeline import draft
from drafter.progress import Progress, quiet
from drafter.types import DraftResult

__all__ = ["CaseClients", "run_cases"]


@dataclass
class CaseClients:
    """The client for one case (all repeats), what to do when the case is finished, and the
    case's own call counters (kept per case so that a resumed run's usage still adds up)."""

    client: ModelClient
    finish: Callable[[], None] = lambda: None
    stats: CallStats = field(default_factory=CallStats)


ClientFactory = Callable[[EvalCase], CaseClients]
OnDone = Callable[[CaseResult, CallStats], None]


def _subject(case: EvalCase, result: DraftResult, settings: Settings, rubric: Rubric) -> Subject:
    req = case.request
    ctx = build_context(req, budget_chars=settings.evidence_budget_chars)
    allowed = " ".join(filter(None, [req.goal, req.sender.about, req.sender.offer]))
    limit = min(req.limit, case.expect.max_chars or req.limit)
    return Subject(case_goal=case.expect.goal, must_reference=case.expect.must_reference,
                   must_offer=case.expect.must_offer,
                   forbidden=(*rubric.forbidden, *case.expect.forbidden), max_chars=limit,
                   works=ctx.works, allowed_text=allowed, result=result, draft=result.drafts[0],
                   recipient_name=req.recipient.name, sender_name=req.sender.name,
                   goal_text=req.goal, sender_about=req.sender.about)


def judge(subject: Subject, rubric: Rubric) -> tuple[list[CriterionResult], float | None]:
    """Every criterion on one draft, and the case's weighted score over applicable ones."""
    out: list[CriterionResult] = []
    got = total = 0.0
    for crit in rubric.criteria:
        try:
            v = evaluate(crit.name, subject)
        except Exception as exc:  # a broken evaluator is an error, never a pass
            out.append(CriterionResult(name=crit.name, passed=None, reason="evaluator failed",
                                       error=f"{type(exc).__name__}: {exc}"))
            continue
        out.append(CriterionResult(name=crit.name, passed=v.passed, reason=v.reason))
        if v.passed is not None:
            total += crit.weight
            got += crit.weight if v.passed else 0.0
    return out, (round(got / total, 4) if total else None)


def _error(repeat: int, exc: BaseException) -> RepeatResult:
    if isinstance(exc, DrafterError):
        info = ErrorInfo(code=exc.code, message=exc.detail)
    else:
        info = ErrorInfo(code="internal-error", message=f"{type(exc).__name__}: {exc}")
    return RepeatResult(repeat=repeat, status="error", error=info)


async def _one_repeat(case: EvalCase, client: ModelClient, repeat: int, settings: Settings,
                      rubric: Rubric) -> RepeatResult:
    from drafter.evals.clients import RepeatClient

    try:
        result = await draft(case.request, client=RepeatClient(client, repeat),
                             settings=settings)
    except Exception as exc:  # every failure of a case is reported on that case
        return _error(repeat, exc)
    criteria, score = judge(_subject(case, result, settings, rubric), rubric)
    judged_errors = any(c.error for c in criteria)
    required = {c.name for c in rubric.criteria if c.required}
    ok = (score is not None and score >= rubric.case_threshold
          and not any(c.passed is False for c in criteria if c.name in required))
    d, u = result.drafts[0], result.usage
    return RepeatResult(
        repeat=repeat, status="error" if judged_errors else "pass" if ok else "fail",
        score=score, criteria=criteria, assessment=result.assessment.classification,
        subject=d.subject, body=d.body, prompt_tokens=u.prompt_tokens,
        completion_tokens=u.completion_tokens, model_calls=u.model_calls,
        model_seconds=u.model_seconds)


def _progress_line(i: int, n: int, res: CaseResult, seconds: float) -> str:
    failing = sorted({c.name for r in res.repeats for c in r.criteria if c.passed is False})
    errs = [r.error.code for r in res.repeats if r.error]
    detail = f" failed criteria: {', '.join(failing)}" if failing else ""
    detail += f" error: {errs[0]}" if errs else ""
    return f"[{i:>3}/{n}] {res.status.upper():<5} {res.id} ({seconds:.1f} s){detail}"


async def _run_case(case: EvalCase, factory: ClientFactory, settings: Settings, rubric: Rubric,
                    repeat: int) -> tuple[CaseResult, CallStats]:
    clients = factory(case)
    repeats = []
    try:
        for r in range(repeat):
            repeats.append(await _one_repeat(case, clients.client, r, settings, rubric))
    finally:
        clients.finish()
    return CaseResult(id=case.id, persona=case.persona, channel=case.request.channel,
                      tags=case.tags, split=case.split, status=case_status(repeats),
                      repeats=repeats, criteria=case_criteria(repeats, rubric)), clients.stats


async def run_cases(cases: list[EvalCase], factory: ClientFactory, *, settings: Settings,
                    rubric: Rubric, repeat: int = 1, concurrency: int = 1,
                    say: Progress | None = None, on_done: OnDone | None = None,
                    done_before: int = 0, total: int | None = None) -> list[CaseResult]:
    """Run every case (bounded concurrency); results in dataset order.

    ``done_before`` and ``total`` number the progress lines of a resumed run ("[41/91]" for
    the first case it runs after 40 journalled ones)."""
    gate = asyncio.Semaphore(max(1, concurrency))
    done = done_before
    n = total if total is not None else done_before + len(cases)
    emit = say or quiet

    async def one(case: EvalCase) -> CaseResult:
        nonlocal done
        async with gate:
            started = time.monotonic()
            res, stats = await _run_case(case, factory, settings, rubric, repeat)
            if on_done is not None:
                on_done(res, stats)  # before it is counted: a kill now loses nothing counted
            done += 1
            emit(_progress_line(done, n, res, time.monotonic() - started))
            return res

    tasks: list[Awaitable[CaseResult]] = [one(c) for c in cases]
    return list(await asyncio.gather(*tasks))

