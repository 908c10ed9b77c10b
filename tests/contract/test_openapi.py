"""The OpenAPI contract as served at /openapi.json: valid, truthful about errors and keys,
with stable operation ids and an example of every body, and pinned by a committed snapshot."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import OpenAPIV31SpecValidator
from pydantic import BaseModel, SecretStr

from drafter import errors
from drafter.about import ServiceInfo
from drafter.api.app import create_app
from drafter.api.contract import examples
from drafter.api.history import DraftPage, OutcomeRequest, StoredDraft
from drafter.api.problems import Problem
from drafter.config import Settings, env_flag
from drafter.judge import JudgedScore
from drafter.model.testing import ScriptedModel
from drafter.scorecard import ScoreCard
from drafter.types import DraftRequest, DraftResult, ScoreRequest

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")
REFRESH = ("DRAFTER_UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/python -m pytest tests/contract "
           "-k snapshot")
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# Every operation, its stable id, and the error statuses it can really return.
OPERATIONS: dict[tuple[str, str], tuple[str, set[int]]] = {
    ("post", "/v1/drafts"): ("createDraft", {401, 408, 413, 415, 422, 429, 502, 503, 504}),
    # Model errors come as the stream's last event (a problem document), once it has begun.
    ("post", "/v1/drafts/stream"): ("createDraftStream", {401, 408, 413, 415, 422, 429}),
    ("post", "/v1/score"): ("scoreMessage", {401, 408, 413, 415, 422, 429}),
    ("post", "/v1/score/judged"): ("scoreMessageJudged",
                                   {401, 408, 413, 415, 422, 429, 502, 503, 504}),
    ("get", "/v1/info"): ("getInfo", {401, 429}),
    ("get", "/v1/drafts"): ("listDrafts", {401, 422, 429, 501, 503}),
    ("get", "/v1/drafts/{draft_id}"): ("getDraft", {401, 404, 422, 429, 501, 503}),
    ("delete", "/v1/drafts/{draft_id}"): ("deleteDraft", {401, 404, 422, 429, 501, 503}),
    ("post", "/v1/drafts/{draft_id}/outcome"): (
        "recordDraftOutcome", {401, 404, 408, 413, 415, 422, 429, 501, 503}),
    ("get", "/healthz"): ("getHealth", set()),
    ("get", "/readyz"): ("getReadiness", {503}),
}


def served_schema(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    app = create_app(Settings(model="fake/scripted", cache_dir=tmp_path, **extra),
                     client=ScriptedModel(["{}"]))
    r = TestClient(app).get("/openapi.json")
    assert r.status_code == 200
    schema: dict[str, Any] = r.json()
    return schema


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return served_schema(tmp_path_factory.mktemp("cache"))


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, ops in schema["paths"].items()
            for method, op in ops.items()}


def test_the_validator_reports_no_error(schema: dict[str, Any]) -> None:
    found = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
             for e in OpenAPIV31SpecValidator(schema).iter_errors()]
    assert found == []


def test_the_schema_matches_the_committed_snapshot(schema: dict[str, Any]) -> None:
    live = render(schema)
    if env_flag("DRAFTER_UPDATE_OPENAPI_SNAPSHOT"):
        SNAPSHOT.write_text(live, encoding="utf-8")
    committed = SNAPSHOT.read_text("utf-8") if SNAPSHOT.exists() else ""
    if live != committed:
        diff = list(difflib.unified_diff(committed.splitlines(), live.splitlines(),
                                         "committed", "live", lineterm="", n=2))
        shown = "\n".join(diff[:80]) + ("\n..." if len(diff) > 80 else "")
        pytest.fail(f"the API's OpenAPI schema changed ({len(diff)} diff lines):\n{shown}\n\n"
                    "If the change is intended and not breaking (README, Versioning), refresh "
                    f"the snapshot and commit it:\n  {REFRESH}", pytrace=False)


def test_the_contract_is_the_same_whatever_the_servers_configuration(
        schema: dict[str, Any], tmp_path: Path) -> None:
    # One contract for every server: keys and fetching are configuration, said by /v1/info.
    keyed = served_schema(tmp_path, api_keys=SecretStr("k1,k2"), fetch_urls=False,
                          rate_limit_per_minute=0)
    assert keyed == schema


def test_every_operation_has_its_stable_id_and_only_the_errors_it_can_return(
        schema: dict[str, Any]) -> None:
    ops = operations(schema)
    assert set(ops) == set(OPERATIONS)
    for key, (operation_id, statuses) in OPERATIONS.items():
        op = ops[key]
        assert op["operationId"] == operation_id, key
        documented = {int(code) for code in op["responses"] if int(code) >= 400}
        assert documented == statuses, key


def test_every_api_error_is_a_problem_document_with_its_schema(
        schema: dict[str, Any]) -> None:
    for (method, path), op in operations(schema).items():
        if not path.startswith("/v1/"):
            continue
        for code, response in op["responses"].items():
            if int(code) < 400:
                continue
            content = response["content"]
            assert set(content) == {"application/problem+json"}, (method, path, code)
            assert content["application/problem+json"]["schema"] == PROBLEM_REF
            example = Problem.model_validate(content["application/problem+json"]["example"])
            assert example.status == int(code)
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])


def test_429_and_busy_document_retry_after(schema: dict[str, Any]) -> None:
    for key, op in operations(schema).items():
        responses = op["responses"]
        if "429" in responses:
            assert responses["429"]["headers"]["Retry-After"]["required"] is True, key
        if "503" in responses:
            assert "Retry-After" in responses["503"]["headers"], key


def test_the_api_key_scheme_is_declared_and_every_v1_route_takes_it(
        schema: dict[str, Any]) -> None:
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert "DRAFTER_API_KEYS" in scheme["description"]
    assert "security" not in schema  # health, readiness and docs stay open
    for (method, path), op in operations(schema).items():
        if path.startswith("/v1/"):
            # The key, or nothing: keys are optional server configuration.
            assert op["security"] == [{"ApiKey": []}, {}], (method, path)
        else:
            assert "security" not in op, (method, path)


def test_every_request_and_response_body_has_an_example(schema: dict[str, Any]) -> None:
    for (method, path), op in operations(schema).items():
        bodies = [op["requestBody"]["content"]] if "requestBody" in op else []
        bodies += [r["content"] for r in op["responses"].values() if "content" in r]
        assert bodies, (method, path)
        for content in bodies:
            for media, spec in content.items():
                assert spec.get("example") or spec.get("examples"), (method, path, media)


@pytest.mark.parametrize(("name", "model"), [
    ("draft_request", DraftRequest), ("entitled_request", DraftRequest),
    ("draft_result", DraftResult), ("score_request", ScoreRequest),
    ("score_card", ScoreCard), ("judged_score", JudgedScore), ("info", ServiceInfo),
    ("stored_draft", StoredDraft), ("stored_draft_outcome", StoredDraft),
    ("outcome_request", OutcomeRequest), ("draft_page", DraftPage)])
def test_each_example_is_a_valid_value_of_its_model(name: str, model: type[BaseModel]) -> None:
    value = examples()[name]
    # Round trip: nothing in the example is lost or renamed by the model.
    assert model.model_validate(value).model_dump(mode="json", exclude_unset=True) == value


def test_the_problem_examples_use_codes_of_the_error_tree() -> None:
    def tree(cls: type[errors.DrafterError]) -> list[type[errors.DrafterError]]:
        return [cls, *(c for sub in cls.__subclasses__() for c in tree(sub))]

    codes = {cls.code: cls.http_status for cls in tree(errors.DrafterError)}
    shown = [*examples()["problems"].items(), *examples()["history_problems"].items()]
    for status, value in shown:
        problem = Problem.model_validate(value)
        code = problem.type.removeprefix("urn:drafter:problem:")
        assert codes[code] == problem.status == int(status)


def test_the_stream_example_is_a_stream_of_valid_events(schema: dict[str, Any]) -> None:
    from drafter.api.stream import StageEvent
    from drafter.progress import STAGES

    op = schema["paths"]["/v1/drafts/stream"]["post"]
    stream = op["responses"]["200"]["content"]["text/event-stream"]
    assert "itemSchema" not in stream  # OpenAPI 3.2's, not 3.1's
    assert set(stream["x-events"]) == {"stage", "kept", "result", "problem"}
    assert stream["schema"]["properties"]["event"]["enum"] == list(stream["x-events"])
    blocks = [dict(line.split(": ", 1) for line in block.splitlines())
              for block in stream["example"].split("\n\n") if block]
    assert [b["event"] for b in blocks][-1] == "result"
    for b in blocks[:-1]:
        assert b["event"] == "stage"
        assert StageEvent.model_validate_json(b["data"]).stage in STAGES
    assert DraftResult.model_validate_json(blocks[-1]["data"])
