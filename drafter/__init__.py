"""drafter: one grounded, give-first outreach message to one person.

The public Python API is what ``__all__`` lists, pinned by ``tests/test_public_api.py``:

* ``draft(request, client=..., settings=...)``: the pipeline (an ``async`` function) from a
  ``DraftRequest`` to a ``DraftResult``;
* ``score(message, ...)``: the rubric's score card for any message, no model (instant);
* ``load_settings()`` and ``Settings``: every knob, from ``DRAFTER_*`` variables;
* the request and result types, and the error tree's base classes (``DrafterError``,
  ``InputError``, ``ConfigError``, ``ModelError``; the rest are in ``drafter.errors``).

Everything else is internal and may change. Names are imported on first use (PEP 562), so
``import drafter`` and ``drafter --help`` never pay for litellm, llama.cpp or FastAPI.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS: dict[str, str] = {
    "draft": "drafter.pipeline",
    "score": "drafter.scoring",
    "Settings": "drafter.config",
    "load_settings": "drafter.config",
    "DraftRequest": "drafter.types",
    "DraftResult": "drafter.types",
    "Draft": "drafter.types",
    "Recipient": "drafter.types",
    "Sender": "drafter.types",
    "Work": "drafter.types",
    "Reference": "drafter.types",
    "Check": "drafter.types",
    "ScoreRequest": "drafter.types",
    "ScoreCard": "drafter.scorecard",
    "GoalAssessment": "drafter.scorecard",
    "DrafterError": "drafter.errors",
    "InputError": "drafter.errors",
    "ConfigError": "drafter.errors",
    "ModelError": "drafter.errors",
    "FieldProblem": "drafter.errors",
}
# Where the public name differs from the module's own.
_RENAMED = {"score": "score_message"}

__all__ = [
    "Check",
    "ConfigError",
    "Draft",
    "DraftRequest",
    "DraftResult",
    "DrafterError",
    "FieldProblem",
    "GoalAssessment",
    "InputError",
    "ModelError",
    "Recipient",
    "Reference",
    "ScoreCard",
    "ScoreRequest",
    "Sender",
    "Settings",
    "Work",
    "__version__",
    "draft",
    "load_settings",
    "score",
]

if TYPE_CHECKING:
    from drafter.config import Settings, load_settings
    from drafter.errors import ConfigError, DrafterError, FieldProblem, InputError, ModelError
    from drafter.pipeline import draft
    from drafter.scorecard import GoalAssessment, ScoreCard
    from drafter.scoring import score_message as score
    from drafter.types import (
        Check,
        Draft,
        DraftRequest,
        DraftResult,
        Recipient,
        Reference,
        ScoreRequest,
        Sender,
        Work,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'drafter' has no attribute {name!r}")
    value = getattr(import_module(module), _RENAMED.get(name, name))
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
