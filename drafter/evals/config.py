"""What one eval run is asked to do (``EvalConfig``), declared once with its defaults.

A module of its own, importing nothing heavy, because ``drafter eval --help`` builds its
argument parser from these defaults (``drafter.evals.cli``) and must answer at once; the run
itself is ``drafter.evals.suite``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.evals.shard import Shard

if TYPE_CHECKING:
    from drafter.model.protocol import ModelClient

__all__ = ["DEFAULT_CONCURRENCY", "TIERS", "EvalConfig"]

TIERS = ("replay", "local", "live")
# Cases at once per tier: replay is CPU-only; one embedded model call at a time saturates two
# cores; providers take a few in parallel.
DEFAULT_CONCURRENCY = {"replay": 8, "local": 1, "live": 4}


@dataclass
class EvalConfig:
    tier: str = "replay"
    model: str | None = None
    out: Path = Path("eval-out")
    dataset: Path = Path("evals/datasets")
    rubric: Path = Path("evals/rubrics/outreach.yaml")
    fixtures: Path = Path("evals/fixtures")
    labelled: Path | None = Path("evals/labelled/messages.jsonl")
    corpus: Path | None = Path("evals/labelled/corpus/messages.jsonl")
    goals: Path | None = Path("evals/goals/goals.jsonl")
    cache_dir: Path | None = None  # default: <out>/cache (local and live tiers)
    use_cache: bool = True
    record: bool = False
    # With record: replay what each case's fixture holds and call the model only for what it
    # lacks (a new call, or one whose prompt changed), so unchanged drafts stay as recorded.
    fill: bool = False
    repeat: int = 1
    concurrency: int | None = None
    only: list[str] = field(default_factory=list)
    baseline: Path | None = None
    fail_on_regression: bool = False
    price_in: float | None = None  # USD per million prompt tokens (live tier)
    price_out: float | None = None
    review_grades: Path | None = Path("evals/review/grades")
    shard: Shard | None = None  # run only this shard's cases (drafter.evals.shard)
    resume: bool = False  # continue the journal in ``out`` (drafter.evals.journal)
    client: ModelClient | None = None  # a ready client for local/live (tests: a scripted one)
