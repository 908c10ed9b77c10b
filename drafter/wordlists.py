"""Word lists kept as data (``drafter/data/plan/words.yaml``), loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

__all__ = ["words"]


@cache
def _all() -> dict[str, frozenset[str]]:
    raw = yaml.safe_load((Path(__file__).parent / "data" / "plan" / "words.yaml").read_text())
    return {key: frozenset(str(value).split()) for key, value in raw.items()}


def words(name: str) -> frozenset[str]:
    """The word list ``name`` of words.yaml."""
    return _all()[name]
