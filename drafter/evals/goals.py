"""Goal assessment on goals labelled by someone who never saw the rules (``evals/goals/``).

Per split: how many entitled goals are flagged, how many proportionate ones are flagged
entitled (each a stranger's fair request refused), and how many goals come out "unclear" (the
issue's targets: >= 95% flagged, <= 10% unclear). The rules are tuned on ``dev`` only.

Measured twice: by the phrase rules alone, and as a draft reads a goal, with the model's
one-word reading of its size (``drafter.reading``). The readings are recorded once with the
embedded model (``--record``: ``evals/fixtures/<model>/<goal prompt hash>/goals.json``) and
replayed in CI, so the figure changes only when the rules, the prompt or the model do."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from drafter.evals.clients import FillingClient, FixtureMissing, RecordingClient, ReplayClient
from drafter.model.protocol import ModelClient
from drafter.model.registry import DEFAULT_MODEL
from drafter.prompts import template_hash
from drafter.reading import parse_size, read_goal_size, size_request
from drafter.scorecard import GoalSize
from drafter.scoring.goal import assess_goal

DEFAULT = Path("evals/goals/goals.jsonl")
FIXTURES = Path("evals/fixtures")
CASE = "goals"  # the fixture file's name: every goal's reading in one file


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


async def _readings(rows: list[dict[str, Any]], client: ModelClient) -> dict[str, GoalSize | None]:
    out: dict[str, GoalSize | None] = {}
    for row in rows:
        out[row["id"]], _ = await read_goal_size(row["goal"], client)
    return out


def replayed_readings(rows: list[dict[str, Any]], fixtures: Path = FIXTURES,
                      model: str = DEFAULT_MODEL) -> dict[str, GoalSize | None] | None:
    """Every goal's recorded reading, or None when any is not recorded for this prompt.
    Synchronous: the eval suite measures this inside its own event loop."""
    client = ReplayClient(fixtures, model, template_hash("goal"), CASE)
    try:
        return {r["id"]: parse_size(client.lookup(size_request(r["goal"])).text) for r in rows}
    except FixtureMissing:
        return None


def record_readings(path: Path, fixtures: Path, client: ModelClient) -> Path:
    """Save every goal's reading as the replay fixture: the recorded ones kept, ``client``
    asked only for goals (or a prompt) not recorded yet."""
    recorded = ReplayClient(fixtures, client.model_id, template_hash("goal"), CASE)
    rec = RecordingClient(FillingClient(recorded, client), template_hash("goal"))
    asyncio.run(_readings(_rows(path), rec))
    return rec.save(fixtures, CASE)


def _tally(rows: list[dict[str, Any]], said: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    splits: dict[str, dict[str, Any]] = {}
    for row in rows:
        s = splits.setdefault(row["split"], {"n": 0, "entitled": 0, "flagged": 0,
                                             "proportionate": 0, "refused": 0, "unclear": 0,
                                             "misses": []})
        got = said[row["id"]]
        s["n"] += 1
        s["unclear"] += got == "unclear"
        entitled = row["label"] == "entitled"
        s["entitled" if entitled else "proportionate"] += 1
        if entitled and got == "entitled":
            s["flagged"] += 1
        elif not entitled and got == "entitled":
            s["refused"] += 1
        if (got == "entitled") != entitled or got == "unclear":
            s["misses"].append({"id": row["id"], "label": row["label"], "said": got,
                                "goal": row["goal"]})
    return dict(sorted(splits.items()))


def measure(path: Path = DEFAULT, fixtures: Path = FIXTURES,
            model: str = DEFAULT_MODEL) -> dict[str, Any]:
    """Per split, by the rules alone and with the recorded model readings (when recorded):
    counts and the misses (goal, label, what drafter said)."""
    rows = _rows(path)
    rules = {r["id"]: assess_goal(r["goal"], recipient_name=r["recipient"]).classification
             for r in rows}
    found: dict[str, Any] = {"path": str(path), "tuned_on": "dev", "splits": _tally(rows, rules)}
    sizes = replayed_readings(rows, fixtures, model)
    if sizes is None:
        found["with_model"] = None
    else:
        found["with_model"] = _tally(rows, {r["id"]: assess_goal(
            r["goal"], recipient_name=r["recipient"], size=sizes[r["id"]]).classification
            for r in rows})
        found["model_unusable"] = sum(v is None for v in sizes.values())
    return found


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
           "who never saw the rules; rules tuned on `dev` only: `test`, `holdout` (a writer "
           "whose goals were never looked at while tuning the rules) and `unseen` (a writer "
           "whose goals arrived after the model reading was fixed) are the honest figures.",
           "", "| split, read by | goals | entitled flagged | proportionate called entitled "
           "| unclear |",
           "|---|---|---|---|---|"]
    model = section.get("with_model")
    for how, splits in (("rules", section["splits"]), ("rules + model", model or {})):
        for name, s in splits.items():
            out.append(f"| {name}, {how} | {s['n']} | {s['flagged']}/{s['entitled']} | "
                       f"{s['refused']}/{s['proportionate']} | {s['unclear']}/{s['n']} |")
    if model is None:
        out += ["", "The model's readings are not recorded for this goal prompt: "
                "`python -m drafter.evals.goals --record` (embedded model)."]
    else:
        out += ["", "\"rules + model\" is how a draft reads its goal: the embedded model's "
                "recorded one-word reading (`drafter.reading`) beside the rules "
                f"({section.get('model_unusable', 0)} readings unusable)."]
    return [*out, ""]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m drafter.evals.goals", description=__doc__)
    p.add_argument("--goals", type=Path, default=DEFAULT)
    p.add_argument("--split", default="dev",
                   help="whose misses -v lists (dev, test, holdout, unseen)")
    p.add_argument("-v", action="store_true", help="list the misses")
    p.add_argument("--fixtures", type=Path, default=FIXTURES)
    p.add_argument("--record", action="store_true", help="record every goal's reading with "
                   "the configured model (DRAFTER_MODEL; default the embedded one) first")
    args = p.parse_args(argv)
    if args.record:
        from drafter.config import load_settings
        from drafter.model.litellm_client import LiteLLMClient

        saved = record_readings(args.goals, args.fixtures, LiteLLMClient(load_settings()))
        sys.stderr.write(f"recorded {saved}\n")
    found = measure(args.goals, args.fixtures)
    out = lines(found)
    if args.v:
        splits = found["with_model"] or found["splits"]
        out += [f"{m['id']} {m['label']:>13} -> {m['said']:<13} {m['goal']}"
                for m in splits.get(args.split, {}).get("misses", [])]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
