"""``drafter eval --merge DIR...``: the shard reports of one run put back into one report.

The merged report equals an unsharded run's (same cases in the same order, same criteria,
summary, review and baseline comparison): its cases are the shards' cases in the order of the
whole run's selection, and everything derived from the cases is computed again on the whole
(``drafter.evals.suite.conclude``) with this command's ``--rubric``, ``--baseline``,
``--fail-on-regression`` and ``--review-grades``. Usage counters are summed; ``wall_seconds``
is the longest shard's (shards run side by side). The shards must come from the same run
configuration and cover every shard of it exactly once; anything else is an error naming what
differs, never a silently partial report.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from drafter.errors import FieldProblem, InputError
from drafter.evals.clients import CallStats
from drafter.evals.config import EvalConfig
from drafter.evals.results import CaseResult, Report
from drafter.evals.rubric import load_rubric

__all__ = ["merge_reports"]


def _problem(text: str) -> InputError:
    return InputError(f"--merge: {text}", [FieldProblem("--merge", text)])


def _load(path: Path) -> tuple[str, Report]:
    file = path / "report.json" if path.is_dir() else path
    try:
        report = Report.model_validate(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise _problem(f"cannot read a drafter eval report at {file} "
                       f"({type(exc).__name__}): give shard --out directories") from None
    if report.shard is None:
        raise _problem(f"{file} is not a shard report (it was run without --shard K/N)")
    return str(file), report


def _check(reports: list[tuple[str, Report]]) -> None:
    first_file, first = reports[0]
    assert first.shard is not None
    n = first.shard.count
    run = first.run.model_dump(exclude={"concurrency"})
    seen: dict[int, str] = {}
    for file, r in reports:
        assert r.shard is not None
        if r.shard.count != n:
            raise _problem(f"{file} is shard {r.shard.index}/{r.shard.count}, but {first_file} "
                           f"is one of {n}: merge the shards of one run")
        if r.shard.index in seen:
            raise _problem(f"shard {r.shard.index}/{n} given twice ({seen[r.shard.index]}, "
                           f"{file})")
        seen[r.shard.index] = file
        other = r.run.model_dump(exclude={"concurrency"})
        diff = [k for k in run if run[k] != other[k]]
        if diff or r.shard.selection != first.shard.selection:
            what = ", ".join(diff) or "the selected cases"
            raise _problem(f"{file} and {first_file} come from different runs ({what} "
                           "differ): merge the shards of one run")
    missing = sorted(set(range(1, n + 1)) - seen.keys())
    if missing:
        raise _problem(f"shard(s) {', '.join(f'{k}/{n}' for k in missing)} missing: give "
                       f"every shard's report ({len(seen)} of {n} given)")


def _cases(reports: list[tuple[str, Report]]) -> list[CaseResult]:
    first = reports[0][1]
    assert first.shard is not None
    by_id: dict[str, CaseResult] = {}
    for file, r in reports:
        for case in r.cases:
            if case.id in by_id:
                raise _problem(f"case {case.id} is in more than one shard ({file})")
            by_id[case.id] = case
    order = first.shard.selection
    lost = [i for i in order if i not in by_id]
    if lost or len(by_id) != len(order):
        raise _problem(f"the shards lack {len(lost)} case(s) of the run ({', '.join(lost[:5])}"
                       "): was a shard run with another --case or dataset?")
    return [by_id[i] for i in order]


def merge_reports(paths: list[Path], cfg: EvalConfig) -> Report:
    """One report from every shard report of a run (``paths``: --out dirs or report.json)."""
    from drafter.evals.suite import conclude, usage_summary

    reports = [_load(p) for p in paths]
    _check(reports)
    first = reports[0][1]
    rubric = load_rubric(cfg.rubric)
    if rubric.sha256 != first.run.rubric_sha256:
        raise InputError(f"--rubric {cfg.rubric} is not the rubric the shards ran with "
                         f"({first.run.rubric} {first.run.rubric_version}): give the same "
                         "--rubric", [FieldProblem("--rubric", "differs from the shards'")])
    cases = _cases(reports)
    stats = CallStats(
        cache_hits=sum(r.usage.cache_hits for _, r in reports),
        cache_misses=sum(r.usage.cache_misses for _, r in reports),
        replayed=sum(r.usage.replayed_calls for _, r in reports),
        recorded=sum(r.usage.recorded_calls for _, r in reports))
    wall = max(r.usage.wall_seconds for _, r in reports)
    usage = usage_summary(cases, stats, wall, replace(cfg, tier=first.run.tier))
    ordered = sorted(reports, key=lambda fr: fr[1].shard.index if fr[1].shard else 0)
    return Report(run=first.run, **conclude(cfg, rubric, cases), cases=cases, usage=usage,
                  calibration=first.calibration, corpus=first.corpus, goals=first.goals,
                  merged_from=[file for file, _ in ordered])
