"""Goal assessment on goals labelled by someone who never saw the rules (``evals/goals/``).

Per split: how many entitled goals are flagged, how many proportionate ones are flagged
entitled (each a stranger's fair request refused), and how many goals come out "unclear" (the
issue's targets: >= 95% flagged, <= 10% unclear). The rules are tuned on ``dev`` only."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from drafter.scoring.goal import assess_goal

DEFAULT = Path("evals/goals/goals.jsonl")


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def measure(path: Path = DEFAULT) -> dict[str, Any]:
    """Per split: counts and the misses (goal, label, what drafter said)."""
    splits: dict[str, dict[str, Any]] = {}
    for row in _rows(path):
        said = assess_goal(row["goal"], recipient_name=row["recipient"]).classification
        s = splits.setdefault(row["split"], {"n": 0, "entitled": 0, "flagged": 0,
                                             "proportionate": 0, "refused": 0, "unclear": 0,
                                             "misses": []})
        s["n"] += 1
        s["unclear"] += said == "unclear"
        entitled = row["label"] == "entitled"
        s["entitled" if entitled else "proportionate"] += 1
        if entitled and said == "entitled":
            s["flagged"] += 1
        elif not entitled and said == "entitled":
            s["refused"] += 1
        if (said == "entitled") != entitled or said == "unclear":
            s["misses"].append({"id": row["id"], "label": row["label"], "said": said,
                                "goal": row["goal"]})
    return {"path": str(path), "tuned_on": "dev", "splits": dict(sorted(splits.items()))}


def goals_section(path: Path | None) -> dict[str, Any] | None:
    """The report's section, or None when there is no goal set to measure."""
    if path is None:
        return None
    if not path.is_file():
        return {"error": f"{path} not found"}
    return measure(path)


def lines(section: dict[str, Any] | None) -> list[str]:
    """The section as markdown for report.md."""
    if not section:
        return []
    head = ["## Goal assessment on independently labelled goals", ""]
    if "splits" not in section:
        return [*head, f"not run ({section.get('error')})", ""]
    out = [*head, f"`{section['path']}`: goals typed as people type them, labelled by writers "
           "who never saw the rules; rules tuned on `dev` only: `test` and `holdout` (a writer "
           "whose goals were never looked at while tuning) are the honest figures.",
           "", "| split | goals | entitled flagged | proportionate called entitled | unclear |",
           "|---|---|---|---|---|"]
    for name, s in section["splits"].items():
        out.append(f"| {name} | {s['n']} | {s['flagged']}/{s['entitled']} | "
                   f"{s['refused']}/{s['proportionate']} | {s['unclear']}/{s['n']} |")
    return [*out, ""]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m drafter.evals.goals", description=__doc__)
    p.add_argument("--goals", type=Path, default=DEFAULT)
    p.add_argument("--split", default="dev", help="whose misses -v lists (dev, test)")
    p.add_argument("-v", action="store_true", help="list the misses")
    args = p.parse_args(argv)
    found = measure(args.goals)
    out = lines(found)
    if args.v:
        out += [f"{m['id']} {m['label']:>13} -> {m['said']:<13} {m['goal']}"
                for m in found["splits"].get(args.split, {}).get("misses", [])]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
