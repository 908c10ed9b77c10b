"""The HTTP API over a scripted model: contract, problem documents, limits."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from drafter.api.app import create_app
from drafter.config import Settings
from drafter.errors import ModelIntegrityError
from drafter.model.registry import OWN_GGUF
from drafter.model.testing import ScriptedModel, reply_json


@pytest.fixture
def model() -> ScriptedModel:
    return ScriptedModel([reply_json()])


@pytest.fixture
def client(settings: Settings, model: ScriptedModel) -> TestClient:
    return TestClient(create_app(settings, client=model))


def test_draft_returns_the_documented_json(client: TestClient,
                                           example_data: dict[str, Any]) -> None:
    r = client.post("/v1/drafts", json=example_data)
    assert r.status_code == 200, r.text
    body = r.json()
    d = body["drafts"][0]
    assert set(d) >= {"subject", "body", "references", "offer", "ask", "checks", "passed"}
    work = example_data["recipient"]["works"][0]["text"]
    for ref in d["references"]:
        assert ref["quote"] in work and ref["work_index"] == 0
    assert r.headers["x-request-id"]


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d.pop("goal"), "goal"),
    (lambda d: d.__setitem__("goal", "   "), "goal"),
    (lambda d: d["recipient"].__setitem__("works", []), "recipient.works"),
    (lambda d: d["recipient"]["works"][0].__setitem__("text", " \n "),
     "recipient.works[0].text"),
    (lambda d: d.__setitem__("channel", "fax"), "channel"),
    (lambda d: d.__setitem__("goal", "x" * 200_000), "goal"),
    (lambda d: d.__setitem__("variants", 50), "variants"),
    (lambda d: d.__setitem__("api_base", "http://evil.example"), "api_base"),
    (lambda d: d["sender"].__setitem__("name", "y" * 101), "sender.name"),
])
def test_bad_requests_are_422_naming_the_field_without_a_model_call(
        mutate: Any, field: str, client: TestClient, model: ScriptedModel,
        example_data: dict[str, Any]) -> None:
    mutate(example_data)
    r = client.post("/v1/drafts", json=example_data)
    assert r.status_code in (413, 422), r.text
    if r.status_code == 413:
        return
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"] == "urn:drafter:problem:invalid-request"
    assert field in [e["field"] for e in problem["errors"]], problem
    assert problem["request_id"]
    assert model.requests == []


def test_a_private_url_is_refused_naming_the_field(client: TestClient,
                                                   example_data: dict[str, Any],
                                                   model: ScriptedModel) -> None:
    example_data["recipient"]["works"] = [{"url": "http://127.0.0.1:9/admin"}]
    r = client.post("/v1/drafts", json=example_data)
    assert r.status_code == 422
    assert r.json()["type"].endswith("url-blocked")
    assert "recipient.works[0].url" in r.json()["detail"]
    assert model.requests == []


def test_works_given_by_url_are_fetched_and_quoted(
        monkeypatch: pytest.MonkeyPatch, client: TestClient, example_data: dict[str, Any],
        model: ScriptedModel) -> None:
    from drafter import fetching

    text = example_data["recipient"]["works"][0]["text"]
    seen: list[str] = []

    async def fake_fetch(url: str, **kwargs: Any) -> fetching.FetchedWork:
        seen.append(url)
        return fetching.FetchedWork(url=url, title="Faster groupby (blog)", text=text,
                                    truncated=False, content_type="text/html", removed_chars=0)

    monkeypatch.setattr(fetching, "fetch_work", fake_fetch)
    example_data["recipient"]["works"] = [{"url": "https://blog.example/groupby"}]
    r = client.post("/v1/drafts", json=example_data)
    assert r.status_code == 200, r.text
    assert seen == ["https://blog.example/groupby"]
    d = r.json()["drafts"][0]
    assert d["references"][0]["quote"] in text
    assert d["references"][0]["work_title"] == "Faster groupby (blog)"


def test_malformed_json_is_a_problem_not_a_500(client: TestClient) -> None:
    r = client.post("/v1/drafts", content=b'{"goal": ', headers={"content-type":
                                                                 "application/json"})
    assert r.status_code == 422
    assert "not valid JSON" in r.json()["detail"]


def test_oversized_body_is_413(client: TestClient) -> None:
    r = client.post("/v1/drafts", content=b"x" * 400_000,
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["type"].endswith("payload-too-large")


def test_model_output_failure_is_502_problem(settings: Settings,
                                             example_data: dict[str, Any]) -> None:
    app = create_app(settings, client=ScriptedModel(["not json", "still not json"]))
    r = TestClient(app).post("/v1/drafts", json=example_data)
    assert r.status_code == 502
    assert r.json()["type"] == "urn:drafter:problem:invalid-model-output"
    assert "still not json" not in r.text


def test_health_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/v1/drafts"]["post"]
    assert "422" in post["responses"] and "502" in post["responses"]
    assert client.get("/docs").status_code == 200
    assert client.get("/nope").headers["content-type"].startswith("application/problem+json")


def test_readyz_reports_an_unknown_gguf(tmp_path: Any) -> None:
    s = Settings(model=OWN_GGUF.id, model_path=tmp_path / "missing.gguf")
    r = TestClient(create_app(s)).get("/readyz")
    assert r.status_code == 503
    assert "DRAFTER_MODEL_PATH" in r.json()["detail"]


class LoadingModel(ScriptedModel):
    """A scripted model with a load step that waits for the test (or fails)."""

    def __init__(self, fail: str = "") -> None:
        super().__init__([reply_json()])
        self.release = threading.Event()
        self.fail = fail

    def warm_up(self) -> None:
        if not self.release.wait(10):
            raise AssertionError("the test never released the load")
        if self.fail == "integrity":
            raise ModelIntegrityError("the model file has the wrong sha256: delete it")
        if self.fail == "crash":
            raise ValueError("Failed to load model from file")


def _ready_status(c: TestClient) -> tuple[int, dict[str, Any], str | None]:
    r = c.get("/readyz")
    return r.status_code, r.json(), r.headers.get("retry-after")


def test_preload_loads_the_model_at_startup_and_readyz_says_loading_until_then(
        settings: Settings, example_data: dict[str, Any]) -> None:
    model = LoadingModel()
    with TestClient(create_app(settings, client=model, preload=True)) as c:
        status, body, retry = _ready_status(c)
        assert (status, body["status"], retry) == (503, "loading", "2")
        model.release.set()
        for _ in range(200):  # the load finishes in its worker thread
            status, body, _r = _ready_status(c)
            if status == 200:
                break
            time.sleep(0.01)
        assert (status, body["status"]) == (200, "ready")
        assert c.post("/v1/drafts", json=example_data).status_code == 200


@pytest.mark.parametrize(("fail", "reason"), [
    ("integrity", "wrong sha256"), ("crash", "could not be loaded (ValueError)")])
def test_a_failed_preload_makes_readyz_unavailable_with_the_reason(
        settings: Settings, fail: str, reason: str) -> None:
    model = LoadingModel(fail=fail)
    model.release.set()
    with TestClient(create_app(settings, client=model, preload=True)) as c:
        for _ in range(200):
            status, body, _r = _ready_status(c)
            if body["status"] != "loading":
                break
            time.sleep(0.01)
        assert (status, body["status"]) == (503, "unavailable")
        assert reason in body["detail"]


def test_without_preload_nothing_is_loaded_at_startup(settings: Settings) -> None:
    model = LoadingModel()  # never released: a warm-up call would fail the test
    with TestClient(create_app(settings, client=model)) as c:
        status, body, _r = _ready_status(c)
        assert (status, body["status"]) == (200, "ready")


def test_a_route_dependency_can_be_overridden_without_touching_app_state(
        settings: Settings, example_data: dict[str, Any]) -> None:
    from drafter.api.deps import MeteredClient, model_client

    app = create_app(settings)  # no client: the default would import litellm on first use
    fake = ScriptedModel([reply_json()])
    app.dependency_overrides[model_client] = lambda: MeteredClient(fake)
    r = TestClient(app).post("/v1/drafts", json=example_data)
    assert r.status_code == 200, r.text
    assert len(fake.requests) == 1 and r.json()["drafts"][0]["body"].startswith("Hi Dana")


def test_the_senders_own_link_in_brackets_is_not_an_unverified_link(
        settings: Settings, example_data: dict[str, Any]) -> None:
    # "(https://x.org/notes)" typed by the sender is the page https://x.org/notes: the
    # message that links it must not fail credibility for a link nobody supplied.
    example_data["sender"]["offer"] = "my notes on skewed keys (https://x.org/notes)"
    r = TestClient(create_app(settings, client=ScriptedModel([reply_json()]))).post(
        "/v1/drafts", json=example_data)
    assert r.status_code == 200, r.text
    d = r.json()["drafts"][0]
    assert "https://x.org/notes" in d["body"]
    codes = {f["code"] for dim in d["score"]["dimensions"] for f in dim["findings"]}
    assert "credibility.unverified_link" not in codes


def test_info_says_what_the_server_runs_without_loading_a_model(settings: Settings) -> None:
    from drafter import __version__
    from drafter.about import rubric_version
    from drafter.channels import CHANNEL_LIMITS, CHANNELS
    from drafter.prompts import template_hash

    model = ScriptedModel([reply_json()])
    r = TestClient(create_app(settings, client=model)).get("/v1/info")
    assert r.status_code == 200, r.text
    info = r.json()
    assert info["api_version"] == "v1" and info["drafter_version"] == __version__
    assert info["prompt_version"] == template_hash("draft")
    assert info["judge_prompt_version"] == template_hash("judge")
    assert info["rubric_version"] == rubric_version()
    assert info["model"] == settings.model
    assert info["fetches_urls"] is True and info["api_keys_required"] is False
    assert [c["name"] for c in info["channels"]] == list(CHANNELS)
    note = next(c for c in info["channels"] if c["name"] == "linkedin_note")
    assert (note["limit"], note["limit_free_account"]) == (
        CHANNEL_LIMITS["linkedin_note"], CHANNEL_LIMITS["linkedin_note_free"])
    assert model.requests == []


def test_info_needs_the_key_when_the_server_has_keys(tmp_path: Any) -> None:
    from pydantic import SecretStr

    app = create_app(Settings(model="fake/scripted", cache_dir=tmp_path,
                              api_keys=SecretStr("k-1"), fetch_urls=False),
                     client=ScriptedModel([reply_json()]))
    client = TestClient(app)
    assert client.get("/v1/info").status_code == 401
    info = client.get("/v1/info", headers={"X-API-Key": "k-1"}).json()
    assert info["api_keys_required"] is True and info["fetches_urls"] is False


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/v1/drafts", "example"), ("post", "/v1/score", {"message": "Hi, can you help?"}),
    ("post", "/v1/drafts", {"goal": ""}), ("get", "/v1/info", None)])
def test_api_responses_are_never_cached_or_sniffed(
        method: str, path: str, body: Any, client: TestClient,
        example_data: dict[str, Any]) -> None:
    # Drafts and score cards are the user's private text; problems echo their fields.
    payload = example_data if body == "example" else body
    r = client.request(method, path, json=payload)
    assert r.headers["cache-control"] == "no-store", r.status_code
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-request-id"]


def test_the_page_keeps_its_own_cache_policy(client: TestClient) -> None:
    assert client.get("/").headers["cache-control"] == "no-cache"
    assert client.get("/healthz").headers.get("cache-control") is None


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_load_nothing_from_another_origin(path: str, client: TestClient) -> None:
    import re

    page = client.get(path)
    assert page.status_code == 200
    assert not re.search(r"(?:src|href)=['\"]?https?://", page.text), "no CDN: works offline"
    assets = re.findall(r"(/docs/static/[\w.-]+)", page.text)
    assert assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert client.get("/docs/static/..%2Fcore.py").status_code == 404
