"""The API's history (issue 16): each API key sees, reads and deletes its own drafts only, on a
real SQLite file and a real PostgreSQL database; a server without a database or without keys
stores nothing and says so."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine, select, text

from drafter.api.app import create_app
from drafter.api.history import owner_of
from drafter.config import Settings
from drafter.history.schema import DraftRow
from drafter.history.store import History, open_api_history
from drafter.model.testing import EXAMPLE_LINE, ScriptedModel, reply_json
from tests.history.conftest import BACKENDS
from tests.history.helpers import EXAMPLE

Serving = Callable[[Settings], TestClient]
KEY_A = "key-a-0123456789abcdef"
KEY_B = "key-b-fedcba9876543210"
A = {"X-API-Key": KEY_A}
B = {"X-API-Key": KEY_B}


def _settings(tmp_path: Path, *, url: str | None, keys: str | None = f"{KEY_A},{KEY_B}",
              **extra: Any) -> Settings:
    return Settings(model="fake/scripted", cache_dir=tmp_path / "cache",
                    data_dir=tmp_path / "data", config_dir=tmp_path / "config",
                    api_history_url=SecretStr(url) if url else None,
                    api_keys=SecretStr(keys) if keys else None, rate_limit_per_minute=0,
                    **extra)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_url")
        return url
    return f"sqlite:///{tmp_path / 'api-history.sqlite3'}"


@pytest.fixture
def serving() -> Iterator[Callable[[Settings], TestClient]]:
    """Apps run with their lifespan, so each closes its database (and its connections)."""
    opened: list[TestClient] = []

    def start(settings: Settings) -> TestClient:
        client = TestClient(create_app(settings, client=ScriptedModel([reply_json()])))
        client.__enter__()
        opened.append(client)
        return client

    yield start
    for client in opened:
        client.__exit__(None, None, None)


def _request(name: str = "Dana Li") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    data["recipient"]["name"] = name
    return data


def _draft(client: TestClient, headers: dict[str, str], name: str = "Dana Li") -> int:
    r = client.post("/v1/drafts", json=_request(name), headers=headers)
    assert r.status_code == 200, r.text
    location = r.headers["location"]
    assert location.startswith("/v1/drafts/")
    return int(location.rsplit("/", 1)[1])


def _ids(client: TestClient, headers: dict[str, str]) -> list[int]:
    r = client.get("/v1/drafts", headers=headers)
    assert r.status_code == 200, r.text
    return [d["id"] for d in r.json()["drafts"]]


def _without_request_id(r: Any) -> dict[str, Any]:
    body: dict[str, Any] = r.json()
    body.pop("request_id")
    return body


def test_case57_two_keys_each_see_only_their_own_drafts(
        db_url: str, serving: Serving, tmp_path: Path) -> None:
    client = serving(_settings(tmp_path, url=db_url))
    a1 = _draft(client, A, "Dana Li")
    b1 = _draft(client, B, "Ravi Shah")
    a2 = _draft(client, A, "Mei Chen")

    # list: each key its own, newest first
    assert _ids(client, A) == [a2, a1]
    assert _ids(client, B) == [b1]
    assert [d["recipient"] for d in client.get("/v1/drafts", headers=A).json()["drafts"]] \
        == ["Mei Chen", "Dana Li"]

    # get: one's own in full; another key's is 404, exactly like an id never used
    mine = client.get(f"/v1/drafts/{a1}", headers=A)
    assert mine.status_code == 200
    assert mine.json()["request"]["recipient"]["name"] == "Dana Li"
    assert mine.json()["result"]["drafts"][0]["body"]
    theirs = client.get(f"/v1/drafts/{b1}", headers=A)
    nobody = client.get("/v1/drafts/999999", headers=A)
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert _without_request_id(theirs)["type"] == "urn:drafter:problem:not-found"
    assert _without_request_id(theirs) == {**_without_request_id(nobody),
                                           "detail": _without_request_id(nobody)["detail"]
                                           .replace("999999", str(b1))}

    # delete: another key's is 404 and stays; one's own is gone for real
    assert client.delete(f"/v1/drafts/{b1}", headers=A).status_code == 404
    assert client.get(f"/v1/drafts/{b1}", headers=B).status_code == 200
    gone = client.delete(f"/v1/drafts/{a1}", headers=A)
    assert gone.status_code == 204 and gone.content == b""
    assert client.get(f"/v1/drafts/{a1}", headers=A).status_code == 404
    assert client.delete(f"/v1/drafts/{a1}", headers=A).status_code == 404
    assert _ids(client, A) == [a2]
    assert _ids(client, B) == [b1]
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert sorted(conn.execute(select(DraftRow.id)).scalars()) == sorted([a2, b1])
    finally:
        engine.dispose()


def test_case58_the_owner_stored_is_a_digest_of_the_key_never_the_key(
        serving: Serving, tmp_path: Path) -> None:
    path = tmp_path / "api.sqlite3"
    client = serving(_settings(tmp_path, url=f"sqlite:///{path}"))
    _draft(client, A)
    _draft(client, B)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            owners = set(conn.execute(select(DraftRow.owner)).scalars())
    finally:
        engine.dispose()
    assert owners == {owner_of(KEY_A), owner_of(KEY_B)}
    assert all(o is not None and len(o) == 64 for o in owners)
    raw = path.read_bytes()
    assert KEY_A.encode() not in raw and KEY_B.encode() not in raw


def test_the_list_is_paginated(serving: Serving, tmp_path: Path) -> None:
    client = serving(_settings(tmp_path, url=f"sqlite:///{tmp_path / 'api.sqlite3'}"))
    ids = [_draft(client, A, name) for name in ("One A", "Two B", "Three C")]
    first = client.get("/v1/drafts?limit=2", headers=A).json()
    assert [d["id"] for d in first["drafts"]] == ids[::-1][:2]
    assert (first["limit"], first["offset"], first["next_offset"]) == (2, 0, 2)
    last = client.get("/v1/drafts?limit=2&offset=2", headers=A).json()
    assert [d["id"] for d in last["drafts"]] == [ids[0]]
    assert last["next_offset"] is None
    bad = client.get("/v1/drafts?limit=1000", headers=A)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["query.limit"]
    for wrong in ("abc", "0"):
        r = client.get(f"/v1/drafts/{wrong}", headers=A)
        assert r.status_code == 422, wrong


def test_case57_outcomes_are_recorded_for_ones_own_drafts_only(
        db_url: str, serving: Serving, tmp_path: Path) -> None:
    client = serving(_settings(tmp_path, url=db_url))
    a1 = _draft(client, A)
    r = client.post(f"/v1/drafts/{a1}/outcome", json={"outcome": "replied"}, headers=A)
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["outcome_variant"]) == ("replied", 1)
    assert client.get("/v1/drafts", headers=A).json()["drafts"][0]["outcome"] == "replied"
    other = client.post(f"/v1/drafts/{a1}/outcome", json={"outcome": "bounced"}, headers=B)
    assert other.status_code == 404
    assert client.get(f"/v1/drafts/{a1}", headers=A).json()["outcome"] == "replied"
    unknown = client.post(f"/v1/drafts/{a1}/outcome", json={"outcome": "ghosted"}, headers=A)
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["outcome"]
    variants = len(client.get(f"/v1/drafts/{a1}", headers=A).json()["result"]["drafts"])
    beyond = client.post(f"/v1/drafts/{a1}/outcome",
                         json={"outcome": "sent", "variant": variants + 1}, headers=A)
    assert beyond.status_code == 422
    assert [e["field"] for e in beyond.json()["errors"]] == ["variant"]


def test_case59_without_a_database_nothing_is_stored_and_the_routes_say_so(
        serving: Serving, tmp_path: Path) -> None:
    client = serving(_settings(tmp_path, url=None))
    r = client.post("/v1/drafts", json=_request(), headers=A)
    assert r.status_code == 200 and "location" not in r.headers
    for method, path in (("GET", "/v1/drafts"), ("GET", "/v1/drafts/1"),
                         ("DELETE", "/v1/drafts/1")):
        off = client.request(method, path, headers=A)
        assert off.status_code == 501, (method, path)
        assert off.headers["content-type"] == "application/problem+json"
        assert off.json()["type"] == "urn:drafter:problem:history-off"
        assert "DRAFTER_API_HISTORY_URL" in off.json()["detail"]
    off = client.post("/v1/drafts/1/outcome", json={"outcome": "sent"}, headers=A)
    assert off.status_code == 501
    assert not (tmp_path / "data").exists()  # not even the CLI's history was opened


def test_case59_without_api_keys_the_routes_are_refused_and_nothing_is_stored(
        serving: Serving, tmp_path: Path) -> None:
    path = tmp_path / "api.sqlite3"
    settings = _settings(tmp_path, url=f"sqlite:///{path}", keys=None)
    client = serving(settings)
    r = client.post("/v1/drafts", json=_request())
    assert r.status_code == 200 and "location" not in r.headers
    off = client.get("/v1/drafts")
    assert off.status_code == 501
    assert off.json()["type"] == "urn:drafter:problem:history-off"
    assert "DRAFTER_API_KEYS" in off.json()["detail"]
    history = open_api_history(settings)
    assert history is not None
    with history, history.engine.connect() as conn:
        assert list(conn.execute(select(DraftRow.id))) == []


def test_a_key_is_still_required_on_the_history_routes(serving: Serving, tmp_path: Path) -> None:
    client = serving(_settings(tmp_path, url=f"sqlite:///{tmp_path / 'api.sqlite3'}"))
    assert client.get("/v1/drafts").status_code == 401
    assert client.get("/v1/drafts", headers={"X-API-Key": "not-a-key"}).status_code == 401


def test_the_cli_and_the_api_do_not_see_each_others_drafts(
        serving: Serving, tmp_path: Path) -> None:
    # One database given to both (a setting mistake): each still sees only its own.
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    client = serving(_settings(tmp_path, url=url))
    api_id = _draft(client, A)
    engine = create_engine(url)
    cli = History(engine)
    try:
        assert cli.entries() == []
        request, result = _cli_example()
        cli_id = cli.add(request, result)
        assert _ids(client, A) == [api_id]
        assert client.get(f"/v1/drafts/{cli_id}", headers=A).status_code == 404
        assert [e.id for e in cli.entries()] == [cli_id]
        assert cli.forget_all() == 1
        assert _ids(client, A) == [api_id]
    finally:
        engine.dispose()


def _cli_example() -> Any:
    from tests.history.helpers import example

    return example()


def test_case60_message_texts_and_keys_never_reach_the_logs(
        serving: Serving, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = serving(_settings(tmp_path, url=f"sqlite:///{tmp_path / 'api.sqlite3'}"))
    a1 = _draft(client, A)
    body = client.get(f"/v1/drafts/{a1}", headers=A).json()["result"]["drafts"][0]["body"]
    client.get("/v1/drafts", headers=A)
    client.post(f"/v1/drafts/{a1}/outcome", json={"outcome": "sent"}, headers=A)
    client.delete(f"/v1/drafts/{a1}", headers=A)
    logged = "\n".join(f"{r.getMessage()} {r.args} {r.__dict__}" for r in caplog.records)
    assert "/v1/drafts" in logged  # the request lines were captured
    goal = _request()["goal"]
    for secret in (body[:40], goal, EXAMPLE_LINE, "Dana Li", KEY_A, owner_of(KEY_A)):
        assert secret not in logged, secret


def test_a_wrong_method_names_every_method_of_the_path(
        serving: Serving, tmp_path: Path) -> None:
    # GET and POST /v1/drafts are two routes: 405 must list both (RFC 9110), not the first's.
    client = serving(_settings(tmp_path, url=None))
    assert client.put("/v1/drafts", headers=A).headers["allow"] == "GET, POST"
    assert client.post("/v1/drafts/1", headers=A).headers["allow"] == "DELETE, GET"
    assert client.post("/v1/info", headers=A).headers["allow"] == "GET"


def test_a_database_failing_after_it_was_opened_is_a_503_not_a_500(
        serving: Serving, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.sqlite3'}"
    client = serving(_settings(tmp_path, url=url))
    a1 = _draft(client, A)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE drafts"))
    finally:
        engine.dispose()
    for method, path in (("GET", "/v1/drafts"), ("GET", f"/v1/drafts/{a1}"),
                         ("DELETE", f"/v1/drafts/{a1}")):
        r = client.request(method, path, headers=A)
        assert r.status_code == 503, (method, path, r.text)
        assert r.json()["type"] == "urn:drafter:problem:configuration-error"
        assert "DRAFTER_API_HISTORY_URL" in r.json()["detail"]
    # Drafting goes on: the draft is returned, only not kept (no Location).
    r = client.post("/v1/drafts", json=_request(), headers=A)
    assert r.status_code == 200 and "location" not in r.headers


def test_a_database_that_cannot_be_opened_stops_no_draft(
        serving: Serving, tmp_path: Path) -> None:
    (tmp_path / "not-a-db").write_bytes(b"this is not a database" * 100)
    client = serving(_settings(tmp_path, url=f"sqlite:///{tmp_path / 'not-a-db'}"))
    r = client.post("/v1/drafts", json=_request(), headers=A)
    assert r.status_code == 200 and "location" not in r.headers
    listed = client.get("/v1/drafts", headers=A)
    assert listed.status_code == 503
    assert "DRAFTER_API_HISTORY_URL" in listed.json()["detail"]


def test_a_cli_history_made_before_owners_keeps_its_drafts(tmp_path: Path) -> None:
    from alembic import command

    from drafter.history import migrate
    from drafter.history.store import open_history

    settings = Settings(data_dir=tmp_path / "data", config_dir=tmp_path / "config")
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{path}")
    config = migrate._config()
    request, result = _cli_example()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "r0001")  # the schema before this change, and a row in it
        conn.execute(text(
            "INSERT INTO drafts (created_at, recipient, channel, model, prompt_version, "
            "verdict, request_json, result_json) VALUES ('2026-11-30 10:00:00', 'Dana Li', "
            "'email', 'fake/scripted', 'p', 'acceptable', :request, :result)"),
            {"request": request.model_dump_json(), "result": result.model_dump_json()})
    engine.dispose()
    history = open_history(settings)
    assert history is not None
    with history:
        assert migrate.current_revision(history.engine) == migrate.head_revision()
        assert [e.recipient for e in history.entries()] == ["Dana Li"]
