"""The CLI: the same JSON as the API, one clean line on errors, no model call on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafter import cli
from drafter.config import Settings
from drafter.model.protocol import Completion, CompletionRequest
from drafter.model.registry import DEFAULT_MODEL
from drafter.model.testing import ScriptedModel, reply_json


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> ScriptedModel:
    model = ScriptedModel([reply_json()])
    monkeypatch.setattr(cli, "_make_client", lambda _model: (model, settings))
    return model


def test_request_file_json_matches_the_api_shape(
        tmp_path: Path, example_data: dict[str, Any], fake: ScriptedModel,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "req.json"
    path.write_text(json.dumps(example_data))
    assert cli.main(["draft", "--request", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["drafts"][0]["body"].startswith("Hi Dana,")
    assert out["model"] == "fake/scripted"


def test_flags_build_the_request(tmp_path: Path, fake: ScriptedModel,
                                 capsys: pytest.CaptureFixture[str],
                                 example_data: dict[str, Any]) -> None:
    work = tmp_path / "groupby.txt"
    work.write_text(example_data["recipient"]["works"][0]["text"])
    code = cli.main(["draft", "--to", "Dana Li", "--work", str(work), "--goal", "learn",
                     "--me", "Sam Ortiz, data engineer", "--offer", "skewed-key results"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Hi Dana," in out and "[ok] grounded_quote" in out
    user = fake.requests[0].messages[-1].content
    assert "Me: Sam Ortiz, data engineer." in user
    assert "What I give them (the message already says it): I'd be glad to send you " \
        "skewed-key results." in user
    # A file's name is never the work's title (issue: 'In "groupby" you wrote').
    assert '"groupby"' not in out and "You wrote:" in out
    assert "I'd be glad to send you skewed-key results." in out
    assert "WHAT DRAFTER UNDERSTOOD" in out and "you give: skewed-key results" in out


def test_bad_request_is_one_line_and_exit_2_without_a_model(
        tmp_path: Path, example_data: dict[str, Any], fake: ScriptedModel,
        capsys: pytest.CaptureFixture[str]) -> None:
    example_data["goal"] = ""
    path = tmp_path / "req.json"
    path.write_text(json.dumps(example_data))
    assert cli.main(["draft", "--request", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    # The first stage line comes at once (issue 17), then the one line of the error.
    assert err == ["drafter: reading your request",
                   "drafter: error: goal: must not be empty or only white space"]
    assert fake.requests == []


def test_missing_flags_are_named(fake: ScriptedModel,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["draft", "--to", "Dana"]) == 2
    err = capsys.readouterr().err
    assert "--goal" in err and "--me" in err and "--work" in err and "Traceback" not in err


def test_unknown_channel_is_rejected_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["draft", "--example", "--channel", "fax"])
    assert info.value.code == 2
    assert "invalid choice: 'fax'" in capsys.readouterr().err


def test_raise_errors_reraises_for_tests(tmp_path: Path) -> None:
    from drafter.errors import InputError

    path = tmp_path / "bad.json"
    path.write_text("[1, 2]")
    with pytest.raises(InputError):
        cli.main(["draft", "--request", str(path)], raise_errors=True)


def test_example_is_bundled(fake: ScriptedModel, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["draft", "--example", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["drafts"][0]["passed"] is True


def test_entitled_goal_assessment_is_shown_above_the_drafts(
        tmp_path: Path, example_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    model = ScriptedModel([reply_json(quote=1)])
    monkeypatch.setattr(cli, "_make_client", lambda _model: (model, settings))
    example_data["goal"] = "ask her to refer me for a job on her team"
    path = tmp_path / "req.json"
    path.write_text(json.dumps(example_data))
    assert cli.main(["draft", "--request", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ABOUT YOUR GOAL")
    assert out.index("First steps toward a referral") < out.index("--- draft 1")
    assert "pick another with --step N" in out
    # The step named in the header is the one marked in the list, as --step takes it.
    assert "(the drafts take step 0;" in out and "   *0. " in out


def test_draft_loads_the_embedded_model_before_drafting_and_says_so(
        monkeypatch: pytest.MonkeyPatch, settings: Settings,
        capsys: pytest.CaptureFixture[str]) -> None:
    events: list[str] = []

    class Warming(ScriptedModel):
        def warm_up(self) -> None:
            events.append("warm_up")

        async def complete(self, request: CompletionRequest) -> Completion:
            events.append("complete")
            return await super().complete(request)

    model = Warming([reply_json()])
    embedded = settings.model_copy(update={"model": DEFAULT_MODEL})
    monkeypatch.setattr(cli, "_make_client", lambda _model: (model, embedded))
    assert cli.main(["draft", "--example"]) == 0
    assert events == ["warm_up", "complete", "complete"]  # the goal read, then the draft
    assert f"drafter: {DEFAULT_MODEL} ready in" in capsys.readouterr().err


# Run in a fresh interpreter (this one has imported everything already). The first stderr
# line is recorded with the heavy modules loaded at that moment, then the run stops.
_FIRST_LINE = """
import sys
from drafter import cli

HEAVY = ("pydantic", "drafter.types", "drafter.pipeline", "litellm", "llama_cpp", "fastapi")

def first(line):
    print(line)
    print(",".join(m for m in HEAVY if m in sys.modules))
    raise SystemExit(0)

cli._err = first
cli.main(["draft", "--example", "--no-history"])
"""


def test_draft_says_its_first_stage_before_any_heavy_import() -> None:
    # Issue 17: the first progress line must not wait for pydantic, the pipeline, litellm or
    # llama.cpp to import (~0.4 s on 2 cores). Checked by what is imported, not by a clock.
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _FIRST_LINE], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent).stdout
    line, heavy = out.splitlines()
    assert line.startswith("drafter: ")
    assert heavy == ""


def test_score_says_who_graded_and_the_one_change(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("Hello, I admire your work. Would love to connect and chat sometime.\n")
    assert cli.main(["score", str(msg)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("NEEDS WORK")
    assert "the one change that helps most:" in out
    assert "dimensions graded by the reader" in out
    work = tmp_path / "w.txt"
    work.write_text("Faster groupby in tidyframe 2.0. The threshold is 10 million keys.")
    assert cli.main(["score", str(msg), "--work", str(work), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["reading"]["dimensions_by"] == "rules"
    assert card["next_step"]


@pytest.mark.parametrize(("env", "model_line"), [
    ({}, f"model {DEFAULT_MODEL} (the default)"),
    ({"DRAFTER_MODEL": "ollama/llama3.1"},
     f"model ollama/llama3.1 (from DRAFTER_MODEL; the default is {DEFAULT_MODEL})")])
def test_version_prints_the_versions_and_the_model(
        env: dict[str, str], model_line: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from drafter import __version__
    from drafter.about import rubric_version
    from drafter.prompts import template_hash

    monkeypatch.delenv("DRAFTER_MODEL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"drafter {__version__}", f"prompt version {template_hash('draft')}",
        f"rubric version {rubric_version()}", model_line]
