"""The eval runner end to end with a scripted model: record, replay, gate, compare."""

from __future__ import annotations

import asyncio
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from drafter.cli import main
from drafter.evals.config import EvalConfig
from drafter.evals.suite import run_suite
from drafter.model.protocol import CompletionRequest
from drafter.model.testing import ScriptedModel
from drafter.progress import quiet
from tests.evals.helpers import DATASETS, LABELLED, RUBRIC, good_reply, ungrounded_reply

MODEL = "fake/scripted"


def _lenient_rubric(tmp: Path) -> Path:
    """The real rubric with every threshold at 60%: the scripted 'good' model clears it."""
    doc = yaml.safe_load(RUBRIC.read_text())
    for c in doc["criteria"]:
        c["threshold"] = 0.6
    path = tmp / "rubric.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _record(tmp: Path, reply: object, rubric: Path, fixtures: Path) -> int:
    cfg = EvalConfig(tier="live", model=MODEL, out=tmp / "rec", fixtures=fixtures,
                     rubric=rubric, record=True, client=ScriptedModel([reply]),  # type: ignore[list-item]
                     use_cache=False, labelled=None)
    report = asyncio.run(run_suite(cfg, say=quiet))
    return report.summary.exit_code


def _replay(tmp: Path, rubric: Path, fixtures: Path, *extra: str) -> int:
    return main(["eval", "--tier", "replay", "--model", MODEL, "--out", str(tmp / "out"),
                 "--rubric", str(rubric), "--fixtures", str(fixtures), "--dataset",
                 str(DATASETS), "--labelled", str(LABELLED), *extra])


def test_replay_of_good_fixtures_passes_and_writes_three_reports(tmp_path: Path) -> None:
    rubric, fx = _lenient_rubric(tmp_path), tmp_path / "fx"
    assert _record(tmp_path, good_reply, rubric, fx) == 0
    assert _replay(tmp_path, rubric, fx) == 0
    out = tmp_path / "out"
    report = json.loads((out / "report.json").read_text())
    assert report["schema_version"] == 1
    assert report["summary"]["cases"] >= 40
    assert report["usage"]["replayed_calls"] >= 40
    assert report["calibration"]["scorer"]["verdict"]["kappa"] > 0
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    assert int(suite.get("tests", "0")) == report["summary"]["cases"]
    assert "PASS (exit 0)" in (out / "report.md").read_text()


def test_the_gate_bites_when_drafts_lose_their_quote(tmp_path: Path) -> None:
    rubric, fx = _lenient_rubric(tmp_path), tmp_path / "fx"
    _record(tmp_path, ungrounded_reply, rubric, fx)
    assert _replay(tmp_path, rubric, fx) == 100
    md = (tmp_path / "out" / "report.md").read_text()
    assert "BELOW THRESHOLD (exit 100)" in md
    rate = re.search(r"grounded: pass rate (\d+)% < threshold 60%", md)
    # Only drafts whose sender names the part of the work ("About your print image trick
    # ...", "I read your post about saving the good stones") stay grounded without a quote:
    # about three in ten (about nine in ten with quotes).
    assert rate is not None and int(rate.group(1)) < 40
    assert "### oss-arrowlite-spill" in md
    assert "FAIL **grounded**" in md
    junit = (tmp_path / "out" / "junit.xml").read_text()
    assert 'message="grounded' in junit


def test_changed_prompt_template_makes_fixtures_missing_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rubric, fx = _lenient_rubric(tmp_path), tmp_path / "fx"
    _record(tmp_path, good_reply, rubric, fx)
    monkeypatch.setattr("drafter.evals.suite.template_hash", lambda _g: "0123456789ab")
    assert _replay(tmp_path, rubric, fx) == 2
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["summary"]["errors"] == report["summary"]["cases"]
    assert report["summary"]["passed"] == 0
    md = (tmp_path / "out" / "report.md").read_text()
    assert "ERROR `fixture-missing`" in md
    assert "drafter eval --tier local --record" in md
    junit = (tmp_path / "out" / "junit.xml").read_text()
    assert '<error type="fixture-missing"' in junit


def test_the_local_tier_refuses_a_provider_model(tmp_path: Path) -> None:
    assert main(["eval", "--tier", "local", "--model", "gpt-4o-mini", "--out",
                 str(tmp_path)]) == 3


def test_baseline_comparison_names_regressions_and_can_gate(tmp_path: Path) -> None:
    rubric, good, bad = _lenient_rubric(tmp_path), tmp_path / "good", tmp_path / "bad"
    _record(tmp_path, good_reply, rubric, good)
    assert _replay(tmp_path, rubric, good) == 0
    baseline = tmp_path / "baseline.json"
    (tmp_path / "out" / "report.json").rename(baseline)
    # Only one case regresses: thresholds still hold, the comparison must catch it.
    def one_bad(request: CompletionRequest) -> str:
        spill = "arrowlite" in request.messages[1].content
        return ungrounded_reply(request) if spill else good_reply(request)

    _record(tmp_path, one_bad, rubric, bad)
    assert _replay(tmp_path, rubric, bad, "--baseline", str(baseline)) == 0
    assert _replay(tmp_path, rubric, bad, "--baseline", str(baseline),
                   "--fail-on-regression") == 101
    md = (tmp_path / "out" / "report.md").read_text()
    assert "WORSE: oss-arrowlite-spill grounded 1.00 -> 0.00" in md
