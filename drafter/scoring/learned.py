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
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from operator import add
from pathlib import Path
from typing import Any

from drafter.scorecard import Finding, ScoreCard, Verdict

__all__ = ["Linear", "Reader", "fails_at", "features", "reader"]

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
    """One (multinomial) logistic regression of a reader: its logits are
    ``z[start:start + width]`` of the reader's stacked logits (a binary model has one logit,
    toward ``classes[1]``)."""

    classes: tuple[str, ...]
    start: int
    width: int

    def probabilities(self, z: list[float]) -> dict[str, float]:
        mine = z[self.start:self.start + self.width]
        if self.width == 1:
            p = 1.0 / (1.0 + math.exp(-max(min(mine[0], 40.0), -40.0)))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(mine)
        e = [math.exp(v - top) for v in mine]
        s = sum(e)
        return {c: x / s for c, x in zip(self.classes, e, strict=True)}


@dataclass(frozen=True)
class Reader:
    """Every model over one feature index: ``cols[i]`` holds feature ``i``'s weights for all
    models side by side, so one pass over a message's features gives every logit."""

    index: dict[str, int]
    cols: list[tuple[float, ...]]
    intercept: tuple[float, ...]
    acceptable: Linear  # classes ("rest", "acceptable")
    threshold: float
    dimensions: dict[str, Linear]  # classes among pass/weak/fail
    floors: frozenset[str]  # rule findings that fail a dimension whatever the model reads
    trained_on: str
    cross_validated: dict[str, dict[str, float]]  # model -> C -> kappa on dev, from training

    def logits(self, f: dict[str, float], acceptable_only: bool = False) -> list[float]:
        """Every model's logits in one pass over the message's features; with
        ``acceptable_only`` (dimensions not wanted), only that model's, the rest left at their
        intercepts."""
        if acceptable_only:
            at = self.acceptable.start
            z = list(self.intercept)
            get = self.index.get
            cols = self.cols
            for k, v in f.items():
                i = get(k)
                if i is not None:
                    z[at] += cols[i][at] * v
            return z
        z = list(self.intercept)
        for k, v in f.items():
            i = self.index.get(k)
            if i is None:
                continue
            col = self.cols[i]
            z = list(map(add, z, col)) if v == 1.0 else [a + b * v for a, b in zip(z, col,
                                                                                    strict=True)]
        return z

    def p_acceptable(self, z: list[float]) -> float:
        return self.acceptable.probabilities(z)["acceptable"]

    def dimension(self, name: str, z: list[float]) -> Verdict:
        probs = self.dimensions[name].probabilities(z)
        best = max(probs, key=lambda c: probs[c])
        return "fail" if best == "fail" else "weak" if best == "weak" else "pass"

    def reasons(self, f: dict[str, float], n: int = 3,
                quiet: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
        """The features that pushed most toward acceptable, and most against it, by name;
        words in ``quiet`` (and pairs of them) are left out of the reasons: "word:on" explains
        nothing to a person, though the model weighs it."""
        at = self.acceptable.start
        parts: list[tuple[float, str]] = []
        for k, v in f.items():
            i = self.index.get(k)
            if i is None or self.cols[i][at] == 0.0 or _quiet(k, quiet):
                continue
            parts.append((self.cols[i][at] * v, k))
        parts.sort()
        return ([k for w, k in reversed(parts[-n:]) if w > 0],
                [k for w, k in parts[:n] if w < 0])


def fails_at(findings: Iterable[Finding], codes: Container[str]) -> bool:
    """Whether a rule finding the rules are sure of (one of ``codes``) fails: a floor."""
    return any(f.verdict == "fail" and f.code in codes for f in findings)


def _quiet(feature: str, quiet: frozenset[str]) -> bool:
    kind, _, text = feature.partition(":")
    return kind in ("word", "pair") and all(w in quiet for w in text.split())


@cache
def reader() -> Reader:
    data: dict[str, Any] = json.loads(_PATH.read_text(encoding="utf-8"))
    names: list[str] = data["features"]
    models = [("acceptable", data["acceptable"]), *data["dimensions"].items()]
    rows: list[list[float]] = []
    intercept: list[float] = []
    linear: dict[str, Linear] = {}
    for name, m in models:
        linear[name] = Linear(classes=tuple(m["classes"]), start=len(rows),
                              width=len(m["rows"]))
        rows += m["rows"]
        intercept += [float(x) for x in m["intercept"]]
    return Reader(index={name: i for i, name in enumerate(names)},
                  cols=list(zip(*rows, strict=True)), intercept=tuple(intercept),
                  acceptable=linear["acceptable"],
                  threshold=float(data["acceptable"]["threshold"]),
                  dimensions={k: linear[k] for k in data["dimensions"]},
                  floors=frozenset(data["floors"]), trained_on=str(data["trained_on"]),
                  cross_validated={str(k): {str(c): float(x) for c, x in v.items()}
                                   for k, v in data["cv_kappa"].items()})
