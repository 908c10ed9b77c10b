"""Threats 16-21 and the operations contract: validation before any model call, API keys,
rate and concurrency limits, body caps (chunked too), CORS, request deadline, JSON logs."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from drafter.api.app import create_app
from drafter.api.security import KeyCheck
from drafter.config import Settings
from drafter.model.testing import ScriptedModel, reply_json

KEY = "client-key-SECRET-42"


def app_with(tmp_path: Path, model: Any = None, **extra: Any) -> Any:
    settings = Settings(model="fake/scripted", cache_dir=tmp_path, max_repairs=1,
                        **extra)
    return create_app(settings, client=model or ScriptedModel([reply_json()]))


def is_problem(r: httpx.Response, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"] == f"urn:drafter:problem:{code}" and body["detail"]
    assert body["request_id"] == r.headers["x-request-id"]


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d.__setitem__("goal", " \t\n "), "goal"),
    (lambda d: d["recipient"]["works"][0].__setitem__("text", "   "),
     "recipient.works[0].text"),
    (lambda d: d["recipient"]["works"][0].pop("text"), "recipient.works[0]"),
])
def test_threat_16_blank_input_is_422_naming_the_field(
        mutate: Any, field: str, tmp_path: Path, example_data: dict[str, Any]) -> None:
    model = ScriptedModel([reply_json()])
    mutate(example_data)
    r = TestClient(app_with(tmp_path, model)).post("/v1/drafts", json=example_data)
    is_problem(r, 422, "invalid-request")
    assert any(e["field"].startswith(field) for e in r.json()["errors"]), r.json()
    assert model.requests == []


def test_threat_17_oversized_goal_and_body_rejected_before_the_model(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    model = ScriptedModel([reply_json()])
    client = TestClient(app_with(tmp_path, model))
    r = client.post("/v1/drafts", json=example_data | {"goal": "g" * 200_000})
    is_problem(r, 422, "invalid-request")
    assert r.json()["errors"][0]["field"] == "goal"
    r = client.post("/v1/drafts", content=b"{" * (20 << 20),
                    headers={"content-type": "application/json"})
    is_problem(r, 413, "payload-too-large")
    assert model.requests == []


def test_threat_17_chunked_body_without_length_is_counted(tmp_path: Path) -> None:
    model = ScriptedModel([reply_json()])

    def chunks() -> Iterator[bytes]:
        yield b'{"goal": "'
        for _ in range(400):  # 400 KiB, never announced in a Content-Length
            yield b"x" * 1024

    r = TestClient(app_with(tmp_path, model)).post(
        "/v1/drafts", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    is_problem(r, 413, "payload-too-large")
    assert model.requests == []


@pytest.mark.parametrize(("content", "ctype"), [
    (b'{"goal": ', "application/json"), (b"[]", "application/json"),
    (b"[]", "application/merge-patch+json")])
def test_threat_18_malformed_is_422(content: bytes, ctype: str, tmp_path: Path) -> None:
    r = TestClient(app_with(tmp_path)).post("/v1/drafts", content=content,
                                            headers={"content-type": ctype})
    is_problem(r, 422, "invalid-request")


@pytest.mark.parametrize("ctype", ["application/x-www-form-urlencoded", "text/plain",
                                   "multipart/form-data; boundary=x", ""])
@pytest.mark.parametrize("path", ["/v1/drafts", "/v1/score"])
def test_threat_18_a_body_not_sent_as_json_is_415_with_the_fix(
        ctype: str, path: str, tmp_path: Path, example_data: dict[str, Any]) -> None:
    # What curl -d sends without -H: the JSON is fine, its label is not.
    model = ScriptedModel([reply_json()])
    r = TestClient(app_with(tmp_path, model)).post(path, content=json.dumps(example_data),
                                                   headers={"content-type": ctype})
    is_problem(r, 415, "unsupported-media-type")
    assert "Content-Type: application/json" in r.json()["detail"]
    assert model.requests == []


@pytest.mark.parametrize("extra", [{"api_base": "http://169.254.169.254/v1"},
                                   {"model": "openai/gpt-4o"}, {"api_key": "sk-mine"},
                                   {"max_tokens": 100_000}, {"temperature": 2}])
def test_threat_18_client_cannot_choose_model_base_or_limits(
        extra: dict[str, Any], tmp_path: Path, example_data: dict[str, Any]) -> None:
    model = ScriptedModel([reply_json()])
    r = TestClient(app_with(tmp_path, model)).post("/v1/drafts", json=example_data | extra)
    is_problem(r, 422, "invalid-request")
    assert [e["field"] for e in r.json()["errors"]] == list(extra)
    assert model.requests == []


def test_threat_19_api_key_required_and_checked(tmp_path: Path,
                                                example_data: dict[str, Any]) -> None:
    client = TestClient(app_with(tmp_path, api_keys=SecretStr(f"other-key, {KEY}")))
    is_problem(client.post("/v1/drafts", json=example_data), 401, "unauthorized")
    r = client.post("/v1/drafts", json=example_data, headers={"X-API-Key": KEY[:-1]})
    is_problem(r, 401, "unauthorized")
    assert KEY not in r.text
    assert client.post("/v1/drafts", json=example_data,
                       headers={"X-API-Key": KEY}).status_code == 200
    for open_path in ("/healthz", "/docs", "/openapi.json"):
        assert client.get(open_path).status_code == 200


def test_threat_19_key_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    import drafter.api.security as sec

    real = sec.hmac.compare_digest
    monkeypatch.setattr(sec.hmac, "compare_digest",
                        lambda a, b: calls.append((a, b)) or real(a, b))
    check = KeyCheck(Settings(api_keys=SecretStr("k1,k2,k3")))
    assert check.identity("k1") is not None and check.identity("nope") is None
    assert len(calls) == 6  # every key compared, whether or not one matched
    assert {len(a) for a, _ in calls} == {32}  # digests: equal lengths, no length leak


def test_threat_20_bursts_get_429_with_retry_after_per_key(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    app = app_with(tmp_path, api_keys=SecretStr("a-key,b-key"), rate_limit_per_minute=6,
                   rate_limit_burst=2)
    client = TestClient(app)
    codes = [client.post("/v1/score", json={"message": "hi"},
                         headers={"X-API-Key": "a-key"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = client.post("/v1/score", json={"message": "hi"}, headers={"X-API-Key": "a-key"})
    is_problem(r, 429, "rate-limited")
    # Burst 2 at 6 a minute: 2 in any 20 s window; the wait is until the oldest leaves it.
    assert 1 <= int(r.headers["retry-after"]) <= 20
    ok = client.post("/v1/score", json={"message": "hi"}, headers={"X-API-Key": "b-key"})
    assert ok.status_code == 200  # another key has its own bucket
    assert client.get("/healthz").status_code == 200  # health is never limited


async def test_threat_20_concurrent_model_calls_are_capped_with_503(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    slow = ScriptedModel([reply_json()], delay=0.5)
    app = app_with(tmp_path, slow, max_concurrent_model_calls=2, queue_wait_s=0.05,
                   rate_limit_per_minute=0)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        rs = await asyncio.gather(*[client.post("/v1/drafts", json=example_data)
                                    for _ in range(5)])
    codes = sorted(r.status_code for r in rs)
    assert codes == [200, 200, 503, 503, 503]
    busy = next(r for r in rs if r.status_code == 503)
    is_problem(busy, 503, "busy")
    assert int(busy.headers["retry-after"]) >= 1


def test_threat_21_variants_and_tokens_are_clamped(tmp_path: Path,
                                                   example_data: dict[str, Any]) -> None:
    model = ScriptedModel([reply_json()])
    client = TestClient(app_with(tmp_path, model, max_tokens=200))
    r = client.post("/v1/drafts", json=example_data | {"variants": 50})
    is_problem(r, 422, "invalid-request")
    assert client.post("/v1/drafts", json=example_data | {"variants": 3}).status_code == 200
    assert len(model.requests) >= 3
    assert {req.max_tokens for req in model.requests} == {200}  # the server's value only


def test_request_deadline_is_504_whatever_the_model_does(
        tmp_path: Path, example_data: dict[str, Any]) -> None:
    app = app_with(tmp_path, ScriptedModel([reply_json()], delay=30), request_timeout_s=0.5)
    r = TestClient(app).post("/v1/drafts", json=example_data)
    is_problem(r, 504, "model-timeout")


def test_cors_is_off_by_default_and_configurable(tmp_path: Path) -> None:
    pre = {"Origin": "https://site.example", "Access-Control-Request-Method": "POST"}
    off = TestClient(app_with(tmp_path)).options("/v1/drafts", headers=pre)
    assert "access-control-allow-origin" not in off.headers
    on = TestClient(app_with(tmp_path, cors_origins=["https://site.example"],
                             api_keys=SecretStr(KEY))).options("/v1/drafts", headers=pre)
    assert on.headers["access-control-allow-origin"] == "https://site.example"


def test_validation_errors_and_unknown_routes_are_problem_documents(tmp_path: Path) -> None:
    client = TestClient(app_with(tmp_path))
    is_problem(client.post("/v1/score", json={"message": ""}), 422, "invalid-request")
    is_problem(client.get("/v1/nope"), 404, "not-found")
    is_problem(client.get("/v1/score"), 405, "method-not-allowed")
    schema = client.get("/openapi.json").json()
    for op in ("/v1/drafts", "/v1/score"):
        responses = schema["paths"][op]["post"]["responses"]
        assert "application/problem+json" in responses["422"]["content"]


def test_logs_are_json_with_usage_and_never_user_text_or_keys(
        tmp_path: Path, example_data: dict[str, Any], json_logs: Any) -> None:
    goal_marker, work_marker = "GOALMARKER-91c2", "WORKMARKER-77ab"
    example_data["goal"] += f" ({goal_marker})"
    example_data["recipient"]["works"][0]["text"] += f" {work_marker} is our suite."
    app = app_with(tmp_path, api_keys=SecretStr(KEY), api_key=SecretStr("sk-provider-SECRET"))
    r = TestClient(app).post("/v1/drafts", json=example_data, headers={"X-API-Key": KEY,
                                                                       "X-Request-ID": "req-1"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "req-1"
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    request_line = next(x for x in lines if x["message"] == "request")
    assert request_line | {"latency_ms": 0} == request_line | {
        "request_id": "req-1", "status": 200, "path": "/v1/drafts", "model": "fake/scripted",
        # the goal's size read (100 + 1 tokens from the fake), then the draft (100 + 50)
        "prompt_tokens": 200, "completion_tokens": 51, "model_calls": 2, "latency_ms": 0}
    text = json_logs.getvalue()
    body = r.json()["drafts"][0]["body"]
    for secret in (goal_marker, work_marker, KEY, "sk-provider-SECRET", body[:40]):
        assert secret not in text


def test_litellm_verbose_mode_stays_off() -> None:
    import logging

    from drafter.model.litellm_client import litellm

    assert not litellm.set_verbose and litellm.suppress_debug_info
    assert logging.getLogger("LiteLLM").level == logging.CRITICAL


def test_untrusted_request_ids_are_replaced(tmp_path: Path) -> None:
    r = TestClient(app_with(tmp_path)).get("/healthz", headers={"X-Request-ID": "a b<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])


def test_the_judged_score_calls_a_model_so_it_has_the_deadline_too(tmp_path: Path) -> None:
    app = app_with(tmp_path, ScriptedModel([reply_json()], delay=30), request_timeout_s=0.5)
    r = TestClient(app).post("/v1/score/judged", json={"message": "Hi Dana, one question."})
    is_problem(r, 504, "model-timeout")
