"""Model clients for the eval tiers: replay, recording, caching and repeat wrappers.

Every wrapper implements ``drafter.model.protocol.ModelClient``. A model call is keyed by
everything that changes its output: the model id, the prompt template hash, a hash of the
rendered messages, the parameters (max_tokens, temperature, seed, JSON schema) and the repeat
index (plus the base URL and weights file for the cache). Replay fixtures live in
``evals/fixtures/<model>/<template hash>/<case id>.json``; a call with no recorded reply raises
:class:`FixtureMissing`, which the runner reports as an error for that case, never a pass.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drafter.errors import ModelError
from drafter.evals.files import write_atomic
from drafter.model.protocol import Completion, CompletionRequest, ModelClient

__all__ = [
    "CachingClient",
    "CallStats",
    "FillingClient",
    "FixtureMissing",
    "RecordingClient",
    "RepeatClient",
    "ReplayClient",
    "call_key",
    "fixture_path",
]

REPEAT_STRIDE = 1000  # repeat r shifts seed and repeat_index by r * REPEAT_STRIDE
FIXTURE_FORMAT = 1


class FixtureMissing(ModelError):
    code = "fixture-missing"
    title = "No recorded model output"


def _sha(data: object) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def _parts(model: str, template_hash: str, request: CompletionRequest) -> dict[str, Any]:
    return {
        "model": model,
        "template_hash": template_hash,
        "messages_sha": _sha([m.model_dump() for m in request.messages])[:16],
        "params": {"max_tokens": request.max_tokens, "temperature": request.temperature,
                   "seed": request.seed,
                   "schema_sha": _sha(request.json_schema)[:12] if request.json_schema else None},
        "repeat_index": request.repeat_index,
    }


def call_key(model: str, template_hash: str, request: CompletionRequest,
             **extra: str | None) -> str:
    """The key of one model call (hex sha256 over every input that changes the output)."""
    return _sha({**_parts(model, template_hash, request), **extra})[:24]


def model_slug(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_") or "model"


def fixture_path(root: Path, model: str, template_hash: str, case_id: str) -> Path:
    return root / model_slug(model) / template_hash / f"{case_id}.json"


def _entry(key: str, parts: dict[str, Any], c: Completion) -> dict[str, Any]:
    return {"key": key, **parts, "text": c.text, "finish_reason": c.finish_reason,
            "prompt_tokens": c.prompt_tokens, "completion_tokens": c.completion_tokens,
            "seconds": round(c.seconds, 3)}


def _completion(entry: dict[str, Any], model: str, **extra: Any) -> Completion:
    return Completion(text=str(entry["text"]), model=model, finish_reason=entry["finish_reason"],
                      prompt_tokens=int(entry["prompt_tokens"]),
                      completion_tokens=int(entry["completion_tokens"]),
                      seconds=float(entry["seconds"]), extra=extra)


@dataclass
class CallStats:
    """Shared counters across a run (the pipeline's Usage covers tokens and seconds)."""

    cache_hits: int = 0
    cache_misses: int = 0
    replayed: int = 0
    recorded: int = 0


class ReplayClient:
    """Answers from recorded fixtures only; no model is loaded."""

    def __init__(self, root: Path, model: str, template_hash: str, case_id: str,
                 stats: CallStats | None = None) -> None:
        self._model, self._hash, self._case = model, template_hash, case_id
        self._path = fixture_path(root, model, template_hash, case_id)
        self._stats = stats or CallStats()
        calls: list[dict[str, Any]] = []
        if self._path.is_file():
            calls = json.loads(self._path.read_text(encoding="utf-8")).get("calls", [])
        self._calls = {str(c["key"]): c for c in calls}

    @property
    def model_id(self) -> str:
        return self._model

    async def complete(self, request: CompletionRequest) -> Completion:
        return self.lookup(request)

    def lookup(self, request: CompletionRequest) -> Completion:
        """The recorded reply, without an event loop (``complete`` is this, awaited)."""
        key = call_key(self._model, self._hash, request)
        entry = self._calls.get(key)
        if entry is None:
            where = ("no fixture file" if not self._path.is_file()
                     else "no recorded call with this key")
            raise FixtureMissing(
                f"{where} for case {self._case} (model {self._model}, template hash "
                f"{self._hash}, repeat {request.repeat_index}, key {key}); the prompt or "
                "parameters changed since recording: re-record with "
                "`drafter eval --tier local --record`")
        self._stats.replayed += 1
        return _completion(entry, self._model, replayed=True)


@dataclass
class RecordingClient:
    """Passes calls to a real client and keeps every successful reply for one case."""

    inner: ModelClient
    template_hash: str
    calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    async def complete(self, request: CompletionRequest) -> Completion:
        completion = await self.inner.complete(request)
        parts = _parts(self.model_id, self.template_hash, request)
        key = call_key(self.model_id, self.template_hash, request)
        self.calls.append(_entry(key, parts, completion))
        return completion

    def save(self, root: Path, case_id: str) -> Path:
        """Write this case's fixture file (replacing an older recording of the same hash)."""
        path = fixture_path(root, self.model_id, self.template_hash, case_id)
        unique = {c["key"]: c for c in self.calls}
        doc = {"format": FIXTURE_FORMAT, "case_id": case_id, "model": self.model_id,
               "template_hash": self.template_hash,
               "calls": [unique[k] for k in sorted(unique)]}
        return write_atomic(path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class FillingClient:
    """Replays a case's recorded calls and asks ``live`` only for the ones missing (``eval
    --record --fill``): a new stage's call is added to a fixture without re-drafting what did
    not change, and a changed prompt is recorded afresh."""

    recorded: ReplayClient
    live: ModelClient

    @property
    def model_id(self) -> str:
        return self.live.model_id

    async def complete(self, request: CompletionRequest) -> Completion:
        try:
            return await self.recorded.complete(request)
        except FixtureMissing:
            return await self.live.complete(request)


class CachingClient:
    """A disk cache of successful model calls; errors are never cached."""

    def __init__(self, inner: ModelClient, cache_dir: Path, template_hash: str,
                 stats: CallStats, **key_extra: str | None) -> None:
        self._inner, self._dir, self._hash = inner, cache_dir, template_hash
        self._stats, self._extra = stats, key_extra

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    async def complete(self, request: CompletionRequest) -> Completion:
        key = call_key(self.model_id, self._hash, request, **self._extra)
        path = self._dir / key[:2] / f"{key}.json"
        cached = _read_entry(path)
        if cached is not None:
            self._stats.cache_hits += 1
            return _completion(cached, self.model_id, cached=True)
        completion = await self._inner.complete(request)  # raises: nothing is written
        self._stats.cache_misses += 1
        entry = _entry(key, _parts(self.model_id, self._hash, request), completion)
        # Another process may write the same key at the same moment: each writes its own
        # temporary file and the last rename wins (both hold the same call's reply).
        write_atomic(path, json.dumps(entry, ensure_ascii=False))
        return completion


def _read_entry(path: Path) -> dict[str, Any] | None:
    """A cached call, or None when there is none or it is unreadable (a file left half written
    by an older drafter is a miss, rewritten after the call, not a case error)."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    keys = ("text", "finish_reason", "prompt_tokens", "completion_tokens", "seconds")
    return entry if isinstance(entry, dict) and all(k in entry for k in keys) else None


@dataclass(frozen=True)
class RepeatClient:
    """Repeat ``r`` of a case gets its own seed and repeat index (so caches keep them apart)."""

    inner: ModelClient
    repeat: int

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    async def complete(self, request: CompletionRequest) -> Completion:
        if self.repeat:
            shift = self.repeat * REPEAT_STRIDE
            request = replace(request, seed=(request.seed or 0) + shift,
                              repeat_index=request.repeat_index + shift)
        return await self.inner.complete(request)
