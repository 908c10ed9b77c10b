"""The model's reading of the goal's size: one narrow call before drafting.

Phrase rules find the entitled asks they were written for and few of a new writer's: on goals
typed by four independent writers, the rules flagged 49/49 entitled goals of the set they were
tuned on but 12/30 and 16/30 of two writers never tuned on (``evals/goals/``). The model,
asked one word (BIG or SMALL) over a fixed prompt (``prompts/goal/``), reads everyday words for
the same asks ("pin my listing post at the top", "put me on your unit") that no list foresees.
Its one word is validated here; anything else is no reading, and the rules decide alone.
How the two are combined is ``drafter.scoring.goal``'s business (``GoalSize``).
"""

from __future__ import annotations

import re

from drafter.model.protocol import Completion, CompletionRequest, ModelClient
from drafter.prompts import goal_size_prefix, render_goal_size
from drafter.scorecard import GoalSize

__all__ = ["is_size_request", "parse_size", "read_goal_size", "size_request"]

# The reply is one word; a chatty model may wrap it ("**BIG**", "Answer: SMALL.").
_WORD = re.compile(r"^\W*(?:answer\W*)?(big|small)\b", re.IGNORECASE)
MAX_TOKENS = 3  # one word, and the first token is all a 1.5B model needs to commit


def parse_size(text: str) -> GoalSize | None:
    """``big``, ``small``, or None for anything else (never guessed from a longer reply)."""
    m = _WORD.match(text)
    return "big" if m and m.group(1).lower() == "big" else "small" if m else None


def is_size_request(request: CompletionRequest) -> bool:
    """Whether ``request`` is this module's call (fakes answer it apart from their script)."""
    return bool(request.messages) and request.messages[0] == goal_size_prefix()[0]


def size_request(goal: str) -> CompletionRequest:
    """The one call: greedy (so no seed), a word long. A draft and the goal set's eval
    (``drafter.evals.goals``) send the same request, so its recordings key alike."""
    return CompletionRequest(messages=render_goal_size(goal).messages, max_tokens=MAX_TOKENS,
                             temperature=0.0)


async def read_goal_size(goal: str,
                         client: ModelClient) -> tuple[GoalSize | None, Completion]:
    """Ask the model whether the goal asks a stranger for something big; the completion is
    returned too, for the draft's usage (tokens and seconds)."""
    completion = await client.complete(size_request(goal))
    return parse_size(completion.text), completion
