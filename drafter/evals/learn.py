"""Train the learned verdict on the corpus's development split (never on ``test``).

    python -m drafter.evals.learn [--corpus evals/labelled/corpus/messages.jsonl]
                                  [--out drafter/data/learned/acceptable.json]

A logistic regression (scikit-learn, a test/dev dependency only: inference is a dot product in
``drafter.scoring.learned``) over the rules' card and the named signals predicts whether the
annotators found a message acceptable. The regularisation is chosen by 5-fold cross-validation
on ``dev``, by the kappa of the whole verdict (rules' entitled + the model) for acceptable vs
rest; the figures printed are cross-validated, so they are honest about ``dev`` too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from drafter.calibration import cohen_kappa
from drafter.evals.corpus import CorpusMessage, load_corpus
from drafter.scoring import rule_card
from drafter.scoring.learned import features

__all__ = ["main", "train"]

_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
_THRESHOLD = 0.5  # classes are balanced in training, so the model's own midpoint


def _verdicts(entitled: list[bool], p: list[float]) -> list[str]:
    return ["entitled" if e else "acceptable" if q >= _THRESHOLD else "needs_work"
            for e, q in zip(entitled, p, strict=True)]


def train(msgs: list[CorpusMessage]) -> tuple[dict[str, Any], dict[str, float]]:
    """Fit on ``msgs`` (the dev split); the weights file and cross-validated kappas by C."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    cards = [rule_card(m.text, subject=m.subject, channel=m.channel) for m in msgs]
    feats = [features(c, m.text, m.subject) for c, m in zip(cards, msgs, strict=True)]
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    y = [m.verdict == "acceptable" for m in msgs]
    entitled = [c.overall == "entitled" for c in cards]
    human = ["acceptable" if m.verdict == "acceptable" else "rest" for m in msgs]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores: dict[str, float] = {}
    for c in _GRID:
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        p = cross_val_predict(clf, x, y, cv=folds, method="predict_proba")[:, 1]
        got = ["acceptable" if v == "acceptable" else "rest"
               for v in _verdicts(entitled, list(p))]
        scores[str(c)] = round(cohen_kappa(human, got), 3)
    best = max(_GRID, key=lambda c: (scores[str(c)], -c))
    clf = LogisticRegression(C=best, max_iter=5000, class_weight="balanced").fit(x, y)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    data = {"trained_on": f"evals/labelled/corpus dev split ({len(msgs)} messages)",
            "model": f"logistic regression, C={best}, balanced classes",
            "cv_kappa_acceptable_vs_rest": scores, "threshold": _THRESHOLD,
            "intercept": round(float(clf.intercept_[0]), 4),
            "weights": dict(sorted(weights.items()))}
    return data, scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drafter.evals.learn", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path,
                    default=Path("evals/labelled/corpus/messages.jsonl"))
    ap.add_argument("--out", type=Path, default=Path("drafter/data/learned/acceptable.json"))
    args = ap.parse_args(argv)
    dev = [m for m in load_corpus(args.corpus) if m.split == "dev"]
    data, scores = train(dev)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    sys.stderr.write(f"trained on {len(dev)} dev messages; cross-validated kappa "
                     f"(acceptable vs rest) by C: {scores}; wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
