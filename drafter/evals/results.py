"""The report's typed schema (``schema_version`` 1): what ``report.json`` contains.

Stable for machines: fields are only ever added. Per case and repeat, every criterion's
verdict with its reason; per criterion, pass rates, mean, standard error and pass-all-N.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from drafter.basemodels import Record
from drafter.evals.dataset import Split

__all__ = [
    "CaseResult",
    "CaseStatus",
    "Change",
    "Comparison",
    "CriterionResult",
    "CriterionStats",
    "CriterionSummary",
    "ErrorInfo",
    "RepeatResult",
    "Report",
    "RunInfo",
    "ShardInfo",
    "Summary",
    "UsageSummary",
]

SCHEMA_VERSION = 1
CaseStatus = Literal["pass", "fail", "error"]



class ErrorInfo(Record):
    code: str
    message: str


class CriterionResult(Record):
    name: str
    passed: bool | None  # None: not applicable
    reason: str
    error: str | None = None  # the evaluator itself failed: counted apart from failures


class RepeatResult(Record):
    repeat: int
    status: CaseStatus
    score: float | None = None
    error: ErrorInfo | None = None
    criteria: list[CriterionResult] = Field(default_factory=list)
    assessment: str | None = None
    subject: str | None = None
    body: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_calls: int = 0
    model_seconds: float = 0.0


class CriterionStats(Record):
    n: int  # repeats where the criterion applied and was judged
    mean: float | None
    stderr: float | None
    pass_all: bool | None


class CaseResult(Record):
    id: str
    persona: str
    channel: str
    tags: list[str]
    split: Split = "dev"
    status: CaseStatus
    repeats: list[RepeatResult]
    criteria: dict[str, CriterionStats]


class CriterionSummary(Record):
    name: str
    weight: float
    threshold: float
    gate: bool
    passed: int
    failed: int
    not_applicable: int
    errors: int
    pass_rate: float | None
    stderr: float | None
    pass_all_n: float | None  # share of cases passing in every repeat
    met: bool
    failing_cases: list[str]


class Summary(Record):
    status: Literal["pass", "below_threshold", "regression", "error"]
    exit_code: int
    cases: int
    passed: int
    failed: int
    errors: int
    case_pass_rate: float | None
    reasons: list[str]


class UsageSummary(Record):
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_seconds: float = 0.0
    wall_seconds: float = 0.0
    cache_hits: int = 0
    cache_misses: int = 0
    replayed_calls: int = 0
    recorded_calls: int = 0
    cost_usd: float | None = None
    cost_note: str = ""


class RunInfo(Record):
    tier: str
    model: str
    template_hash: str
    rubric: str
    rubric_version: str
    rubric_sha256: str
    dataset_files: list[str]
    dataset_sha256: str
    repeat: int
    concurrency: int
    record: bool
    drafter_version: str


class ShardInfo(Record):
    """Which part of the run this report covers (``--shard K/N``)."""

    index: int  # K, from 1
    count: int  # N
    cases: int  # cases in this shard
    # Every case id of the whole (unsharded) run, in dataset order: lets a merge check that the
    # shards cover the run exactly once and put the cases back in the unsharded order.
    selection: list[str]


class Change(Record):
    case: str
    criterion: str  # "status" for the case's overall status
    before: str
    after: str
    kind: Literal["better", "worse"]


class Comparison(Record):
    baseline: str
    baseline_model: str
    baseline_template_hash: str
    regressions: int
    improvements: int
    changes: list[Change]
    new_cases: list[str]
    missing_cases: list[str]


class Report(Record):
    schema_version: int = SCHEMA_VERSION
    run: RunInfo
    summary: Summary
    criteria: list[CriterionSummary]
    cases: list[CaseResult]
    usage: UsageSummary
    calibration: dict[str, object] | None = None
    corpus: dict[str, Any] | None = None  # the scorer vs the independent corpus, per split
    goals: dict[str, Any] | None = None  # goal assessment vs independently labelled goals
    comparison: Comparison | None = None
    # Blind reviewers' grades of these exact drafts (drafter.evals.review), when there are any.
    review: dict[str, object] | None = None
    shard: ShardInfo | None = None  # set when this report covers one shard of a run
    merged_from: list[str] | None = None  # the shard reports a merged report was built from
