"""The history on real databases: SQLite files and a real PostgreSQL server (conftest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import SecretStr

from drafter.config import Settings
from drafter.errors import ConfigError, InputError, NotFound
from drafter.history import open_history
from drafter.history.migrate import current_revision, head_revision
from drafter.history.schema import Base
from tests.history.helpers import example, for_recipient


def test_the_migrations_create_exactly_the_models_tables(history_settings: Settings) -> None:
    history = open_history(history_settings)
    assert history is not None
    with history:
        assert current_revision(history.engine) == head_revision()
        with history.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_a_stored_draft_comes_back_whole(history_settings: Settings) -> None:
    request, result = example()
    history = open_history(history_settings)
    assert history is not None
    with history:
        first = history.add(request, result)
        second = history.add(*for_recipient("Lee Chan"))
        entries = history.entries()
        assert [e.id for e in entries] == [second, first]  # newest first
        entry = history.get(first)
    assert entry.request == request and entry.result == result
    assert entry.recipient == "Dana Li" and entry.model == result.model
    assert entry.prompt_version == result.prompt_version
    assert entry.verdict == result.drafts[0].score.overall
    assert entry.created_at.tzinfo is not None and entry.outcome is None


def test_reopening_keeps_the_history_and_does_not_migrate_again(
        history_settings: Settings) -> None:
    history = open_history(history_settings)
    assert history is not None
    with history:
        entry_id = history.add(*example())
    again = open_history(history_settings)
    assert again is not None
    with again:
        assert [e.id for e in again.entries()] == [entry_id]


def test_mark_records_the_outcome_and_the_variant(history_settings: Settings) -> None:
    history = open_history(history_settings)
    assert history is not None
    with history:
        entry_id = history.add(*example())
        marked = history.mark(entry_id, "replied")
        assert marked.outcome == "replied" and marked.outcome_variant == 1
        assert marked.outcome_at is not None
        with pytest.raises(InputError, match="--variant must be 1-1"):
            history.mark(entry_id, "sent", variant=2)
        with pytest.raises(NotFound, match="no draft #999"):
            history.mark(999, "sent")


def test_forget_one_a_recipient_or_all(history_settings: Settings) -> None:
    history = open_history(history_settings)
    assert history is not None
    with history:
        a = history.add(*example())
        history.add(*for_recipient("Lee Chan"))
        history.add(*for_recipient("lee  chan "))
        d = history.add(*for_recipient("Ana Ruiz"))
        assert history.forget(a) == 1
        with pytest.raises(NotFound):
            history.forget(a)
        assert history.forget_recipient("LEE CHAN") == 2
        assert [e.id for e in history.entries()] == [d]
        assert history.forget_all() == 1
        assert history.entries() == []


def test_retention_purges_old_drafts_when_the_history_is_opened(
        history_settings: Settings) -> None:
    now = datetime.now(UTC)
    history = open_history(history_settings)
    assert history is not None
    with history:
        old = history.add(*example(), now=now - timedelta(days=40))
        new = history.add(*example(), now=now - timedelta(days=5))
    kept = history_settings.model_copy(update={"history_retention_days": 30})
    reopened = open_history(kept, now=now)
    assert reopened is not None
    with reopened:
        assert [e.id for e in reopened.entries()] == [new]
        with pytest.raises(NotFound):
            reopened.get(old)


def test_history_off_opens_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", history=False)
    assert open_history(settings) is None
    assert not (tmp_path / "data").exists()


def test_an_unreachable_database_is_a_config_error_without_its_password(
        tmp_path: Path) -> None:
    from tests.history.conftest import _free_port

    url = f"postgresql+psycopg://me:hunter2@127.0.0.1:{_free_port()}/nothing"
    settings = Settings(data_dir=tmp_path, history_url=SecretStr(url))
    with pytest.raises(ConfigError) as info:
        open_history(settings)
    assert "hunter2" not in info.value.detail and "DRAFTER_HISTORY_URL" in info.value.detail
    assert info.value.exit_code == 3


def test_a_url_that_is_not_a_url_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, history_url=SecretStr("not a url"))
    with pytest.raises(ConfigError, match="not a database URL"):
        open_history(settings)


def test_the_sqlite_file_is_its_owners_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    history = open_history(settings)
    assert history is not None
    history.close()
    path = tmp_path / "data" / "history.sqlite3"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
