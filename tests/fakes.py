"""A scripted model behind our own client interface: records what it was sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from drafter.errors import DrafterError
from drafter.model import Completion, CompletionRequest

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


def reply_json(**fields: str) -> str:
    base = {
        "subject": "Skewed keys and groupby",
        "quote": "a regression of more than 5 percent blocks the merge",
        "opening": 'Your note that "a regression of more than 5 percent blocks the merge" '
                   "made me rethink our own CI.",
        "intro": "I'm Sam, a data engineer running tidyframe on 2 TB of shipment logs a day.",
        "offer": "I can share our results from the new groupby on very skewed keys.",
        "ask": "What first tipped you off that a 5 percent threshold was the right one?",
    }
    base.update(fields)
    return json.dumps(base)
