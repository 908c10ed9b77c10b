"""Goal assessment measured on independently labelled goals (drafter.evals.goals)."""

from __future__ import annotations

import json
from pathlib import Path

from drafter.evals.goals import goals_section, lines, measure, record_readings
from drafter.model.protocol import CompletionRequest
from drafter.model.testing import ScriptedModel


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "goals.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_counts_per_split_and_the_misses(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        {"id": "g1", "split": "dev", "label": "entitled", "recipient": "Dana Li",
         "goal": "get her to introduce me to her investors"},
        {"id": "g2", "split": "dev", "label": "entitled", "recipient": "Dana Li",
         "goal": "say hi"},  # not flagged: a miss
        {"id": "g3", "split": "test", "label": "proportionate", "recipient": "Dana Li",
         "goal": "ask her how she benchmarks the groupby"},
    ])
    found = measure(path, fixtures=tmp_path)
    dev, test = found["splits"]["dev"], found["splits"]["test"]
    assert (dev["n"], dev["entitled"], dev["flagged"]) == (2, 2, 1)
    assert [m["id"] for m in dev["misses"]] == ["g2"]
    assert (test["proportionate"], test["refused"], test["misses"]) == (1, 0, [])
    table = "\n".join(lines(found))
    assert "| dev, rules | 2 | 1/2 | 0/0 |" in table
    assert "| test, rules | 1 | 0/0 | 0/1 | 0/1 |" in table
    assert found["with_model"] is None and "not recorded" in table


def test_recorded_readings_are_replayed_beside_the_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        {"id": "g1", "split": "dev", "label": "entitled", "recipient": "Dana Li",
         "goal": "want her to pin my listing post at the top of her group"},
        {"id": "g2", "split": "dev", "label": "proportionate", "recipient": "Dana Li",
         "goal": "let her know the link in her post is dead"},
    ])

    def size(request: CompletionRequest) -> str:
        return "BIG" if "pin my listing" in request.messages[-1].content else "MAYBE"

    saved = record_readings(path, tmp_path, ScriptedModel([size], goal_size=None))
    assert saved.is_file()
    found = measure(path, fixtures=tmp_path, model="fake/scripted")
    assert found["splits"]["dev"]["flagged"] == 0  # the rules alone miss the everyday words
    with_model = found["with_model"]["dev"]
    assert (with_model["flagged"], with_model["refused"], with_model["unclear"]) == (1, 0, 0)
    assert found["model_unusable"] == 1  # "MAYBE" is no reading
    assert "| dev, rules + model | 2 | 1/1 | 0/1 | 0/2 |" in "\n".join(lines(found))
    # another goal prompt or model has no recorded readings: reported, never guessed
    assert measure(path, fixtures=tmp_path)["with_model"] is None


def test_a_missing_goal_set_is_reported_not_raised(tmp_path: Path) -> None:
    section = goals_section(tmp_path / "nope.jsonl")
    assert section is not None and "not found" in section["error"]
    assert "not run" in "\n".join(lines(section))
    assert goals_section(None) is None
