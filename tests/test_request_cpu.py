"""Per-request CPU work cut for issue 17 (API throughput), each change checked for what it must
not change: the same cleaning, the same channels, no thread hop for a dependency."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from drafter.api.app import create_app
from drafter.config import Settings
from drafter.links import find_channels
from drafter.model.testing import ScriptedModel, reply_json
from drafter.textclean import CleanText, clean_text


def _per_character(raw: str) -> CleanText:
    """clean_text's rule spelled out one character at a time (as it was before its ASCII fast
    path)."""
    text = unicodedata.normalize("NFKC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    kept = [ch for ch in text if not (unicodedata.category(ch) in {"Cf", "Co", "Cn", "Cs"} or (
        unicodedata.category(ch) == "Cc" and ch not in "\n\t"))]
    out = re.sub(r"[ \t\u00a0]+", " ", "".join(kept))
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in out.split("\n")))
    return CleanText(text=out.strip(), removed=len(text) - len(kept))


def test_ascii_text_is_cleaned_exactly_as_character_by_character() -> None:
    rnd = random.Random(17)
    samples = ["plain words", "tab\there", "bell\x07 and del\x7f", "\x00\x1f\x0b\x0c\n\n\n", ""]
    samples += ["".join(chr(rnd.randrange(128)) for _ in range(rnd.randrange(80)))
                for _ in range(3000)]
    samples += ["caf\u00e9\u200b and \x07", "\U000e0041 tag"]  # not ASCII: the loop
    for raw in samples:
        assert clean_text(raw) == _per_character(raw), repr(raw)


def test_find_channels_gives_each_caller_its_own_list() -> None:
    text = "Write to sam@example.org or see https://example.org/notes."
    first = find_channels(text)
    first.clear()  # a caller that changes its list changes no later caller's
    again = find_channels(text)
    assert [c.text for c in again] == ["sam@example.org", "https://example.org/notes"]
    long_text = "x " * 3_000 + "call +44 20 7946 0958"
    assert [c.kind for c in find_channels(long_text)] == ["phone"]


def test_drafting_runs_no_dependency_in_the_thread_pool(
        tmp_path: Path, example_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # FastAPI runs a plain `def` dependency in its thread pool: a thread hop per dependency
    # per request, for dependencies that only read the app's state.
    import fastapi.dependencies.utils as solving

    hops: list[str] = []
    real = solving.run_in_threadpool

    async def counted(call: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(call, "__name__", repr(call)))
        return await real(call, *args, **kwargs)

    monkeypatch.setattr(solving, "run_in_threadpool", counted)
    settings = Settings(model="fake/scripted", cache_dir=tmp_path, rate_limit_per_minute=0)
    client = TestClient(create_app(settings, client=ScriptedModel([reply_json()])))
    for path in ("/v1/drafts", "/v1/drafts/stream"):
        assert client.post(path, json=example_data).status_code == 200
    assert hops == []
