"""The one fake model: a ``ModelClient`` that answers from a script, for tests and measurements.

Like httpx's ``MockTransport`` or pydantic-ai's ``FunctionModel``, it stands in for the model
at the interface the pipeline uses, so everything above it (prompts, parsing, composing,
checks, the API, the evals) runs for real and nothing is downloaded or loaded. The tests,
the benchmarks and ``scripts/loadtest.py`` all use it: the tests directly, the benchmarks
behind a litellm custom provider and the load test behind a fake OpenAI-compatible server
(tests/hardening/provider.py), both of which serve ``respond``'s reply so that the litellm
path under measurement stays the real one. A script holds:

* a reply text, or a function of the request that writes one (``reply_json``);
* a ``DrafterError`` to raise, for the failure paths;

apart from the script, the one-word reply to the goal-size call every draft makes first
(``goal_size``, "SMALL" unless told: ``drafter.reading``);

and the model records every request it is sent (``requests``), unless told not to in long
runs, and can take a fixed time per call (``delay``) to make concurrency and progress visible.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from drafter.bio import is_bio_request
from drafter.errors import DrafterError
from drafter.model.protocol import Completion, CompletionRequest
from drafter.reading import is_size_request

__all__ = ["EXAMPLE_LINE", "Reply", "ScriptedModel", "first_line_number", "line_number",
           "reply_json"]

Reply = str | DrafterError | Callable[[CompletionRequest], str]

# A line of the bundled example's work (drafter/examples/dana-li.json) that a good draft quotes.
EXAMPLE_LINE = "Performance regressions are the bugs I fear most"


@dataclass
class ScriptedModel:
    """Answers each request with the next scripted reply; the last one repeats forever."""

    replies: list[Reply]
    model_id: str = "fake/scripted"
    delay: float = 0.0  # seconds each ``complete`` waits before answering
    # False in long runs (benchmarks, load tests), where keeping every request would grow
    # memory without bound and show up as a leak in what they measure.
    record: bool = True
    requests: list[CompletionRequest] = field(default_factory=list)
    # The one-word reply to the goal-size call made before every draft (drafter.reading),
    # answered apart from the script so that scripts stay about drafts; None: that call is
    # scripted like any other.
    goal_size: str | None = "SMALL"
    size_requests: list[CompletionRequest] = field(default_factory=list)
    # The reply to the introduction call (drafter.bio), answered apart like the goal size;
    # "" (the default) is no usable introduction, so the rules write it; None: scripted.
    intro: str | None = ""
    bio_requests: list[CompletionRequest] = field(default_factory=list)
    # The fake servers call ``respond`` from several threads at once.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def respond(self, request: CompletionRequest) -> Completion:
        """The next scripted reply to ``request``, at once (a scripted error is raised).

        Synchronous, so that adapters serving this model over another interface can call it."""
        if (apart := self._apart(request)) is not None:
            text, log, prompt_tokens, completion_tokens = apart
            with self._lock:
                if self.record:
                    log.append(request)
            return Completion(text=text, model=self.model_id, finish_reason="stop",
                              prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                              seconds=0.01)
        with self._lock:
            if self.record:
                self.requests.append(request)
            if not self.replies:
                raise AssertionError("the scripted model ran out of replies")
            reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, DrafterError):
            raise reply
        text = reply(request) if callable(reply) else reply
        return Completion(text=text, model=self.model_id, finish_reason="stop",
                          prompt_tokens=100, completion_tokens=50, seconds=0.01)

    async def complete(self, request: CompletionRequest) -> Completion:
        # The delay is the script's: the replies answered apart come at once.
        if self.delay and self._apart(request) is None:
            await asyncio.sleep(self.delay)
        return self.respond(request)

    def _apart(self, request: CompletionRequest
               ) -> tuple[str, list[CompletionRequest], int, int] | None:
        """The reply, log and token counts of a short call answered apart from the script
        (the goal size, the introduction), or None for a scripted request."""
        if self.goal_size is not None and is_size_request(request):
            return self.goal_size, self.size_requests, 100, 1
        if self.intro is not None and is_bio_request(request):
            return self.intro, self.bio_requests, 60, 20
        return None


def line_number(request: CompletionRequest, containing: str) -> int:
    """The number of the evidence line containing ``containing`` in the prompt sent."""
    prompt = request.messages[1].content
    m = re.search(r"^\[(\d+)\] [^\n]*" + re.escape(containing), prompt, re.MULTILINE)
    if m is None:
        raise AssertionError(f"no evidence line contains {containing!r}")
    return int(m.group(1))


def first_line_number(request: CompletionRequest) -> int:
    """The number of the first evidence line in any message sent, or 1 if there is none (a
    request that is not a draft, such as a warm-up call)."""
    prompt = " ".join(m.content for m in request.messages)
    m = re.search(r"^\[(\d+)\] ", prompt, re.MULTILINE)
    return int(m.group(1)) if m else 1


def reply_json(quote_containing: str | None = EXAMPLE_LINE,
               **fields: str | int) -> Callable[[CompletionRequest], str]:
    """A valid draft reply that quotes the evidence line containing ``quote_containing``
    (found in the prompt; None: the first line). ``fields`` override any part of it."""

    def reply(request: CompletionRequest) -> str:
        if "quote" in fields:
            quote: str | int = fields["quote"]
        elif quote_containing is None:
            quote = first_line_number(request)
        else:
            quote = line_number(request, quote_containing)
        base: dict[str, str | int] = {
            "subject": "Skewed keys and groupby",
            "quote": quote,
            "reaction": "We have no such gate yet, and a slow release cost us a week last year.",
            "offer": "I can share our results from the new groupby on very skewed keys.",
            "ask": "How do you notice a slowdown when nobody files an issue?",
        }
        base.update(fields)
        keys = {"reaction": "why_it_matters_to_me", "offer": "what_i_can_give_you",
                "ask": "my_question"}
        return json.dumps({keys.get(k, k): v for k, v in base.items()})

    return reply
