"""The data files of ``drafter/data/plan/`` (leads, ladder, offer ideas, checks, word lists),
each loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["places", "plan_data", "words"]

_DATA = Path(__file__).parent / "data" / "plan"


@cache
def plan_data(name: str) -> dict[str, Any]:
    """``drafter/data/plan/<name>.yaml``, which must hold a mapping."""
    data = yaml.safe_load((_DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{name}.yaml must hold a mapping")
    return data


@cache
def words(name: str) -> frozenset[str]:
    """The space-separated word list ``name`` of words.yaml."""
    return frozenset(str(plan_data("words")[name]).split())


@cache
def places() -> dict[str, str]:
    """Place names as prose spells them, by their lower-case form ("san jose" -> "San Jose"):
    ``places.txt``, generated from GeoNames by scripts/places.py."""
    table: dict[str, str] = {}
    for line in (_DATA / "places.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            low, _, name = line.partition("\t")
            table[low] = name
    return table
