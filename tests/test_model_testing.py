"""The one fake model (drafter.model.testing) does what the tests, benchmarks and load test
rely on: scripted replies in order, failures, recorded requests, latency."""

from __future__ import annotations

import json
import time

import pytest

from drafter.errors import ModelUnavailable
from drafter.model.protocol import CompletionRequest
from drafter.model.testing import EXAMPLE_LINE, ScriptedModel, reply_json
from drafter.types import Message

DRAFT = CompletionRequest(messages=(
    Message(role="system", content="Write one message."),
    Message(role="user", content=f"Lines:\n[1] Hello there.\n[2] {EXAMPLE_LINE}, truly.\n")))


async def test_replies_come_in_order_and_the_last_repeats() -> None:
    model = ScriptedModel(["one", ModelUnavailable("down"), "last"])
    assert (await model.complete(DRAFT)).text == "one"
    with pytest.raises(ModelUnavailable):
        await model.complete(DRAFT)
    assert [(await model.complete(DRAFT)).text for _ in range(2)] == ["last", "last"]
    assert model.requests == [DRAFT] * 4


async def test_long_runs_record_nothing_and_a_delay_is_waited() -> None:
    model = ScriptedModel(["ok"], record=False, delay=0.05)
    started = time.monotonic()
    reply = await model.complete(DRAFT)
    assert time.monotonic() - started >= 0.05 and model.requests == []
    assert (reply.text, reply.model, reply.prompt_tokens) == ("ok", "fake/scripted", 100)


def test_reply_json_quotes_the_line_it_is_told_or_the_first() -> None:
    assert json.loads(reply_json()(DRAFT))["quote"] == 2
    assert json.loads(reply_json(None)(DRAFT))["quote"] == 1
    written = json.loads(reply_json(quote=7, ask="Why?")(DRAFT))
    assert (written["quote"], written["my_question"]) == (7, "Why?")
    assert list(written) == ["subject", "quote", "why_it_matters_to_me", "what_i_can_give_you",
                             "my_question"]
