"""Blind review: packets for reviewers, and their grades against drafter's own checks.

Reviewers (people, or helper sessions that never saw the pipeline) get a packet per case with
only what the sender typed and the message the recipient would receive, and grade it from
``evals/review/README.md``. Each grade names the sha256 of the message it judged, so a grade
is only ever counted for that exact text: after a pipeline change the replayed drafts differ
and their old grades are reported as stale, never silently reused.

``python -m drafter.evals.review packets --report R --dataset D --out FILE.jsonl`` writes the
packets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ConfigDict, Field

from drafter.basemodels import Frozen
from drafter.evals.calibration import cohen_kappa
from drafter.evals.dataset import Split, load_dataset
from drafter.evals.files import write_atomic
from drafter.evals.results import CaseResult

__all__ = ["Grade", "ReviewSummary", "body_sha", "load_grades", "packets", "review_summary"]


class Grade(BaseModel):
    # A reviewer's file may carry more keys than these (notes, timings): ignored, not an error.
    model_config = ConfigDict(extra="ignore", frozen=True)

    case: str
    reviewer: str
    verdict: str = Field(pattern="^(pass|fail)$")
    body_sha: str
    answers: dict[str, bool] = Field(default_factory=dict)
    why: str = ""


class SplitFigures(Frozen):

    cases: int
    drafter_passed: int = Field(description="Drafts drafter marked passed.")
    reviewers_passed: int = Field(description="Drafts every reviewer passed.")
    both_passed: int = Field(description="Passed drafter's checks and every reviewer.")
    false_passes: list[str] = Field(description="drafter said passed; a reviewer failed it.")
    false_fails: list[str] = Field(description="drafter said failed; every reviewer passed it.")


class ReviewSummary(Frozen):

    graded_cases: int
    stale_grades: int = Field(description="Grades of a message text that is no longer the "
                              "draft (the pipeline changed since): not counted.")
    reviewers_per_case: float
    inter_reviewer_kappa: float | None = Field(description="Cohen's kappa between reviewers "
                                               "(every pair grading 3+ of the same texts, "
                                               "weighted by how many): the ceiling.")
    inter_reviewer_agreement: float | None
    drafter_vs_reviewers_kappa: float | None
    by_split: dict[str, SplitFigures]
    failures: dict[str, list[str]] = Field(description="Reviewers' reasons, by case.")


def body_sha(subject: str | None, body: str) -> str:
    """The message as the recipient sees it (subject and body), hashed."""
    return hashlib.sha256(f"{subject or ''}\n{body}".encode()).hexdigest()[:16]


def load_grades(directory: Path) -> list[Grade]:
    grades: list[Grade] = []
    for path in sorted(directory.glob("*.jsonl")) if directory.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                grades.append(Grade.model_validate_json(line))
    return grades


def _draft_passed(case: CaseResult) -> bool | None:
    rep = case.repeats[0] if case.repeats else None
    if rep is None or rep.body is None:
        return None
    crit = next((c for c in rep.criteria if c.name == "service_passed"), None)
    return None if crit is None else crit.passed


def review_summary(cases: Sequence[CaseResult], grades: Sequence[Grade]) -> ReviewSummary | None:
    """Reviewers' grades of the drafts in ``cases`` against drafter's own verdict."""
    current = {c.id: body_sha(c.repeats[0].subject, c.repeats[0].body or "")
               for c in cases if c.repeats and c.repeats[0].body is not None}
    by_case: dict[str, list[Grade]] = {}
    stale = 0
    for g in grades:
        if current.get(g.case) == g.body_sha:
            by_case.setdefault(g.case, []).append(g)
        elif g.case in current:
            stale += 1
    if not by_case:
        return None
    kappa, agree = _reviewer_agreement(by_case)
    splits: dict[str, SplitFigures] = {}
    mine: list[str] = []
    theirs: list[str] = []
    for split in (*get_args(Split), "all"):
        chosen = [c for c in cases if c.id in by_case and split in ("all", c.split)]
        if not chosen:
            continue
        fp, ff = [], []
        n_mine = n_theirs = n_both = 0
        for c in chosen:
            ok = bool(_draft_passed(c))
            reviewed = all(g.verdict == "pass" for g in by_case[c.id])
            n_mine += ok
            n_theirs += reviewed
            n_both += ok and reviewed
            if ok and not reviewed:
                fp.append(c.id)
            if reviewed and not ok:
                ff.append(c.id)
            if split == "all":
                mine.append("pass" if ok else "fail")
                theirs.append("pass" if reviewed else "fail")
        splits[split] = SplitFigures(cases=len(chosen), drafter_passed=n_mine,
                                     reviewers_passed=n_theirs, both_passed=n_both,
                                     false_passes=fp, false_fails=ff)
    return ReviewSummary(
        graded_cases=len(by_case), stale_grades=stale,
        reviewers_per_case=round(sum(len(g) for g in by_case.values()) / len(by_case), 2),
        inter_reviewer_kappa=None if kappa is None else round(kappa, 3),
        inter_reviewer_agreement=None if agree is None else round(agree, 3),
        drafter_vs_reviewers_kappa=round(cohen_kappa(mine, theirs), 3) if mine else None,
        by_split=splits,
        failures={cid: [f"{g.reviewer}: {g.why}" for g in gs if g.verdict == "fail"]
                  for cid, gs in sorted(by_case.items())
                  if any(g.verdict == "fail" for g in gs)})


def _reviewer_agreement(by_case: dict[str, list[Grade]],
                        min_shared: int = 3) -> tuple[float | None, float | None]:
    """Cohen's kappa and raw agreement between reviewers, over every pair of reviewers who
    graded at least ``min_shared`` of the same texts, weighted by how many they share. Rounds
    of review (a pair of reviewers per round) grade the same draft when it did not change, so
    the pairs span rounds; the first two grades of a case would mix them arbitrarily."""
    verdicts: dict[str, dict[str, str]] = {}
    for case, gs in by_case.items():
        for g in gs:
            verdicts.setdefault(g.reviewer, {})[case] = g.verdict
    names = sorted(verdicts)
    total = weighted_k = weighted_a = 0.0
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            shared = sorted(set(verdicts[a]) & set(verdicts[b]))
            if len(shared) < min_shared:
                continue
            va = [verdicts[a][c] for c in shared]
            vb = [verdicts[b][c] for c in shared]
            weighted_k += cohen_kappa(va, vb) * len(shared)
            weighted_a += sum(x == y for x, y in zip(va, vb, strict=True))
            total += len(shared)
    if not total:
        return None, None
    return weighted_k / total, weighted_a / total


def packets(report: Path, dataset: Path, only_tag: str | None = "real") -> list[dict[str, object]]:
    """One packet per drafted case: the sender's inputs and the message, nothing else."""
    data = json.loads(report.read_text(encoding="utf-8"))
    cases = {c.id: c for c in load_dataset(dataset).cases}
    out: list[dict[str, object]] = []
    for res in data["cases"]:
        case = cases.get(res["id"])
        rep = res["repeats"][0] if res["repeats"] else None
        if case is None or rep is None or rep.get("body") is None:
            continue
        if only_tag and only_tag not in case.tags:
            continue
        req = case.request
        out.append({
            "case": case.id,
            "body_sha": body_sha(rep.get("subject"), rep["body"]),
            "inputs": {
                "sender": req.sender.model_dump(exclude_none=True),
                "goal_as_typed": req.goal,
                "channel": req.channel,
                "recipient": {"name": req.recipient.name, "headline": req.recipient.headline,
                              "public_work": [w.text for w in req.recipient.works]},
            },
            "message": {"subject": rep.get("subject"), "body": rep["body"]},
        })
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drafter.evals.review")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("packets", help="write one review packet per case (JSONL)")
    p.add_argument("--report", type=Path, required=True)
    p.add_argument("--dataset", type=Path, default=Path("evals/datasets"))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--tag", default="real", help="only cases with this tag ('' for all)")
    args = parser.parse_args(argv)
    rows = packets(args.report, args.dataset, args.tag or None)
    write_atomic(args.out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    sys.stderr.write(f"{len(rows)} packets in {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
