"""Train the learned reader on the corpus's development split (never on ``test``).

    python -m drafter.evals.learn [--corpus evals/labelled/corpus/messages.jsonl]
                                  [--out drafter/data/learned/reader.json]

Logistic regressions (scikit-learn, a test/dev dependency only: inference is a sparse dot
product in ``drafter.scoring.learned``) over the rules' card and the message's words:

* ``acceptable``: did the annotators find it acceptable? Used where the rules do not find the
  message entitled.
* one per rubric dimension (pass/weak/fail): how a reader grades a pasted message.

Each model's regularisation is chosen by 5-fold cross-validation on ``dev`` (kappa of what the
scorer would answer: the rules' entitled verdict and floors included), and the figures printed
and stored are those cross-validated ones, so they are honest about ``dev`` too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drafter.evals.calibration import cohen_kappa
from drafter.evals.corpus import CorpusMessage, load_corpus
from drafter.evals.files import write_atomic
from drafter.scorecard import DIMENSIONS, ScoreCard
from drafter.scoring import rule_card
from drafter.scoring.learned import fails_at, features

__all__ = ["FLOORS", "main", "train"]

_GRID = (0.03, 0.1, 0.3, 1.0)
_THRESHOLD = 0.5  # classes are balanced in training, so the model's own midpoint
_MIN_MESSAGES = 3  # a word seen in fewer dev messages is noise, not a reader's signal
# Rule findings that fail their dimension whatever the model reads: the rules are sure of these
# (an entitled ask, pressure, a template slot, fake familiarity, over the channel's limit).
FLOORS = ("ask.referral", "ask.intro", "ask.investors", "ask.contacts", "ask.job",
          "ask.free_work", "ask.document_review", "ask.urgent_review", "ask.mentorship",
          "ask.promotion", "respect.pressure", "respect.guilt", "respect.channel_limit",
          "mass_mail.placeholder", "mass_mail.spintax", "mass_mail.impersonal_greeting",
          "credibility.fake_familiarity")


def _floored(card: ScoreCard, dim: str) -> bool:
    d = next(x for x in card.dimensions if x.dimension == dim)
    return fails_at(d.findings, FLOORS)


def _fit(x: Any, y: Sequence[str], score: Any, folds: Any) -> tuple[Any, dict[str, float]]:
    """The regularisation with the best cross-validated ``score(predicted)``, refit on all."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    scores: dict[str, float] = {}
    for c in _GRID:
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        scores[str(c)] = round(score(cross_val_predict(clf, x, y, cv=folds,
                                                       method="predict_proba")), 3)
    best = max(_GRID, key=lambda c: (scores[str(c)], -c))
    model = LogisticRegression(C=best, max_iter=5000, class_weight="balanced").fit(x, y)
    return model, scores


def _export(model: Any, positive: str | None = None) -> dict[str, Any]:
    """Weights in feature order, one row per class; a binary model's row points toward
    ``positive``."""
    classes = [str(c) for c in model.classes_]
    rows = model.coef_  # (1, n) for two classes (toward classes[1]), else (classes, n)
    intercept = [float(v) for v in model.intercept_]
    if positive is not None and classes[1] != positive:
        classes.reverse()
        rows, intercept = -rows, [-v for v in intercept]
    return {"classes": classes, "intercept": [round(v, 4) for v in intercept],
            "rows": [[round(float(w), 3) for w in row] for row in rows]}


def _dim_kappa(labels: list[str], floored: list[bool]) -> Any:
    """Kappa of what the scorer answers for a dimension: the model, or fail at a floor."""
    classes = sorted(set(labels))  # predict_proba's columns

    def kappa(p: Any) -> float:
        said = ["fail" if fl else classes[int(row.argmax())]
                for fl, row in zip(floored, p, strict=True)]
        return cohen_kappa(labels, said)

    return kappa


def train(msgs: list[CorpusMessage]) -> dict[str, Any]:
    """Fit every model on ``msgs`` (the dev split); the reader's weights file as a dict."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.model_selection import StratifiedKFold

    cards = [rule_card(m.text, subject=m.subject, channel=m.channel) for m in msgs]
    vec = DictVectorizer()
    x = vec.fit_transform([features(c, m.text, m.subject)
                           for c, m in zip(cards, msgs, strict=True)])
    keep = np.asarray((x != 0).sum(axis=0)).ravel() >= _MIN_MESSAGES
    x = x[:, keep]
    names = [str(n) for n, k in zip(vec.get_feature_names_out(), keep, strict=True) if k]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    entitled = [c.overall == "entitled" for c in cards]
    y = ["acceptable" if m.verdict == "acceptable" else "rest" for m in msgs]
    col = sorted(set(y)).index("acceptable")  # predict_proba's columns: sorted classes

    def acc_kappa(p: Any) -> float:
        said = ["acceptable" if not e and q >= _THRESHOLD else "rest"
                for e, q in zip(entitled, p[:, col], strict=True)]
        return cohen_kappa(y, said)

    model, cv = _fit(x, y, acc_kappa, folds)
    out: dict[str, Any] = {
        "trained_on": f"evals/labelled/corpus dev split ({len(msgs)} messages)",
        "model": "logistic regressions, balanced classes, C by 5-fold CV",
        "floors": list(FLOORS), "cv_kappa": {"acceptable": cv},
        "features": names,
        "acceptable": {**_export(model, "acceptable"), "threshold": _THRESHOLD}}
    out["dimensions"] = {}
    for dim in DIMENSIONS:
        labels = [m.labels[dim] for m in msgs]
        model, cv = _fit(x, labels, _dim_kappa(labels, [_floored(c, dim) for c in cards]),
                         folds)
        out["cv_kappa"][dim] = cv
        out["dimensions"][dim] = _export(model)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drafter.evals.learn", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path,
                    default=Path("evals/labelled/corpus/messages.jsonl"))
    ap.add_argument("--out", type=Path, default=Path("drafter/data/learned/reader.json"))
    args = ap.parse_args(argv)
    dev = [m for m in load_corpus(args.corpus) if m.split == "dev"]
    data = train(dev)
    write_atomic(args.out, json.dumps(data, separators=(",", ":")) + "\n")
    best = {k: max(v.values()) for k, v in data["cv_kappa"].items()}
    sys.stderr.write(f"trained on {len(dev)} dev messages, {len(data['features'])} features; "
                     f"best cross-validated kappa per model: {best}; wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
