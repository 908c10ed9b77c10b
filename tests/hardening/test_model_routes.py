"""docs/design/threats.md cases 33-34: every route that calls a model is capped and has the
request deadline because it takes the model client (not because its path is on a list), and a
page being fetched holds no model slot (fetches have a cap of their own)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import drafter.fetching
from drafter.api.app import create_app
from drafter.api.deps import Client
from drafter.config import Settings
from drafter.model.protocol import CompletionRequest
from drafter.model.testing import ScriptedModel, reply_json
from drafter.types import Message


def _app(tmp_path: Path, model: ScriptedModel, **extra: Any) -> FastAPI:
    settings = Settings(model="fake/scripted", cache_dir=tmp_path, max_repairs=1,
                        rate_limit_per_minute=0, **extra)
    app = create_app(settings, client=model)

    # A route added later, at a path no list knows: taking the client is the whole mark.
    @app.post("/v1/experimental/echo")
    async def echo(client: Client) -> dict[str, str]:
        done = await client.complete(CompletionRequest(
            messages=(Message(role="user", content="hi"),), json_schema={}))
        return {"text": done.text}

    return app


def test_threat_33_a_new_model_route_has_the_request_deadline(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app = _app(tmp_path, ScriptedModel(["ok"], delay=5), request_timeout_s=0.2)
    r = TestClient(app).post("/v1/experimental/echo")
    assert r.status_code == 504, r.text
    assert r.json()["type"] == "urn:drafter:problem:model-timeout"


async def test_threat_33_a_new_model_route_is_under_the_concurrency_cap(tmp_path: Path) -> None:
    app = _app(tmp_path, ScriptedModel(["ok"], delay=0.3),
               max_concurrent_model_calls=1, queue_wait_s=0.05)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as client:
        rs = await asyncio.gather(*[client.post("/v1/experimental/echo") for _ in range(3)])
    assert sorted(r.status_code for r in rs) == [200, 503, 503]


def test_threat_33_the_service_keeps_no_list_of_model_paths() -> None:
    import drafter.api.security as security

    assert not hasattr(security, "MODEL_PATHS")


@dataclass
class Gate:
    entered: asyncio.Event = field(default_factory=asyncio.Event)  # a fetch has started
    release: asyncio.Event = field(default_factory=asyncio.Event)  # fetches may finish


@pytest.fixture
def blocked_fetch(monkeypatch: pytest.MonkeyPatch) -> Gate:
    """Every fetch says it started, waits for the gate to open, then answers a small page."""
    from drafter.fetching import FetchedWork

    gate = Gate()

    async def fetch(url: str, **kwargs: Any) -> FetchedWork:
        gate.entered.set()
        await gate.release.wait()
        return FetchedWork(url=url, title="Faster groupby", truncated=False,
                           content_type="text/plain", removed_chars=0,
                           text="Performance regressions are the bugs I fear most, because "
                                "nobody files an issue when something gets slower. Every pull "
                                "request now runs a small benchmark suite in CI here.")

    monkeypatch.setattr(drafter.fetching, "fetch_work", fetch)
    return gate


def _by_url(example_data: dict[str, Any]) -> dict[str, Any]:
    data = {**example_data, "recipient": {**example_data["recipient"]}}
    data["recipient"]["works"] = [{"url": "https://blog.example.org/groupby"}]
    return data


async def test_threat_34_a_slow_fetch_holds_no_model_slot(
        tmp_path: Path, example_data: dict[str, Any], blocked_fetch: Gate) -> None:
    app = _app(tmp_path, ScriptedModel([reply_json()]), max_concurrent_model_calls=1,
               queue_wait_s=0.05)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as client:
        slow = asyncio.create_task(client.post("/v1/drafts", json=_by_url(example_data)))
        await blocked_fetch.entered.wait()  # the slow request is waiting on its page
        pasted = await client.post("/v1/drafts", json=example_data)
        blocked_fetch.release.set()
        fetched = await slow
    assert pasted.status_code == 200, pasted.text  # the only model slot was free
    assert fetched.status_code == 200, fetched.text


async def test_threat_34_fetches_have_their_own_cap(
        tmp_path: Path, example_data: dict[str, Any], blocked_fetch: Gate) -> None:
    app = _app(tmp_path, ScriptedModel([reply_json()]), max_concurrent_fetches=1,
               queue_wait_s=0.05)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as client:
        first = asyncio.create_task(client.post("/v1/drafts", json=_by_url(example_data)))
        await blocked_fetch.entered.wait()
        second = await client.post("/v1/drafts", json=_by_url(example_data))
        blocked_fetch.release.set()
        assert (await first).status_code == 200
    assert second.status_code == 503 and "pages being fetched" in second.json()["detail"]


async def test_threat_35_the_context_is_built_off_the_event_loop(
        tmp_path: Path, example_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import drafter.pipeline as pipeline
    from drafter.types import DraftRequest

    threads: list[threading.Thread] = []
    real = pipeline.prepare

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "prepare", recording)
    await pipeline.draft(DraftRequest.model_validate(example_data),
                         client=ScriptedModel([reply_json()]),
                         settings=Settings(model="fake/scripted", cache_dir=tmp_path))
    assert threads and threads[0] is not threading.current_thread()


async def test_threat_36_a_load_of_slow_clients_and_dripping_urls_leaves_drafts_served(
        tmp_path: Path, example_data: dict[str, Any], blocked_fetch: Gate) -> None:
    """The issue's load run, in one process: while bodies drip and pages hang, every other
    user's draft is still written (the caps are the defaults but for the body deadline)."""
    app = _app(tmp_path, ScriptedModel([reply_json()]), body_timeout_s=0.3,
               max_concurrent_fetches=4)

    async def dripping_body() -> int:
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b'{"goal": "', "more_body": True}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        status: list[int] = []

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/v1/drafts", "raw_path":
                 b"/v1/drafts", "query_string": b"", "root_path": "", "server": ("t", 80),
                 "client": ("203.0.113.9", 1),
                 "headers": [(b"content-type", b"application/json")]}
        await app(scope, receive, send)
        return status[0]

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as client:
        drips = [asyncio.create_task(dripping_body()) for _ in range(6)]
        hanging = [asyncio.create_task(client.post("/v1/drafts", json=_by_url(example_data)))
                   for _ in range(4)]
        await blocked_fetch.entered.wait()
        served = await asyncio.gather(*[client.post("/v1/drafts", json=example_data)
                                        for _ in range(6)])
        assert [r.status_code for r in served] == [200] * 6  # while pages hang and bodies drip
        assert await asyncio.gather(*drips) == [408] * 6
        blocked_fetch.release.set()
        assert [r.status_code for r in await asyncio.gather(*hanging)] == [200] * 4
