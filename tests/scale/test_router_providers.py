"""A model pool (DRAFTER_ROUTER_CONFIG) over two real local OpenAI-compatible servers, end to
end through the real app: one deployment answers valid drafts, the other fails. Drafts keep
coming from the healthy one; the failing one is cooled down for every worker sharing the
Redis of DRAFTER_STATE_URL (counted at the servers: it sees one request, however many drafts
are made and by whichever worker); a 4xx is sent once and never retried nor passed on.

The servers are tests/hardening/provider.py's FakeProvider on 127.0.0.1 and a free port each.
A router file is the operator's, like DRAFTER_API_BASE, so it may name a local address; the
request-level SSRF rules (drafter.fetching) are not involved and stay as they are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from drafter.api.app import create_app
from drafter.config import Settings
from tests.hardening.provider import FakeProvider
from tests.scale.conftest import (
    free_port,
    opened,
    serve_workers,
    stop_serving,
    until_healthy,
)

MODEL = "openai/pool-model"
POOL = "router/pool"  # what a draft names as its model: the pool, whichever deployment wrote it


@pytest.fixture
def healthy() -> Iterator[FakeProvider]:
    with FakeProvider(always="ok") as p:
        yield p


@pytest.fixture
def failing() -> Iterator[FakeProvider]:
    with FakeProvider(always="status-500") as p:
        yield p


def pool_file(tmp_path: Path, *bases: str, fallback: str | None = None,
              state: str = "") -> Path:
    lines = ["deployments:"]
    lines += [f"  - model: {MODEL}\n    api_base: {base}" for base in bases]
    if fallback is not None:
        lines += ["fallbacks:", f"  - model: {MODEL}\n    api_base: {fallback}"]
    lines += ["retries: 2", "cooldown_s: 600", "allowed_fails: 0", state]
    path = tmp_path / "router.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def worker(path: Path, tmp_path: Path, state_url: str) -> Any:
    """One worker's app, built from the settings as `drafter serve` builds it (the real
    LiteLLMClient and its Router, no injected model)."""
    settings = Settings(router_config=path, state_url=SecretStr(state_url),
                        cache_dir=tmp_path / "cache", rate_limit_per_minute=0,
                        timeout_s=30, retry_backoff_s=0, max_repairs=1)
    return opened(create_app(settings))



async def draft(app: Any, example: dict[str, Any]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://t",
                                 timeout=60) as client:
        return await client.post("/v1/drafts", json=example)


async def drafts_until_the_failing_one_is_tried(app: Any, example: dict[str, Any],
                                                failing: FakeProvider) -> int:
    """Drafts on ``app`` until its Router has picked the failing deployment (at random, so
    within 40 drafts all but certainly: 2^-40); every draft is still a draft. Returns how
    many were made."""
    for made in range(1, 41):
        r = await draft(app, example)
        assert r.status_code == 200, r.text
        assert r.json()["model"] == POOL
        if failing.seen:
            return made
    pytest.fail("the Router never picked the failing deployment")


# A 429 cools a deployment down for its Retry-After, not the pool's cooldown_s: the fake's
# "status-429" says 1 s, which worker B's twelve drafts (two calls each: the goal's size read,
# then the draft) can outlast; a 429 that says 600 s tests the shared cooldown, not the clock.
@pytest.mark.parametrize("fault", ["status-500", "retry-after-600"])
async def test_threat_66_two_workers_on_one_redis_skip_the_failing_provider(
        fault: str, healthy: FakeProvider, failing: FakeProvider, tmp_path: Path,
        redis_url: str, example_data: dict[str, Any]) -> None:
    failing.always = fault
    path = pool_file(tmp_path, failing.url, healthy.url)
    worker_a, worker_b = (worker(path, tmp_path, redis_url),
                          worker(path, tmp_path, redis_url))
    made = await drafts_until_the_failing_one_is_tried(worker_a, example_data, failing)
    assert len(failing.seen) == 1  # found once, then cooled down (allowed_fails: 0)
    for _ in range(12):  # worker B, which has never called the failing provider itself
        r = await draft(worker_b, example_data)
        assert r.status_code == 200, r.text
        assert r.json()["model"] == POOL
        made += 1
    assert len(failing.seen) == 1  # worker B did not rediscover it: the cooldown is in Redis
    assert len(healthy.seen) >= made  # every draft was written by the healthy provider


async def test_without_redis_the_second_worker_rediscovers_the_failing_provider(
        healthy: FakeProvider, failing: FakeProvider, tmp_path: Path,
        example_data: dict[str, Any]) -> None:
    """The contrast that gives the test above its meaning: with memory:// each worker keeps
    its own cooldowns, and worker B calls the failing provider again."""
    path = pool_file(tmp_path, failing.url, healthy.url)
    worker_a, worker_b = (worker(path, tmp_path, "memory://"),
                          worker(path, tmp_path, "memory://"))
    await drafts_until_the_failing_one_is_tried(worker_a, example_data, failing)
    failing.seen.clear()
    await drafts_until_the_failing_one_is_tried(worker_b, example_data, failing)
    assert len(failing.seen) == 1


async def test_a_400_is_sent_once_neither_retried_nor_passed_to_the_fallback(
        healthy: FakeProvider, failing: FakeProvider, tmp_path: Path, redis_url: str,
        example_data: dict[str, Any]) -> None:
    failing.always = "status-400"
    path = pool_file(tmp_path, failing.url, fallback=healthy.url)
    r = await draft(worker(path, tmp_path, redis_url), example_data)
    assert r.status_code == 502, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "fake 400" not in r.text  # the provider's own message is never passed on
    assert len(failing.seen) == 1  # exactly one request: a 4xx is not retried
    assert healthy.seen == []  # nor sent to the fallback: it would refuse it too


async def test_a_500_is_retried_then_passed_to_the_fallback(
        healthy: FakeProvider, failing: FakeProvider, tmp_path: Path, redis_url: str,
        example_data: dict[str, Any]) -> None:
    """The other side of the test above: what a retry can cure is retried, then sent on."""
    path = pool_file(tmp_path, failing.url, fallback=healthy.url)
    r = await draft(worker(path, tmp_path, redis_url), example_data)
    assert r.status_code == 200, r.text
    assert len(failing.seen) >= 1 and len(healthy.seen) >= 1


def test_threat_66_serve_with_two_workers_keeps_drafting_past_a_failing_provider(
        healthy: FakeProvider, failing: FakeProvider, tmp_path: Path, redis_url: str,
        example_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """`drafter serve --workers 2`: two processes, each with its own Router, one Redis."""
    path = pool_file(tmp_path, failing.url, healthy.url)
    for name in ("DRAFTER_MODEL", "DRAFTER_API_KEYS", "DRAFTER_TRUSTED_PROXIES",
                 "DRAFTER_WORKERS", "DRAFTER_API_BASE", "DRAFTER_FALLBACK_MODEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"PYTHONPATH": str(Path(__file__).resolve().parents[2]),
                        "DRAFTER_ROUTER_CONFIG": str(path), "DRAFTER_STATE_URL": redis_url,
                        "DRAFTER_RATE_LIMIT_PER_MINUTE": "0", "DRAFTER_MAX_REPAIRS": "1",
                        "DRAFTER_CACHE_DIR": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(name, value)  # what the server and its workers read
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    server = serve_workers(port, log, workers=2)
    try:
        until_healthy(server, url, log)
        # A new connection per draft, so the kernel hands them to either worker.
        results = [httpx.post(url + "/v1/drafts", json=example_data, timeout=60)
                   for _ in range(30)]
    finally:
        stop_serving(server)
    assert [r.status_code for r in results] == [200] * 30, log.read_text()[-3000:]
    assert {r.json()["model"] for r in results} == {POOL}
    # Found failing at most once by the whole server (by whichever worker picked it first),
    # then skipped by both: far fewer requests than drafts.
    assert len(failing.seen) == 1
    assert len(healthy.seen) >= 30
