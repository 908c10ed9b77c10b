"""Rubrics as data: named criteria with weights, thresholds and a version.

``evals/rubrics/<name>.yaml`` lists criteria by the name of an evaluator in
``drafter.evals.evaluators``; a criterion name that no evaluator implements is an error, so a
rubric cannot silently measure nothing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import Field, ValidationError, model_validator

from drafter.basemodels import Frozen
from drafter.errors import FieldProblem, InputError
from drafter.validation import problems_from_errors

__all__ = ["Criterion", "Rubric", "load_rubric"]

Rate = Annotated[float, Field(ge=0.0, le=1.0)]



class Criterion(Frozen):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = ""
    weight: Annotated[float, Field(gt=0)] = 1.0
    threshold: Rate = Field(default=1.0, description="Minimum pass rate over the dataset.")
    gate: bool = Field(default=True, description="False: reported, never sets the exit code.")
    required: bool = Field(default=False, description="A case fails when this fails, whatever "
                           "its weighted score.")
    version: int = 1


class Rubric(Frozen):
    name: str
    version: str
    description: str = ""
    case_threshold: Rate = Field(default=1.0, description="Weighted score a case needs.")
    pass_threshold: Rate = Field(default=1.0, description="Share of cases that must pass.")
    forbidden: list[str] = Field(default_factory=list,
                                 description="Regexes no draft may match, in every case.")
    criteria: list[Criterion] = Field(min_length=1)
    sha256: str = ""

    @model_validator(mode="after")
    def _check(self) -> Rubric:
        from drafter.evals.evaluators import EVALUATORS

        names = [c.name for c in self.criteria]
        unknown = sorted(set(names) - EVALUATORS.keys())
        if unknown:
            raise ValueError(f"no evaluator for criteria {unknown}; known: {sorted(EVALUATORS)}")
        if len(set(names)) != len(names):
            raise ValueError("criterion names must be unique")
        for pattern in self.forbidden:
            re.compile(pattern)
        return self

    def criterion(self, name: str) -> Criterion:
        return next(c for c in self.criteria if c.name == name)


def load_rubric(path: str | Path) -> Rubric:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read rubric {p}: {exc.strerror}",
                         [FieldProblem("--rubric", "unreadable")]) from None
    doc = yaml.safe_load(raw) or {}
    try:
        return Rubric.model_validate({**doc, "sha256": hashlib.sha256(raw).hexdigest()[:16]})
    except ValidationError as exc:
        problems = problems_from_errors(exc.errors())
        raise InputError(f"rubric {p.name}: {problems[0].field}: {problems[0].message}",
                         problems) from None
