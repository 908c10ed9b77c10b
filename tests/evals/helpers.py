"""Scripted replies for eval tests: a model that gives first, and one that stops offering."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from drafter.model import CompletionRequest

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "evals" / "datasets"
RUBRIC = ROOT / "evals" / "rubrics" / "outreach.yaml"
LABELLED = ROOT / "evals" / "labelled" / "messages.jsonl"


def _offer(request: CompletionRequest) -> str:
    m = re.search(r"^Offer: (.+?)\.?$", request.messages[1].content, re.MULTILINE)
    if m is None or m.group(1).startswith("none named"):
        return "a short write-up of what I found"
    return m.group(1)


def good_reply(request: CompletionRequest) -> str:
    """Quotes line 1, offers the sender's offer, asks one small question."""
    return json.dumps({
        "subject": "A note on your post",
        "quote": 1,
        "why_it_matters_to_me": "It matches what I see in my own work.",
        "what_i_can_give_you": f"I can send you {_offer(request)}.",
        "my_question": "",
    })


def overreaching_reply(request: CompletionRequest) -> str:
    """The same draft asking a stranger for introductions: what a prompt regression would
    produce. (A dropped offer is no longer a model regression: a named offer is stated by the
    pipeline itself.)"""
    data = json.loads(good_reply(request))
    data["my_question"] = "Could you introduce me to your investors?"
    return json.dumps(data)


def small_dataset(tmp: Path, ids: list[str]) -> Path:
    """A dataset file with only the named cases of the real dataset."""
    import yaml

    cases = []
    for path in sorted(DATASETS.glob("*.yaml")):
        cases += [c for c in yaml.safe_load(path.read_text())["cases"] if c["id"] in ids]
    out = tmp / "datasets"
    out.mkdir()
    (out / "cases.yaml").write_text(yaml.safe_dump({"version": 1, "cases": cases}))
    return out


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
