"""The embedded litellm provider hands the reply's schema and the decoding mode to the runtime,
and maps its output (text, finish reason, token counts) back: no llama.cpp needed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from drafter.config import Settings
from drafter.model.protocol import CompletionRequest
from drafter.model.registry import DEFAULT_MODEL
from drafter.model.runtime import ChatOutput
from drafter.types import Message

SCHEMA = {"type": "object", "properties": {"quote": {"type": "integer", "enum": [1, 2]}}}


class FakeRuntime:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def chat(self, messages: list[dict[str, str]], **kwargs: Any) -> ChatOutput:
        self.calls.append({"messages": messages, **kwargs})
        return ChatOutput(text='{"quote": 2}', finish_reason="stop", prompt_tokens=40,
                          completion_tokens=9, sampled_tokens=1)


@pytest.mark.parametrize("mode", ["guided", "grammar", "free"])
def test_the_schema_and_decoding_mode_reach_the_runtime(
        mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.model import litellm_client as llm

    runtime = FakeRuntime()
    monkeypatch.setattr(llm, "resolve_weights", lambda *_a, **_k: tmp_path / "m.gguf")
    monkeypatch.setattr(llm, "get_runtime", lambda *_a, **_k: runtime)
    settings = Settings(model=DEFAULT_MODEL, cache_dir=tmp_path,
                        embedded_decoding=mode)  # type: ignore[arg-type]
    client = llm.LiteLLMClient(settings)
    out = asyncio.run(client.complete(CompletionRequest(
        messages=(Message(role="system", content="s"), Message(role="user", content="u")),
        max_tokens=77, temperature=0.2, seed=5, json_schema=SCHEMA)))
    (call,) = runtime.calls
    assert call["json_schema"] == SCHEMA and call["decoding"] == mode
    assert (call["max_tokens"], call["temperature"], call["seed"]) == (77, 0.2, 5)
    assert [m["role"] for m in call["messages"]] == ["system", "user"]
    assert out.text == '{"quote": 2}' and out.finish_reason == "stop"
    assert (out.prompt_tokens, out.completion_tokens) == (40, 9)


def test_an_unknown_decoding_mode_is_a_settings_error() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="embedded_decoding"):
        Settings(embedded_decoding="fast")  # type: ignore[arg-type]


def test_our_errors_from_the_runtime_are_not_turned_into_unreachable_and_retried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """litellm wraps whatever a custom provider raises as a connection error; a bad model file
    must still say so (and not be retried as if the network were down)."""
    from drafter.errors import ModelIntegrityError
    from drafter.model import litellm_client as llm

    calls: list[int] = []

    class Broken:
        def chat(self, *_a: Any, **_k: Any) -> ChatOutput:
            calls.append(1)
            raise ModelIntegrityError("the model file fails its sha256: delete it")

    monkeypatch.setattr(llm, "resolve_weights", lambda *_a, **_k: tmp_path / "m.gguf")
    monkeypatch.setattr(llm, "get_runtime", lambda *_a, **_k: Broken())
    client = llm.LiteLLMClient(Settings(model=DEFAULT_MODEL, cache_dir=tmp_path))
    with pytest.raises(ModelIntegrityError, match="sha256"):
        asyncio.run(client.complete(CompletionRequest(
            messages=(Message(role="user", content="u"),))))
    assert calls == [1]


def test_threat_38_a_caller_whose_deadline_passed_while_waiting_for_the_lock_evaluates_nothing(
        ) -> None:
    import threading
    import time

    from drafter.model.runtime import EmbeddedRuntime

    class Untouchable:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"the model was used ({name}) after the deadline")

    runtime = object.__new__(EmbeddedRuntime)  # no weights: only the lock and the checks
    runtime._lock = threading.Lock()
    runtime._llama = Untouchable()
    runtime._llama_cpp = Untouchable()
    runtime._formatter = Untouchable()
    runtime._state_dir = None
    runtime._grammars = {}
    out = runtime.chat([{"role": "user", "content": "hi"}], max_tokens=20, temperature=0.0,
                       seed=1, json_schema=SCHEMA, deadline=time.monotonic() - 1)
    assert out.finish_reason == "deadline" and out.text == ""


def _prefix(messages: list[dict[str, str]]) -> str:
    """What the runtime keeps as the cached prefix of ``messages``, rendered as a stand-in chat
    template whose tokens are the UTF-8 bytes."""
    from types import SimpleNamespace

    from drafter.model.runtime import EmbeddedRuntime

    prompt = "".join(f"<|{m['role']}|>{m['content']}" for m in messages) + "<|assistant|>"
    fake = SimpleNamespace(_prompt_tokens=lambda text: list(text.encode()))
    tokens = EmbeddedRuntime._shared_prefix(fake, messages, prompt,  # type: ignore[arg-type]
                                            list(prompt.encode()))
    return bytes(tokens).decode()


def test_worked_examples_are_part_of_the_cached_prefix_and_a_repair_is_not() -> None:
    system = {"role": "system", "content": "Reply BIG or SMALL."}
    shots = [{"role": "user", "content": "Goal: intro me to your investors"},
             {"role": "assistant", "content": "BIG"}]
    goal = {"role": "user", "content": "Goal: one question about your post"}
    kept = _prefix([system, *shots, goal])
    assert kept.endswith("<|assistant|>BIG<|user|") and goal["content"] not in kept
    draft = {"role": "user", "content": "Write the draft from this evidence ..."}
    reply = {"role": "assistant", "content": '{"subject": "A long draft reply", "quote": 3}'}
    repair = {"role": "user", "content": "Fix: the quote is not in the work."}
    kept = _prefix([system, draft, reply, repair])
    assert kept == "<|system|>Reply BIG or SMALL.<|user|"  # the system part only
    assert _prefix([system, draft]) == kept
    # Examples answered in sentences (the introduction call) are fixed too.
    intro_shots = [{"role": "user", "content": "Notes: ex-nurse, doula"},
                   {"role": "assistant", "content": "I'm Ama, a former nurse and now a doula."},
                   {"role": "user", "content": "Notes: runs a print shop w sister"},
                   {"role": "assistant", "content": "I'm Kim. I run a print shop with my sister."}]
    notes = {"role": "user", "content": "Notes: retired, museum volunteer"}
    kept = _prefix([system, *intro_shots, notes])
    assert kept.endswith("with my sister.<|user|") and notes["content"] not in kept
