"""The learned reader: what the rules cannot judge alone, learned from independent labels.

Rules decide what they can say for sure (an entitled ask, pressure, a template slot). Whether a
message that is not entitled is one a reader would be glad to get, and how a reader grades each
rubric dimension of a pasted message, are judgements the rules miss (issue 12: the rule verdict
said "acceptable" once in 310 real messages). Linear models trained on the development split of
the independently labelled corpus (``evals/labelled/corpus``) make those calls from features
that keep them explainable: the rules' findings and dimension verdicts, the message's shape, and
its words and word pairs. A model's reasons are the features that pushed it most, by name.

The weights are data (``drafter/data/learned/reader.json``), written by
``python -m drafter.evals.learn``; inference is a sparse dot product, so the scorer stays fast.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from drafter.scorecard import ScoreCard, Verdict

__all__ = ["Linear", "Reader", "features", "reader"]

_PATH = Path(__file__).resolve().parent.parent / "data" / "learned" / "reader.json"
_LENGTHS = ((25, "under_25"), (60, "under_60"), (150, "under_150"), (300, "under_300"))
_TOKEN = re.compile(r"[a-z']+")


def features(card: ScoreCard, body: str, subject: str | None) -> dict[str, float]:
    """What the models read of one message: rule results, shape, words; all in 0..1."""
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
    # Words and word pairs, present or not: what a reader reacts to that no rule names.
    tokens = _TOKEN.findall(body.lower().replace("\u2019", "'"))
    for t in tokens:
        f["word:" + t] = 1.0
    for a, b in pairwise(tokens):
        f[f"pair:{a} {b}"] = 1.0
    return f


@dataclass(frozen=True)
class Linear:
    """A (multinomial) logistic regression over :func:`features`. ``rows[c][i]`` is the weight
    of feature ``index[name] == i`` for class ``c``; a binary model has one row, toward
    ``classes[1]``."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    index: dict[str, int]  # shared by every model of a reader
    rows: tuple[list[float], ...]

    def logits(self, f: dict[str, float]) -> list[float]:
        z = list(self.intercept)
        for k, v in f.items():
            i = self.index.get(k)
            if i is not None:
                for c, row in enumerate(self.rows):
                    z[c] += row[i] * v
        return z

    def probabilities(self, f: dict[str, float]) -> dict[str, float]:
        z = self.logits(f)
        if len(z) == 1:  # binary: one logit for classes[1]
            p = 1.0 / (1.0 + math.exp(-max(min(z[0], 40.0), -40.0)))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return {c: x / s for c, x in zip(self.classes, e, strict=True)}

    def reasons(self, f: dict[str, float], label: str, toward: bool, n: int = 3) -> list[str]:
        """The features that pushed most toward (or against) ``label``, by name."""
        c = self.classes.index(label)

        def push(k: str) -> float:
            i = self.index.get(k)
            if i is None:
                return 0.0
            if len(self.rows) == 1:
                w = self.rows[0][i]
                return (w if c == 1 else -w) * f[k]
            ws = [row[i] for row in self.rows]
            return (ws[c] - sum(ws) / len(ws)) * f[k]  # against the mean of the classes

        parts = [(push(k), k) for k in f]
        parts = [p for p in parts if p[0] != 0.0 and (p[0] > 0) == toward]
        parts.sort(reverse=toward)
        return [k for _, k in parts[:n]]


@dataclass(frozen=True)
class Reader:
    acceptable: Linear  # classes ("rest", "acceptable")
    threshold: float
    dimensions: dict[str, Linear]  # classes among pass/weak/fail
    floors: frozenset[str]  # rule findings that fail a dimension whatever the model reads
    trained_on: str
    cross_validated: dict[str, dict[str, float]]  # model -> C -> kappa on dev, from training

    def dimension(self, name: str, f: dict[str, float]) -> Verdict:
        probs = self.dimensions[name].probabilities(f)
        best = max(probs, key=lambda c: probs[c])
        return "fail" if best == "fail" else "weak" if best == "weak" else "pass"


def _linear(data: dict[str, Any], index: dict[str, int]) -> Linear:
    return Linear(classes=tuple(data["classes"]),
                  intercept=tuple(float(x) for x in data["intercept"]), index=index,
                  rows=tuple(data["rows"]))


@cache
def reader() -> Reader:
    data: dict[str, Any] = json.loads(_PATH.read_text(encoding="utf-8"))
    index = {name: i for i, name in enumerate(data["features"])}
    return Reader(acceptable=_linear(data["acceptable"], index),
                  threshold=float(data["acceptable"]["threshold"]),
                  dimensions={k: _linear(v, index) for k, v in data["dimensions"].items()},
                  floors=frozenset(data["floors"]), trained_on=str(data["trained_on"]),
                  cross_validated={str(k): {str(c): float(x) for c, x in v.items()}
                                   for k, v in data["cv_kappa"].items()})
