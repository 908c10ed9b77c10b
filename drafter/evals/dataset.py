"""Eval cases as data: a full draft request plus what a good draft must (not) do.

Cases live in ``evals/datasets/*.yaml`` (``{version: 1, cases: [...]}``) or ``*.jsonl`` (one
case per line). Every case is validated here; an invalid file is an ``InputError`` naming the
file, the case and the field, never a silently skipped case.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from drafter.basemodels import Frozen
from drafter.errors import FieldProblem, InputError
from drafter.types import DraftRequest
from drafter.validation import problems_from_errors

__all__ = ["Dataset", "EvalCase", "Expectations", "GoalExpectation", "Source", "Split",
           "load_dataset"]

Split = Literal["dev", "test", "fresh"]
GoalExpectation = Literal["entitled", "not_entitled", "proportionate", "unclear", "any"]
CaseId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,79}$")]



class Expectations(Frozen):
    """What the case demands of the draft beyond the rubric's global criteria."""

    must_reference: bool = Field(default=True, description="A verified quote of the work.")
    must_offer: bool = Field(default=True, description="The reciprocity dimension passes.")
    goal: GoalExpectation = Field(default="any", description="Expected goal assessment.")
    forbidden: list[str] = Field(default_factory=list,
                                 description="Regexes (case-insensitive) the draft must not match.")
    max_chars: int | None = Field(default=None, ge=50, description="Stricter than the channel.")

    @field_validator("forbidden")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"forbidden pattern {pattern!r} is not a regex: {exc}") from None
        return value


class Source(Frozen):
    """Where a case's public text comes from (cases built from real published writing)."""

    url: str = Field(min_length=4, max_length=500)
    kind: str = Field(min_length=1, max_length=40)


class EvalCase(Frozen):
    id: CaseId
    persona: str = Field(min_length=1, max_length=60)
    tags: list[str] = Field(default_factory=list)
    source: Source | None = None
    request: DraftRequest
    expect: Expectations = Field(default_factory=Expectations)

    @property
    def split(self) -> Split:
        """``test`` or ``dev``, fixed by the id alone (a third of the cases are ``test``), so
        no one chooses which cases are held out and a case never moves between splits. Test
        cases are only ever measured, never tuned on. A case tagged ``fresh`` was written after
        the rules it is measured against and never read while changing them: ``fresh``; once
        read to change the rules it is tagged ``tuned`` and is ``dev``."""
        if "fresh" in self.tags:
            return "fresh"
        if "tuned" in self.tags:  # a fresh case read while changing the rules: dev from then on
            return "dev"
        digest = hashlib.sha256(self.id.encode()).digest()
        return "test" if digest[0] % 3 == 0 else "dev"


class Dataset(Frozen):
    cases: list[EvalCase]
    files: list[str]
    sha256: str = Field(description="Hash of the dataset files' bytes, in name order.")


def _raw_cases(path: Path) -> list[object]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    doc = yaml.safe_load(text) or {}
    if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
        raise InputError(f"{path}: expected a mapping with a 'cases' list",
                         [FieldProblem(str(path), "no cases list")])
    return list(doc["cases"])


def _parse(path: Path, index: int, raw: object) -> EvalCase:
    try:
        return EvalCase.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_errors(exc.errors())
        name = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        first = problems[0]
        raise InputError(f"{path.name} case {name}: {first.field}: {first.message}",
                         problems) from None


def dataset_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted([*root.glob("*.yaml"), *root.glob("*.yml"), *root.glob("*.jsonl")])


def load_dataset(root: str | Path, *, only: list[str] | None = None) -> Dataset:
    """Load and validate every case under ``root`` (a directory or one file)."""
    files = dataset_files(Path(root))
    if not files:
        raise InputError(f"no dataset files in {root}", [FieldProblem("--dataset", "empty")])
    h = hashlib.sha256()
    cases: list[EvalCase] = []
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
        cases.extend(_parse(path, i, raw) for i, raw in enumerate(_raw_cases(path)))
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise InputError(f"duplicate case id {case.id}", [FieldProblem(case.id, "duplicate")])
        seen.add(case.id)
    if only:
        cases = [c for c in cases if any(re.fullmatch(p.replace("*", ".*"), c.id) for p in only)]
    return Dataset(cases=cases, files=[p.name for p in files], sha256=h.hexdigest()[:16])
