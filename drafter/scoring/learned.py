"""The learned part of the verdict: acceptable or needs_work, where the rules stop.

Rules decide what they can say for sure (an entitled ask, pressure). Whether a message that is
not entitled is one a reader would be glad to get is a judgement the rules miss (issue 12: the
rule verdict said "acceptable" once in 310 real messages). A logistic regression trained on the
development split of the independently labelled corpus (``evals/labelled/corpus``) makes that
call from features that keep it explainable: the rule findings and dimension verdicts, the
message's shape, and named signals (``drafter/data/learned/signals.yaml``). Its reasons are the
features that pushed it most, by name.

The weights are data (``drafter/data/learned/acceptable.json``), written by
``python -m drafter.evals.learn``; inference is a dot product, so the scorer stays fast.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from drafter.scorecard import ScoreCard

__all__ = ["Learned", "features", "model"]

_DIR = Path(__file__).resolve().parent.parent / "data" / "learned"
_LENGTHS = ((25, "under_25"), (60, "under_60"), (150, "under_150"), (300, "under_300"))


@cache
def _signals() -> dict[str, re.Pattern[str]]:
    raw = (_DIR / "signals.yaml").read_text(encoding="utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return {name: re.compile(rx, re.IGNORECASE | re.MULTILINE) for name, rx in data.items()}


def features(card: ScoreCard, body: str, subject: str | None) -> dict[str, float]:
    """What the model reads of one message: rule results, shape and signals, all in 0..1."""
    f: dict[str, float] = {}
    for d in card.dimensions:
        f[f"dim:{d.dimension}:{d.verdict}"] = 1.0
        for finding in d.findings:
            f[f"finding:{finding.code}"] = 1.0
    for a in card.asks:
        key = f"asks:{a.size}"
        f[key] = min(f.get(key, 0.0) + 1 / 3, 1.0)
        f[f"ask:{a.kind}"] = 1.0
    f["offers"] = min(len(card.offers), 3) / 3
    f["offers_conditional"] = min(sum(o.conditional for o in card.offers), 2) / 2
    m = card.metrics
    f["log_words"] = min(math.log1p(m.words) / 6, 1.0)
    f["length:" + next((name for top, name in _LENGTHS if m.words < top), "over_300")] = 1.0
    f["questions"] = min(m.questions, 5) / 5
    f["reading_ease"] = max(min(m.reading_ease, 100.0), 0.0) / 100
    if not card.limits.within_limit:
        f["over_limit"] = 1.0
    if subject:
        f["has_subject"] = 1.0
    for name, rx in _signals().items():
        n = len(rx.findall(body))
        if n:
            f[f"signal:{name}"] = min(n, 3) / 3
    return f


@dataclass(frozen=True)
class Learned:
    """A linear model over :func:`features` (weights from ``python -m drafter.evals.learn``)."""

    intercept: float
    weights: dict[str, float]
    threshold: float
    trained_on: str

    def probability(self, f: dict[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in f.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def reasons(self, f: dict[str, float], toward: bool, n: int = 3) -> list[str]:
        """The features that pushed most toward (or against) acceptable, by name."""
        parts = [(self.weights.get(k, 0.0) * v, k) for k, v in f.items()]
        parts = [p for p in parts if (p[0] > 0) == toward and p[0] != 0.0]
        parts.sort(reverse=toward)
        return [k for _, k in parts[:n]]


@cache
def model() -> Learned:
    raw = (_DIR / "acceptable.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return Learned(intercept=float(data["intercept"]),
                   weights={str(k): float(v) for k, v in data["weights"].items()},
                   threshold=float(data["threshold"]), trained_on=str(data["trained_on"]))
