"""Pipeline overhead per draft on an instant fake model (figure 2).

Baseline: a bare ``litellm.acompletion`` to the instant provider with the same messages and
schema. Measured: ``pipeline.draft`` of the bundled example through ``LiteLLMClient`` over the
same provider (context, prompts, the model call, parsing, composing, checks, scoring). The
added time is median(draft) - median(bare); rounds alternate so load hits both alike.

Run: python benchmarks/bench_pipeline.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    FAKE_MODEL,
    example_json,
    example_messages,
    fake_settings,
    header,
    median,
    register_fake_provider,
    row,
)


async def _run(rounds: int, batch: int, profile: bool) -> None:
    register_fake_provider()
    import litellm  # noqa: TID251 - the baseline is a bare litellm call

    from drafter.model.litellm_client import LiteLLMClient
    from drafter.pipeline import draft
    from drafter.validation import parse_request

    settings = fake_settings()
    client = LiteLLMClient(settings)
    request = parse_request(example_json())
    messages, schema = example_messages()

    async def bare() -> None:
        await asyncio.wait_for(litellm.acompletion(
            model=FAKE_MODEL, messages=messages, max_tokens=settings.max_tokens,
            temperature=settings.temperature, seed=settings.seed, timeout=120, num_retries=0,
            response_format={"type": "json_schema",
                             "json_schema": {"name": "reply", "schema": schema}}), 120)

    async def pipeline() -> None:
        result = await draft(request, client=client, settings=settings)
        assert result.usage.model_calls == 1 and result.drafts[0].passed, result

    for _ in range(20):  # warm-up: phrase tables, templates, litellm's lazy imports
        await bare()
        await pipeline()
    if profile:
        from pyinstrument import Profiler

        with Profiler(async_mode="enabled") as prof:
            for _ in range(200):
                await pipeline()
        print(prof.output_text(unicode=False, color=False, show_all=False))
        return
    t_bare: list[float] = []
    t_pipe: list[float] = []
    for _ in range(rounds):
        for fn, out in ((bare, t_bare), (pipeline, t_pipe)):
            t0 = time.perf_counter()
            for _ in range(batch):
                await fn()
            out.append((time.perf_counter() - t0) / batch)
    b, p = median(t_bare) * 1000, median(t_pipe) * 1000
    header("figure 2: pipeline overhead per draft (instant fake model)")
    print(f"bare litellm.acompletion  median {b:.2f} ms per call")
    print(f"pipeline.draft            median {p:.2f} ms per draft (1 model call, passed)")
    row("pipeline overhead per draft (instant fake)", f"{p - b:.2f} ms added ({p:.2f} ms/draft)",
        f"bare `litellm.acompletion` {b:.2f} ms", f"{p / b:.2f}x", "< 5 ms added",
        p - b < 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="pyinstrument the pipeline")
    args = parser.parse_args()
    asyncio.run(_run(args.rounds, args.batch, args.profile))


if __name__ == "__main__":
    main()
