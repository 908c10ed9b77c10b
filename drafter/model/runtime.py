"""The llama.cpp runtime of the embedded models: one context per process, in-process.

Prompt processing dominates a short draft on a CPU, and every request of a channel starts
with the same system prompt. ``EmbeddedRuntime`` therefore keeps the llama.cpp state (KV cache)
of that shared prefix in a file under ``state_dir`` (keyed by the model file, llama.cpp's
version, ``n_ctx`` and the exact prefix tokens) and restores it in the next process, so a CLI
run only evaluates the request-specific part. Within one process llama-cpp-python reuses the
longest common token prefix of consecutive prompts by itself (variants, repairs). A restored
prefix is used only where its tokens equal the prompt's, so a stale file cannot change output
beyond what any reuse of the KV cache does.

This module does not import litellm; ``drafter.model.litellm_client`` adapts it as a litellm
provider. The weights it loads come from ``drafter.model.weights``.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib
import os
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.config import Decoding
from drafter.errors import ConfigError
from drafter.model import guided
from drafter.model.registry import INSTALL_HINT
from drafter.model.weights import check_sha256

__all__ = ["ChatOutput", "Decoding", "EmbeddedRuntime", "get_runtime"]




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
                              f"{INSTALL_HINT}") from exc
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
        JSON structure, the model only the values: ``drafter.model.guided``), "grammar" (llama.cpp's
        grammar sampler: exact but several times slower here) or "free" (validated later)."""
        with self._lock:
            # The lock may have been held for a whole other draft: a caller whose deadline
            # passed meanwhile is not worth a prompt evaluation of seconds (threat #38).
            if deadline is not None and time.monotonic() >= deadline:
                return ChatOutput(text="", finish_reason="deadline", prompt_tokens=0,
                                  completion_tokens=0, sampled_tokens=0)
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
        """The prompt's tokens before the first user message (the system part), or [];
        for a prompt with worked examples (the goal-size and introduction calls: earlier user
        turns, answered in a word or in sentences), before the last user message, since the
        examples are as fixed as the system part. A repair's one earlier assistant turn is a
        whole draft: not an example.
        ``prompt`` is ``messages`` rendered (``_formatted``), ``full`` its tokens."""
        if (prompt is None or len(messages) < 2 or messages[0]["role"] != "system"
                or messages[1]["role"] != "user" or not messages[1]["content"]):
            return []
        cut = prompt.find(messages[1]["content"])
        answers = [m["content"] for m in messages[1:-1] if m["role"] == "assistant"]
        # Worked examples are several answered turns (the introduction call's are sentences)
        # or short ones; a repair answers once, with a whole draft.
        if (answers and messages[-1]["role"] == "user" and messages[-1]["content"]
                and (len(answers) >= 2
                     or all(len(a) <= _EXAMPLE_ANSWER_CHARS for a in answers))):
            cut = prompt.rfind(messages[-1]["content"])
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


_EXAMPLE_ANSWER_CHARS = 16  # "BIG", "SMALL": a worked example's answer, never a draft


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
                check_sha256(path, expected_sha256)
            _RUNTIMES[key] = EmbeddedRuntime(path, n_ctx=n_ctx, n_threads=n_threads,
                                             state_dir=state_dir)
        return _RUNTIMES[key]
