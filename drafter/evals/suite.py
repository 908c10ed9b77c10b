"""One eval run end to end: load data, build the tier's client, run, aggregate, write reports."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from drafter import __version__
from drafter.config import Settings, load_settings
from drafter.errors import ConfigError
from drafter.evals.clients import (
    CachingClient,
    CallStats,
    RecordingClient,
    ReplayClient,
)
from drafter.evals.config import DEFAULT_CONCURRENCY, TIERS, EvalConfig
from drafter.evals.dataset import Dataset, EvalCase, load_dataset
from drafter.evals.results import CaseResult, Report, RunInfo, UsageSummary
from drafter.evals.rubric import Rubric, load_rubric
from drafter.evals.runner import CaseClients, run_cases
from drafter.evals.stats import summarise, summarise_criteria
from drafter.model.protocol import ModelClient
from drafter.model.registry import is_embedded
from drafter.progress import Progress
from drafter.prompts import template_hash

__all__ = ["EvalConfig", "run_suite"]

def _check_config(cfg: EvalConfig, settings: Settings) -> None:
    if cfg.tier not in TIERS:
        raise ConfigError(f"unknown tier {cfg.tier}: use one of {', '.join(TIERS)}")
    embedded = is_embedded(settings.model)
    if cfg.tier == "local" and not embedded:
        raise ConfigError(f"the local tier runs an embedded model, not {settings.model}: "
                          "use --tier live for provider models")
    if cfg.tier == "live" and embedded:
        raise ConfigError("the live tier calls a provider model: give --model (e.g. "
                          "gpt-4o-mini) and DRAFTER_API_KEY, or use --tier local")
    if cfg.record and cfg.tier == "replay":
        raise ConfigError("--record needs a real model: use --tier local or --tier live")
    if cfg.repeat < 1:
        raise ConfigError("--repeat must be at least 1")


def _real_client(cfg: EvalConfig, settings: Settings, stats: CallStats, thash: str,
                 say: Progress) -> ModelClient:
    if cfg.client is not None:
        client: ModelClient = cfg.client
    else:
        from drafter.model.litellm_client import LiteLLMClient

        client = LiteLLMClient(settings, progress=say)
    if cfg.use_cache:
        cache = cfg.cache_dir or cfg.out / "cache"
        client = CachingClient(client, cache, thash, stats, api_base=settings.api_base,
                               model_path=str(settings.model_path or ""))
    return client


def _factory(cfg: EvalConfig, settings: Settings, stats: CallStats, thash: str,
             say: Progress) -> Callable[[EvalCase], CaseClients]:
    if cfg.tier == "replay":
        return lambda case: CaseClients(ReplayClient(cfg.fixtures, settings.model, thash,
                                                     case.id, stats))
    real = _real_client(cfg, settings, stats, thash, say)
    if not cfg.record:
        return lambda case: CaseClients(real)

    def recording(case: EvalCase) -> CaseClients:
        rec = RecordingClient(real, thash)

        def finish() -> None:
            rec.save(cfg.fixtures, case.id)
            stats.recorded += len(rec.calls)

        return CaseClients(rec, finish)

    return recording


def _usage(cases: list[CaseResult], stats: CallStats, wall: float,
           cfg: EvalConfig) -> UsageSummary:
    reps = [r for c in cases for r in c.repeats]
    u = UsageSummary(
        model_calls=sum(r.model_calls for r in reps),
        prompt_tokens=sum(r.prompt_tokens for r in reps),
        completion_tokens=sum(r.completion_tokens for r in reps),
        model_seconds=round(sum(r.model_seconds for r in reps), 2), wall_seconds=round(wall, 2),
        cache_hits=stats.cache_hits, cache_misses=stats.cache_misses,
        replayed_calls=stats.replayed, recorded_calls=stats.recorded)
    if cfg.price_in is not None and cfg.price_out is not None:
        cost = (u.prompt_tokens * cfg.price_in + u.completion_tokens * cfg.price_out) / 1e6
        return u.model_copy(update={"cost_usd": round(cost, 6),
                                    "cost_note": "from --price-in/--price-out per 1M tokens"})
    note = ("local model: no money cost; see tokens and model seconds" if cfg.tier != "live"
            else "cost unknown: pass --price-in and --price-out (USD per 1M tokens)")
    return u.model_copy(update={"cost_note": note})


def _run_info(cfg: EvalConfig, settings: Settings, rubric: Rubric, data: Dataset, *,
              thash: str, concurrency: int) -> RunInfo:
    return RunInfo(tier=cfg.tier, model=settings.model, template_hash=thash,
                   rubric=rubric.name, rubric_version=rubric.version,
                   rubric_sha256=rubric.sha256, dataset_files=data.files,
                   dataset_sha256=data.sha256, repeat=cfg.repeat, concurrency=concurrency,
                   record=cfg.record, drafter_version=__version__)


async def run_suite(cfg: EvalConfig, *, say: Progress) -> Report:
    """Run the whole suite and return the report (reports are written by the caller)."""
    from drafter.evals.calibration import calibration_section
    from drafter.evals.compare import compare, known_errors
    from drafter.evals.corpus import agreement_section

    settings = load_settings(model=cfg.model)
    _check_config(cfg, settings)
    data = load_dataset(cfg.dataset, only=cfg.only or None)
    rubric = load_rubric(cfg.rubric)
    thash = template_hash("draft")
    concurrency = cfg.concurrency or DEFAULT_CONCURRENCY[cfg.tier]
    stats = CallStats()
    say(f"drafter eval: {len(data.cases)} case(s), tier {cfg.tier}, model {settings.model}, "
        f"template {thash}, rubric {rubric.name} {rubric.version}")
    started = time.monotonic()
    cases = await run_cases(data.cases, _factory(cfg, settings, stats, thash, say),
                            settings=settings, rubric=rubric, repeat=cfg.repeat,
                            concurrency=concurrency, say=say)
    criteria = summarise_criteria(cases, rubric)
    comparison = compare(cfg.baseline, cases) if cfg.baseline else None
    regressions = comparison.regressions if comparison else 0
    known = known_errors(cfg.baseline, cases) if cfg.baseline else frozenset()
    summary = summarise(cases, criteria, rubric, regressions=regressions,
                        fail_on_regression=cfg.fail_on_regression, known_errors=known)
    return Report(run=_run_info(cfg, settings, rubric, data, thash=thash,
                                   concurrency=concurrency),
                  summary=summary, criteria=criteria, cases=cases,
                  usage=_usage(cases, stats, time.monotonic() - started, cfg),
                  calibration=calibration_section(cfg.labelled),
                  corpus=agreement_section(cfg.corpus), comparison=comparison,
                  review=_review(cases, cfg.review_grades))


def _review(cases: list[CaseResult], grades: Path | None) -> dict[str, object] | None:
    from drafter.evals.review import load_grades, review_summary

    found = review_summary(cases, load_grades(grades)) if grades else None
    return found.model_dump() if found else None
