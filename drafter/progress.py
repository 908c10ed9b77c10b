"""``Progress``: how a long-running step tells a person what it is doing, one line at a time.

The CLI passes a function that writes the line to stderr; the API and tests pass none and
get ``quiet``. One type serves the pipeline (its stages), the model layer (assembling the
weights the first time) and the evals (one line per case), so a surface hands the same
function to all of them. It lives here, apart from all three, so none imports another for it.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "quiet"]

Progress = Callable[[str], None]


def quiet(_line: str) -> None:
    """The ``Progress`` of a caller nobody watches: says nothing."""
