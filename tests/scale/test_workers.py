"""``drafter serve --workers N``: uvicorn gets an import string and a factory (so it can start
worker processes), each worker builds its app from the settings layer, and the embedded model
is refused with several workers unless the opt-in setting says otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from drafter.cli import main


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    import uvicorn

    seen: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.append((app, kwargs)))
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)  # process-wide
    for name in ("DRAFTER_MODEL", "DRAFTER_WORKERS", "DRAFTER_ALLOW_EMBEDDED_WORKERS",
                 "DRAFTER_API_KEYS", "DRAFTER_ALLOW_OPEN_NETWORK"):
        monkeypatch.delenv(name, raising=False)
    return seen


def test_serve_hands_uvicorn_a_factory_and_the_workers(
        runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_MODEL", "openai/gpt-4o-mini")
    assert main(["serve", "--port", "0", "--workers", "3"]) == 0
    [(app, kwargs)] = runs
    assert app == "drafter.api.app:serve_app"
    assert kwargs["factory"] is True
    assert kwargs["workers"] == 3


def test_a_worker_builds_its_app_from_the_settings_the_cli_was_given(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from uvicorn.importer import import_from_string

    infos: list[dict[str, Any]] = []

    def worker(app: str, **kwargs: Any) -> None:
        # What each worker process does: import the string, call the factory.
        with TestClient(import_from_string(app)()) as client:
            infos.append(client.get("/v1/info").json())

    monkeypatch.setattr(uvicorn, "run", worker)
    monkeypatch.setattr("drafter.logs.configure_logging", lambda: None)
    monkeypatch.setenv("DRAFTER_MODEL", "openai/gpt-4o-mini")
    assert main(["serve", "--port", "0", "--model", "ollama/llama3.1", "--workers", "2"]) == 0
    assert infos[0]["model"] == "ollama/llama3.1"
    from drafter.config import load_settings

    assert load_settings().model == "openai/gpt-4o-mini"  # the environment is as it was


def test_workers_default_to_one(runs: list[tuple[Any, dict[str, Any]]]) -> None:
    assert main(["serve", "--port", "0"]) == 0  # the embedded model, one worker: fine
    assert runs[0][1]["workers"] == 1


@pytest.mark.parametrize("how", [["--workers", "2"], ["env"]])
def test_several_workers_on_the_embedded_model_are_refused_with_the_cost(
        how: list[str], runs: list[tuple[Any, dict[str, Any]]],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["serve", "--port", "0"]
    if how == ["env"]:
        monkeypatch.setenv("DRAFTER_WORKERS", "2")
    else:
        argv += how
    assert main(argv) == 3
    assert runs == []  # nothing started, nothing loaded
    err = capsys.readouterr().err
    for words in ("DRAFTER_WORKERS", "DRAFTER_MODEL", "2 copies", "1.1 GB", "every core",
                  "one worker", "llama.cpp server", "Ollama", "DRAFTER_ALLOW_EMBEDDED_WORKERS"):
        assert words in err, words


def test_the_opt_in_runs_the_embedded_model_on_several_workers(
        runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_ALLOW_EMBEDDED_WORKERS", "true")
    assert main(["serve", "--port", "0", "--workers", "2"]) == 0
    assert runs[0][1]["workers"] == 2


def test_a_bad_worker_count_names_the_setting(
        runs: list[tuple[Any, dict[str, Any]]], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--port", "0", "--workers", "0"])
    assert stopped.value.code == 2
    assert runs == []
    assert "--workers: 0 is not a whole number of at least 1" in capsys.readouterr().err
