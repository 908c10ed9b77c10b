"""Calibration: agreement of the deterministic scorer with human labels (Cohen's kappa, not %).

``calibrate_scorer(path)`` scores every message of a labelled JSONL file (the format of
``evals/labelled/messages.jsonl``) and reports, for the overall verdict and for each rubric
dimension, Cohen's kappa, percent agreement, n, and the disagreements by id: a false positive
is the scorer flagging (weak/fail, or a verdict other than acceptable) where the human did not;
a false negative is the scorer passing what the human flagged.

``calibration_section(path)`` is that report as the calibration section of an eval run's
report. It measures the scorer alone: the optional model-graded judge (``drafter.judge``,
``drafter score --judge``) costs model calls, so an eval run does not grade it; it is measured
on the corpus on request (``python -m drafter.evals.corpus judge``), and the section says
where. ``cohen_kappa`` is shared with the blind reviews, the corpus figures and the learned
reader, which measure agreement the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from drafter.basemodels import Frozen
from drafter.scorecard import DIMENSIONS

__all__ = ["Agreement", "CalibrationReport", "Disagreement", "calibrate_scorer",
           "calibration_section", "cohen_kappa"]


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two raters' labels; 1.0 when both agree on one label only."""
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    if n == 0:
        raise ValueError("no items")
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)



class Disagreement(Frozen):
    id: str
    human: str
    scorer: str


class Agreement(Frozen):
    name: str  # "verdict" or a dimension
    n: int
    kappa: float
    percent_agreement: float
    confusion: dict[str, dict[str, int]]  # human label -> scorer label -> count
    false_positives: list[Disagreement]
    false_negatives: list[Disagreement]
    other_disagreements: list[Disagreement]


class CalibrationReport(Frozen):
    path: str
    n: int
    verdict: Agreement
    dimensions: list[Agreement]


def _agreement(name: str, ids: list[str], human: Sequence[str], scorer: Sequence[str],
               ok: str) -> Agreement:
    confusion: dict[str, dict[str, int]] = {}
    fp: list[Disagreement] = []
    fn: list[Disagreement] = []
    other: list[Disagreement] = []
    for i, h, s in zip(ids, human, scorer, strict=True):
        confusion.setdefault(h, {}).setdefault(s, 0)
        confusion[h][s] += 1
        if h == s:
            continue
        d = Disagreement(id=i, human=h, scorer=s)
        (fp if h == ok else fn if s == ok else other).append(d)
    agree = sum(1 for h, s in zip(human, scorer, strict=True) if h == s)
    return Agreement(name=name, n=len(ids), kappa=round(cohen_kappa(human, scorer), 3),
                     percent_agreement=round(100.0 * agree / len(ids), 1), confusion=confusion,
                     false_positives=fp, false_negatives=fn, other_disagreements=other)


def calibrate_scorer(path: str | Path) -> CalibrationReport:
    """Score every labelled message in ``path`` and measure agreement with the labels."""
    from drafter.scoring import score_message

    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    ids = [r["id"] for r in rows]
    cards = [
        score_message(r["body"], subject=r.get("subject"), works=r.get("works", []),
                      channel=r.get("channel", "email"), sender_name=r.get("sender_name"),
                      recipient_name=r.get("recipient_name"))
        for r in rows
    ]
    verdict = _agreement("verdict", ids, [r["verdict"] for r in rows],
                         [c.overall for c in cards], ok="acceptable")
    dims = []
    for i, dim in enumerate(DIMENSIONS):
        human = [r["labels"][dim] for r in rows]
        scorer = [c.dimensions[i].verdict for c in cards]
        dims.append(_agreement(dim, ids, human, scorer, ok="pass"))
    return CalibrationReport(path=str(path), n=len(rows), verdict=verdict, dimensions=dims)


def _agreement_json(a: Agreement) -> dict[str, object]:
    """One agreement as the report shows it (the confusion matrix is left out)."""
    return {"name": a.name, "n": a.n, "kappa": a.kappa,
            "percent_agreement": a.percent_agreement,
            "false_positives": [d.model_dump() for d in a.false_positives],
            "false_negatives": [d.model_dump() for d in a.false_negatives],
            "other_disagreements": [d.model_dump() for d in a.other_disagreements]}


def calibration_section(path: Path | None) -> dict[str, object] | None:
    """The report's calibration section for the labelled set at ``path`` (None: no section)."""
    if path is None:
        return None
    if not path.is_file():
        return {"path": str(path), "error": "labelled set not found"}
    rep = calibrate_scorer(path)
    return {"path": str(path), "n": rep.n,
            "scorer": {"verdict": _agreement_json(rep.verdict),
                       "dimensions": [_agreement_json(d) for d in rep.dimensions]},
            "judge": None, "judge_note": "the model-graded judge is not run by an eval (it costs "
            "model calls); measure it on the corpus with `python -m drafter.evals.corpus judge`"}
