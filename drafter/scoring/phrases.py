"""Phrase lists and patterns, loaded once from ``drafter/data/phrases/*.yaml`` and compiled.

Every phrase the scorer reacts to lives in those data files; this module only loads them. The
first call parses and compiles everything (a few milliseconds) and caches the result for the
life of the process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["PHRASE_DIR", "Phrases", "compile_any", "phrases"]

PHRASE_DIR = Path(__file__).resolve().parent.parent / "data" / "phrases"
_FLAGS = re.IGNORECASE | re.MULTILINE


def _load(name: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (PHRASE_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise ValueError(f"{name}.yaml must hold a mapping")
    return data


def compile_any(patterns: list[str] | str) -> re.Pattern[str]:
    """One regex matching any of ``patterns`` (each wrapped in a non-capturing group)."""
    if isinstance(patterns, str):
        return re.compile(patterns, _FLAGS)
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


def _kinds(section: dict[str, Any], key: str) -> dict[str, re.Pattern[str]]:
    return {kind: compile_any(spec[key]) for kind, spec in section.items() if spec.get(key)}


@dataclass(frozen=True)
class Phrases:
    """Compiled patterns by concern; see the YAML files for what each one means."""

    asks: dict[str, Any]
    offers: dict[str, Any]
    personalization: dict[str, Any]
    credibility: dict[str, Any]
    respect: dict[str, Any]
    mass_mail: dict[str, Any]
    goal: dict[str, Any]
    thresholds: dict[str, int]
    stopwords: frozenset[str]


def _compile_asks(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "request": compile_any(raw["request_markers"]),
        "offer_q": compile_any(raw["offer_questions"]),
        "negation": compile_any(raw["negations"]),
        "duration": compile_any(raw["duration"]),
        "short": compile_any(raw["short_words"]),
        "large_anywhere": _kinds(raw["large"], "anywhere"),
        "large_in_ask": _kinds(raw["large"], "in_ask"),
        "small": {kind: compile_any(pats) for kind, pats in raw["small"].items()},
        "priority": list(raw["priority"]),
        "separator": compile_any(raw["separator"]),
        "numbers": {str(k): int(v) for k, v in raw["numbers"].items()},
        "explain": {str(k): (str(v[0]), str(v[1])) for k, v in raw["explain"].items()},
        "weak_kinds": frozenset(raw["weak_kinds"]),
    }


def _compile_flat(raw: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        out[key] = value if key in keep else compile_any(value)
    return out


def _compile_goal(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "entitled": {kind: compile_any(p) for kind, p in raw["entitled"].items()},
        "proportionate": compile_any([*raw["proportionate"], *raw["tells"]]),
        # What the model's "big" reading never overrides: telling or giving them something,
        # leave to reprint their work, a fact asked (drafter.scoring.goal._with_reading).
        "kept_small": compile_any([*raw["tells"], *raw["permission"], *raw["facts"]]),
        "kind_cues": {kind: compile_any(p) for kind, p in raw["kind_cues"].items()},
        "filler": frozenset(raw["goal_filler"].split()),
        "vague_kinds": frozenset(raw["vague_kinds"]),
        "reasons": dict(raw["reasons"]),
        "steps": dict(raw["steps"]),
    }


@cache
def phrases() -> Phrases:
    """Load and compile every phrase file (cached)."""
    stop = _load("stopwords")
    return Phrases(
        asks=_compile_asks(_load("asks")),
        offers=_compile_flat(_load("offers")),
        personalization=_compile_flat(
            _load("personalization"), keep=("claim_nouns", "ignore_capitalised")
        ),
        credibility=_compile_flat(_load("credibility")),
        respect=_compile_flat(_load("respect")),
        mass_mail=_compile_flat(_load("mass_mail")),
        goal=_compile_goal(_load("goal")),
        thresholds={k: int(v) for k, v in _load("thresholds").items()},
        stopwords=frozenset(stop["english"].split()) | frozenset(stop["outreach"].split()),
    )
