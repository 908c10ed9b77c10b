from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drafter.config import Settings
from drafter.logs import JsonFormatter
from drafter.types import DraftRequest

EXAMPLE = Path(__file__).resolve().parent.parent / "drafter" / "examples" / "dana-li.json"


@pytest.fixture
def example_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return data


@pytest.fixture
def example_request(example_data: dict[str, Any]) -> DraftRequest:
    return DraftRequest.model_validate(example_data)


@pytest.fixture(autouse=True)
def _own_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Path:
    """Profiles and history go to a fresh directory per test, never the real user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    for name in ("DRAFTER_HISTORY", "DRAFTER_HISTORY_URL", "DRAFTER_HISTORY_RETENTION_DAYS",
                 "DRAFTER_CONFIG_DIR", "DRAFTER_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def settings(tmp_path: Path, _own_user_dirs: Path) -> Settings:
    return Settings(model="fake/scripted", cache_dir=tmp_path / "cache", max_repairs=1)


@pytest.fixture
def litellm_on_httpx() -> Iterator[Any]:
    """litellm's default aiohttp transport bypasses respx, and its cached clients outlive
    tests: use httpx and start from an empty client cache, then restore both."""
    from drafter.model.litellm_client import litellm  # which prepares litellm's environment

    before = litellm.disable_aiohttp_transport
    litellm.disable_aiohttp_transport = True
    litellm.in_memory_llm_clients_cache.flush_cache()
    yield litellm
    litellm.in_memory_llm_clients_cache.flush_cache()
    litellm.disable_aiohttp_transport = before


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """Everything logged at any level, formatted exactly as `drafter serve` writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
