"""docs/design/threats.md cases 36, 41 and 42: slow clients (slowloris) cannot hold the server
(the body must arrive within a deadline, 408; ``drafter serve`` caps connections and idle
time), ``drafter serve`` will not expose an open API beyond loopback by accident, and API keys
cannot be guessed at speed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from drafter.api.app import create_app
from drafter.config import Settings
from drafter.model.testing import ScriptedModel, reply_json


async def test_threat_36_a_body_that_never_finishes_gets_408(tmp_path: Path) -> None:
    app = create_app(Settings(model="fake/scripted", cache_dir=tmp_path, body_timeout_s=0.2),
                     client=ScriptedModel([reply_json()]))
    sent: list[dict[str, Any]] = []
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:  # one byte, then nothing more: a drip
            first = False
            return {"type": "http.request", "body": b"{", "more_body": True}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/score", "raw_path": b"/v1/score",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "headers": [(b"content-type", b"application/json"), (b"host", b"t")],
             "client": ("127.0.0.1", 1234), "server": ("t", 80)}
    await app(scope, receive, send)
    assert sent[0]["status"] == 408
    body = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert body["type"] == "urn:drafter:problem:request-timeout"


def test_threat_36_serve_caps_connections_and_idle_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from drafter.cli import main

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)  # process-wide
    monkeypatch.setenv("DRAFTER_MODEL", "openai/gpt-4o-mini")  # nothing to load
    assert main(["serve", "--port", "0"]) == 0
    defaults = Settings()
    assert seen["limit_concurrency"] == defaults.max_connections
    assert seen["timeout_keep_alive"] == defaults.keep_alive_s
    assert seen["h11_max_incomplete_event_size"] > 0


@pytest.fixture
def fake_uvicorn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: runs.append(kwargs))
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)  # process-wide
    monkeypatch.setenv("DRAFTER_MODEL", "openai/gpt-4o-mini")  # nothing to load
    for name in ("DRAFTER_API_KEYS", "DRAFTER_ALLOW_OPEN_NETWORK"):
        monkeypatch.delenv(name, raising=False)
    return runs


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "drafter.example"])
def test_threat_41_serve_refuses_an_open_non_loopback_bind(
        host: str, fake_uvicorn: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    from drafter.cli import main

    assert main(["serve", "--host", host, "--port", "0"]) == 3
    assert fake_uvicorn == []
    assert "DRAFTER_API_KEYS" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "env"), [
    (["--host", "127.0.0.1"], {}),
    (["--host", "::1"], {}),
    (["--host", "localhost"], {}),
    (["--host", "0.0.0.0"], {"DRAFTER_API_KEYS": "k-1"}),
    (["--host", "0.0.0.0", "--allow-open-network"], {}),
    (["--host", "0.0.0.0"], {"DRAFTER_ALLOW_OPEN_NETWORK": "true"}),
])
def test_threat_41_serve_starts_on_loopback_with_keys_or_when_told(
        argv: list[str], env: dict[str, str], fake_uvicorn: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.cli import main

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", *argv, "--port", "0"]) == 0
    assert len(fake_uvicorn) == 1


def test_threat_41_the_container_image_needs_a_key_and_does_not_opt_out() -> None:
    lines = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert '"--host", "0.0.0.0"' in text
    assert "allow-open-network" not in text and "ALLOW_OPEN_NETWORK" not in text


async def test_threat_42_wrong_api_keys_are_rate_limited_per_address(tmp_path: Path) -> None:
    import httpx
    from pydantic import SecretStr

    app = create_app(Settings(model="fake/scripted", cache_dir=tmp_path,
                              api_keys=SecretStr("right-key-42"), rate_limit_per_minute=0),
                     client=ScriptedModel([reply_json()]))

    def client(address: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 1)),
                                 base_url="http://t")

    body = {"message": "Hi! Could you tell me how you benchmark groupby?"}
    async with client("203.0.113.7") as guesser:
        codes = [(await guesser.post("/v1/score", json=body,
                                     headers={"X-API-Key": f"guess-{i}"})).status_code
                 for i in range(80)]
        # Blocked, the right key is not told apart from a wrong one.
        right = await guesser.post("/v1/score", json=body, headers={"X-API-Key": "right-key-42"})
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
    async with client("198.51.100.9") as other:  # another address is not punished for it
        ok = await other.post("/v1/score", json=body, headers={"X-API-Key": "right-key-42"})
    assert ok.status_code == 200


async def test_threat_43_clients_behind_a_trusted_proxy_get_their_own_rate_limit(
        tmp_path: Path) -> None:
    import httpx

    app = create_app(Settings(model="fake/scripted", cache_dir=tmp_path,
                              rate_limit_per_minute=1, rate_limit_burst=2,
                              trusted_proxies=["10.0.0.5"]),
                     client=ScriptedModel([reply_json()]))
    body = {"message": "Hi! Could you tell me how you benchmark groupby?"}

    async def codes(peer: str, forwarded: str | None, n: int) -> list[int]:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(peer, 1)),
                                     base_url="http://t") as c:
            return [(await c.post("/v1/score", json=body, headers=headers)).status_code
                    for _ in range(n)]

    # Through the trusted proxy, each client named by X-Forwarded-For has its own bucket.
    assert await codes("10.0.0.5", "203.0.113.1", 3) == [200, 200, 429]
    assert await codes("10.0.0.5", "203.0.113.2", 2) == [200, 200]
    # Anyone else cannot pick a fresh bucket by naming themselves in the header.
    assert await codes("198.51.100.9", "203.0.113.3", 3) == [200, 200, 429]
    assert await codes("198.51.100.9", "203.0.113.4", 1) == [429]
