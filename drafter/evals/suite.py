"""One eval run end to end: load data, build the tier's client, run, aggregate, write reports."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drafter import __version__
from drafter.config import Settings, load_settings
from drafter.errors import ConfigError
from drafter.evals.clients import (
    CachingClient,
    CallStats,
    FillingClient,
    RecordingClient,
    ReplayClient,
)
from drafter.evals.config import DEFAULT_CONCURRENCY, TIERS, EvalConfig
from drafter.evals.dataset import Dataset, EvalCase, load_dataset
from drafter.evals.results import CaseResult, Report, RunInfo, ShardInfo, UsageSummary
from drafter.evals.rubric import Rubric, load_rubric
from drafter.evals.runner import CaseClients, run_cases
from drafter.evals.shard import shard_cases
from drafter.evals.stats import summarise, summarise_criteria
from drafter.model.protocol import ModelClient
from drafter.model.registry import is_embedded
from drafter.progress import Progress
from drafter.prompts import template_hash

__all__ = ["EvalConfig", "conclude", "run_suite", "usage_summary"]

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


def _inner_client(cfg: EvalConfig, settings: Settings, say: Progress) -> ModelClient:
    if cfg.client is not None:
        return cfg.client
    from drafter.model.litellm_client import LiteLLMClient

    return LiteLLMClient(settings, progress=say)


def _factory(cfg: EvalConfig, settings: Settings, thash: str,
             say: Progress) -> Callable[[EvalCase], CaseClients]:
    """Each case gets its own wrappers and counters (``CaseClients.stats``) around one shared
    model client, so the journal can keep every case's share of the usage."""
    if cfg.tier == "replay":
        def replay(case: EvalCase) -> CaseClients:
            stats = CallStats()
            return CaseClients(ReplayClient(cfg.fixtures, settings.model, thash, case.id, stats),
                               stats=stats)

        return replay
    inner = _inner_client(cfg, settings, say)
    cache = cfg.cache_dir or cfg.out / "cache"

    def real(case: EvalCase) -> CaseClients:
        stats = CallStats()
        client: ModelClient = inner
        if cfg.use_cache:
            client = CachingClient(inner, cache, thash, stats, api_base=settings.api_base,
                                   model_path=str(settings.model_path or ""))
        if not cfg.record:
            return CaseClients(client, stats=stats)
        if cfg.fill:
            client = FillingClient(ReplayClient(cfg.fixtures, settings.model, thash, case.id,
                                                stats), client)
        rec = RecordingClient(client, thash)

        def finish() -> None:
            rec.save(cfg.fixtures, case.id)
            stats.recorded += len(rec.calls)

        return CaseClients(rec, finish, stats)

    return real


def usage_summary(cases: list[CaseResult], stats: CallStats, wall: float,
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


def _total(stats: list[CallStats]) -> CallStats:
    return CallStats(cache_hits=sum(s.cache_hits for s in stats),
                     cache_misses=sum(s.cache_misses for s in stats),
                     replayed=sum(s.replayed for s in stats),
                     recorded=sum(s.recorded for s in stats))


def conclude(cfg: EvalConfig, rubric: Rubric, cases: list[CaseResult]) -> dict[str, Any]:
    """What a report derives from the whole run's cases: criteria, baseline comparison,
    summary (thresholds and exit code) and blind review. One function for a run and for a
    merge of shards, so a merged report is judged exactly like an unsharded one."""
    from drafter.evals.compare import compare, known_errors

    criteria = summarise_criteria(cases, rubric)
    comparison = compare(cfg.baseline, cases) if cfg.baseline else None
    regressions = comparison.regressions if comparison else 0
    known = known_errors(cfg.baseline, cases) if cfg.baseline else frozenset()
    summary = summarise(cases, criteria, rubric, regressions=regressions,
                        fail_on_regression=cfg.fail_on_regression, known_errors=known)
    return {"criteria": criteria, "comparison": comparison, "summary": summary,
            "review": _review(cases, cfg.review_grades)}


def _select(cfg: EvalConfig, data: Dataset, say: Progress) -> tuple[list[EvalCase],
                                                                     ShardInfo | None]:
    if cfg.shard is None:
        return data.cases, None
    ids = [c.id for c in data.cases]
    mine = shard_cases(ids, data.cases, cfg.shard)
    say(f"shard {cfg.shard}: {len(mine)} of {len(ids)} case(s) (split by sorted case id)")
    return mine, ShardInfo(index=cfg.shard.index, count=cfg.shard.count, cases=len(mine),
                           selection=ids)


async def run_suite(cfg: EvalConfig, *, say: Progress) -> Report:
    """Run the whole suite and return the report (reports are written by the caller).

    Each finished case is journalled in ``cfg.out`` (``drafter.evals.journal``); with
    ``cfg.resume`` the cases of a matching journal are taken from it and not run again."""
    from drafter.evals.calibration import calibration_section
    from drafter.evals.corpus import agreement_section
    from drafter.evals.goals import goals_section
    from drafter.evals.journal import journal_config, open_journal

    settings = load_settings(model=cfg.model)
    _check_config(cfg, settings)
    data = load_dataset(cfg.dataset, only=cfg.only or None)
    rubric = load_rubric(cfg.rubric)
    thash = template_hash("draft")
    concurrency = cfg.concurrency or DEFAULT_CONCURRENCY[cfg.tier]
    say(f"drafter eval: {len(data.cases)} case(s), tier {cfg.tier}, model {settings.model}, "
        f"template {thash}, rubric {rubric.name} {rubric.version}")
    cases, shard = _select(cfg, data, say)
    journal = open_journal(cfg.out, journal_config(
        tier=cfg.tier, model=settings.model, template_hash=thash, dataset_sha256=data.sha256,
        rubric_sha256=rubric.sha256, repeat=cfg.repeat, record=cfg.record,
        fixtures=cfg.fixtures if cfg.tier == "replay" else None, settings=settings,
        shard=str(cfg.shard) if cfg.shard else None, case_ids=[c.id for c in cases],
        drafter_version=__version__), resume=cfg.resume, say=say)
    done = {k: v for k, v in journal.done.items() if k in {c.id for c in cases}}
    todo = [c for c in cases if c.id not in done]
    if cfg.resume and done:
        say(f"resuming: {len(done)} of {len(cases)} case(s) done (journal {journal.path}); "
            f"running the other {len(todo)}")
    stats = {k: CallStats(**v.stats.model_dump()) for k, v in done.items()}

    def finished(res: CaseResult, case_stats: CallStats) -> None:
        journal.append(res, case_stats)
        stats[res.id] = case_stats

    started = time.monotonic()
    try:
        new = await run_cases(todo, _factory(cfg, settings, thash, say), settings=settings,
                              rubric=rubric, repeat=cfg.repeat, concurrency=concurrency,
                              say=say, on_done=finished, done_before=len(done),
                              total=len(cases))
    finally:
        journal.close()
    by_id = {**{k: v.case for k, v in done.items()}, **{r.id: r for r in new}}
    results = [by_id[c.id] for c in cases]  # dataset order, whichever run finished a case
    return Report(run=_run_info(cfg, settings, rubric, data, thash=thash,
                                concurrency=concurrency),
                  **conclude(cfg, rubric, results), cases=results,
                  usage=usage_summary(results, _total(list(stats.values())),
                                      time.monotonic() - started, cfg),
                  calibration=calibration_section(cfg.labelled),
                  corpus=agreement_section(cfg.corpus), goals=goals_section(cfg.goals),
                  shard=shard)


def _review(cases: list[CaseResult], grades: Path | None) -> dict[str, object] | None:
    from drafter.evals.review import load_grades, review_summary

    found = review_summary(cases, load_grades(grades)) if grades else None
    return found.model_dump() if found else None
