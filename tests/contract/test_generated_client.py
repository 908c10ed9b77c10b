"""An integrator's first hour: generate a client from /openapi.json with a maintained generator
(openapi-python-client, into a temporary folder), then draft with it against a running server
(uvicorn on a free port; the model is the scripted fake) and get a typed problem back for an
error."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from drafter.about import prompt_version
from drafter.api.app import create_app
from drafter.config import Settings
from drafter.model.testing import EXAMPLE_LINE, ScriptedModel, reply_json
from tests.serving import serve

KEY = "contract-key-1"
PACKAGE = "drafter_contract_client"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(model="fake/scripted", cache_dir=tmp_path_factory.mktemp("cache"),
                        api_keys=SecretStr(KEY), rate_limit_per_minute=0)
    with serve(create_app(settings, client=ScriptedModel([reply_json()]))) as url:
        yield url


@pytest.fixture(scope="module")
def generated(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package, generated from what the running server serves."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "openapi.json"
    schema.write_text(httpx.get(f"{server}/openapi.json").text, encoding="utf-8")
    config = folder / "config.json"
    config.write_text(json.dumps({"package_name_override": PACKAGE, "post_hooks": []}))
    run = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema),
         "--config", str(config), "--meta", "none", "--fail-on-warning",
         "--output-path", str(folder / PACKAGE)],
        capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def part(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{name}")


def authorized(package: ModuleType, url: str) -> Any:
    """The generator's client for a header key: the key alone, no "Bearer" prefix. Used as a
    context manager, so its connections are closed."""
    return package.AuthenticatedClient(base_url=url, token=KEY, prefix="",
                                       auth_header_name="X-API-Key", timeout=60.0)


def test_the_generated_client_drafts(generated: ModuleType, server: str,
                                     example_data: dict[str, Any]) -> None:
    models = part(generated, "models")
    create_draft = part(generated, "api.default.create_draft")
    body = models.DraftRequest.from_dict(example_data)
    with authorized(generated, server) as client:
        response = create_draft.sync_detailed(client=client, body=body)
    assert response.status_code == 200, response.content
    result = response.parsed
    assert isinstance(result, models.DraftResult)
    draft = result.drafts[0]
    assert draft.body.startswith("Hi Dana")
    assert EXAMPLE_LINE in draft.references[0].quote
    assert result.prompt_version == prompt_version()
    # Drafts are private text: no cache may keep them.
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_invalid_request_comes_back_as_a_typed_problem(
        generated: ModuleType, server: str, example_data: dict[str, Any]) -> None:
    models = part(generated, "models")
    create_draft = part(generated, "api.default.create_draft")
    body = models.DraftRequest.from_dict({**example_data, "variants": 9})
    with authorized(generated, server) as client:
        response = create_draft.sync_detailed(client=client, body=body)
    assert response.status_code == 422
    problem = response.parsed
    assert isinstance(problem, models.Problem)
    assert problem.type_ == "urn:drafter:problem:invalid-request"
    assert problem.status == 422
    assert [e.field for e in problem.errors] == ["variants"]
    assert isinstance(problem.errors[0], models.FieldError)


def test_a_missing_key_comes_back_as_a_typed_problem(generated: ModuleType,
                                                     server: str) -> None:
    models = part(generated, "models")
    get_info = part(generated, "api.default.get_info")
    with generated.Client(base_url=server) as client:
        response = get_info.sync_detailed(client=client)
    assert response.status_code == 401
    assert isinstance(response.parsed, models.Problem)
    assert response.parsed.type_ == "urn:drafter:problem:unauthorized"


def test_the_generated_client_reads_what_the_server_runs(generated: ModuleType,
                                                        server: str) -> None:
    models = part(generated, "models")
    get_info = part(generated, "api.default.get_info")
    with authorized(generated, server) as client:
        info = get_info.sync(client=client)
    assert isinstance(info, models.ServiceInfo)
    assert info.model == "fake/scripted" and info.api_keys_required is True
    assert {c.name.value: c.limit for c in info.channels}["linkedin_note"] == 300
