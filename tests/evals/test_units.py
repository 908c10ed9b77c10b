"""Dataset and rubric schemas, the client wrappers, statistics and judge errors."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from drafter.errors import InputError, ModelUnavailable
from drafter.evals.clients import CachingClient, CallStats, RepeatClient, ReplayClient
from drafter.evals.config import EvalConfig
from drafter.evals.dataset import load_dataset
from drafter.evals.rubric import load_rubric
from drafter.evals.stats import mean_stderr
from drafter.evals.suite import run_suite
from drafter.model.protocol import CompletionRequest
from drafter.model.testing import ScriptedModel
from drafter.progress import quiet
from drafter.types import Message
from tests.evals.helpers import (
    DATASETS,
    RUBRIC,
    good_reply,
    small_dataset,
    ungrounded_reply,
)

REQ = CompletionRequest(messages=(Message(role="user", content="hi"),), seed=7)


def test_the_dataset_is_varied_and_valid() -> None:
    ds = load_dataset(DATASETS)
    assert len(ds.cases) >= 40
    personas = Counter(c.persona for c in ds.cases)
    assert {"oss_to_maintainer", "student_to_professor", "job_seeker_to_engineer",
            "founder_to_investor", "researcher_to_researcher"} <= personas.keys()
    channels = {c.request.channel for c in ds.cases}
    assert channels == {"email", "linkedin_note", "linkedin_message", "dm"}
    assert any(c.request.linkedin_free_account for c in ds.cases)
    assert sum(c.expect.goal == "entitled" for c in ds.cases) >= 8
    injected = [c for c in ds.cases if "injection" in c.tags]
    assert len(injected) >= 4
    assert all(any("attacker" in p for p in c.expect.forbidden) for c in injected)


def test_an_invalid_case_names_the_file_case_and_field(tmp_path: Path) -> None:
    bad = {"version": 1, "cases": [{"id": "x-1", "persona": "p", "request": {
        "recipient": {"name": "A", "works": [{"text": "w"}]}, "sender": {"name": "B"},
        "goal": "g"}}]}
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad))
    with pytest.raises(InputError, match=r"bad.yaml case x-1: request.sender.about"):
        load_dataset(tmp_path)


def test_a_rubric_criterion_without_an_evaluator_is_rejected(tmp_path: Path) -> None:
    doc = yaml.safe_load(RUBRIC.read_text())
    doc["criteria"].append({"name": "vibes", "weight": 1})
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError, match="no evaluator for criteria"):
        load_rubric(tmp_path / "r.yaml")


async def test_the_cache_never_keeps_errors(tmp_path: Path) -> None:
    model = ScriptedModel([ModelUnavailable("down"), "ok"])
    cache = CachingClient(model, tmp_path, "h", stats := CallStats())
    with pytest.raises(ModelUnavailable):
        await cache.complete(REQ)
    assert (await cache.complete(REQ)).text == "ok"
    assert (await cache.complete(REQ)).text == "ok"
    assert len(model.requests) == 2
    assert (stats.cache_hits, stats.cache_misses) == (1, 1)


async def test_repeats_get_their_own_seed_and_index() -> None:
    model = ScriptedModel(["a"])
    await RepeatClient(model, 0).complete(REQ)
    await RepeatClient(model, 2).complete(REQ)
    assert [(r.seed, r.repeat_index) for r in model.requests] == [(7, 0), (2007, 2000)]


async def test_replay_without_a_fixture_is_an_error(tmp_path: Path) -> None:
    from drafter.evals.clients import FixtureMissing

    with pytest.raises(FixtureMissing, match="re-record"):
        await ReplayClient(tmp_path, "m", "h", "case-1").complete(REQ)


async def test_filling_replays_what_is_recorded_and_asks_only_for_the_rest(
        tmp_path: Path) -> None:
    from drafter.evals.clients import FillingClient, RecordingClient

    other = CompletionRequest(messages=(Message(role="user", content="a new stage"),))
    first = RecordingClient(ScriptedModel(["recorded"]), "h")
    await first.complete(REQ)
    first.save(tmp_path, "case-1")
    live = ScriptedModel(["live"])
    filling = RecordingClient(FillingClient(ReplayClient(tmp_path, "fake/scripted", "h",
                                                         "case-1"), live), "h")
    assert (await filling.complete(REQ)).text == "recorded"
    assert (await filling.complete(other)).text == "live"
    assert live.requests == [other]  # the recorded call never reached the model
    filling.save(tmp_path, "case-1")
    replay = ReplayClient(tmp_path, "fake/scripted", "h", "case-1")
    assert [(await replay.complete(r)).text for r in (REQ, other)] == ["recorded", "live"]


def test_fill_without_record_is_refused() -> None:
    from drafter.cli import main

    assert main(["eval", "--fill"]) == 2


def test_mean_and_standard_error() -> None:
    assert mean_stderr([]) == (None, None)
    assert mean_stderr([1.0]) == (1.0, None)
    assert mean_stderr([1.0, 0.0, 1.0, 0.0]) == (0.5, 0.2887)


def test_repeat_reports_mean_stderr_and_pass_all(tmp_path: Path) -> None:
    def alternating(request: CompletionRequest) -> str:
        return ungrounded_reply(request) if request.repeat_index >= 1000 else good_reply(request)

    cfg = EvalConfig(tier="live", model="fake/scripted", out=tmp_path, repeat=2,
                     dataset=small_dataset(tmp_path, ["oss-arrowlite-spill"]),
                     client=ScriptedModel([alternating]), use_cache=False, labelled=None)
    report = asyncio.run(run_suite(cfg, say=quiet))
    stats = report.cases[0].criteria["grounded"]
    assert (stats.n, stats.mean, stats.stderr, stats.pass_all) == (2, 0.5, 0.5, False)
    grounded = next(c for c in report.criteria if c.name == "grounded")
    assert (grounded.passed, grounded.failed, grounded.pass_all_n) == (1, 1, 0.0)


def test_an_evaluator_that_raises_is_a_judge_error_not_a_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.evals import evaluators

    def broken(_s: object) -> evaluators.Outcome:
        raise ValueError("boom")

    monkeypatch.setitem(evaluators.EVALUATORS, "grounded", broken)
    cfg = EvalConfig(tier="live", model="fake/scripted", out=tmp_path,
                     dataset=small_dataset(tmp_path, ["oss-arrowlite-spill"]),
                     client=ScriptedModel([good_reply]), use_cache=False, labelled=None)
    report = asyncio.run(run_suite(cfg, say=quiet))
    grounded = next(c for c in report.criteria if c.name == "grounded")
    assert (grounded.passed, grounded.failed, grounded.errors) == (0, 0, 1)
    assert report.summary.exit_code == 2


def test_drafter_help_does_not_import_the_eval_runner() -> None:
    code = ("import sys; from drafter.cli import build_parser; build_parser(); "
            "print(any(m.startswith(('drafter.evals.suite', 'drafter.pipeline', 'litellm')) "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
