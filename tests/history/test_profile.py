"""Sender profiles: TOML in the user's config directory, validated like a request's sender."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from drafter.config import load_settings
from drafter.errors import ConfigError, InputError, NotFound
from drafter.profile import ProfileStore


def test_the_config_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = load_settings()
    assert settings.config_dir == tmp_path / "cfg" / "drafter"
    assert settings.data_dir == tmp_path / "data" / "drafter"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert load_settings().config_dir == tmp_path / "home" / ".config" / "drafter"


def test_set_show_update_and_clear(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    store.set("default", sender_name="Sam Ortiz", about="data engineer", offer="my benchmark")
    store.set("work", sender_name="Sam O.", about="lead at Acme", offer=None)
    updated = store.set("default", sender_name=None, about="data engineer at Acme", offer=None)
    assert updated.name == "Sam Ortiz" and updated.offer == "my benchmark"  # kept
    assert store.set("default", sender_name=None, about=None, offer="").offer is None
    assert store.names() == ["default", "work"]
    data = tomllib.loads(store.path.read_text())
    assert data["profiles"]["work"] == {"name": "Sam O.", "about": "lead at Acme"}
    assert store.path.stat().st_mode & 0o777 == 0o600
    store.clear("work")
    with pytest.raises(NotFound, match="no sender profile named 'work'"):
        store.get("work")
    with pytest.raises(NotFound):
        store.clear("work")


def test_a_hand_edit_is_read_and_kept(tmp_path: Path) -> None:
    (tmp_path / "profiles.toml").write_text(
        '[profiles.default]\nname = "Ana Ruiz"\nabout = "PM"\n\n'
        '[profiles.side]\nname = "Ana"\nabout = "maker of things"\n')
    store = ProfileStore(tmp_path)
    assert store.get().name == "Ana Ruiz"
    store.set("default", sender_name=None, about="product manager", offer=None)
    assert store.get("side").about == "maker of things"


def test_bad_values_name_the_flag(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    with pytest.raises(InputError) as info:
        store.set("default", sender_name="Sam", about=None, offer=None)
    assert [p.field for p in info.value.problems] == ["--about"]
    with pytest.raises(InputError) as info:
        store.set("default", sender_name="Sam", about="x" * 301, offer=None)
    assert info.value.problems[0].field == "--about"
    with pytest.raises(InputError, match=r"profile name '\.\./x' is not allowed"):
        store.set("../x", sender_name="Sam", about="me", offer=None)
    assert not store.path.exists()


def test_a_broken_or_invalid_file_is_a_config_error(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    store.path.write_text("profiles = 3\n")
    with pytest.raises(ConfigError, match="must be a table"):
        store.get()
    store.path.write_text('[profiles.default]\nname = "Sam"\n')
    with pytest.raises(ConfigError, match=r"profile 'default' .* is invalid"):
        store.get()
