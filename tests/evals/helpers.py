"""Scripted replies for eval tests: a model that gives first, and one that stops offering."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from drafter.model.protocol import CompletionRequest

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "evals" / "datasets"
RUBRIC = ROOT / "evals" / "rubrics" / "outreach.yaml"
LABELLED = ROOT / "evals" / "labelled" / "messages.jsonl"


def good_reply(request: CompletionRequest) -> str:
    """Quotes line 1 and says one plain sentence; a question only when one is asked for."""
    data = {"subject": "A note on your post", "quote": 1,
            "why_it_matters_to_me": "It matches what I see in my own work."}
    if "my_question" in json.dumps(request.json_schema or {}):
        data["my_question"] = "What would you measure first in a case like mine?"
    return json.dumps(data)


def ungrounded_reply(request: CompletionRequest) -> str:
    """The same draft quoting a line that does not exist: what a prompt or decoding regression
    would produce. (The offer and the sender's question are stated by the pipeline and the
    model writes no sentence of its own, so a regression shows in what it still chooses.)"""
    data = json.loads(good_reply(request))
    data["quote"] = 99
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
