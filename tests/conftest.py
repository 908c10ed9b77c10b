from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafter.config import Settings
from drafter.types import DraftRequest

EXAMPLE = Path(__file__).resolve().parent.parent / "drafter" / "examples" / "dana-li.json"


@pytest.fixture
def example_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return data


@pytest.fixture
def example_request(example_data: dict[str, Any]) -> DraftRequest:
    return DraftRequest.model_validate(example_data)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(model="fake/scripted", cache_dir=tmp_path / "cache", max_repairs=1)
