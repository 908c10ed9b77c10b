"""Compare a run with a baseline report: what got better or worse, per case and criterion."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from drafter.errors import FieldProblem, InputError
from drafter.evals.results import CaseResult, Change, Comparison, Report

__all__ = ["compare", "known_errors", "load_report"]

_STATUS_RANK = {"pass": 2, "fail": 1, "error": 0}


def load_report(path: Path) -> Report:
    try:
        return Report.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise InputError(f"cannot read baseline report {path}: {type(exc).__name__}",
                         [FieldProblem("--baseline", "not a drafter eval report")]) from None


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _case_changes(old: CaseResult, new: CaseResult) -> list[Change]:
    out: list[Change] = []
    if old.status != new.status:
        kind = "better" if _STATUS_RANK[new.status] > _STATUS_RANK[old.status] else "worse"
        out.append(Change(case=new.id, criterion="status", before=old.status,
                          after=new.status, kind=kind))
    for name, stats in new.criteria.items():
        before = old.criteria.get(name)
        a, b = stats.mean, before.mean if before else None
        if a is None or b is None or a == b:
            continue
        out.append(Change(case=new.id, criterion=name, before=_fmt(b), after=_fmt(a),
                          kind="better" if a > b else "worse"))
    return out


def compare(path: Path, cases: Sequence[CaseResult]) -> Comparison:
    base = load_report(path)
    old = {c.id: c for c in base.cases}
    changes: list[Change] = []
    for case in cases:
        if case.id in old:
            changes.extend(_case_changes(old[case.id], case))
    ids = {c.id for c in cases}
    return Comparison(
        baseline=str(path), baseline_model=base.run.model,
        baseline_template_hash=base.run.template_hash,
        regressions=sum(1 for c in changes if c.kind == "worse"),
        improvements=sum(1 for c in changes if c.kind == "better"), changes=changes,
        new_cases=sorted(ids - old.keys()), missing_cases=sorted(old.keys() - ids))


def known_errors(path: Path, cases: Sequence[CaseResult]) -> frozenset[str]:
    """Cases that errored with the same error codes in the baseline."""
    def codes(c: CaseResult) -> list[str]:
        return [r.error.code for r in c.repeats if r.error]

    old = {c.id: codes(c) for c in load_report(path).cases}
    return frozenset(c.id for c in cases if codes(c) and old.get(c.id) == codes(c))
