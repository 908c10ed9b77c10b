"""The pydantic base classes, one per kind of record, so every model says which it is.

* ``Frozen``: a value (score cards, dataset cases, rubric criteria): unknown fields are an
  error, and nothing changes it after it is built.
* ``Wire``: a request or result on the HTTP API and the CLI's ``--json``: a ``Frozen`` that
  also strips the whitespace people paste around their text.
* ``Record``: a report built up as a run goes (eval results): unknown fields are an error, but
  it may be filled in after it is created.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Frozen", "Record", "Wire"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wire(Frozen):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")
