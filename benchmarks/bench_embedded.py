"""The embedded model (Qwen2.5-Coder 1.5B, llama.cpp on the CPU): figures 5 and 6.

Figure 5, decode speed inside drafter vs raw llama-cpp-python: the same loaded model, the
same rendered prompt of the bundled example, free decoding (no schema enforcement), sampling
and seed. drafter's side goes through everything a draft uses (``LiteLLMClient`` -> litellm ->
the ``embedded`` provider -> ``EmbeddedRuntime.chat``, streamed); the raw side calls
``Llama.create_chat_completion`` directly. Decode rate = completion tokens / (wall time -
prompt-processing time from llama.cpp's own counters). The two alternate for ``--rounds``.

Figure 6, the first email draft of a fresh process (``pipeline.draft`` of the bundled example,
model already assembled), in child processes: without the persistent prefix cache, the first
run that writes it, and a run that restores it, all with guided JSON decoding (the default);
the baseline is the same restored-cache run with free decoding (the model writes the whole
JSON, as before ``drafter.model.guided``). Each reports prompt tokens, prompt-processing and
decode time (llama.cpp's counters).

Run: python benchmarks/bench_embedded.py [--rounds N] [--max-tokens N] [--only 5|6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import example_json, example_messages, header, median, row

from drafter.model.registry import QWEN

MODEL = QWEN.id


def _perf(llama: Any) -> dict[str, float]:
    import llama_cpp

    p = llama_cpp.llama_perf_context(llama._ctx.ctx)
    return {"n_p_eval": p.n_p_eval, "t_p_eval_ms": p.t_p_eval_ms, "n_eval": p.n_eval,
            "t_eval_ms": p.t_eval_ms}


def _reset_perf(llama: Any) -> None:
    import llama_cpp

    llama_cpp.llama_perf_context_reset(llama._ctx.ctx)


def _weights(settings: Any) -> Path:
    from drafter.model.weights import resolve_weights

    return resolve_weights(QWEN.name, cache_dir=settings.cache_dir,
                           model_path=settings.model_path)


def decode_speed(rounds: int, max_tokens: int) -> None:

    from drafter.config import load_settings
    from drafter.model.litellm_client import LiteLLMClient
    from drafter.model.protocol import CompletionRequest
    from drafter.model.runtime import get_runtime
    from drafter.types import Message

    settings = load_settings(model=MODEL, embedded_decoding="free")
    path = _weights(settings)
    messages, schema = example_messages()
    # One loaded model for both sides: two llama.cpp contexts in one process compete for the
    # two cores (an idle context's threads still spin), which skews whichever runs second.
    # Without the prefix cache both sides evaluate the whole prompt (figure 6 measures it).
    rt = get_runtime(path, n_ctx=settings.n_ctx, n_threads=settings.n_threads,
                     expected_sha256=QWEN.sha256)
    rt._state_dir = None
    threads = rt._llama.n_threads
    client = LiteLLMClient(settings)
    raw = rt._llama
    request = CompletionRequest(messages=[Message(**m) for m in messages],
                                max_tokens=max_tokens, temperature=settings.temperature,
                                seed=settings.seed, json_schema=schema)

    def run_raw() -> tuple[int, float, float]:
        raw.reset()
        _reset_perf(raw)
        t0 = time.perf_counter()
        # From a worker thread, as drafter calls it: llama.cpp's OpenMP threads decode ~25%
        # slower when one process calls it from both the main thread and a worker thread.
        out = asyncio.run(asyncio.to_thread(
            raw.create_chat_completion, messages=messages, max_tokens=max_tokens,
            temperature=settings.temperature, seed=settings.seed))
        wall = time.perf_counter() - t0
        return out["usage"]["completion_tokens"], wall, _perf(raw)["t_p_eval_ms"] / 1000

    def run_drafter() -> tuple[int, float, float]:
        rt._llama.reset()
        _reset_perf(rt._llama)
        t0 = time.perf_counter()
        c = asyncio.run(client.complete(request))
        wall = time.perf_counter() - t0
        return c.completion_tokens, wall, _perf(rt._llama)["t_p_eval_ms"] / 1000

    run_raw()  # warm-up: page cache, grammar, first-call allocations
    run_drafter()
    rates: dict[str, list[float]] = {"raw": [], "drafter": []}
    for _ in range(rounds):
        for name, fn in (("raw", run_raw), ("drafter", run_drafter)):
            n, wall, prompt_s = fn()
            rates[name].append(n / (wall - prompt_s))
            print(f"  {name:<8} {n} tokens, wall {wall:.2f} s, prompt {prompt_s:.2f} s -> "
                  f"{rates[name][-1]:.2f} tok/s", flush=True)
    d, r = median(rates["drafter"]), median(rates["raw"])
    header(f"figure 5: decode speed inside drafter vs raw llama-cpp-python ({threads} threads)")
    row("embedded decode speed (Qwen 1.5B, free decoding, streamed)", f"{d:.2f} tok/s",
        f"raw llama-cpp-python {r:.2f} tok/s", f"{d / r:.3f}x", ">= 0.95x", d / r >= 0.95)


def first_draft_child(state_dir: str, decoding: str) -> None:
    """One fresh process: load the model, write the example's draft, print JSON figures."""
    from drafter.config import load_settings
    from drafter.model.litellm_client import LiteLLMClient
    from drafter.model.runtime import get_runtime
    from drafter.pipeline import draft
    from drafter.validation import parse_request

    settings = load_settings(model=MODEL, embedded_decoding=decoding)
    t0 = time.perf_counter()
    rt = get_runtime(_weights(settings), n_ctx=settings.n_ctx, n_threads=settings.n_threads,
                     expected_sha256=QWEN.sha256,
                     state_dir=Path(state_dir) if state_dir != "-" else None)
    load_s = time.perf_counter() - t0
    client = LiteLLMClient(settings)  # reuses the runtime loaded above (one per process)
    _reset_perf(rt._llama)
    t0 = time.perf_counter()
    result = asyncio.run(draft(parse_request(example_json()), client=client, settings=settings))
    wall = time.perf_counter() - t0
    print(json.dumps({"load_s": load_s, "draft_wall_s": wall,
                      "model_s": result.usage.model_seconds,
                      "calls": result.usage.model_calls,
                      "prompt_tokens": result.usage.prompt_tokens,
                      "completion_tokens": result.usage.completion_tokens,
                      "passed": result.drafts[0].passed, **_perf(rt._llama),
                      **rt.prefix_stats}))


def first_draft() -> None:
    def child(state: str, decoding: str = "guided") -> dict[str, Any]:
        out = subprocess.run([sys.executable, __file__, "--child", state, "--decoding",
                              decoding], check=True, capture_output=True, text=True).stdout
        return dict(json.loads(out.strip().splitlines()[-1]))

    with tempfile.TemporaryDirectory() as tmp:
        runs = {"guided, no prefix cache": child("-"),
                "guided, first run (writes the prefix cache)": child(tmp),
                "guided, prefix cache restored": child(tmp),
                "free decoding, prefix cache restored (baseline)": child(tmp, "free")}
    header("figure 6: first email draft in a fresh process (Qwen 1.5B, bundled example)")
    for name, r in runs.items():
        decode_ms = r["t_eval_ms"] / max(r["n_eval"], 1)
        pure = decode_ms * r["completion_tokens"] / 1000
        prompt_s = r["t_p_eval_ms"] / 1000
        other = r["model_s"] - prompt_s - r["t_eval_ms"] / 1000
        r.update(pure_decode_s=pure, prompt_s=prompt_s)
        print(f"{name}: load {r['load_s']:.1f} s; model time {r['model_s']:.2f} s over "
              f"{r['calls']} call(s), {r['prompt_tokens']} prompt tokens of which "
              f"{r['n_p_eval']} evaluated ({r['restored_tokens']} restored) in {prompt_s:.2f} s "
              f"({r['n_p_eval'] / max(prompt_s, 1e-9):.0f} tok/s, "
              f"{prompt_s / r['model_s']:.0%} of model time); {r['completion_tokens']} "
              f"completion tokens decoded in {r['t_eval_ms'] / 1000:.2f} s "
              f"({1000 / decode_ms:.1f} tok/s); sampling+grammar+Python {other:.2f} s; "
              f"passed={r['passed']}", flush=True)
    cold, after = runs["guided, no prefix cache"], runs["guided, prefix cache restored"]
    free = runs["free decoding, prefix cache restored (baseline)"]
    print(f"prefix cache: prompt processing {cold['prompt_s']:.2f} s -> "
          f"{after['prompt_s']:.2f} s; model time {cold['model_s']:.2f} s -> "
          f"{after['model_s']:.2f} s")
    for name, r in (("no prefix cache", cold), ("prefix cache restored", after)):
        row(f"first email draft, model time (guided JSON, {name})",
            f"{r['model_s']:.2f} s, {r['calls']} call(s) ({r['prompt_tokens']} prompt tokens, "
            f"{r['n_p_eval']} evaluated in {r['prompt_s']:.2f} s; {r['n_eval']} tokens "
            f"decoded)",
            f"free decoding, cache restored: {free['model_s']:.2f} s, {free['calls']} "
            f"call(s), {free['n_eval']} tokens decoded",
            f"{r['model_s'] / free['model_s']:.2f}x", "< 10 s", r["model_s"] < 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--only", choices=["5", "6"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--decoding", default="guided", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        first_draft_child(args.child, args.decoding)
        return
    if args.only != "6":
        decode_speed(args.rounds, args.max_tokens)
    if args.only != "5":
        first_draft()


if __name__ == "__main__":
    main()
