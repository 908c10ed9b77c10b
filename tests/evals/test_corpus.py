"""The scorer's agreement with the independent corpus, per split, with intervals."""

from __future__ import annotations

import json
from pathlib import Path

from drafter.evals.corpus import agreement_section, load_corpus

DIMS = {"personalization": "pass", "reciprocity": "weak", "proportionate_ask": "pass",
        "credibility": "pass", "respect": "pass", "mass_mail": "pass"}


def _row(i: int, text: str, verdict: str, split: str, other: str) -> str:
    ann = [{"annotator": "A", "labels": DIMS, "verdict": verdict, "borderline": False},
           {"annotator": "B", "labels": DIMS, "verdict": other, "borderline": False}]
    return json.dumps({"id": f"m-{i}", "source_url": "https://example.org", "kind": "example",
                       "channel": "linkedin", "subject": None, "text": text,
                       "context": "x", "split": split, "annotations": ann,
                       "final": {"labels": DIMS, "verdict": verdict}})


def test_section_reports_kappa_with_intervals_per_split(tmp_path: Path) -> None:
    texts = [("Can you refer me to your hiring manager?", "entitled"),
             ("Introduce me to your investors, please.", "entitled"),
             ("Hi Dana, I'm Sam. Your post on the 10 million key threshold helped; I put "
              "timings in a gist: https://gist.github.com/s/1. Would a PR be welcome?",
              "acceptable"),
             ("Hello, I admire your work. Would love to connect.", "needs_work")]
    lines = [_row(i, t, v, split, v if i % 2 else "needs_work")
             for split in ("dev", "test") for i, (t, v) in enumerate(texts)]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n")
    msgs = load_corpus(path)
    assert msgs[0].channel == "linkedin_message"
    section = agreement_section(path)
    assert section is not None and section["tuned_on"] == "dev"
    for split in ("dev", "test"):
        part = section["splits"][split]
        assert part["n"] == 4
        assert sum(part["scorer_verdicts"].values()) == 4
        for measure in ("verdict", "entitled_vs_rest", "acceptable_vs_rest", "respect"):
            m = part["scorer"][measure]
            lo, hi = m["ci95"]
            assert lo <= hi
            assert -1.0 <= m["kappa"] <= 1.0
        # Annotator B disagreed on half the verdicts: the ceiling is below 1.
        assert part["annotators"]["verdict"]["kappa"] < 1.0
    assert agreement_section(tmp_path / "missing.jsonl") == {
        "path": str(tmp_path / "missing.jsonl"), "error": "labelled corpus not found"}


async def test_the_judge_is_measured_on_the_same_split_and_errors_never_pass(
        tmp_path: Path) -> None:
    from drafter.errors import ModelError
    from drafter.evals.corpus import judge_section
    from drafter.model.testing import ScriptedModel

    lines = [_row(i, t, v, "test", v) for i, (t, v) in enumerate([
        ("Can you refer me to your hiring manager?", "entitled"),
        ("Hello, I admire your work. Would love to connect.", "needs_work"),
        ("Hi Dana, I'm Sam. Your post on the 10 million key threshold helped; a PR?",
         "acceptable")])]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n")
    fail = json.dumps({"evidence": [], "reason": "asks too much", "verdict": "fail"})
    # Six dimensions per message; the second message's first call fails.
    model = ScriptedModel([*[fail] * 6, ModelError("down"), *[fail] * 6])
    out = await judge_section(path, model, split="test")
    assert out["n"] == 2 and out["errors"] == 1
    assert len(model.requests) == 13
    judged = out["judged"]["verdict"]
    assert -1.0 <= judged["kappa"] <= 1.0
    assert "scorer_alone" in out
