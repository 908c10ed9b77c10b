"""Rate limits through the ``limits`` library, in memory (one process) and in a real Redis
(shared by every worker and replica), behind DRAFTER_STATE_URL; docs/design/threats.md cases
61-63 (the store's password never shown; a store that is down never lets a request through
uncounted nor answers with a traceback; one budget across workers and replicas)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from drafter.api.app import create_app
from drafter.api.ratelimits import Limit, SharedLimits
from drafter.config import Settings
from drafter.errors import ConfigError, StateUnavailable
from drafter.model.testing import ScriptedModel, reply_json
from tests.scale.conftest import (
    RedisServer,
    free_port,
    opened,
    serve_workers,
    stop_serving,
    until_healthy,
)

BODY = {"message": "Hi! Could you tell me how you benchmark groupby?"}
ROOT = Path(__file__).resolve().parents[2]


def app_for(tmp_path: Path, state_url: str, **extra: Any) -> Any:
    settings = Settings(model="fake/scripted", cache_dir=tmp_path,
                        state_url=SecretStr(state_url), **extra)
    return opened(create_app(settings, client=ScriptedModel([reply_json()])))



async def post(app: Any, address: str = "203.0.113.7", **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(address, 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post("/v1/score", json=BODY, headers=headers)


# --- memory:// (the default): one process ---------------------------------------------------

async def test_threat_20_the_limit_refuses_past_the_burst_and_refills_after_its_window(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import limits.aio.storage.memory as memory

    now = [1000.0]
    clock = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(memory, "time", clock)
    monkeypatch.setattr("drafter.api.ratelimits.time", clock)
    shared = SharedLimits(Settings(model="fake/scripted"))
    limit = Limit("requests", per_minute=60, burst=2)  # 2 in any 2 s
    assert await shared.take(limit, "key:a") is None
    assert await shared.take(limit, "key:a") is None
    wait = await shared.take(limit, "key:a")
    assert wait is not None and 1 <= wait <= 2
    assert await shared.take(limit, "key:b") is None  # another client has its own budget
    now[0] += 2.5
    assert await shared.take(limit, "key:a") is None  # the window moved on


async def test_the_default_store_is_memory_and_each_app_has_its_own(tmp_path: Path) -> None:
    assert Settings().state_url.get_secret_value() == "memory://"
    a = app_for(tmp_path, "memory://", rate_limit_per_minute=2, rate_limit_burst=2)
    b = app_for(tmp_path, "memory://", rate_limit_per_minute=2, rate_limit_burst=2)
    codes = [(await post(app)).status_code for app in (a, a, a, b)]
    assert codes == [200, 200, 429, 200]


@pytest.mark.parametrize("url", ["http://user:hunter2@cache:6379", "hunter2", "redis-x://a"])
def test_threat_63_a_state_url_of_another_kind_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        SharedLimits(Settings(state_url=SecretStr(url)))
    assert "DRAFTER_STATE_URL" in refused.value.detail
    assert "hunter2" not in refused.value.detail


def test_threat_63_settings_never_print_the_state_urls_password() -> None:
    s = Settings(state_url=SecretStr("redis://:hunter2@cache:6379/0"))
    assert "hunter2" not in repr(s) and "hunter2" not in str(s.model_dump())


# --- redis://: shared by every worker and replica ---------------------------------------------

async def test_threat_65_two_apps_sharing_one_redis_share_one_clients_budget(
        tmp_path: Path, redis_url: str) -> None:
    limit = 3
    a = app_for(tmp_path, redis_url, rate_limit_per_minute=limit, rate_limit_burst=limit)
    b = app_for(tmp_path, redis_url, rate_limit_per_minute=limit, rate_limit_burst=limit)
    rs = [await post((a, b)[i % 2]) for i in range(3 * limit)]
    assert [r.status_code for r in rs].count(200) == limit
    refused = [r for r in rs if r.status_code == 429]
    assert len(refused) == 2 * limit
    assert all(r.headers["content-type"].startswith("application/problem+json")
               and r.json()["type"] == "urn:drafter:problem:rate-limited"
               and 1 <= int(r.headers["retry-after"]) <= 60 for r in refused)
    assert (await post(b, "198.51.100.9")).status_code == 200  # another client, its own
    # A restarted worker (a new app on the same Redis) still counts what was spent.
    restarted = app_for(tmp_path, redis_url, rate_limit_per_minute=limit,
                        rate_limit_burst=limit)
    assert (await post(restarted)).status_code == 429


async def test_threat_65_wrong_keys_are_counted_across_apps_sharing_redis(
        tmp_path: Path, redis_url: str) -> None:
    keyed = {"api_keys": SecretStr("right-key"), "rate_limit_per_minute": 0,
             "auth_failures_per_minute": 4}
    a, b = app_for(tmp_path, redis_url, **keyed), app_for(tmp_path, redis_url, **keyed)
    codes = [(await post(app, **{"X-API-Key": f"guess-{i}"})).status_code
             for i in range(4) for app in (a, b)]
    assert codes[:4] == [401] * 4 and set(codes[4:]) == {429}
    assert (await post(a, **{"X-API-Key": "right-key"})).status_code == 429
    assert (await post(b, "198.51.100.9", **{"X-API-Key": "right-key"})).status_code == 200


def test_threat_65_serve_with_two_workers_holds_the_limit_across_them_and_a_restart(
        redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 4
    for name, value in {"PYTHONPATH": str(ROOT), "DRAFTER_MODEL": "openai/gpt-4o-mini",
                        "DRAFTER_STATE_URL": redis_url,
                        "DRAFTER_RATE_LIMIT_PER_MINUTE": str(limit),
                        "DRAFTER_RATE_LIMIT_BURST": str(limit),
                        "DRAFTER_CACHE_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)  # what the server and its workers read
    for name in ("DRAFTER_API_KEYS", "DRAFTER_TRUSTED_PROXIES", "DRAFTER_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    server = serve_workers(port, log)
    try:
        until_healthy(server, url, log)
        # A new connection per request, so the kernel hands them to either worker.
        codes = [httpx.post(url + "/v1/score", json=BODY, timeout=30).status_code
                 for _ in range(3 * limit)]
    finally:
        stop_serving(server)
    assert codes.count(200) == limit and codes.count(429) == 2 * limit
    server = serve_workers(port, log)  # every worker restarted: the budget is still spent
    try:
        until_healthy(server, url, log)
        assert httpx.post(url + "/v1/score", json=BODY, timeout=30).status_code == 429
    finally:
        stop_serving(server)


# --- a Redis that is down ----------------------------------------------------------------------

async def test_threat_64_a_redis_that_is_down_is_a_503_problem_not_a_traceback(
        tmp_path: Path, json_logs: io.StringIO) -> None:
    down = f"redis://:hunter2-secret@127.0.0.1:{free_port()}/0"
    app = app_for(tmp_path, down)
    r = await post(app)
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"] == "urn:drafter:problem:state-unavailable"
    assert "retry" in body["detail"] and int(r.headers["retry-after"]) >= 1
    keyed = app_for(tmp_path, down, api_keys=SecretStr("k"))  # the failed-key limit too
    assert (await post(keyed, **{"X-API-Key": "wrong"})).status_code == 503
    assert "hunter2" not in r.text
    written = json_logs.getvalue()
    assert "state-unavailable" in written
    assert "hunter2" not in written and "Traceback" not in written


def test_threat_64_serve_refuses_to_start_on_a_redis_that_is_down(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from drafter.cli import main

    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(a))
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)
    monkeypatch.setenv("DRAFTER_MODEL", "openai/gpt-4o-mini")
    monkeypatch.setenv("DRAFTER_STATE_URL", f"redis://:hunter2-secret@127.0.0.1:{free_port()}")
    assert main(["serve", "--port", "0"]) == 3
    assert started == []
    err = capsys.readouterr().err
    assert "DRAFTER_STATE_URL" in err and "cannot be reached" in err
    assert "hunter2" not in err and "Traceback" not in err


def test_threat_63_serve_starts_on_a_live_redis_and_a_wrong_password_is_named(
        redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from drafter.cli import main

    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(a))
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)
    monkeypatch.setenv("DRAFTER_MODEL", "openai/gpt-4o-mini")
    monkeypatch.setenv("DRAFTER_STATE_URL", redis_server.url())
    assert main(["serve", "--port", "0"]) == 0 and len(started) == 1
    monkeypatch.setenv("DRAFTER_STATE_URL",
                       f"redis://:wrong-hunter2@127.0.0.1:{redis_server.port}/0")
    assert main(["serve", "--port", "0"]) == 3 and len(started) == 1
    err = capsys.readouterr().err
    assert "password" in err and "hunter2" not in err and redis_server.password not in err


async def test_a_store_that_fails_is_state_unavailable(tmp_path: Path) -> None:
    shared = SharedLimits(Settings(state_url=SecretStr(f"redis://127.0.0.1:{free_port()}")))
    with pytest.raises(StateUnavailable) as down:
        await shared.take(Limit("requests", 60, 10), "ip:x")
    assert down.value.http_status == 503 and down.value.retry_after
    assert json.dumps(down.value.detail)  # a plain message
