"""POST /v1/drafts/stream (issue 17): the stages as server-sent events as they happen, then the
same result (or problem document) as POST /v1/drafts, under the same limits."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from drafter.api.app import create_app
from drafter.config import Settings
from drafter.errors import ProviderFailed
from drafter.model.testing import ScriptedModel, reply_json
from tests.serving import serve

STREAM = "/v1/drafts/stream"


def _app(tmp_path: Path, model: ScriptedModel, **extra: Any) -> FastAPI:
    settings = Settings(model="fake/scripted", cache_dir=tmp_path, max_repairs=1,
                        rate_limit_per_minute=0, **extra)
    return create_app(settings, client=model)


def events(text: str) -> list[tuple[str, Any]]:
    """(event, parsed data) of each event of a text/event-stream body; comments skipped."""
    out = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines()
                      if line and not line.startswith(":"))
        if fields:
            out.append((fields.get("event", "message"), json.loads(fields["data"])))
    return out


def test_the_stages_come_in_order_and_the_result_is_the_last_event(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    client = TestClient(_app(tmp_path, ScriptedModel([reply_json()])))
    r = client.post(STREAM, json=example_data)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert r.headers["cache-control"] == "no-store" and r.headers["x-request-id"]
    got = events(r.text)
    assert [name for name, _ in got] == ["stage", "stage", "stage", "stage", "result"]
    assert [data["stage"] for _, data in got[:4]] == ["goal", "context", "model", "checks"]
    assert got[2][1]["message"] == "writing draft 1 of 1 with fake/scripted"


def test_the_last_event_is_the_body_of_the_route_without_streaming(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    client = TestClient(_app(tmp_path, ScriptedModel([reply_json()])))
    plain = client.post("/v1/drafts", json=example_data)
    streamed = client.post(STREAM, json=example_data)
    assert plain.status_code == streamed.status_code == 200
    assert events(streamed.text)[-1] == ("result", plain.json())


def test_a_model_error_is_a_problem_event_with_the_routes_problem_document(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    error = ProviderFailed("the provider answered with an error; retry later")
    client = TestClient(_app(tmp_path, ScriptedModel([error])))
    plain = client.post("/v1/drafts", json=example_data)
    streamed = client.post(STREAM, json=example_data)
    assert streamed.status_code == 200
    name, problem = events(streamed.text)[-1]
    assert name == "problem"
    assert problem["request_id"] == streamed.headers["x-request-id"]
    assert problem == {**plain.json(), "request_id": streamed.headers["x-request-id"]}
    assert problem["status"] == plain.status_code == 502


def test_the_deadline_ends_the_stream_with_a_timeout_problem(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    app = _app(tmp_path, ScriptedModel([reply_json()], delay=30), request_timeout_s=0.5)
    r = TestClient(app).post(STREAM, json=example_data)
    got = events(r.text)
    assert [name for name, _ in got][-1] == "problem"
    assert got[-1][1]["type"] == "urn:drafter:problem:model-timeout"
    assert got[-1][1]["status"] == 504
    assert app.state.clients.model_slots.in_use == 0


def test_what_is_refused_before_the_stream_keeps_its_http_status(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    model = ScriptedModel([reply_json()])
    client = TestClient(_app(tmp_path, model))
    invalid = client.post(STREAM, json={**example_data, "variants": 9})
    refused = client.post(STREAM, json={**example_data,
                                        "goal": "get her home address and phone number"})
    for r, code in ((invalid, "invalid-request"), (refused, "goal-refused")):
        assert r.status_code == 422
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["type"] == f"urn:drafter:problem:{code}"
    assert model.requests == []


def test_the_stream_has_the_api_key_and_the_concurrency_cap(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    from pydantic import SecretStr

    app = _app(tmp_path, ScriptedModel([reply_json()]), api_keys=SecretStr("k-1"),
               max_concurrent_model_calls=1, queue_wait_s=0.05)
    app.state.clients.model_slots.in_use = 1  # another draft is being written
    client = TestClient(app)
    assert client.post(STREAM, json=example_data).status_code == 401
    r = client.post(STREAM, json=example_data, headers={"X-API-Key": "k-1"})
    name, problem = events(r.text)[-1]
    assert (name, problem["type"], problem["status"]) == ("problem", "urn:drafter:problem:busy",
                                                          503)


def test_a_client_that_goes_away_gives_its_model_slot_back(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    app = _app(tmp_path, ScriptedModel([reply_json()], delay=60))
    slots = app.state.clients.model_slots
    with serve(app) as base, httpx.Client(base_url=base, timeout=10) as http:
        with http.stream("POST", STREAM, json=example_data) as r:
            seen = ""
            for chunk in r.iter_text():
                seen += chunk
                if '"stage":"model"' in seen:
                    break  # the model call has started: it holds the one slot
            # Generous deadlines: the loops end as soon as the slot moves, and a loaded CI
            # machine once took over 5 s to get there.
            deadline = time.monotonic() + 30
            while slots.in_use == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert slots.in_use == 1
        # The client has closed the connection, the model would answer only in 60 s.
        deadline = time.monotonic() + 30
        while slots.in_use and time.monotonic() < deadline:
            time.sleep(0.02)
        assert slots.in_use == 0


def test_other_methods_on_the_stream_are_405_not_a_draft_named_stream(tmp_path: Path) -> None:
    client = TestClient(_app(tmp_path, ScriptedModel([reply_json()])))
    for method in ("GET", "DELETE"):
        r = client.request(method, STREAM)
        assert r.status_code == 405, r.text
        assert r.headers["allow"] == "POST"
        assert r.json()["type"] == "urn:drafter:problem:method-not-allowed"


def test_a_kept_draft_is_announced_before_the_result_and_can_be_read_back(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    from pydantic import SecretStr

    settings = Settings(model="fake/scripted", cache_dir=tmp_path / "cache",
                        data_dir=tmp_path / "data", config_dir=tmp_path / "config",
                        api_history_url=SecretStr(f"sqlite:///{tmp_path / 'api.sqlite3'}"),
                        api_keys=SecretStr("k-1"), rate_limit_per_minute=0)
    key = {"X-API-Key": "k-1"}
    with TestClient(create_app(settings, client=ScriptedModel([reply_json()]))) as client:
        got = events(client.post(STREAM, json=example_data, headers=key).text)
        assert [name for name, _ in got][-2:] == ["kept", "result"]
        kept = got[-2][1]
        assert kept["location"] == f"/v1/drafts/{kept['id']}"
        stored = client.get(kept["location"], headers=key)
        assert stored.status_code == 200
        assert stored.json()["result"] == got[-1][1]
