"""Threats 22-29: provider faults, through litellm to a fake OpenAI-compatible server on
127.0.0.1 (``openai/<action>`` picks the fault; see tests/hardening/provider.py)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from drafter.api.app import create_app
from drafter.config import Settings
from drafter.errors import ConfigError, ModelError, ModelRefused, ModelUnavailable
from drafter.model.litellm_client import LiteLLMClient
from drafter.model.protocol import CompletionRequest
from drafter.model.testing import ScriptedModel, reply_json
from drafter.prompts import goal_size_prefix
from drafter.types import Message
from tests.hardening.provider import FakeProvider

KEY = "sk-live-SECRET-0123456789abcdef"
ASK = CompletionRequest(messages=(Message(role="user", content="hi"),), max_tokens=64)


def settings_for(provider: FakeProvider, action: str, tmp_path: Any, **extra: Any) -> Settings:
    values: dict[str, Any] = {"model": f"openai/{action}", "api_base": provider.url,
                              "api_key": SecretStr(KEY), "timeout_s": 3.0,
                              "cache_dir": tmp_path, "max_repairs": 1,
                              "retry_backoff_s": 0.05}
    return Settings(**(values | extra))


def draft_calls(provider: FakeProvider) -> list[dict[str, Any]]:
    """The bodies the provider got, but the goal's size read that comes before every draft."""
    size = goal_size_prefix()[0].content
    return [b for b in provider.seen if b["messages"][0]["content"] != size]


def api(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


@pytest.mark.parametrize("reply", [
    "Sure! Dear Dana, I loved your post...",
    '```json\n{"subject": "Groupby", "quote": 1\n```',
    '{"subject": "Groupby", "quote": 1, "why_it_matters_to_me": "We',
    '{"subject": 5, "quote": "first", "why_it_matters_to_me": [], "what_i_can_give_you": 1,'
    ' "my_question": null}',
])
def test_threat_22_invalid_json_repaired_then_502(
        reply: str, provider: FakeProvider, tmp_path: Any, example_data: dict[str, Any]) -> None:
    provider.model = ScriptedModel([reply])
    r = api(settings_for(provider, "ok", tmp_path)).post("/v1/drafts", json=example_data)
    assert r.status_code == 502, r.text
    assert r.json()["type"] == "urn:drafter:problem:invalid-model-output"
    assert len(draft_calls(provider)) == 2  # one bounded repair
    assert reply[:20] not in r.text


def test_threat_22_json_in_prose_is_accepted(provider: FakeProvider, tmp_path: Any,
                                             example_data: dict[str, Any]) -> None:
    valid = reply_json(None)
    provider.model = ScriptedModel([lambda request: f"Here it is:\n```json\n{valid(request)}\n```"])
    r = api(settings_for(provider, "ok", tmp_path)).post("/v1/drafts", json=example_data)
    assert r.status_code == 200, r.text
    assert len(draft_calls(provider)) == 1


@pytest.mark.parametrize("action", ["hang", "delay-5"])
def test_threat_23_hanging_provider_is_504_within_the_deadline(
        action: str, provider: FakeProvider, tmp_path: Any,
        example_data: dict[str, Any]) -> None:
    started = time.monotonic()
    r = api(settings_for(provider, action, tmp_path, timeout_s=1.0)).post(
        "/v1/drafts", json=example_data)
    assert r.status_code == 504
    assert r.json()["type"] == "urn:drafter:problem:model-timeout"
    assert time.monotonic() - started < 2.5


def test_threat_24_retry_after_that_fits_is_honoured(provider: FakeProvider,
                                                      tmp_path: Any) -> None:
    provider.script = ["retry-after-0.3", "ok"]
    client = LiteLLMClient(settings_for(provider, "ok", tmp_path))
    started = time.monotonic()
    reply = _run(client.complete(ASK))
    assert json.loads(reply.text)["quote"] == 1
    assert len(provider.seen) == 2 and time.monotonic() - started >= 0.3


def test_threat_24_retry_after_beyond_the_deadline_is_429_with_retry_after(
        provider: FakeProvider, tmp_path: Any, example_data: dict[str, Any]) -> None:
    r = api(settings_for(provider, "retry-after-30", tmp_path)).post(
        "/v1/drafts", json=example_data)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "30"
    assert len(provider.seen) == 1  # waiting 30 s would break the 3 s deadline: no retry


@pytest.mark.parametrize("action", ["status-500", "status-502", "status-503"])
def test_threat_25_server_errors_retry_then_fallback(action: str, provider: FakeProvider,
                                                     tmp_path: Any) -> None:
    s = settings_for(provider, action, tmp_path, fallback_model="openai/ok")
    reply = _run(LiteLLMClient(s, max_retries=2).complete(ASK))
    assert reply.model == "openai/ok"
    assert [b["model"] for b in provider.seen] == [action.removeprefix("")] * 3 + ["ok"]


def test_threat_25_server_errors_without_fallback_are_502(
        provider: FakeProvider, tmp_path: Any, example_data: dict[str, Any]) -> None:
    r = api(settings_for(provider, "status-500", tmp_path)).post(
        "/v1/drafts", json=example_data)
    assert r.status_code == 502
    assert r.json()["type"] == "urn:drafter:problem:provider-error"
    assert 2 <= len(provider.seen) <= 3  # bounded retries, within the deadline


@pytest.mark.parametrize(("status", "kind"), [
    (400, ModelError), (401, ConfigError), (403, ConfigError), (404, ConfigError)])
def test_threat_25_client_errors_are_never_retried(status: int, kind: type[Exception],
                                                   provider: FakeProvider,
                                                   tmp_path: Any) -> None:
    s = settings_for(provider, f"status-{status}", tmp_path, fallback_model="openai/ok")
    with pytest.raises(kind) as info:
        _run(LiteLLMClient(s).complete(ASK))
    assert not isinstance(info.value, ModelUnavailable)
    assert len(provider.seen) == 1  # no retry, and no fallback either


@pytest.mark.parametrize("action", ["content-filter", "content-policy"])
def test_threat_26_content_filter_is_a_refusal_never_an_empty_draft(
        action: str, provider: FakeProvider, tmp_path: Any,
        example_data: dict[str, Any]) -> None:
    r = api(settings_for(provider, action, tmp_path)).post("/v1/drafts", json=example_data)
    assert r.status_code == 502
    assert r.json()["type"] == "urn:drafter:problem:refused-by-provider"
    assert "safety system" not in r.text


def test_threat_26_content_filter_raises_model_refused(provider: FakeProvider,
                                                       tmp_path: Any) -> None:
    with pytest.raises(ModelRefused):
        _run(LiteLLMClient(settings_for(provider, "content-filter", tmp_path)).complete(ASK))


def test_threat_27_polite_refusal_in_valid_json_is_reported(
        provider: FakeProvider, tmp_path: Any, example_data: dict[str, Any]) -> None:
    refusal = json.dumps({"subject": "Sorry", "quote": 1,
                          "why_it_matters_to_me": "I'm sorry, but I can't help with that.",
                          "what_i_can_give_you": "Nothing.", "my_question": "Anything else?"})
    provider.model = ScriptedModel([refusal])
    r = api(settings_for(provider, "ok", tmp_path)).post("/v1/drafts", json=example_data)
    assert r.status_code == 502
    assert r.json()["type"] == "urn:drafter:problem:refused-by-provider"


@pytest.mark.parametrize(("action", "status"), [
    ("reset", {502, 503}), ("empty-choices", 503), ("badjson", {502, 503})])
def test_threat_28_broken_responses_are_mapped_errors_not_500(
        action: str, status: int | set[int], provider: FakeProvider, tmp_path: Any,
        example_data: dict[str, Any]) -> None:
    r = api(settings_for(provider, action, tmp_path, timeout_s=2.0)).post(
        "/v1/drafts", json=example_data)
    assert r.status_code in (status if isinstance(status, set) else {status}), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in r.text


def test_threat_28_missing_usage_is_zero_tokens_not_a_keyerror(
        provider: FakeProvider, tmp_path: Any, example_data: dict[str, Any]) -> None:
    r = api(settings_for(provider, "no-usage", tmp_path)).post("/v1/drafts", json=example_data)
    assert r.status_code == 200, r.text
    assert r.json()["usage"]["prompt_tokens"] == 0


def test_threat_29_provider_error_with_the_key_leaks_it_nowhere(
        provider: FakeProvider, tmp_path: Any, example_data: dict[str, Any],
        json_logs: Any) -> None:
    r = api(settings_for(provider, "leak-key", tmp_path)).post("/v1/drafts", json=example_data)
    assert len(provider.seen) == 1 and r.status_code == 503
    assert KEY not in r.text and KEY not in str(r.headers)
    logs = json_logs.getvalue()
    assert '"error_type": "configuration-error"' in logs
    assert KEY not in logs and KEY[-12:] not in logs


def _run(coro: Any) -> Any:
    import asyncio

    return asyncio.run(coro)


def test_threat_24_respx_sees_the_retry_and_the_key_goes_only_to_api_base(
        litellm_on_httpx: Any, tmp_path: Any) -> None:
    import httpx
    import respx

    ok = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
          "choices": [{"index": 0, "finish_reason": "stop",
                       "message": {"role": "assistant", "content": "hello"}}]}
    with respx.mock(assert_all_mocked=True, assert_all_called=True) as router:
        route = router.post("http://provider.test/v1/chat/completions").mock(side_effect=[
            httpx.Response(429, headers={"Retry-After": "0.1"}, json={"error": {}}),
            httpx.Response(200, json=ok)])
        s = Settings(model="openai/m", api_base="http://provider.test/v1",
                     api_key=SecretStr(KEY), timeout_s=3, cache_dir=tmp_path)
        reply = _run(LiteLLMClient(s).complete(ASK))
    assert reply.text == "hello" and route.call_count == 2
    assert {c.request.headers["authorization"] for c in route.calls} == {f"Bearer {KEY}"}
