"""Goal assessment measured on independently labelled goals (drafter.evals.goals)."""

from __future__ import annotations

import json
from pathlib import Path

from drafter.evals.goals import goals_section, lines, measure


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
    found = measure(path)
    dev, test = found["splits"]["dev"], found["splits"]["test"]
    assert (dev["n"], dev["entitled"], dev["flagged"]) == (2, 2, 1)
    assert [m["id"] for m in dev["misses"]] == ["g2"]
    assert (test["proportionate"], test["refused"], test["misses"]) == (1, 0, [])
    table = "\n".join(lines(found))
    assert "| dev | 2 | 1/2 | 0/0 |" in table and "| test | 1 | 0/0 | 0/1 | 0/1 |" in table


def test_a_missing_goal_set_is_reported_not_raised(tmp_path: Path) -> None:
    section = goals_section(tmp_path / "nope.jsonl")
    assert section is not None and "not found" in section["error"]
    assert "not run" in "\n".join(lines(section))
    assert goals_section(None) is None
