"""Aggregation: per-case repeat statistics, per-criterion pass rates, and the exit status."""

from __future__ import annotations

import math
from collections.abc import Sequence

from drafter.evals.results import (
    CaseResult,
    CaseStatus,
    CriterionStats,
    CriterionSummary,
    RepeatResult,
    Summary,
)
from drafter.evals.rubric import Rubric

__all__ = ["EXIT_BELOW_THRESHOLD", "EXIT_ERRORS", "EXIT_OK", "EXIT_REGRESSION",
           "case_criteria", "case_status", "mean_stderr", "summarise", "summarise_criteria"]

EXIT_OK = 0
EXIT_ERRORS = 2  # a case or evaluator errored (e.g. a missing replay fixture)
EXIT_BELOW_THRESHOLD = 100  # a gating criterion or the case pass rate is under its threshold
EXIT_REGRESSION = 101  # --fail-on-regression and something got worse than the baseline


def mean_stderr(values: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and standard error of the mean (sample sd / sqrt(n)); stderr None below n=2."""
    n = len(values)
    if n == 0:
        return None, None
    m = sum(values) / n
    if n < 2:
        return round(m, 4), None
    var = sum((v - m) ** 2 for v in values) / (n - 1)
    return round(m, 4), round(math.sqrt(var / n), 4)


def case_status(repeats: Sequence[RepeatResult]) -> CaseStatus:
    if any(r.status == "error" for r in repeats):
        return "error"
    return "pass" if repeats and all(r.status == "pass" for r in repeats) else "fail"


def case_criteria(repeats: Sequence[RepeatResult], rubric: Rubric) -> dict[str, CriterionStats]:
    out: dict[str, CriterionStats] = {}
    for crit in rubric.criteria:
        vals = [float(c.passed) for r in repeats for c in r.criteria
                if c.name == crit.name and c.passed is not None and c.error is None]
        m, se = mean_stderr(vals)
        out[crit.name] = CriterionStats(n=len(vals), mean=m, stderr=se,
                                        pass_all=all(vals) if vals else None)
    return out


def _criterion(name: str, cases: Sequence[CaseResult], rubric: Rubric) -> CriterionSummary:
    crit = rubric.criterion(name)
    verdicts = [c for case in cases for r in case.repeats for c in r.criteria if c.name == name]
    passed = sum(1 for c in verdicts if c.passed is True and c.error is None)
    failed = sum(1 for c in verdicts if c.passed is False and c.error is None)
    errors = sum(1 for c in verdicts if c.error) + sum(
        1 for case in cases for r in case.repeats if r.error)
    judged = passed + failed
    rate = round(passed / judged, 4) if judged else None
    per_case = [case.criteria[name] for case in cases if case.criteria[name].n]
    _, se = mean_stderr([s.mean for s in per_case if s.mean is not None])
    pass_all = (round(sum(1 for s in per_case if s.pass_all) / len(per_case), 4)
                if per_case else None)
    failing = [case.id for case in cases if case.criteria[name].pass_all is False]
    return CriterionSummary(
        name=name, weight=crit.weight, threshold=crit.threshold, gate=crit.gate, passed=passed,
        failed=failed, not_applicable=len(verdicts) - judged - sum(1 for c in verdicts
                                                                     if c.error),
        errors=errors, pass_rate=rate, stderr=se, pass_all_n=pass_all,
        met=rate is None or rate >= crit.threshold, failing_cases=failing)


def summarise_criteria(cases: Sequence[CaseResult], rubric: Rubric) -> list[CriterionSummary]:
    return [_criterion(c.name, cases, rubric) for c in rubric.criteria]


def summarise(cases: Sequence[CaseResult], criteria: Sequence[CriterionSummary],
              rubric: Rubric, *, regressions: int = 0, fail_on_regression: bool = False,
              known_errors: frozenset[str] = frozenset()) -> Summary:
    """The run's verdict: errors first (2), then thresholds (100), then regressions (101).

    ``known_errors``: case ids that errored the same way in the baseline; they are reported
    but only new errors set exit code 2."""
    n_pass = sum(1 for c in cases if c.status == "pass")
    n_err = sum(1 for c in cases if c.status == "error")
    new_err = sum(1 for c in cases if c.status == "error" and c.id not in known_errors)
    n_fail = len(cases) - n_pass - n_err
    judged = n_pass + n_fail
    rate = round(n_pass / judged, 4) if judged else None
    reasons = [f"{n_err} case(s) errored ({n_err - new_err} as in the baseline)"] if n_err else []
    below = [c for c in criteria if c.gate and not c.met]
    reasons += [f"{c.name}: pass rate {c.pass_rate:.0%} < threshold {c.threshold:.0%}"
                for c in below if c.pass_rate is not None]
    if rate is None or rate < rubric.pass_threshold:
        shown = "n/a" if rate is None else f"{rate:.0%}"
        reasons.append(f"case pass rate {shown} < {rubric.pass_threshold:.0%}")
    if regressions:
        reasons.append(f"{regressions} regression(s) against the baseline")
    if new_err or not cases:
        status, code = "error", EXIT_ERRORS
    elif below or rate is None or rate < rubric.pass_threshold:
        status, code = "below_threshold", EXIT_BELOW_THRESHOLD
    elif regressions and fail_on_regression:
        status, code = "regression", EXIT_REGRESSION
    else:
        status, code = "pass", EXIT_OK
    return Summary(status=status, exit_code=code, cases=len(cases), passed=n_pass,
                   failed=n_fail, errors=n_err, case_pass_rate=rate, reasons=reasons)
