"""The calibration section: agreement of the deterministic scorer with human labels.

Cohen's kappa (not only percent agreement) of ``drafter.calibration.calibrate_scorer`` on the
labelled set, with false positives and negatives by message id. No model-graded judge is
configured in this version; the section says so rather than reporting nothing.
"""

from __future__ import annotations

from pathlib import Path

from drafter.calibration import Agreement, calibrate_scorer

__all__ = ["calibration_section"]


def _agreement(a: Agreement) -> dict[str, object]:
    return {"name": a.name, "n": a.n, "kappa": a.kappa,
            "percent_agreement": a.percent_agreement,
            "false_positives": [d.model_dump() for d in a.false_positives],
            "false_negatives": [d.model_dump() for d in a.false_negatives],
            "other_disagreements": [d.model_dump() for d in a.other_disagreements]}


def calibration_section(path: Path | None) -> dict[str, object] | None:
    if path is None:
        return None
    if not path.is_file():
        return {"path": str(path), "error": "labelled set not found"}
    rep = calibrate_scorer(path)
    return {"path": str(path), "n": rep.n,
            "scorer": {"verdict": _agreement(rep.verdict),
                       "dimensions": [_agreement(d) for d in rep.dimensions]},
            "judge": None, "judge_note": "no model-graded judge is configured"}
