"""A pool of model deployments through a litellm Router (DRAFTER_ROUTER_CONFIG): a failing
deployment falls back to the next one, only retryable errors are retried, a failing deployment
is cooled down for every worker sharing the Redis of DRAFTER_STATE_URL, and the file is
validated with errors naming it and the field (docs/design/threats.md case 66)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

from drafter.config import Settings
from drafter.errors import ConfigError, ModelError, ModelUnavailable
from drafter.model.protocol import CompletionRequest
from drafter.types import Message
from tests.scale.conftest import RedisServer

BAD = "http://bad.test/v1"
GOOD = "http://good.test/v1"
REQUEST = CompletionRequest(messages=(Message(role="user", content="draft it"),),
                            json_schema={"type": "object"})


def reply(text: str) -> httpx.Response:
    return httpx.Response(200, json={
        "id": "c1", "object": "chat.completion", "created": 1, "model": "served",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}})


def failing(status: int) -> httpx.Response:
    return httpx.Response(status, json={"error": {"message": "upstream says no",
                                                  "type": "server_error"}})


def router_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "router.yaml"
    path.write_text(text)
    return path


_CLIENTS: list[Any] = []


def client_for(path: Path, state_url: str = "memory://", **extra: Any) -> Any:
    from drafter.model.litellm_client import LiteLLMClient

    client = LiteLLMClient(Settings(router_config=path, state_url=SecretStr(state_url),
                                    timeout_s=20, retry_backoff_s=0, **extra))
    _CLIENTS.append(client)
    return client


@pytest.fixture(autouse=True)
async def _clients_closed() -> Any:
    """What the app does when it stops: the Routers' Redis connections are closed."""
    yield
    while _CLIENTS:
        await _CLIENTS.pop().aclose()


@pytest.fixture
def mock(litellm_on_httpx: Any) -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as m:
        yield m


FALLBACK = f"""
deployments:
  - model: openai/first-model
    api_base: {BAD}
    api_key_env: DRAFTER_TEST_KEY_A
fallbacks:
  - model: openai/second-model
    api_base: {GOOD}
    api_key_env: DRAFTER_TEST_KEY_B
retries: 1
cooldown_s: 60
allowed_fails: 0
"""


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_TEST_KEY_A", "sk-first-SECRET-1")
    monkeypatch.setenv("DRAFTER_TEST_KEY_B", "sk-second-SECRET-2")


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_a_first_deployment_that_fails_falls_back_to_the_second(
        status: int, tmp_path: Path, mock: respx.MockRouter, keys: None) -> None:
    bad = mock.post(f"{BAD}/chat/completions").mock(return_value=failing(status))
    good = mock.post(f"{GOOD}/chat/completions").mock(return_value=reply('{"ok": 1}'))
    client = client_for(router_file(tmp_path, FALLBACK))
    assert client.model_id == "router/pool"
    completion = await client.complete(REQUEST)
    assert completion.text == '{"ok": 1}'
    assert completion.model == "openai/second-model"  # the deployment that answered
    assert bad.called and good.call_count == 1
    # Each deployment got its own key, from the variable the file names.
    assert bad.calls[0].request.headers["authorization"] == "Bearer sk-first-SECRET-1"
    assert good.calls[0].request.headers["authorization"] == "Bearer sk-second-SECRET-2"


@pytest.mark.parametrize("status", [400, 401, 404])
async def test_a_4xx_is_neither_retried_nor_sent_to_the_fallback(
        status: int, tmp_path: Path, mock: respx.MockRouter, keys: None) -> None:
    bad = mock.post(f"{BAD}/chat/completions").mock(return_value=failing(status))
    good = mock.post(f"{GOOD}/chat/completions").mock(return_value=reply("{}"))
    client = client_for(router_file(tmp_path, FALLBACK))
    with pytest.raises((ModelError, ConfigError)) as failed:
        await client.complete(REQUEST)
    assert not isinstance(failed.value, ModelUnavailable)
    assert bad.call_count == 1 and not good.called


async def test_a_pool_that_cannot_answer_and_no_fallback_is_unavailable(
        tmp_path: Path, mock: respx.MockRouter) -> None:
    bad = mock.post(f"{BAD}/chat/completions").mock(return_value=failing(503))
    path = router_file(tmp_path, f"deployments:\n  - model: openai/m\n    api_base: {BAD}\n"
                                 "retries: 2\n")
    with pytest.raises(ModelUnavailable):
        await client_for(path).complete(REQUEST)
    assert bad.call_count == 3  # the first try and two retries: a 5xx is retryable


POOL = f"""
deployments:
  - model: openai/pool-model
    api_base: {BAD}
  - model: openai/pool-model
    api_base: {GOOD}
retries: 2
cooldown_s: 600
allowed_fails: 0
"""


async def _drafts_until_the_bad_one_is_tried(client: Any, bad: respx.Route) -> None:
    # The Router spreads requests at random: within 60 drafts it picks the failing one
    # (all but certainly: 2^-60); each of them is still answered by the healthy one.
    for _ in range(60):
        assert (await client.complete(REQUEST)).model == "openai/pool-model"
        if bad.called:
            return
    pytest.fail("the Router never picked the first deployment")


async def test_threat_66_a_failing_deployment_is_cooled_down_for_every_worker_sharing_redis(
        tmp_path: Path, mock: respx.MockRouter, redis_server: RedisServer, redis_url: str,
        json_logs: io.StringIO) -> None:
    bad = mock.post(f"{BAD}/chat/completions").mock(return_value=failing(500))
    good = mock.post(f"{GOOD}/chat/completions").mock(return_value=reply("{}"))
    path = router_file(tmp_path, POOL)
    worker_a, worker_b = client_for(path, redis_url), client_for(path, redis_url)
    await _drafts_until_the_bad_one_is_tried(worker_a, bad)
    assert bad.call_count == 1
    drafted = [await worker_b.complete(REQUEST) for _ in range(12)]
    assert redis_server.password not in json_logs.getvalue()  # threat 63: never in logs
    assert all(c.text == "{}" for c in drafted)  # drafts keep coming from the healthy one
    assert bad.call_count == 1  # worker B never tried it: the cooldown is in Redis
    assert good.call_count >= 13


async def test_without_redis_each_worker_finds_the_failing_deployment_itself(
        tmp_path: Path, mock: respx.MockRouter) -> None:
    """The contrast that makes the test above mean something: in memory, worker B does not
    know what worker A found, and tries the failing deployment again."""
    bad = mock.post(f"{BAD}/chat/completions").mock(return_value=failing(500))
    mock.post(f"{GOOD}/chat/completions").mock(return_value=reply("{}"))
    path = router_file(tmp_path, POOL)
    worker_a, worker_b = client_for(path), client_for(path)
    await _drafts_until_the_bad_one_is_tried(worker_a, bad)
    bad.reset()
    await _drafts_until_the_bad_one_is_tried(worker_b, bad)
    assert bad.call_count == 1


# --- the file ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ("deployments: []\n", ["deployments", "at least 1"]),
    ("fallbacks: []\n", ["deployments", "required"]),
    ("deployments:\n  - api_base: http://x\n", ["deployments.0.model", "required"]),
    ("deployments:\n  - model: openai/m\n    key: sk-inline\n", ["deployments.0.key",
                                                                  "not permitted"]),
    ("deployments:\n  - model: openai/m\nretries: 9\n", ["retries", "less than or equal"]),
    ("deployments:\n  - model: embedded/qwen2.5-1.5b\n", ["deployments.0.model",
                                                          "llama.cpp's server"]),
    ("deployments:\n  - model: openai/m\n    api_base: ftp://x\n", ["deployments.0.api_base"]),
    ("deployments: [\n", ["not valid YAML", "line"]),
    ("- just a list\n", ["mapping", "deployments"]),
])
def test_an_invalid_router_file_names_the_file_and_the_field(
        text: str, words: list[str], tmp_path: Path) -> None:
    path = router_file(tmp_path, text)
    with pytest.raises(ConfigError) as refused:
        client_for(path)
    assert "DRAFTER_ROUTER_CONFIG" in refused.value.detail and str(path) in refused.value.detail
    for word in words:
        assert word in refused.value.detail, refused.value.detail
    assert "sk-inline" not in refused.value.detail  # values are never echoed


def test_a_missing_router_file_or_key_variable_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        client_for(tmp_path / "nowhere.yaml")
    monkeypatch.delenv("DRAFTER_TEST_KEY_A", raising=False)
    monkeypatch.setenv("DRAFTER_TEST_KEY_B", "x")
    with pytest.raises(ConfigError, match="DRAFTER_TEST_KEY_A, which is not set"):
        client_for(router_file(tmp_path, FALLBACK))


def test_the_pool_is_the_model_and_drafter_model_beside_it_is_refused(tmp_path: Path) -> None:
    path = router_file(tmp_path, POOL)
    assert Settings(router_config=path).model == "router/pool"
    with pytest.raises(ConfigError, match="DRAFTER_MODEL and DRAFTER_ROUTER_CONFIG"):
        client_for(path, model="openai/gpt-4o-mini")
    with pytest.raises(ConfigError, match="fallbacks"):
        client_for(path, fallback_model="openai/gpt-4o-mini")


async def test_threat_66_router_keys_never_reach_logs_or_errors(
        tmp_path: Path, mock: respx.MockRouter, keys: None, json_logs: io.StringIO) -> None:
    mock.post(f"{BAD}/chat/completions").mock(return_value=failing(401))
    with pytest.raises(ConfigError) as failed:
        await client_for(router_file(tmp_path, FALLBACK)).complete(REQUEST)
    assert "SECRET" not in failed.value.detail and "upstream says no" not in failed.value.detail
    written = json_logs.getvalue()
    assert "model call failed" in written
    assert "SECRET" not in written and "upstream says no" not in written


def test_serve_takes_several_workers_with_a_pool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from drafter.cli import main

    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: runs.append(kwargs))
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)
    monkeypatch.delenv("DRAFTER_MODEL", raising=False)
    monkeypatch.setenv("DRAFTER_ROUTER_CONFIG", str(router_file(tmp_path, POOL)))
    assert main(["serve", "--port", "0", "--workers", "2"]) == 0
    assert runs[0]["workers"] == 2


def test_serve_refuses_to_start_on_an_invalid_router_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from drafter.cli import main

    runs: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: runs.append(app))
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)
    monkeypatch.delenv("DRAFTER_MODEL", raising=False)
    path = router_file(tmp_path, "deployments:\n  - model: openai/m\n    retries: 2\n")
    monkeypatch.setenv("DRAFTER_ROUTER_CONFIG", str(path))
    assert main(["serve", "--port", "0"]) == 3
    assert runs == []
    err = capsys.readouterr().err
    assert str(path) in err and "deployments.0.retries" in err
