"""Stored-data threats (docs/design/threats.md, cases 50-56): what drafter keeps on disk for
the user (profiles, the history) stays theirs, goes when they say so and never leaks."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from drafter import cli
from drafter.config import Settings
from drafter.errors import ConfigError, InputError
from drafter.history import open_history
from drafter.model.testing import EXAMPLE_LINE, ScriptedModel, reply_json
from drafter.profile import ProfileStore
from tests.history.helpers import example


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> ScriptedModel:
    model = ScriptedModel([reply_json()])
    monkeypatch.setattr(cli, "_make_client", lambda _model: (model, settings))
    return model


def _draft(tmp_path: Path, example_data: dict[str, Any]) -> int:
    work = tmp_path / "post.txt"
    work.write_text(example_data["recipient"]["works"][0]["text"])
    return cli.main(["draft", "--to", "Dana Li", "--work", str(work), "--goal",
                     "learn how she approaches performance regressions", "--me",
                     "Sam Ortiz, data engineer", "--offer", "my skewed-key timings"])


def test_case50_stored_drafts_and_profiles_are_their_owners_only(
        fake: ScriptedModel, settings: Settings, tmp_path: Path,
        example_data: dict[str, Any]) -> None:
    assert _draft(tmp_path, example_data) == 0
    ProfileStore(settings.config_dir).set("default", sender_name="Sam", about="me", offer=None)
    assert (settings.data_dir / "history.sqlite3").stat().st_mode & 0o777 == 0o600
    assert settings.data_dir.stat().st_mode & 0o777 == 0o700
    assert (settings.config_dir / "profiles.toml").stat().st_mode & 0o777 == 0o600


def test_case51_forgotten_text_is_gone_from_the_file(
        fake: ScriptedModel, settings: Settings, tmp_path: Path,
        example_data: dict[str, Any]) -> None:
    assert _draft(tmp_path, example_data) == 0
    assert _draft(tmp_path, example_data) == 0
    path = settings.data_dir / "history.sqlite3"
    assert EXAMPLE_LINE.encode() in path.read_bytes()
    history = open_history(settings)
    assert history is not None
    with history:
        first = history.entries()[-1].id
        history.forget(first)
        assert EXAMPLE_LINE.encode() in path.read_bytes()  # the other draft is still kept
        history.forget_all()
    data = path.read_bytes()
    for text in (EXAMPLE_LINE, "Sam Ortiz", "skewed-key timings", "performance regressions"):
        assert text.encode() not in data, text
    assert not path.with_name(path.name + "-journal").exists()
    assert not path.with_name(path.name + "-wal").exists()


def test_case52_message_text_never_reaches_the_logs(
        fake: ScriptedModel, settings: Settings, tmp_path: Path, example_data: dict[str, Any],
        caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    assert _draft(tmp_path, example_data) == 0
    for argv in (["history"], ["history", "show", "1"], ["history", "mark", "1", "sent"],
                 ["stats"], ["history", "forget", "1"]):
        assert cli.main(argv) == 0
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert "Running upgrade" in logged  # the history's own logs were captured
    for text in ("Sam Ortiz", "Dana", EXAMPLE_LINE, "skewed-key", "performance regressions"):
        assert text not in logged, text
    capsys.readouterr()


def test_case53_a_database_password_is_never_shown(tmp_path: Path) -> None:
    from tests.history.conftest import _free_port

    settings = Settings(data_dir=tmp_path, history_url=SecretStr(
        f"postgresql://drafter:s3cret-pw@127.0.0.1:{_free_port()}/history"))
    assert "s3cret-pw" not in repr(settings)
    with pytest.raises(ConfigError) as info:
        open_history(settings)
    assert "s3cret-pw" not in info.value.detail and "***" in info.value.detail


def test_case54_a_damaged_local_file_is_a_clear_error(
        settings: Settings, fake: ScriptedModel, tmp_path: Path,
        example_data: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    assert _draft(tmp_path, example_data) == 3
    err = capsys.readouterr().err
    assert "cannot open the history" in err and "Traceback" not in err
    assert fake.requests == []  # found before any model time was spent
    (settings.data_dir / "history.sqlite3").unlink()
    history = open_history(settings)
    assert history is not None
    with history:
        entry_id = history.add(*example())
    with sqlite3.connect(settings.data_dir / "history.sqlite3") as conn:
        conn.execute("UPDATE drafts SET result_json = '{\"oops\": 1}'")
    assert cli.main(["history"]) == 3
    assert "forget 1" in capsys.readouterr().err
    assert cli.main(["history", "forget", str(entry_id)]) == 0


def test_case55_retention_deletes_old_drafts_on_open(settings: Settings) -> None:
    now = datetime.now(UTC)
    history = open_history(settings)
    assert history is not None
    with history:
        history.add(*example(), now=now - timedelta(days=91))
        kept = history.add(*example(), now=now)
    reopened = open_history(settings.model_copy(update={"history_retention_days": 90}))
    assert reopened is not None
    with reopened:
        assert [e.id for e in reopened.entries()] == [kept]


def test_case56_a_profile_name_cannot_reach_outside_its_table(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "config")
    for name in ("../../etc/passwd", "a.b", "", "x" * 41, "white space"):
        with pytest.raises(InputError, match="is not allowed"):
            store.set(name, sender_name="Sam", about="me", offer=None)
    assert not (tmp_path / "config").exists()
