"""The commands a newcomer uses: a profile once, drafts without sender flags, their history,
outcomes and stats, and forgetting everything (the file keeps no message text)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafter import cli
from drafter.config import Settings
from drafter.errors import NotFound
from drafter.model.testing import EXAMPLE_LINE, ScriptedModel, reply_json


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> ScriptedModel:
    model = ScriptedModel([reply_json(None)])  # quotes the first evidence line, any goal
    monkeypatch.setattr(cli, "_make_client", lambda _model: (model, settings))
    return model


@pytest.fixture
def work(tmp_path: Path, example_data: dict[str, Any]) -> Path:
    path = tmp_path / "post.txt"
    path.write_text(example_data["recipient"]["works"][0]["text"])
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def db_file(settings: Settings) -> Path:
    return settings.data_dir / "history.sqlite3"


def test_newcomer_profile_once_two_drafts_history_mark_stats_forget(
        fake: ScriptedModel, work: Path, settings: Settings,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "profile", "set", "--name", "Sam Ortiz", "--about",
                       "data engineer at a logistics company", "--offer",
                       "my benchmark on 2 TB of skewed logs")
    assert code == 0 and "profiles.toml" in err
    goals = ["learn how she approaches performance regressions",
             "ask whether the groupby rewrite handles skewed keys"]
    for goal in goals:  # no --me, no --offer: the profile says who is writing
        code, out, err = run(capsys, "draft", "--to", "Dana Li", "--work", str(work),
                             "--goal", goal)
        assert code == 0, err
        assert "Sam Ortiz" in out and "my benchmark on 2 TB of skewed logs" in out
        assert "kept as #" in err
    user = fake.requests[0].messages[-1].content
    assert "Me: Sam Ortiz, data engineer at a logistics company." in user

    code, out, _ = run(capsys, "history")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split()[:3] == ["ID", "WHEN", "(UTC)"] and len(lines) == 3
    assert "Dana Li" in lines[1] and "ask whether the groupby" in lines[1]  # newest first
    code, out, _ = run(capsys, "history", "--json")
    listed = json.loads(out)
    assert listed["version"] == 1 and [d["goal"] for d in listed["drafts"]] == goals[::-1]
    first = listed["drafts"][1]["id"]
    assert set(listed["drafts"][0]) == {
        "id", "created_at", "recipient", "channel", "goal", "variants", "verdict", "passed",
        "outcome", "outcome_variant", "model", "prompt_version"}

    code, out, _ = run(capsys, "history", "show", str(first))
    assert code == 0 and f"#{first}" in out and "Hi Dana," in out and goals[0] in out
    code, out, _ = run(capsys, "history", "mark", str(first), "replied")
    assert code == 0 and "replied" in out
    code, out, _ = run(capsys, "stats")
    assert code == 0 and "1/1" in out and "too few" in out
    assert "personalization" in out
    stats = json.loads(run(capsys, "stats", "--json")[1])
    assert stats["overall"]["replied"] == 1 and stats["overall"]["too_small"] is True

    before = db_file(settings).read_bytes()
    assert b"Sam Ortiz" in before and EXAMPLE_LINE.encode() in before
    code, out, _ = run(capsys, "history", "forget", "--all")
    assert code == 0 and "forgot 2" in out
    after = db_file(settings).read_bytes()
    for text in ("Sam Ortiz", "Dana", EXAMPLE_LINE, "skewed", goals[0], "Performance"):
        assert text.encode() not in after, text
    assert json.loads(run(capsys, "history", "--json")[1])["drafts"] == []


def test_flags_win_over_the_profile(fake: ScriptedModel, work: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "profile", "set", "--name", "Sam Ortiz", "--about", "data engineer",
        "--offer", "my benchmark")
    code, out, err = run(capsys, "draft", "--to", "Dana Li", "--work", str(work), "--goal",
                         "learn", "--me", "Kim Park, analyst", "--offer", "my notes")
    assert code == 0, err
    assert "Kim Park" in out and "Sam Ortiz" not in out and "my notes" in out
    assert "my benchmark" not in out


def test_a_named_profile_and_a_missing_one(fake: ScriptedModel, work: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "profile", "set", "--profile", "work", "--name", "Ana Ruiz", "--about",
        "product manager")
    code, out, err = run(capsys, "draft", "--profile", "work", "--to", "Dana Li", "--work",
                         str(work), "--goal", "learn")
    assert code == 0, err
    assert "Ana Ruiz" in out
    code, _, err = run(capsys, "draft", "--profile", "home", "--to", "Dana Li", "--work",
                       str(work), "--goal", "learn")
    assert code == 2
    assert "no sender profile named 'home'" in err and "drafter profile set --profile home" in err
    assert fake.requests[1:] == []  # one model call: the missing profile stopped the second
    with pytest.raises(NotFound):
        cli.main(["profile", "show", "--profile", "home"], raise_errors=True)


def test_without_profile_or_me_the_error_says_how_to_save_one(
        fake: ScriptedModel, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "draft", "--to", "Dana Li", "--work", str(work), "--goal", "x")
    assert code == 2 and "--me" in err and "drafter profile set" in err
    assert fake.requests == []


def test_a_near_copy_for_another_recipient_is_named(
        fake: ScriptedModel, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "profile", "set", "--name", "Sam Ortiz", "--about", "data engineer",
        "--offer", "my benchmark")
    base = ["draft", "--work", str(work), "--goal", "learn how she approaches regressions"]
    code, _, err = run(capsys, *base, "--to", "Dana Li")
    assert code == 0 and "nearly the same" not in err
    code, _, err = run(capsys, *base, "--to", "Dana Li")  # the same person: not a template
    assert code == 0 and "nearly the same" not in err
    code, _, err = run(capsys, *base, "--to", "Lee Chan")
    assert code == 0
    warning = next(line for line in err.splitlines() if "nearly the same" in line)
    assert "#2, written for Dana Li" in warning and "history show 2" in warning


def test_no_history_flag_and_setting_keep_nothing(
        fake: ScriptedModel, work: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["draft", "--to", "Dana Li", "--work", str(work), "--goal", "learn", "--me",
            "Sam Ortiz, engineer"]
    code, _, err = run(capsys, *argv, "--no-history")
    assert code == 0 and "kept as" not in err
    assert not db_file(settings).exists()
    off = settings.model_copy(update={"history": False})
    monkeypatch.setattr(cli, "_make_client", lambda _model: (fake, off))
    code, _, err = run(capsys, *argv)
    assert code == 0 and "kept as" not in err and not db_file(settings).exists()
    monkeypatch.setenv("DRAFTER_HISTORY", "false")
    code, _, err = run(capsys, "history")
    assert code == 2 and "turned off" in err


def test_history_errors_are_one_clean_line(fake: ScriptedModel,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "history", "show", "7")
    assert code == 2 and err.strip() == ("drafter: error: no draft #7 in the history; "
                                         "'drafter history' lists them")
    code, _, err = run(capsys, "history", "forget")
    assert code == 2 and "one ID, --recipient NAME or --all" in err
    code, _, err = run(capsys, "history", "forget", "--recipient", "Nobody")
    assert code == 2 and "no drafts to 'Nobody'" in err
    code, _, err = run(capsys, "history", "forget", "3", "--all")
    assert code == 2 and "Traceback" not in err


def test_a_broken_profiles_file_is_a_config_error(
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    settings.config_dir.mkdir(parents=True)
    (settings.config_dir / "profiles.toml").write_text("[profiles.default\nname = 1")
    code, _, err = run(capsys, "profile", "show")
    assert code == 3 and "profiles.toml is not valid TOML" in err


def test_the_commands_on_a_postgresql_history(
        pg_url: str, work: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DRAFTER_HISTORY_URL", pg_url)
    settings = Settings(model="fake/scripted", cache_dir=tmp_path / "cache")
    assert settings.history_url is not None  # read from the environment, like a user's
    model = ScriptedModel([reply_json(None)])
    monkeypatch.setattr(cli, "_make_client", lambda _model: (model, settings))
    for name in ("Dana Li", "Lee Chan"):
        code, _, err = run(capsys, "draft", "--to", name, "--work", str(work), "--goal",
                           "learn how she approaches regressions", "--me", "Sam Ortiz, eng")
        assert code == 0, err
    assert "nearly the same" in err and "written for Dana Li" in err
    listed = json.loads(run(capsys, "history", "--json")[1])["drafts"]
    assert [d["recipient"] for d in listed] == ["Lee Chan", "Dana Li"]
    assert run(capsys, "history", "mark", str(listed[0]["id"]), "no-reply")[0] == 0
    assert "0/1" in run(capsys, "stats")[1]
    assert run(capsys, "history", "forget", "--recipient", "dana li")[0] == 0
    listed = json.loads(run(capsys, "history", "--json")[1])["drafts"]
    assert [d["recipient"] for d in listed] == ["Lee Chan"]
    assert not (settings.data_dir / "history.sqlite3").exists()  # nothing went to SQLite
