"""``Progress``: how a long-running step tells a person what it is doing, one line at a time.

The CLI passes a function that writes the line to stderr; the API and tests pass none and
get ``quiet``. One type serves the pipeline (its stages), the model layer (assembling the
weights the first time) and the evals (one line per case), so a surface hands the same
function to all of them. It lives here, apart from all three, so none imports another for it.

A line may also name its stage (``Stage``: still a ``str``, so every ``Progress`` prints it as
it is); the API's streaming route sends that name to clients as the event's ``stage``.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["STAGES", "Progress", "Stage", "quiet"]

Progress = Callable[[str], None]

# The pipeline's stages, in the order a draft goes through them (fetch only for URLs, goal
# only when the model reads the goal's size, assessment only for a goal that asks too much,
# repair only when a check the model can mend failed).
STAGES = ("fetch", "goal", "context", "assessment", "model", "checks", "repair")


class Stage(str):
    """A progress line that names its stage (one of ``STAGES``)."""

    stage: str

    def __new__(cls, stage: str, line: str) -> Stage:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        self = super().__new__(cls, line)
        self.stage = stage
        return self


def quiet(_line: str) -> None:
    """The ``Progress`` of a caller nobody watches: says nothing."""
