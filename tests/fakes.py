"""A scripted model behind our own client interface: records what it was sent."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from drafter.errors import DrafterError
from drafter.model.protocol import Completion, CompletionRequest

Reply = str | DrafterError | Callable[[CompletionRequest], str]


@dataclass
class ScriptedModel:
    replies: list[Reply]
    model_id: str = "fake/scripted"
    requests: list[CompletionRequest] = field(default_factory=list)

    async def complete(self, request: CompletionRequest) -> Completion:
        self.requests.append(request)
        if not self.replies:
            raise AssertionError("the scripted model ran out of replies")
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, DrafterError):
            raise reply
        text = reply(request) if callable(reply) else reply
        return Completion(text=text, model=self.model_id, finish_reason="stop",
                          prompt_tokens=100, completion_tokens=50, seconds=0.01)


def line_number(request: CompletionRequest, containing: str) -> int:
    """The number of the evidence line containing ``containing`` in the prompt sent."""
    prompt = request.messages[1].content
    m = re.search(r"^\[(\d+)\] [^\n]*" + re.escape(containing), prompt, re.MULTILINE)
    if m is None:
        raise AssertionError(f"no evidence line contains {containing!r}")
    return int(m.group(1))


def reply_json(quote_containing: str = "Performance regressions are the bugs I fear most",
               **fields: str | int) -> Callable[[CompletionRequest], str]:
    """A reply that quotes the line containing ``quote_containing`` (found in the prompt)."""

    def reply(request: CompletionRequest) -> str:
        base: dict[str, str | int] = {
            "subject": "Skewed keys and groupby",
            "quote": fields.get("quote") or line_number(request, quote_containing),
            "reaction": "We have no such gate yet, and a slow release cost us a week last year.",
            "offer": "I can share our results from the new groupby on very skewed keys.",
            "ask": "How do you notice a slowdown when nobody files an issue?",
        }
        base.update(fields)
        keys = {"reaction": "why_it_matters_to_me", "offer": "what_i_can_give_you",
                "ask": "my_question"}
        return json.dumps({keys.get(k, k): v for k, v in base.items()})

    return reply
